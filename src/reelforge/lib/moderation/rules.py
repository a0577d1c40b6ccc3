"""Text rules: a channel's banned topics, personal data, and claims platforms forbid.

Rules are deterministic and explainable: a reason names the rule and, for topics and
claims, the phrase from *our* lists that matched; personal data is reported by kind and
count only, so a verdict can be logged or queued for review without spreading it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from reelforge.lib.moderation.verdict import ModerationVerdict

# (rule, label, pattern): labels are what a reviewer sees; patterns are case-insensitive.
CLAIMS: tuple[tuple[str, str, str], ...] = (
    ("claims.medical", "guaranteed cure",
     r"guarantee[sd]? (?:to )?cure|guaranteed (?:cure|healing)"),
    ("claims.medical", "miracle cure", r"miracle (?:cure|pill|drug|remedy)"),
    ("claims.medical", "cures a serious disease",
     r"cures? (?:cancer|diabetes|autism|covid|hiv|aids|alzheimer'?s|dementia)"),
    ("claims.medical", "doctors hate this", r"doctors (?:hate|don'?t want you to know)"),
    ("claims.medical", "rapid weight loss",
     r"(?:lose|melt|drop) \d+ ?(?:pounds|lbs|kg|kilos) in \d+ (?:days?|weeks?)"),
    ("claims.financial", "get rich quick", r"get[- ]rich[- ]quick"),
    ("claims.financial", "guaranteed returns",
     r"guaranteed (?:returns?|profits?|income|gains?)"
     r"|risk[- ]free (?:investment|returns?|profits?)"),
    ("claims.financial", "double your money", r"double your (?:money|investment|savings|crypto)"),
    ("claims.financial", "passive income promise",
     r"(?:make|earn) \$?\d[\d,]* (?:a|per|every) (?:day|week|hour)"),
    ("platform.misleading", "suppressed-truth framing",
     r"(?:they|the government|scientists) (?:don'?t|doesn'?t) want you to know"),
)  # fmt: skip

_PII: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("pii.email", re.compile(r"[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")),
    ("pii.phone", re.compile(  # international (+CC ...) or North American 3-3-4 layouts
        r"(?<![\w+])\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,5}(?!\d)"
        r"|(?<!\d)(?:\(\d{3}\)\s?|\d{3}[-.\s])\d{3}[-.\s]\d{4}(?!\d)")),
    ("pii.national_id", re.compile(  # US SSN layout, without the never-issued ranges
        r"(?<!\d)(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?!\d)")),
    ("pii.address", re.compile(
        r"\b\d{1,5}[A-Za-z]?\s+(?:[A-Z][a-z]+\.?\s+){1,3}"
        r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl"
        r"|Terrace|Parkway|Pkwy|Highway|Hwy|Square|Sq)\b")),
)  # fmt: skip
_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
_COMPILED = tuple((rule, label, re.compile(p, re.IGNORECASE)) for rule, label, p in CLAIMS)


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum every payment card number satisfies."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _topic_pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in phrase.lower().split()]
    # Whole words, any spacing, an optional plural: "crypto scam" also finds "Crypto  scams".
    body = r"\s+".join(words)
    return re.compile(rf"(?<!\w){body}(?:s|es)?(?!\w)", re.IGNORECASE)


def pii_kinds(text: str) -> dict[str, int]:
    """How many of each kind of personal data `text` holds (kinds with none are left out)."""
    found = {name: len(p.findall(text)) for name, p in _PII}
    cards = [m for m in _CARD.findall(text) if luhn_ok(re.sub(r"\D", "", m))]
    found["pii.card"] = len(cards)
    if cards:  # a card number is not also a phone number
        found["pii.phone"] = max(0, found["pii.phone"] - len(cards))
    return {k: v for k, v in found.items() if v}


def check_text(text: str, banned_topics: Iterable[str] = ()) -> ModerationVerdict:
    """Every rule against `text`: banned topics, personal data, forbidden claims."""
    reasons: list[str] = []
    scores: dict[str, float] = {}
    for phrase in (p.strip() for p in banned_topics):
        if phrase and _topic_pattern(phrase).search(text):
            reasons.append(f"banned_topic: {phrase}")
            scores["banned_topic"] = 1.0
    for kind, count in pii_kinds(text).items():
        reasons.append(f"{kind}: {count} found")
        scores[kind] = 1.0
    for rule, label, pattern in _COMPILED:
        if pattern.search(text):
            reasons.append(f"{rule}: {label}")
            scores[rule] = 1.0
    return ModerationVerdict(bool(reasons), reasons, scores, "rules")
