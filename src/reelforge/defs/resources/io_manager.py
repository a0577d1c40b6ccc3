"""Stores each asset's record (a pydantic model) as JSON per partition.

Records are small: media lives in the media store and records hold its keys. JSON keeps them
readable by operators and by other tools, and loads back into the annotated type.

With a bucket (production) the record in S3 is the one that counts: every run worker, on any
machine, reads it from there. The local file stays as a copy for operators to read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_aws.s3 import S3Resource
from pydantic import BaseModel, PrivateAttr

from reelforge.defs.resources.storage import s3_blobs
from reelforge.lib import atomic
from reelforge.lib.blobs import S3Blobs


class RecordIOManager(dg.ConfigurableIOManager):
    """JSON records under ``<root>/<asset>/<date>/<channel>.json`` (and in S3 when configured)."""

    root: str
    s3: S3Resource | None = None
    bucket: str = ""
    prefix: str = "records/"
    _remote: S3Blobs | None = PrivateAttr(default=None)

    def _blobs(self) -> S3Blobs | None:
        # One boto3 client per IO manager, not one per record read or written.
        if self._remote is None:
            self._remote = s3_blobs(self.s3, self.bucket, self.prefix)
        return self._remote

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
        text = json.dumps(data, indent=1, ensure_ascii=False)
        path = self._path(context)
        remote = self._blobs()
        if remote is not None:
            remote.put_bytes(self._name(path), text.encode("utf-8"), "application/json")
        # Temporaries in a scratch folder: a killed worker leaves no debris among the records.
        atomic.write_text(path, text, Path(self.root) / ".scratch")

    def _name(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def load_input(self, context: dg.InputContext) -> Any:
        path = self._path(context)
        remote = self._blobs()
        if remote is not None:
            raw = remote.get_bytes(self._name(path))
            where = remote.where(self._name(path))
        else:
            raw = path.read_bytes() if path.is_file() else None
            where = str(path)
        if raw is None:
            raise dg.Failure(
                f"no record for {context.asset_key.to_user_string()} at {where}; "
                "materialize that partition first"
            )
        data = json.loads(raw.decode("utf-8"))
        kind = context.dagster_type.typing_type
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            return kind.model_validate(data)
        return data
