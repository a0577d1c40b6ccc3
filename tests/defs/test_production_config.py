"""Production mode by configuration only: the executor switch and deploy/ agreeing with config/."""

from __future__ import annotations

import sys
import types

import dagster as dg
import pytest
import yaml

from reelforge import constants as C
from reelforge.constants import DEFAULT_CONCURRENCY, DEPLOY_DIR, PRODUCTION_DAGSTER_YAML
from reelforge.definitions import ExecutorUnavailable, defs, executor_for
from reelforge.lib.concurrency import instance_config, load_concurrency
from reelforge.settings import load_settings


def _deploy_yaml() -> dict:
    return yaml.safe_load(PRODUCTION_DAGSTER_YAML.read_text(encoding="utf-8"))


def test_executor_defaults_to_in_process_and_rejects_unknown_names() -> None:
    assert load_settings({}).executor == "in_process"
    assert load_settings({"REELFORGE_EXECUTOR": ""}).executor == "in_process"
    assert executor_for("in_process") is dg.in_process_executor
    with pytest.raises(ValueError, match=r"REELFORGE_EXECUTOR='threads'.*k8s, celery"):
        load_settings({"REELFORGE_EXECUTOR": "threads"})


def test_multiprocess_uses_a_forkserver_with_reelforge_preloaded() -> None:
    executor = executor_for("multiprocess")
    assert executor.name == "multiprocess"
    resolved = executor.config_schema.resolve_config({})  # the configured values
    assert resolved.success
    start = resolved.value["config"]["start_method"]["forkserver"]
    assert "reelforge.definitions" in start["preload_modules"]
    assert "reelforge.defs.assets.videos" in start["preload_modules"]


def test_definitions_carry_the_selected_executor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REELFORGE_EXECUTOR", "multiprocess")
    job = defs().resolve_job_def("episode")
    assert job.executor_def.name == "multiprocess"


@pytest.mark.parametrize(
    ("kind", "module", "package"),
    [("k8s", "dagster_k8s", "dagster-k8s"), ("celery", "dagster_celery", "dagster-celery")],
)
def test_scale_out_executor_missing_fails_at_load_naming_the_package(
    kind: str, module: str, package: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # import raises ImportError, as if absent
    monkeypatch.setenv("REELFORGE_EXECUTOR", kind)
    major_minor_patch = dg.__version__.split(".")
    pin = f"{package}==0.{int(major_minor_patch[1]) + 16}.{major_minor_patch[2]}"
    with pytest.raises(ExecutorUnavailable, match=f"needs the {package} package") as info:
        defs()
    assert pin in str(info.value)


@pytest.mark.parametrize(
    ("kind", "module", "attribute"),
    [("k8s", "dagster_k8s", "k8s_job_executor"), ("celery", "dagster_celery", "celery_executor")],
)
def test_scale_out_executor_is_taken_from_its_package_when_installed(
    kind: str, module: str, attribute: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Neither package is installed here: a module object stands in for the installed package,
    # holding a real executor definition under the package's documented name.
    installed = types.ModuleType(module)
    real = dg.in_process_executor.configured({}, name=attribute)
    setattr(installed, attribute, real)
    monkeypatch.setitem(sys.modules, module, installed)
    assert executor_for(kind) is real
    # A package of the wrong shape (e.g. a release that renamed it) is also a clear error.
    monkeypatch.setitem(sys.modules, module, types.ModuleType(module))
    with pytest.raises(ExecutorUnavailable, match=rf"{module}\.{attribute} is not a Dagster"):
        executor_for(kind)


def test_deploy_dagster_yaml_matches_the_concurrency_settings() -> None:
    deploy = _deploy_yaml()
    expected = instance_config(load_concurrency(DEFAULT_CONCURRENCY))
    assert deploy["run_coordinator"] == expected["run_coordinator"]
    assert deploy["concurrency"] == expected["concurrency"]
    # run_monitoring carries the shared keys plus production timeouts.
    assert deploy["run_monitoring"].items() >= expected["run_monitoring"].items()
    # Postgres storage through psycopg2, credentials only from the environment.
    db = deploy["storage"]["postgres"]["postgres_db"]
    assert db["scheme"] == "postgresql+psycopg2"
    assert {k: v for k, v in db.items() if k != "scheme"} == {
        "username": {"env": C.ENV_DAGSTER_PG_USERNAME},
        "password": {"env": C.ENV_DAGSTER_PG_PASSWORD},
        "hostname": {"env": C.ENV_DAGSTER_PG_HOST},
        "db_name": {"env": C.ENV_DAGSTER_PG_DB},
        "port": {"env": C.ENV_DAGSTER_PG_PORT},
    }
    # Run retries re-run crashed runs once and leave failed steps to their RetryPolicy.
    assert deploy["run_retries"] == {
        "enabled": True,
        "max_retries": 1,
        "retry_on_asset_or_op_failure": False,
    }


def test_helm_values_match_the_concurrency_settings() -> None:
    values = yaml.safe_load((DEPLOY_DIR / "helm" / "values.yaml").read_text(encoding="utf-8"))
    settings = load_concurrency(DEFAULT_CONCURRENCY)
    runs = instance_config(settings)["concurrency"]["runs"]
    daemon = values["dagsterDaemon"]
    queued = daemon["runCoordinator"]["config"]["queuedRunCoordinator"]
    assert daemon["runCoordinator"]["type"] == "QueuedRunCoordinator"
    assert queued["maxConcurrentRuns"] == runs["max_concurrent_runs"]
    assert queued["tagConcurrencyLimits"] == runs["tag_concurrency_limits"]
    monitoring = daemon["runMonitoring"]
    assert monitoring["enabled"] is True
    assert monitoring["freeSlotsAfterRunEndSeconds"] == settings.free_slots_after_run_end_seconds
    assert daemon["runRetries"] == {
        "enabled": True,
        "maxRetries": 1,
        "retryOnAssetOrOpFailure": False,
    }
    assert values["runLauncher"]["type"] == "K8sRunLauncher"
    deployment = values["dagster-user-deployments"]["deployments"][0]
    assert deployment["dagsterApiGrpcArgs"] == ["--module-name", "reelforge.definitions"]
    env = {e["name"]: e["value"] for e in deployment["env"]}
    assert env["REELFORGE_DEPLOYMENT"] == "production"
    assert "REELFORGE_LEDGER_URL" not in env  # a secret: only through envSecrets
    assert deployment["envSecrets"] == [{"name": "reelforge-secrets"}]
