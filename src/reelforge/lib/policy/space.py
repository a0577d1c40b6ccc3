"""The arm space of a channel: the values each plan parameter may take, and override logic.

Categorical parameters take every value of the vocabularies the stages understand (story
genres and hook styles, music moods, caption styles, voices of the channel's language);
numeric ones take values on a grid coarse enough to learn from a few dozen episodes. A
channel narrows any of them with `allowed:` in channels.yaml. Overrides are applied last and
win over everything, including the grids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reelforge.lib.music import MOODS
from reelforge.lib.overrides import PARAMETERS
from reelforge.lib.story import GENRES, HOOK_STYLES

CAPTION_STYLES: tuple[str, ...] = ("karaoke", "pop", "phrase")
# espeak-ng voices per language the policy may try (the channel's own voice is always in).
VOICES_BY_LANGUAGE: dict[str, tuple[str, ...]] = {"en": ("en-us", "en-gb")}

CATEGORICAL: tuple[str, ...] = ("genre", "hook_style", "voice", "music_mood", "caption_style")
NUMERIC: tuple[str, ...] = ("speaking_rate_wpm", "target_seconds", "posting_hour")
# Grids: coarse on purpose. With a handful of episodes a day, neighbouring values of a fine
# grid earn within the noise of each other and take months to tell apart; these steps are
# far enough apart to be learnt in a few weeks (the simulator's fraction of the oracle was
# ~0.86 at day 21 with 2 h / 10 s / 20 wpm steps, ~0.92 with these). Narrow or move them
# per channel with `allowed:`; a pin may set any valid value.
GRIDS: dict[str, tuple[int, ...]] = {
    "speaking_rate_wpm": (140, 170, 200),
    "target_seconds": (20, 30, 45, 60, 75, 90),
    "posting_hour": (2, 6, 10, 14, 18, 22),
}
# Valid ranges of numeric values (a pin may leave the grid, never these bounds).
BOUNDS: dict[str, tuple[int, int]] = {
    "speaking_rate_wpm": (80, 400),
    "target_seconds": (20, 90),
    "posting_hour": (0, 23),
}
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "genre": GENRES,
    "hook_style": HOOK_STYLES,
    "music_mood": MOODS,
    "caption_style": CAPTION_STYLES,
}

if set(CATEGORICAL) | set(NUMERIC) != set(PARAMETERS):  # an import-time check that -O keeps
    raise RuntimeError("every plan parameter must be either categorical or numeric")

Value = str | int


class SpaceError(ValueError):
    """A value outside what a parameter accepts; the message lists what is allowed."""


def coerce(parameter: str, value: Any) -> Value:
    """A parameter value in its plan type (overrides store every value as a string)."""
    if parameter in NUMERIC:
        try:
            number = int(str(value).strip())
        except ValueError:
            raise SpaceError(f"{parameter}: {value!r} is not a whole number") from None
        lo, hi = BOUNDS[parameter]
        if not lo <= number <= hi:
            raise SpaceError(f"{parameter}: {number} is outside {lo}-{hi}")
        return number
    if parameter not in PARAMETERS:
        raise SpaceError(f"unknown parameter {parameter!r}; use one of: {', '.join(PARAMETERS)}")
    text = str(value).strip()
    allowed = VOCABULARIES.get(parameter)
    if allowed is not None and text not in allowed:
        raise SpaceError(f"{parameter}: {text!r} is not allowed; use one of: {', '.join(allowed)}")
    if parameter == "voice" and not text:
        raise SpaceError("voice: empty voice name")
    return text


def validate_allowed(allowed: Mapping[str, Sequence[Any]]) -> dict[str, tuple[Value, ...]]:
    """Check a channel's `allowed:` mapping; values come back in their plan types."""
    problems: list[str] = []
    out: dict[str, tuple[Value, ...]] = {}
    for parameter, values in allowed.items():
        if parameter not in PARAMETERS:
            problems.append(f"{parameter!r} is not a plan parameter; use: {', '.join(PARAMETERS)}")
            continue
        if not values:
            problems.append(f"{parameter}: list at least one value")
            continue
        try:
            out[parameter] = tuple(dict.fromkeys(coerce(parameter, v) for v in values))
        except SpaceError as exc:
            problems.append(str(exc))
    if problems:
        raise SpaceError("; ".join(problems))
    return out


@dataclass(frozen=True)
class ArmSpace:
    """Allowed values of every plan parameter for one channel, and its per-episode budget."""

    channel: str
    values: dict[str, tuple[Value, ...]]
    defaults: dict[str, Value]
    budget_usd: float
    language: str = "en"
    extra: dict[str, Any] = field(default_factory=dict)

    def size(self) -> int:
        n = 1
        for vals in self.values.values():
            n *= len(vals)
        return n

    def nearest(self, parameter: str, value: Any) -> Value:
        """The arm-space value a plan value counts as (numeric values snap to the grid)."""
        vals = self.values[parameter]
        if parameter in NUMERIC:
            return min(vals, key=lambda v: (abs(int(v) - float(value)), v))  # type: ignore[arg-type]
        return str(value)


def channel_space(channel: Any) -> ArmSpace:
    """The arm space of a channel config (reelforge.config.Channel or anything shaped alike)."""
    d = channel.defaults
    defaults: dict[str, Value] = {
        "genre": channel.genre,
        "hook_style": d.hook_style,
        "voice": channel.voice,
        "speaking_rate_wpm": int(channel.speaking_rate_wpm),
        "music_mood": d.music_mood,
        "target_seconds": int(d.target_seconds),
        "caption_style": d.caption_style,
        "posting_hour": int(channel.posting_hour),
    }
    base_lang = channel.language.split("-")[0]
    voices = tuple(dict.fromkeys([channel.voice, *VOICES_BY_LANGUAGE.get(base_lang, ())]))
    values: dict[str, tuple[Value, ...]] = {
        **{p: VOCABULARIES[p] for p in VOCABULARIES},
        "voice": voices,
        **{p: GRIDS[p] for p in NUMERIC},
    }
    allowed = validate_allowed(getattr(channel, "allowed", None) or {})
    values.update(allowed)
    budget = float(channel.daily_budget_usd) / max(1, int(channel.episodes_per_day))
    ordered = {p: values[p] for p in PARAMETERS}
    return ArmSpace(channel.slug, ordered, defaults, budget, channel.language)


def arm_id(params: Mapping[str, Any]) -> str:
    """Stable id of a combination of plan parameters (same values, same id, any process)."""
    canon = {p: params[p] for p in PARAMETERS}
    digest = hashlib.sha256(json.dumps(canon, sort_keys=True, default=str).encode()).hexdigest()
    return f"arm-{digest[:12]}"


def slot_number(date: str | dt.date, slot: int, episodes_per_day: int) -> int:
    """A running index of a channel's slots: consecutive slots differ by one (A/B parity)."""
    day = dt.date.fromisoformat(date) if isinstance(date, str) else date
    return day.toordinal() * max(1, episodes_per_day) + slot


@dataclass(frozen=True)
class Applied:
    """What overrides did to a plan: the parameters they set and their descriptions."""

    params: dict[str, Value]
    applied: tuple[str, ...]
    ab: tuple[str, ...] = ()  # experiment ids of the A/B splits that set a value
    problems: tuple[str, ...] = ()


def fixed_by_overrides(
    overrides: Iterable[Any], slot_index: int
) -> tuple[dict[str, Value], dict[str, set[Value]]]:
    """(parameter → value set by a pin or an A/B split, parameter → excluded values)."""
    fixed: dict[str, Value] = {}
    excluded: dict[str, set[Value]] = {}
    for o in overrides:
        try:  # an unusable value is reported by apply_overrides, not fatal here
            if o.kind == "exclude":
                banned = {coerce(o.parameter, v) for v in o.values}
                excluded.setdefault(o.parameter, set()).update(banned)
            elif o.kind == "pin":
                fixed[o.parameter] = coerce(o.parameter, o.values[0])
            elif o.kind == "ab":
                fixed[o.parameter] = coerce(o.parameter, o.values[slot_index % 2])
        except SpaceError:
            continue
    return fixed, excluded


def apply_overrides(
    params: Mapping[str, Value],
    overrides: Sequence[Any],
    space: ArmSpace,
    slot_index: int,
    scores: Mapping[str, Mapping[str, float]] | None = None,
) -> Applied:
    """Overrides win: pins and A/B splits set a value, exclusions replace an excluded one.

    An excluded value is replaced by the allowed value with the best score (the policy's
    fitted effects, when given), else the nearest one (numeric) or the first in vocabulary
    order. An override whose value a stage cannot use is skipped and reported in `problems`.
    """
    out = dict(params)
    applied: list[str] = []
    ab: list[str] = []
    problems: list[str] = []
    for o in sorted(overrides, key=lambda o: (o.kind != "exclude", o.override_id)):
        try:
            if o.kind == "exclude":
                banned = {coerce(o.parameter, v) for v in o.values}
                if out.get(o.parameter) in banned:
                    choice = _replacement(o.parameter, out[o.parameter], banned, space, scores)
                    if choice is None:
                        problems.append(f"{o.describe()}: no allowed value is left")
                        continue
                    out[o.parameter] = choice
                applied.append(o.describe())
            elif o.kind == "pin":
                out[o.parameter] = coerce(o.parameter, o.values[0])
                applied.append(o.describe())
            elif o.kind == "ab":
                out[o.parameter] = coerce(o.parameter, o.values[slot_index % 2])
                applied.append(f"{o.describe()} → {out[o.parameter]}")
                ab.append(ab_experiment_id(space.channel, o.parameter, o.override_id))
        except SpaceError as exc:
            problems.append(f"{o.describe()}: {exc}")
    return Applied(out, tuple(applied), tuple(ab), tuple(problems))


def ab_experiment_id(channel: str, parameter: str, override_id: int) -> str:
    return f"ab-{channel}-{parameter}-{override_id}"


def _replacement(
    parameter: str,
    current: Value,
    banned: set[Value],
    space: ArmSpace,
    scores: Mapping[str, Mapping[str, float]] | None,
) -> Value | None:
    options = [v for v in space.values[parameter] if v not in banned]
    if not options:
        return None
    table = (scores or {}).get(parameter)
    if table:
        return max(options, key=lambda v: table.get(str(v), float("-inf")))
    if parameter in NUMERIC:
        return min(options, key=lambda v: abs(int(v) - int(current)))
    return options[0]
