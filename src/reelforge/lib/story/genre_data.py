"""Shapes of the per-genre template tables (the tables themselves live in ``genres/``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Beat:
    """One scene's worth of material.

    ``lead`` is always spoken; ``more`` sentences are added only when the word budget
    allows, which is how one table serves both 80- and 200-word scripts.
    """

    subject: str  # mid-sentence noun phrase, e.g. "Saturn's rings"
    lead: str
    more: tuple[str, ...]
    visual: str  # concrete drawing instructions for the artist; may contain slots


@dataclass(frozen=True)
class GenreData:
    key: str
    # Hook "cores": clauses that read well both after "that" and as a whole sentence.
    cores: tuple[str, ...]
    beats: tuple[Beat, ...]
    # Slot values: topic, adj, color, count, setting, fact, facts, extra, closer, title ...
    lexicon: Mapping[str, tuple[str, ...]]
    hashtags: tuple[str, ...]
    # Tags every story of this genre carries, before the random ones.
    core_hashtags: tuple[str, ...] = field(default=())
