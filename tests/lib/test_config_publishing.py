"""Channel publishing fields: the platforms a channel posts to and the account of each."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reelforge.config import PLATFORMS, ConfigError, load_config
from reelforge.constants import DEFAULT_CONFIG_PATH, DEFAULT_PLATFORMS
from reelforge.lib.platform_limits import load_platform_limits


def _load(tmp_path: Path, **changes: object):  # type: ignore[no-untyped-def]
    data = yaml.safe_load(DEFAULT_CONFIG_PATH.read_text())
    data["channels"][0].update(changes)
    path = tmp_path / "channels.yaml"
    path.write_text(yaml.safe_dump(data))
    return load_config(path), path


def test_every_platform_has_qc_limits() -> None:
    assert set(PLATFORMS) <= set(load_platform_limits(DEFAULT_PLATFORMS))


def test_accounts_default_to_the_publishers_account(tmp_path: Path) -> None:
    config, _ = _load(
        tmp_path, platforms=["outbox", "youtube"], accounts={"youtube": "space_facts_yt"}
    )
    channel = config.channels[0]
    assert channel.account_for("youtube", "default") == "space_facts_yt"
    assert channel.account_for("outbox", "local") == "local"


@pytest.mark.parametrize(
    ("changes", "hint"),
    [
        ({"accounts": {"tiktok": "x"}}, "accounts.tiktok: tiktok is not in this channel's"),
        ({"platforms": ["outbox", "youtube"], "accounts": {"youtube": "bad name"}},
         "is not an account name"),
        ({"platforms": ["outbox", "myspace"]}, "use one of: outbox, youtube, tiktok, instagram"),
    ],
)  # fmt: skip
def test_bad_publishing_fields_are_named(tmp_path: Path, changes: dict, hint: str) -> None:
    with pytest.raises(ConfigError) as err:
        _load(tmp_path, **changes)
    assert hint in str(err.value) and "channels[0]" in str(err.value)
