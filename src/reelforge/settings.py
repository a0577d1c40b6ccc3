"""Environment switching in one module: every environment variable reelforge reads is read here.

Secrets are not read here: resources take them through `dg.EnvVar` so they never reach logs.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from reelforge import constants
from reelforge.lib.providers.registry import SPECS

Deployment = Literal["local", "production"]
ExecutorKind = Literal["in_process", "multiprocess", "k8s", "celery"]
EXECUTORS: tuple[str, ...] = ("in_process", "multiprocess", "k8s", "celery")
PRESETS = (
    "ultrafast",
    "superfast",
    "veryfast",
    "faster",
    "fast",
    "medium",
    "slow",
    "slower",
    "veryslow",
)


@dataclass(frozen=True)
class EndpointSettings:
    """Where a remote provider is reached; the key stays an environment variable name."""

    name: str
    protocol: str
    base_url: str
    key_env: str | None
    model: str


@dataclass(frozen=True)
class Settings:
    home: Path
    config_path: Path
    deployment: Deployment
    executor: ExecutorKind
    sim_truth_path: Path
    render_preset: str
    render_height: int | None
    providers: Literal["local", "remote"]
    prices_path: Path
    # Non-secret REELFORGE_* variables, and which key variables are set (never their values).
    variables: Mapping[str, str]
    keys_present: frozenset[str]
    # Publishing platforms whose credentials are set (names only, never values).
    platforms_configured: frozenset[str] = frozenset()
    # REELFORGE_NOW: a fixed "now" for the clock resource (None: the real time).
    now: dt.datetime | None = None
    # REELFORGE_UPLOAD_RETRY_DELAY_S: first delay of the uploads step's retries (doubles).
    upload_retry_delay_s: float = constants.DEFAULT_UPLOAD_RETRY_DELAY_S
    # REELFORGE_PROVIDER_RETRY_BASE_S: first backoff of a provider call's retries (doubles).
    provider_retry_base_s: float = constants.DEFAULT_PROVIDER_RETRY_BASE_S
    # REELFORGE_PLATFORMS: platform limits (QC) and upload quotas.
    platforms_path: Path = constants.DEFAULT_PLATFORMS

    def remote_endpoints(self, family: str) -> list[EndpointSettings]:
        """Remote providers of `family` that are configured in the environment, in order."""
        out = []
        for spec in SPECS:
            if family not in spec.models:
                continue
            base = self.variables.get(spec.base_env) or spec.default_base
            if not base or (spec.key_env and spec.key_env not in self.keys_present):
                continue
            model = self.variables.get(spec.model_env(family)) or spec.models[family]
            out.append(EndpointSettings(spec.name, spec.protocol, base, spec.key_env, model))
        return out

    @property
    def music_library(self) -> Path | None:
        """The licensed music folder (REELFORGE_MUSIC_LIBRARY), if one is configured."""
        value = self.variables.get(constants.ENV_MUSIC_LIBRARY)
        return Path(value).expanduser().resolve() if value else None

    @property
    def media_root(self) -> Path:
        return self.home / "media"

    @property
    def records_root(self) -> Path:
        return self.home / "records"

    @property
    def outbox_root(self) -> Path:
        return self.home / "outbox"

    @property
    def work_root(self) -> Path:
        return self.home / "work"

    @property
    def ledger_url(self) -> str:
        return f"sqlite:///{self.home / 'ledger.sqlite'}"

    @property
    def warehouse_path(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def policy_record_path(self) -> Path:
        """The policy's next plans, written by generation_policy, read by generation_plan."""
        return self.home / "policy" / "plans.json"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster_home"


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"{name}={value!r} is not allowed; use one of: {', '.join(allowed)}")
    return value


def _height(value: str | None) -> int | None:
    if not value:
        return None
    if not value.isdigit() or not 16 <= int(value) <= 4320:
        raise ValueError(
            f"{constants.ENV_RENDER_HEIGHT}={value!r}: use a height in pixels, 16-4320"
        )
    return int(value)


def _now(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        at = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{constants.ENV_NOW}={value!r}: use an ISO 8601 time, e.g. 2026-12-01T09:00:00Z"
        ) from None
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


def _seconds(name: str, value: str | None, default: float) -> float:
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        raise ValueError(f"{name}={value!r}: use a number of seconds, 0-3600")
    return seconds


# The variables a real platform needs before it is bound (values read through dg.EnvVar).
PLATFORM_ENV: dict[str, tuple[str, ...]] = {
    "youtube": (constants.ENV_YOUTUBE_TOKEN_FILE,),
    "tiktok": (constants.ENV_TIKTOK_ACCESS_TOKEN,),
    "instagram": (constants.ENV_INSTAGRAM_ACCESS_TOKEN, constants.ENV_INSTAGRAM_USER_ID),
}
# Not secret, though its name says TOKEN: where the YouTube OAuth token is refreshed.
_NOT_SECRET = frozenset({constants.ENV_YOUTUBE_TOKEN_URI})


def _secret(name: str) -> bool:
    if name in _NOT_SECRET:
        return False
    return name == constants.ENV_LEDGER_URL or any(
        word in name for word in ("KEY", "SECRET", "TOKEN", "PASSWORD")
    )


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ

    def path(name: str, default: Path) -> Path:
        return Path(env.get(name) or default).expanduser().resolve()

    return Settings(
        home=path(constants.ENV_HOME, constants.DEFAULT_HOME),
        config_path=path(constants.ENV_CONFIG, constants.DEFAULT_CONFIG_PATH),
        deployment=_choice(  # type: ignore[arg-type]
            constants.ENV_DEPLOYMENT,
            env.get(constants.ENV_DEPLOYMENT, "local"),
            ("local", "production"),
        ),
        executor=_choice(  # type: ignore[arg-type]
            constants.ENV_EXECUTOR,
            env.get(constants.ENV_EXECUTOR) or "in_process",
            EXECUTORS,
        ),
        sim_truth_path=path(constants.ENV_SIM_TRUTH, constants.DEFAULT_SIM_TRUTH),
        render_preset=_choice(
            constants.ENV_RENDER_PRESET, env.get(constants.ENV_RENDER_PRESET, "veryfast"), PRESETS
        ),
        render_height=_height(env.get(constants.ENV_RENDER_HEIGHT)),
        providers=_choice(  # type: ignore[arg-type]
            constants.ENV_PROVIDERS, env.get(constants.ENV_PROVIDERS, "local"), ("local", "remote")
        ),
        prices_path=path(constants.ENV_PRICES, constants.DEFAULT_PRICES),
        platforms_path=path(constants.ENV_PLATFORMS, constants.DEFAULT_PLATFORMS),
        variables={k: v for k, v in env.items() if k.startswith("REELFORGE_") and not _secret(k)},
        keys_present=frozenset(
            [s.key_env for s in SPECS if s.key_env and env.get(s.key_env)]
            + [
                k
                for k in (constants.ENV_AWS_ACCESS_KEY_ID, constants.ENV_AWS_SECRET_ACCESS_KEY)
                if env.get(k)
            ]
        ),
        platforms_configured=frozenset(
            name for name, needed in PLATFORM_ENV.items() if all(env.get(v) for v in needed)
        ),
        now=_now(env.get(constants.ENV_NOW)),
        upload_retry_delay_s=_seconds(
            constants.ENV_UPLOAD_RETRY_DELAY,
            env.get(constants.ENV_UPLOAD_RETRY_DELAY),
            constants.DEFAULT_UPLOAD_RETRY_DELAY_S,
        ),
        provider_retry_base_s=_seconds(
            constants.ENV_PROVIDER_RETRY_BASE,
            env.get(constants.ENV_PROVIDER_RETRY_BASE),
            constants.DEFAULT_PROVIDER_RETRY_BASE_S,
        ),
    )
