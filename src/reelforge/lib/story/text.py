"""Text clean-up helpers: untrusted niche text, title casing, hashtags."""

from __future__ import annotations

import re
import unicodedata

from reelforge.lib.story.grammar import cap_first
from reelforge.lib.story.styles import TITLE_SMALL_WORDS

NICHE_MAX_CHARS = 60
HASHTAG_MAX_CHARS = 30
# Reading more than this of an untrusted string is wasted work: it is capped far lower.
_SCAN_LIMIT = 2000
_KEEP_PUNCT = frozenset(" -'&")


def _is_word_char(ch: str) -> bool:
    # Letters, combining marks and digits of any script; marks matter for Indic scripts.
    return unicodedata.category(ch)[0] in "LMN"


def clean_niche(niche: object, limit: int = NICHE_MAX_CHARS) -> str:
    """Reduce free text to words, spaces and a little punctuation, at most ``limit`` chars.

    Everything else (control characters, braces, backslashes, quotes, markup, emoji) becomes
    a space, so the result is safe inside descriptions, YAML, JSON and subtitle files.
    """
    raw = str(niche)[:_SCAN_LIMIT]
    kept = "".join(ch if (_is_word_char(ch) or ch in _KEEP_PUNCT) else " " for ch in raw)
    text = " ".join(kept.split()).strip(" -'&")
    if len(text) > limit:
        cut = text[:limit]
        # Prefer ending on a whole word, unless that would throw most of it away.
        if " " in cut[limit // 2 :]:
            cut = cut[: cut.rfind(" ")]
        text = cut.strip(" -'&")
    return text


def hashtag(text: str, limit: int = HASHTAG_MAX_CHARS) -> str | None:
    """``#`` plus the word characters of ``text``, lower-cased; ``None`` if too short."""
    body = "".join(ch for ch in text.lower() if _is_word_char(ch))[:limit]
    return f"#{body}" if len(body) >= 2 else None


def title_case(text: str) -> str:
    """Headline case that leaves acronyms (DNA) and small joining words alone."""
    words = text.split()
    out: list[str] = []
    for i, word in enumerate(words):
        after_colon = i > 0 and out[-1].endswith(":")
        if i > 0 and not after_colon and word.lower() in TITLE_SMALL_WORDS:
            out.append(word.lower())
        else:
            out.append(cap_first(word))
    return " ".join(out)


_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")


def sentence_count(text: str) -> int:
    """Rough sentence count (used by tests and to keep scenes at 1-3 sentences)."""
    return len(_SENTENCE_END.findall(text.strip()))
