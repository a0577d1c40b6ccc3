"""Fake OpenAI moderation: ``POST /openai/v1/moderations`` (omni-moderation's answer shape).

A text is flagged when it contains a trigger word of a category; images are flagged only
when asked. Options (``/_admin/faults``)::

    {"options": {"moderation.triggers": {"violence": ["explode"]},
                 "moderation.flag_images": true}}
"""

from __future__ import annotations

import itertools
from typing import Any

from reelforge.fakes.server import FakeServer, Request, Response, Router

CATEGORIES = (
    "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit",
    "illicit/violent", "self-harm", "self-harm/intent", "self-harm/instructions", "sexual",
    "sexual/minors", "violence", "violence/graphic",
)  # fmt: skip
TRIGGERS = {
    "violence": ["kill", "bomb", "massacre"],
    "hate": ["subhuman"],
    "harassment": ["idiot", "loser"],
    "self-harm": ["suicide"],
    "sexual": ["explicit sex"],
    "illicit": ["cocaine", "counterfeit"],
}
_ids = itertools.count(1)


def _result(texts: list[str], images: int, server: FakeServer) -> dict[str, Any]:
    triggers = server.faults.options.get("moderation.triggers") or TRIGGERS
    low = " ".join(texts).lower()
    hits = {c for c, words in triggers.items() if any(w.lower() in low for w in words)}
    if images and server.faults.options.get("moderation.flag_images"):
        hits.add("sexual")
    scores = {c: (0.97 if c in hits else 0.0012) for c in CATEGORIES}
    applied = {c: (["text"] if texts else []) + (["image"] if images else []) for c in CATEGORIES}
    return {
        "flagged": bool(hits),
        "categories": {c: c in hits for c in CATEGORIES},
        "category_scores": scores,
        "category_applied_input_types": applied,
    }


def register(router: Router, server: FakeServer) -> None:
    def moderations(req: Request) -> Response:
        if not req.headers.get("authorization", "").startswith("Bearer "):
            return Response.of_json({"error": {"message": "invalid api key"}}, 401)
        body = req.json() or {}
        given = body.get("input")
        if isinstance(given, str):
            results = [_result([given], 0, server)]
        elif isinstance(given, list) and all(isinstance(x, str) for x in given):
            results = [_result([x], 0, server) for x in given]  # one result per string
        elif isinstance(given, list) and all(isinstance(x, dict) for x in given):
            texts = [str(x.get("text", "")) for x in given if x.get("type") == "text"]
            images = [x for x in given if x.get("type") == "image_url"]
            if len(images) > 1 or any(
                not str((x.get("image_url") or {}).get("url", "")).startswith(("data:", "http"))
                for x in images
            ):
                return Response.of_json({"error": {"message": "at most one image_url"}}, 400)
            results = [_result(texts, len(images), server)]
        else:
            return Response.of_json({"error": {"message": "input is required"}}, 400)
        return Response.of_json(
            {"id": f"modr-{next(_ids)}", "model": body.get("model"), "results": results}
        )

    # Moderation is free at OpenAI: not billable, nothing to compare with the ledger.
    router.add("openai.moderation", "POST", "/openai/v1/moderations", moderations)
