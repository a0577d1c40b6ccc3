"""Stores each asset's record (a pydantic model) as JSON per partition.

Records are small: media lives in the media store and records hold its keys. JSON keeps them
readable by operators and by other tools, and loads back into the annotated type.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import dagster as dg
from pydantic import BaseModel

from reelforge.lib import atomic


class RecordIOManager(dg.ConfigurableIOManager):
    """JSON records under ``<root>/<asset>/<date>/<channel>.json``."""

    root: str

    def _path(self, context: dg.InputContext | dg.OutputContext) -> Path:
        base = Path(self.root).joinpath(*context.asset_key.path)
        if not context.has_asset_partitions:
            return base.with_suffix(".json")
        key = context.asset_partition_key
        if isinstance(key, dg.MultiPartitionKey):
            dims = key.keys_by_dimension
            return base / dims["date"] / f"{dims['channel']}.json"
        return base / f"{key}.json"

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        if obj is None:
            return
        data = obj.model_dump(mode="json") if isinstance(obj, BaseModel) else obj
        atomic.write_text(self._path(context), json.dumps(data, indent=1, ensure_ascii=False))

    def load_input(self, context: dg.InputContext) -> Any:
        path = self._path(context)
        if not path.is_file():
            raise dg.Failure(
                f"no record for {context.asset_key.to_user_string()} at {path}; "
                "materialize that partition first"
            )
        data = json.loads(path.read_text(encoding="utf-8"))
        kind = context.dagster_type.typing_type
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            return kind.model_validate(data)
        return data
