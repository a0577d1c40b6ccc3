from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reelforge.config import ConfigError, load_config
from reelforge.constants import DEFAULT_CONFIG_PATH


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "channels.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _base() -> dict:
    return yaml.safe_load(DEFAULT_CONFIG_PATH.read_text())


def test_shipped_config_is_valid() -> None:
    config = load_config(DEFAULT_CONFIG_PATH)
    assert len(config.channels) >= 2
    for channel in config.channels:
        assert channel.voice and channel.aspects and channel.platforms
        assert channel.daily_budget_usd >= 0


@pytest.mark.parametrize(
    ("mutate", "field", "hint"),
    [
        (lambda c: c["channels"][0].update(colour="red"), "channels[0].colour", "allowed fields"),
        (lambda c: c["channels"][1].pop("voice"), "channels[1].voice", "required"),
        (lambda c: c["channels"][0].update(slug="../evil"), "channels[0].slug", "lowercase"),
        (lambda c: c["channels"][1].update(slug=c["channels"][0]["slug"]), "channels", "duplicate"),
        (
            lambda c: c["channels"][0].update(posting_hour="noon"),
            "channels[0].posting_hour",
            "integer",
        ),
        (lambda c: c["channels"][0].update(genre="cooking"), "channels[0].genre", "space"),
        (lambda c: c["channels"][0].update(aspects=["4:3"]), "channels[0].aspects[0]", "9:16"),
        (
            lambda c: c["channels"][0].update(platforms=["myspace"]),
            "channels[0].platforms",
            "outbox",
        ),
        (lambda c: c["calendar"].update(start_date="yesterday"), "calendar.start_date", "date"),
    ],
)
def test_broken_config_names_file_field_and_allowed(tmp_path: Path, mutate, field, hint) -> None:
    data = _base()
    mutate(data)
    path = _write(tmp_path, data)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert str(path) in message
    assert field in message
    assert hint in message


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    data = _base()
    data["channels"][0]["slug"] = "Bad Slug"
    data["channels"][1].pop("voice")
    with pytest.raises(ConfigError) as err:
        load_config(_write(tmp_path, data))
    assert len(err.value.problems) == 2


def test_missing_and_unparseable_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("channels: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(bad)
    scalar = tmp_path / "scalar.yaml"
    scalar.write_text("42\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="expected a mapping"):
        load_config(scalar)
