"""Keeps dbt's manifest.json current without network: `dbt parse` when it is missing or stale.

A fresh clone has no manifest; `@dbt_assets` needs one at load. Parsing takes a few seconds
and happens once (again only after a dbt file changes). The manifest is parsed into a private
folder and moved into place, so two processes loading at once never read half a file.
"""

from __future__ import annotations

import os
import shutil
import subprocess  # nosec B404 # subprocess runs fixed local tools with argument lists, never a shell
import sys
import tempfile
from pathlib import Path

from dagster_dbt import DbtProject

WATCHED = ("models", "macros", "dbt_project.yml", "profiles.yml")


def dbt_executable() -> str:
    """The dbt installed beside this Python (a venv need not be on PATH), else dbt on PATH."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.is_file() else (shutil.which("dbt") or "dbt")


def _newest_source(project_dir: Path) -> float:
    newest = 0.0
    for name in WATCHED:
        root = project_dir / name
        files = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
        newest = max([newest, *(p.stat().st_mtime for p in files)])
    return newest


def manifest_is_current(project: DbtProject) -> bool:
    path = project.manifest_path
    return path.is_file() and path.stat().st_mtime >= _newest_source(project.project_dir)


def ensure_manifest(project: DbtProject) -> Path:
    """Parse the project if its manifest is missing or older than any model, macro or config."""
    if manifest_is_current(project):
        return project.manifest_path
    target = project.manifest_path.parent
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target, prefix=".parse-") as tmp:
        proc = subprocess.run(  # nosec B603 # argument list to the dbt executable of this venv; no shell, no user input
            [dbt_executable(), "parse", "--quiet", "--project-dir", str(project.project_dir),
             "--profiles-dir", str(project.profiles_dir), "--target-path", tmp,
             "--log-path", tmp],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if proc.returncode != 0:
            raise RuntimeError(
                f"dbt parse of {project.project_dir} failed (exit {proc.returncode}):\n"
                f"{(proc.stdout + proc.stderr)[-3000:]}"
            )
        os.replace(Path(tmp) / "manifest.json", project.manifest_path)
    return project.manifest_path
