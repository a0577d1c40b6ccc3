"""Generation plans: the parameters of one episode, from channel defaults for now.

The learning policy (see DESIGN.md, "The feedback loop") will propose plans later; this module
keeps the seed derivation in one place so every stage of an episode is reproducible.
"""

from __future__ import annotations

import hashlib

from reelforge.lib.models import CaptionStyle, Plan

BASELINE_EXPERIMENT = "baseline"


def episode_id(channel: str, date: str) -> str:
    return f"{channel}-{date}"


def slot_of_episode(episode: str) -> tuple[str, str]:
    """(date, channel) of an episode id made by `episode_id`."""
    channel, date = episode[:-11], episode[-10:]
    if episode[-11:-10] != "-" or not channel:
        raise ValueError(f"{episode!r} is not an episode id (<channel>-<YYYY-MM-DD>)")
    return date, channel


def episode_seed(channel: str, date: str, attempt: int = 0) -> int:
    """A 31-bit seed that depends only on the calendar slot (and regeneration attempt)."""
    digest = hashlib.sha256(f"{channel}|{date}|{attempt}".encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def default_plan(
    *,
    channel: str,
    date: str,
    genre: str,
    hook_style: str,
    voice: str,
    speaking_rate_wpm: int,
    music_mood: str,
    target_seconds: int,
    caption_style: CaptionStyle,
    posting_hour: int,
    language: str,
) -> Plan:
    return Plan(
        channel=channel,
        date=date,
        genre=genre,
        hook_style=hook_style,
        voice=voice,
        speaking_rate_wpm=speaking_rate_wpm,
        music_mood=music_mood,
        target_seconds=target_seconds,
        caption_style=caption_style,
        posting_hour=posting_hour,
        language=language,
        experiment_id=BASELINE_EXPERIMENT,
        seed=episode_seed(channel, date),
    )


def target_words(plan: Plan) -> int:
    """Words that fill the target length at the plan's speaking rate (espeak runs ~10 % slow)."""
    return round(plan.target_seconds * plan.speaking_rate_wpm / 60 * 0.9)
