"""Captions from word timings: phrase grouping, SRT, WebVTT and ASS scripts for libass.

Caption text is user data that ends up in three parsers (SRT/VTT players and libass), so every
writer here sanitises it: control characters and line breaks become spaces (a cue must never
contain a blank line), bidi override/embedding controls are dropped (they can visually reorder
text, i.e. spoof it), and format-specific markup characters are escaped.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Protocol

from reelforge.lib.models import CaptionStyle

__all__ = [
    "Cue",
    "clean_text",
    "escape_ass_text",
    "group_phrases",
    "phrase_cues",
    "to_ass",
    "to_srt",
    "to_vtt",
]


class Timed(Protocol):
    """Anything with a text and a time span (a `Cue`, a `models.Word`)."""

    @property
    def text(self) -> str: ...
    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...


@dataclass(frozen=True)
class Cue:
    """A word or phrase shown from `start` to `end` (seconds)."""

    text: str
    start: float
    end: float


# U+202A..U+202E (LRE RLE PDF LRO RLO) and U+2066..U+2069 (LRI RLI FSI PDI).
_BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
_BREAKS = frozenset("\u2028\u2029")
# A word ending in one of these closes a phrase (clause or sentence end, in several scripts).
_PHRASE_END = frozenset(".,!?;:…‽。，！？；：、؟،۔")
_TRAILING_CLOSERS = "\"'”’»)]}」』）"


def clean_text(text: str) -> str:
    """Single-line, spoof-free text: controls and breaks -> space, bidi overrides removed."""
    out: list[str] = []
    for ch in text:
        if ch in _BIDI_CONTROLS:
            continue
        category = unicodedata.category(ch)
        if category == "Cc" or ch in _BREAKS:
            out.append(" ")
        elif category == "Cs":
            # A lone surrogate (possible from JSON) cannot be encoded to UTF-8 at all.
            out.append("\ufffd")
        else:
            out.append(ch)
    return re.sub(r" {2,}", " ", "".join(out)).strip()


def escape_ass_text(text: str) -> str:
    """Text that libass renders literally (verified against libass 0.17 in FFmpeg's subtitles).

    libass treats `{` as the start of an override block and `\\` plus N, n, h, {, } as
    escapes (`\\\\` is *not* an escape: it shows `\\` and leaves the second one live). So `{` and
    `}` become the escapes `\\{` / `\\}`, and every backslash is followed by U+2060 WORD JOINER,
    which is invisible and zero-width but means no escape letter can follow it.
    """
    out = []
    for ch in clean_text(text):
        if ch == "\\":
            out.append("\\\u2060")
        elif ch in "{}":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def _prepared(words: Sequence[Timed]) -> list[Cue]:
    """Clean, valid, time-ordered cues; words without text or with a negative span are dropped."""
    cues = []
    for w in words:
        text = clean_text(w.text)
        start, end = float(w.start), float(w.end)
        if text and math.isfinite(start) and math.isfinite(end) and 0 <= start <= end:
            cues.append(Cue(text, start, end))
    cues.sort(key=lambda c: (c.start, c.end))
    return cues


def _ends_phrase(text: str) -> bool:
    stripped = text.rstrip(_TRAILING_CLOSERS)
    return bool(stripped) and stripped[-1] in _PHRASE_END


def group_phrases(
    words: Sequence[Timed], max_words: int = 4, max_chars: int = 24, max_gap: float = 0.6
) -> list[list[Cue]]:
    """Group words into readable on-screen phrases.

    A phrase ends after a word with clause punctuation, before a pause longer than `max_gap`,
    and before it would exceed `max_words` words or `max_chars` characters (a single longer
    word still forms a phrase of its own).
    """
    phrases: list[list[Cue]] = []
    current: list[Cue] = []
    chars = 0
    for word in _prepared(words):
        if current and (
            len(current) >= max_words
            or chars + 1 + len(word.text) > max_chars
            or word.start - current[-1].end > max_gap
        ):
            phrases.append(current)
            current, chars = [], 0
        chars += len(word.text) + (1 if current else 0)
        current.append(word)
        if _ends_phrase(word.text):
            phrases.append(current)
            current, chars = [], 0
    if current:
        phrases.append(current)
    return phrases


def phrase_cues(
    words: Sequence[Timed], max_words: int = 4, max_chars: int = 24, max_gap: float = 0.6
) -> list[Cue]:
    """One cue per phrase, its end clipped to the next phrase's start so cues never overlap."""
    phrases = group_phrases(words, max_words, max_chars, max_gap)
    cues = [Cue(" ".join(w.text for w in p), p[0].start, max(w.end for w in p)) for p in phrases]
    clipped = [Cue(c.text, c.start, min(c.end, nxt.start)) for c, nxt in pairwise(cues)]
    return clipped + cues[-1:]


def _milliseconds(seconds: float) -> int:
    return math.floor(seconds * 1000 + 0.5)


def _timestamp(ms: int, separator: str) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{separator}{ms:03d}"


def _timed_blocks(words: Sequence[Timed], separator: str) -> list[tuple[str, str]]:
    """(timing line, cue) pairs; cues that round to zero length are left out."""
    blocks = []
    for cue in phrase_cues(words):
        start, end = _milliseconds(cue.start), _milliseconds(cue.end)
        if end > start:
            timing = f"{_timestamp(start, separator)} --> {_timestamp(end, separator)}"
            blocks.append((timing, cue.text))
    return blocks


def to_srt(words: Sequence[Timed]) -> str:
    """SubRip phrase captions (HH:MM:SS,mmm)."""
    out = []
    for i, (timing, text) in enumerate(_timed_blocks(words, ","), start=1):
        # SRT has no escaping; break up an arrow so no parser mistakes the text for timing.
        safe = text.replace("-->", "--\u2060>")
        out.append(f"{i}\n{timing}\n{safe}\n")
    return "\n".join(out)


def to_vtt(words: Sequence[Timed]) -> str:
    """WebVTT phrase captions (HH:MM:SS.mmm), with & < > escaped as the format requires."""
    out = ["WEBVTT\n"]
    for timing, text in _timed_blocks(words, "."):
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out.append(f"{timing}\n{escaped}\n")
    return "\n".join(out)


def to_ass(
    words: Sequence[Timed],
    *,
    width: int,
    height: int,
    style: CaptionStyle = "karaoke",
    font: str = "DejaVu Sans",
) -> str:
    """An ASS script sized for a `width`x`height` frame (see `captions_ass` for the styles)."""
    # Imported here because captions_ass builds on this module's Cue and escaping.
    from reelforge.lib.captions_ass import ass_script

    return ass_script(group_phrases(words), width=width, height=height, style=style, font=font)
