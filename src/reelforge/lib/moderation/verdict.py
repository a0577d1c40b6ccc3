"""What every moderation provider answers: flagged or not, why, and the scores behind it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


class ModerationUnavailableError(RuntimeError):
    """A local moderation model is not installed (the message says which package)."""


@dataclass(frozen=True)
class ModerationVerdict:
    """`reasons` name rules and categories, never the offending text (it may hold PII).

    `scores` are in [0, 1] per category or rule (1.0 for a rule that matched).
    """

    flagged: bool
    reasons: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    provider: str = "local"

    def to_dict(self) -> dict[str, Any]:
        return {"flagged": self.flagged, "reasons": list(self.reasons),
                "scores": dict(self.scores), "provider": self.provider}  # fmt: skip


def merge(verdicts: Iterable[ModerationVerdict], provider: str | None = None) -> ModerationVerdict:
    """One verdict from several: flagged if any is, reasons in order, the highest score each."""
    items = list(verdicts)
    reasons: list[str] = []
    scores: dict[str, float] = {}
    for v in items:
        reasons += [r for r in v.reasons if r not in reasons]
        for name, score in v.scores.items():
            scores[name] = max(score, scores.get(name, 0.0))
    name = provider or "+".join(dict.fromkeys(v.provider for v in items)) or "none"
    return ModerationVerdict(any(v.flagged for v in items), reasons, scores, name)
