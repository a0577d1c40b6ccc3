"""Provenance: every generated piece of an episode says who made it, how, when, under what terms.

A piece's provenance is its ledger row (provider, model, request hash — the hash of the full
request, prompt included — and timestamp) plus the licence terms of its provider; music adds
its own licence record. An upload is refused while any required piece lacks it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# Terms under which each provider's output may be published (shown with the evidence).
PROVIDER_TERMS: dict[str, str] = {
    "local-template": "generated locally by reelforge; no third-party rights",
    "espeak-ng": "generated locally by espeak-ng (GPL-3.0 program; output unrestricted)",
    "piper": "Piper voice joe-us (CC0 dataset); output unrestricted",
    "pillow-artist": "drawn locally by reelforge; no third-party rights",
    "local-kenburns": "rendered locally from our own stills",
    "numpy-synth": "synthesised locally by reelforge; CC0",
    "library": "licensed track: see the music licence record",
    "openai": "OpenAI terms of use: output assigned to the customer",
    "anthropic": "Anthropic commercial terms: output owned by the customer",
    "mistral": "Mistral terms: output owned by the customer",
    "elevenlabs": "ElevenLabs terms: commercial use on paid plans",
    "stability": "Stability AI licence: commercial use per the customer's plan",
    "fal": "fal.ai terms: per the model's licence",
    "veo": "Google Gemini API terms: output owned by the customer",
    "sora": "OpenAI terms of use: output assigned to the customer",
}
REQUIRED_FIELDS = ("provider", "model", "request_hash", "created_at")


def terms_for(provider: str) -> str | None:
    if provider in PROVIDER_TERMS:
        return PROVIDER_TERMS[provider]
    base = provider.split(":")[0].split("/")[0]
    return PROVIDER_TERMS.get(base)


def missing_provenance(
    calls: Iterable[Mapping[str, Any]],
    stages: Iterable[str],
    music_licence: Mapping[str, str] | None,
) -> list[str]:
    """Why the episode may not be published (empty: every piece has its provenance)."""
    by_stage: dict[str, list[Mapping[str, Any]]] = {}
    for call in calls:
        by_stage.setdefault(str(call.get("stage")), []).append(call)
    problems = []
    for stage in stages:
        rows = by_stage.get(stage, [])
        if not rows:
            problems.append(f"{stage}: no provenance recorded (no ledger row for this stage)")
            continue
        for row in rows:
            empty = [f for f in REQUIRED_FIELDS if not row.get(f)]
            if empty:
                problems.append(f"{stage}: provenance lacks {', '.join(empty)}")
            elif terms_for(str(row["provider"])) is None:
                problems.append(f"{stage}: no licence terms known for provider {row['provider']}")
    if "music" in stages and not (music_licence or {}).get("licence"):
        problems.append("music: no licence record")
    return problems
