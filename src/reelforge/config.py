"""Channels and calendar: `config/channels.yaml`, validated on load with clear errors.

A bad file fails with one message naming the file, every offending field and what is allowed,
before anything is written anywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from reelforge.lib.models import CaptionStyle
from reelforge.lib.music import MOODS
from reelforge.lib.policy.space import SpaceError, validate_allowed
from reelforge.lib.providers.registry import names_for
from reelforge.lib.story import GENRES, HOOK_STYLES

# \Z, not $: `$` also matches before a trailing newline, which let "space_facts\n" through
# as a slug (a partition key and a folder name with a line break in it).
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_]{1,39}\Z")
VOICE_RE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{1,8})*(\+[a-z0-9]{1,12})?\Z")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?\Z")
PLATFORMS = ("outbox", "youtube", "tiktok", "instagram")
ACCOUNT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,119}\Z")
# Device names Windows will not create as files or folders: a slug is a folder name in the
# media, records and outbox trees, which operators copy to other machines and buckets.
RESERVED_SLUGS = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{d}{i}" for d in ("com", "lpt") for i in range(10)]
)
# Bounds on what a channels file may be: a real one is a few KB. Beyond them a file is an
# accident or an attack (a YAML alias bomb expands to millions of nodes from a few lines).
MAX_FILE_BYTES = 1_000_000
MAX_NODES = 100_000
MAX_PROBLEMS = 50


def _no_bool(value: Any) -> Any:
    # YAML `yes`/`true` would otherwise count as 1 (pydantic's lax int and float accept bools).
    if isinstance(value, bool):
        raise ValueError("expected a number, not true/false")
    return value


Int = Annotated[int, BeforeValidator(_no_bool)]
# Finite: an `.inf` budget would pass `ge=0` and then poison every sum and JSON record.
Money = Annotated[float, BeforeValidator(_no_bool), Field(allow_inf_nan=False)]


class ConfigError(ValueError):
    """A channels file that cannot be used; the message lists every problem."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"invalid channels config {path}:\n{lines}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


def _one_of(value: str, allowed: tuple[str, ...] | list[str]) -> str:
    if value not in allowed:
        raise ValueError(f"{value!r} is not allowed; use one of: {', '.join(allowed)}")
    return value


class EpisodeDefaults(_Strict):
    """Generation parameters a channel uses until the policy proposes others."""

    hook_style: str = "question"
    music_mood: str = "calm"
    target_seconds: Int = Field(45, ge=20, le=90)
    caption_style: CaptionStyle = "karaoke"

    @field_validator("hook_style")
    @classmethod
    def _hook(cls, v: str) -> str:
        return _one_of(v, HOOK_STYLES)

    @field_validator("music_mood")
    @classmethod
    def _mood(cls, v: str) -> str:
        return _one_of(v, MOODS)


class ProviderChains(_Strict):
    """Fallback order per stage, used when REELFORGE_PROVIDERS=remote (local is the last resort).

    Empty means: every configured remote provider of that stage, then local.
    """

    story: list[str] = Field(default_factory=list)
    speech: list[str] = Field(default_factory=list)
    images: list[str] = Field(default_factory=list)
    music: list[str] = Field(default_factory=list)
    clips: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known(self) -> ProviderChains:
        for family in ("story", "speech", "images", "music", "clips"):
            allowed = names_for(family)
            for name in getattr(self, family):
                if name not in allowed:
                    raise ValueError(
                        f"{family}: provider {name!r} is not allowed; "
                        f"use any of: {', '.join(allowed)}"
                    )
        return self


class ModerationSettings(_Strict):
    """What the blocking moderation checks refuse, and how often a story may be rewritten."""

    # Phrases (whole words, any case, plurals too) the channel must never talk about.
    banned_topics: list[str] = Field(default_factory=list, max_length=500)
    # After this many rejections in the review queue the episode fails for good.
    max_rejections: Int = Field(3, ge=1, le=10)
    # Open-NSFW score at or above which a picture is held for review.
    nsfw_threshold: Money = Field(0.8, gt=0, le=1)

    @field_validator("banned_topics")
    @classmethod
    def _topics(cls, v: list[str]) -> list[str]:
        for phrase in v:
            if not phrase.strip() or len(phrase) > 200:
                raise ValueError("banned topics must be non-empty phrases of at most 200 chars")
        return v


class Channel(_Strict):
    slug: str = Field(description="lowercase letters, digits and underscores; 2-40 chars")
    display_name: str = Field(min_length=1, max_length=100)
    niche: str = Field(min_length=1, max_length=200)
    genre: str
    language: str = "en"
    voice: str
    speaking_rate_wpm: Int = Field(170, ge=80, le=400)
    aspects: list[Literal["9:16", "16:9", "1:1"]] = Field(default=["9:16"], min_length=1)
    platforms: list[str] = Field(default=["outbox"], min_length=1)
    # Which account of each platform posts this channel, e.g. {youtube: space_facts_yt};
    # a platform not listed uses its publisher's default account (the outbox's is `local`).
    accounts: dict[str, str] = Field(default_factory=dict)
    episodes_per_day: Int = Field(1, ge=1, le=24)
    posting_hour: Int = Field(ge=0, le=23)
    daily_budget_usd: Money = Field(ge=0)
    # Optional monthly cap for the channel (USD); paid calls are reserved against both.
    monthly_budget_usd: Money | None = Field(None, ge=0)
    defaults: EpisodeDefaults = EpisodeDefaults()
    providers: ProviderChains = ProviderChains()
    # Voice per remote speech provider, e.g. {elevenlabs: <voice id>, openai: alloy};
    # the espeak-ng `voice` above is used offline.
    remote_voices: dict[str, str] = Field(default_factory=dict)
    # Generate an AI motion clip per scene (scene_clips); off: Ken Burns moves on the stills.
    motion_clips: bool = False
    moderation: ModerationSettings = ModerationSettings()
    # Values the learning policy may choose, per plan parameter (default: every value the
    # stages support; numeric ones on the policy's grids), e.g. {genre: [space, science]}.
    allowed: dict[str, list[str | int]] = Field(default_factory=dict)

    @field_validator("allowed")
    @classmethod
    def _allowed(cls, v: dict[str, list[str | int]]) -> dict[str, list[str | int]]:
        try:
            validate_allowed(v)
        except SpaceError as exc:
            raise ValueError(str(exc)) from None
        return v

    @field_validator("slug")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not SLUG_RE.match(v):
            raise ValueError(
                f"{_short(v)} is not a valid slug; use 2-40 lowercase letters, digits and "
                "underscores, starting with a letter or digit (it becomes a partition key and "
                "a folder name)"
            )
        if v in RESERVED_SLUGS:
            raise ValueError(f"{v!r} is a reserved device name on Windows; choose another slug")
        return v

    @field_validator("genre")
    @classmethod
    def _genre(cls, v: str) -> str:
        return _one_of(v, GENRES)

    @field_validator("voice")
    @classmethod
    def _voice(cls, v: str) -> str:
        if not VOICE_RE.match(v):
            raise ValueError(
                f"{v!r} is not a voice name; use an espeak-ng voice such as en-us, en-gb or "
                "en-us+f3 (list them with `espeak-ng --voices`)"
            )
        return v

    @field_validator("language")
    @classmethod
    def _language(cls, v: str) -> str:
        if not LANGUAGE_RE.match(v):
            raise ValueError(f"{v!r} is not a language code; use e.g. en, es, pt-BR")
        return v

    @field_validator("platforms")
    @classmethod
    def _platforms(cls, v: list[str]) -> list[str]:
        for p in v:
            _one_of(p, PLATFORMS)
        if len(set(v)) != len(v):
            raise ValueError("platforms are listed twice")
        return v

    @model_validator(mode="after")
    def _accounts(self) -> Channel:
        for platform, account in self.accounts.items():
            if platform not in self.platforms:
                raise ValueError(
                    f"accounts.{platform}: {platform} is not in this channel's platforms "
                    f"({', '.join(self.platforms)})"
                )
            if not ACCOUNT_RE.match(account):
                raise ValueError(
                    f"accounts.{platform}: {account!r} is not an account name (1-120 letters, "
                    "digits and _ . @ -)"
                )
        return self

    def account_for(self, platform: str, default: str) -> str:
        return self.accounts.get(platform, default)

    @field_validator("aspects")
    @classmethod
    def _aspects(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("aspects are listed twice")
        return v


class Calendar(_Strict):
    start_date: dt.date
    timezone: Literal["UTC"] = "UTC"


class GlobalBudget(_Strict):
    """Caps over every channel together (USD); none by default."""

    daily_usd: Money | None = Field(None, ge=0)
    monthly_usd: Money | None = Field(None, ge=0)


class ChannelsConfig(_Strict):
    calendar: Calendar
    budget: GlobalBudget = GlobalBudget()
    channels: list[Channel] = Field(min_length=1, max_length=500)

    @field_validator("channels")
    @classmethod
    def _unique_slugs(cls, channels: list[Channel]) -> list[Channel]:
        # A field validator (not a model one) so the problem is located at `channels`.
        seen: dict[str, int] = {}
        for i, c in enumerate(channels):
            if c.slug in seen:
                raise ValueError(
                    f"duplicate channel slug {c.slug!r} (channels[{seen[c.slug]}] and "
                    f"channels[{i}]); slugs must be unique"
                )
            seen[c.slug] = i
        return channels

    @cached_property
    def by_slug(self) -> dict[str, Channel]:
        return {c.slug: c for c in self.channels}

    def channel(self, slug: str) -> Channel:
        try:
            return self.by_slug[slug]
        except KeyError:
            raise KeyError(f"unknown channel {slug!r}; known: {', '.join(self.by_slug)}") from None


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _describe(err: dict[str, Any], model: type[BaseModel]) -> str:
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    where = _loc(loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        parent = _fields_at(model, loc[:-1])
        allowed = f"; allowed fields: {', '.join(parent)}" if parent else ""
        return f"{where}: unknown field{allowed}"
    if kind == "missing":
        return f"{where}: required field is missing"
    msg = str(err["msg"]).removeprefix("Value error, ")
    got = err.get("input")
    shown = "" if isinstance(got, dict | list) or kind == "value_error" else f" (got {_short(got)})"
    return f"{where}: {msg}{shown}"


def _short(value: Any, limit: int = 60) -> str:
    """A value as the user wrote it, cut short: a 5 MB string must not become the message."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}… ({len(text)} chars)"


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed at a location, to tell the user what they may write."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        if field is None:
            return []
        ann = field.annotation
        args = getattr(ann, "__args__", ())
        current = next(
            (a for a in (ann, *args) if isinstance(a, type) and issubclass(a, BaseModel)), None
        )
        if current is None:
            return []
    return list(current.model_fields)


def _too_big(data: Any, budget: int = MAX_NODES) -> bool:
    """Whether the document has more than `budget` nodes, counting a shared (aliased) node
    every time it is used, as validation would visit it; stops as soon as it knows."""
    stack, seen = [data], 0
    while stack:
        node = stack.pop()
        seen += 1
        if seen > budget:
            return True
        if isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def parse_config(data: Any, path: Path) -> ChannelsConfig:
    if not isinstance(data, dict):
        raise ConfigError(path, ["(top level): expected a mapping with 'calendar' and 'channels'"])
    if _too_big(data):
        raise ConfigError(path, [f"(top level): too large (over {MAX_NODES} values)"])
    try:
        return ChannelsConfig.model_validate(data)
    except ValidationError as exc:
        problems = [_describe(e, ChannelsConfig) for e in exc.errors()]  # type: ignore[arg-type]
        if len(problems) > MAX_PROBLEMS:
            more = len(problems) - MAX_PROBLEMS
            problems = [*problems[:MAX_PROBLEMS], f"(top level): … and {more} more problems"]
        raise ConfigError(path, problems) from None


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """PyYAML's multi-line report as one line: where, then what."""
    mark = getattr(exc, "problem_mark", None)
    what = getattr(exc, "problem", None) or str(exc)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    return " ".join(f"not valid YAML{where}: {what}".split())


def load_config(path: Path) -> ChannelsConfig:
    """Read and validate a channels file; raise ConfigError with every problem found."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(path, ["file not found (set REELFORGE_CONFIG to another file)"]) from None
    except IsADirectoryError:
        raise ConfigError(path, ["is a folder, not a channels file"]) from None
    except (OSError, ValueError) as exc:  # ValueError: undecodable bytes, NUL in the path
        raise ConfigError(path, [f"cannot read: {_short(str(exc), 200)}"]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise ConfigError(path, [f"(top level): too large (over {MAX_FILE_BYTES} bytes)"])
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(path, [_yaml_problem(exc)]) from None
    except RecursionError:  # PyYAML's composer recurses once per nesting level
        raise ConfigError(path, ["(top level): nested too deeply"]) from None
    return parse_config(data, path)


def config_hash(path: Path) -> str:
    """Hash of the config file's bytes, recorded with every run for the audit trail."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
