"""The reelforge code location: everything under defs/, resources from the bindings module."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from reelforge.settings import load_settings


@dg.definitions
def defs() -> dg.Definitions:
    settings = load_settings()
    executor = (
        dg.multiprocess_executor if settings.executor == "multiprocess" else dg.in_process_executor
    )
    return dg.Definitions.merge(
        dg.load_from_defs_folder(path_within_project=Path(__file__).parent),
        dg.Definitions(executor=executor),
    )
