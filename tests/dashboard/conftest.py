"""Warehouses for the dashboard tests: none, empty, raw tables only, and raw + dbt marts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from dash_homes import build_home


@pytest.fixture(scope="session")
def marts_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_home(tmp_path_factory.mktemp("dash") / "home", marts=True)


@pytest.fixture
def populated_home(marts_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Raw tables + dbt marts + policy tables; a private copy (tests write overrides)."""
    home = tmp_path / "home"
    shutil.copytree(marts_template, home)
    monkeypatch.setenv("REELFORGE_HOME", str(home))
    return home


@pytest.fixture
def raw_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Raw tables only (dbt never ran) and no policy tables."""
    home = build_home(tmp_path / "raw", marts=False, policy=False)
    monkeypatch.setenv("REELFORGE_HOME", str(home))
    return home


@pytest.fixture
def empty_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh install: no warehouse file at all."""
    home = tmp_path / "fresh"
    home.mkdir()
    monkeypatch.setenv("REELFORGE_HOME", str(home))
    return home
