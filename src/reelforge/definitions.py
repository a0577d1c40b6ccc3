"""The reelforge code location: everything under defs/, resources from the bindings module.

The executor is chosen by `REELFORGE_EXECUTOR` (settings.py) and nothing else:
- `in_process` (default): every step of a run in the run worker; ~0.1 s a step. Parallelism
  across episodes comes from the queued run coordinator running several runs at once.
- `multiprocess`: one process a step, started from a forkserver that has already imported
  reelforge (spawn would re-import everything: ~3 s a step on this kind of machine) and built
  these definitions once (each step process would otherwise rebuild them: ~1 s of CPU).
- `k8s`: dagster-k8s's `k8s_job_executor`, one Kubernetes Job a step (with the K8sRunLauncher).
- `celery`: dagster-celery's `celery_executor`, steps on Celery workers.
The last two are imported only when selected: reelforge does not depend on them.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import pkgutil
from pathlib import Path

import dagster as dg

from reelforge.settings import ExecutorKind, load_settings

_DEFS = Path(__file__).parent / "defs"


def preload_modules() -> list[str]:
    """Modules the forkserver imports once, so each step's process starts with them loaded:
    dagster, this module and every module of defs/ (listed from the folder, not imported),
    and last `reelforge.forkserver_warm`, which builds the definitions there once."""
    names = ["dagster", "reelforge.definitions"]
    for sub in ("", "assets", "resources", "sensors", "schedules"):
        folder = _DEFS / sub if sub else _DEFS
        prefix = "reelforge.defs." + (f"{sub}." if sub else "")
        names += [prefix + m.name for m in pkgutil.iter_modules([str(folder)]) if not m.ispkg]
    return [*names, "reelforge.forkserver_warm"]


# Definitions built ahead in this process (a forkserver), by the environment they were built
# in. Bindings read the environment, so a step process reuses them only when its environment
# is the very same; anywhere else (nothing warmed) every call builds afresh, as before.
_WARM: dict[str, dg.Definitions] = {}


def _environment_key() -> str:
    return hashlib.sha256(json.dumps(sorted(os.environ.items())).encode()).hexdigest()


def warm() -> None:
    """Build the definitions now, for the processes this one forks (the step processes of the
    multiprocess executor) to reuse instead of each rebuilding them."""
    _WARM[_environment_key()] = _build()


# Scale-out executors: (module, attribute, the package to install).
_OPTIONAL: dict[str, tuple[str, str, str]] = {
    "k8s": ("dagster_k8s", "k8s_job_executor", "dagster-k8s"),
    "celery": ("dagster_celery", "celery_executor", "dagster-celery"),
}


class ExecutorUnavailable(RuntimeError):
    """REELFORGE_EXECUTOR names an executor whose package is not installed."""


def _integration_pin(package: str) -> str:
    # Dagster integrations 0.N.M pin dagster 1.(N-16).M exactly: name the matching release.
    major, minor, patch = [*dg.__version__.split("."), "0", "0"][:3]
    if major == "1" and minor.isdigit() and patch.isdigit():
        return f"{package}==0.{int(minor) + 16}.{patch}"
    return package


def executor_for(kind: ExecutorKind | str) -> dg.ExecutorDefinition:
    """The executor definition for a REELFORGE_EXECUTOR value; a clear error if unavailable."""
    if kind == "in_process":
        return dg.in_process_executor
    if kind == "multiprocess":
        return dg.multiprocess_executor.configured(
            {"start_method": {"forkserver": {"preload_modules": preload_modules()}}},
            name="multiprocess",
        )
    if kind not in _OPTIONAL:
        allowed = ", ".join(["in_process", "multiprocess", *_OPTIONAL])
        raise ValueError(f"REELFORGE_EXECUTOR={kind!r} is not allowed; use one of: {allowed}")
    module_name, attribute, package = _OPTIONAL[kind]
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ExecutorUnavailable(
            f"REELFORGE_EXECUTOR={kind} needs the {package} package, which is not installed: "
            f"`uv pip install {_integration_pin(package)}` (the release matching dagster "
            f"{dg.__version__}) in the image that runs this code location ({exc})"
        ) from None
    executor = getattr(module, attribute, None)
    if not isinstance(executor, dg.ExecutorDefinition):
        raise ExecutorUnavailable(
            f"REELFORGE_EXECUTOR={kind}: {module_name}.{attribute} is not a Dagster executor; "
            f"install a {package} release matching dagster {dg.__version__}"
        )
    return executor


def _build() -> dg.Definitions:
    settings = load_settings()
    return dg.Definitions.merge(
        dg.load_from_defs_folder(path_within_project=Path(__file__).parent),
        dg.Definitions(executor=executor_for(settings.executor)),
    )


@dg.definitions
def defs() -> dg.Definitions:
    warmed = _WARM.get(_environment_key()) if _WARM else None
    return warmed if warmed is not None else _build()
