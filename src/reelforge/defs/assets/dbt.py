"""The dbt models over the DuckDB warehouse as Dagster assets (dagster-dbt).

Every dbt source is the output of `episode_warehouse`, so the marts sit downstream of it and
upstream of the policy. dbt writes its marts into the warehouse file: the step runs in the
`duckdb_writer` pool with the other writers (DuckDB allows one writing process).
"""

import json
from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from reelforge.constants import DBT_PROJECT_DIR, GROUP_ANALYTICS, POOL_WAREHOUSE
from reelforge.defs.dbt_manifest import ensure_manifest
from reelforge.defs.resources.storage import WarehouseResource

WAREHOUSE_WRITER = dg.AssetKey("episode_warehouse")

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)
ensure_manifest(dbt_project)


class WarehouseDbtTranslator(DagsterDbtTranslator):
    """dbt sources → `episode_warehouse`; models → the analytics group."""

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None
    ) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        if unique_id.startswith("source."):
            return spec.replace_attributes(key=WAREHOUSE_WRITER)
        return spec.replace_attributes(group_name=GROUP_ANALYTICS)


translator = WarehouseDbtTranslator(
    settings=DagsterDbtTranslatorSettings(enable_duplicate_source_asset_keys=True)
)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=translator,
    pool=POOL_WAREHOUSE,
)
def warehouse_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
) -> Iterator[Any]:
    """Staging views and marts (cost, engagement per dollar by arm, experiments) in DuckDB."""
    dbt_vars = json.dumps({"warehouse_path": warehouse.path})
    yield from dbt.cli(["build", "--vars", dbt_vars], context=context).stream()
