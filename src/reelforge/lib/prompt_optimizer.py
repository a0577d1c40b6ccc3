"""Turn a scene's plain visual idea into a shot-aware prompt for image and clip models.

Story writers describe *what* is seen ("a red desert under two moons"); image and video
models do better when told *how* it is shot: framing, camera movement, light, mood and a
composition that survives the platform's overlays. Everything here is deterministic in its
arguments, so the same scene always asks a model the same thing (and hashes the same in
the ledger, so a re-run reuses the paid answer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reelforge.lib.art.palettes import COLOR_WORDS, TIME_WORDS
from reelforge.lib.prompts import clean_user_text

MAX_IDEA_CHARS = 400

# Words that ask for a tight shot or for a wide one; checked before the scene-index rule.
_CLOSE_WORDS = frozenset(
    ("face", "faces", "eye", "eyes", "hand", "hands", "finger", "fingers", "detail", "details",
     "texture", "macro", "close", "closeup", "coin", "coins", "insect", "insects", "flower",
     "petal", "seed", "crystal", "gem", "jewel", "tiny", "microscopic", "cell", "cells", "atom",
     "atoms")
)  # fmt: skip
_WIDE_WORDS = frozenset(
    ("landscape", "landscapes", "city", "skyline", "galaxy", "galaxies", "universe", "ocean",
     "sea", "mountain", "mountains", "horizon", "forest", "desert", "aerial", "panorama",
     "valley", "canyon", "nebula", "battlefield", "empire", "continent", "earth", "sky",
     "clouds", "storm", "kingdom", "fleet", "army", "crowd")
)  # fmt: skip

FRAMING = {
    "wide": "Wide establishing shot",
    "medium": "Medium shot",
    "close": "Close-up shot",
}

CAMERA = {
    "zoom_in": "slow push-in toward the subject",
    "zoom_out": "slow pull-back revealing the surroundings",
    "pan_left": "smooth lateral tracking shot moving left",
    "pan_right": "smooth lateral tracking shot moving right",
    "none": "locked-off static camera",
}

# (light, mood) per genre; unknown genres get a neutral look rather than an error.
_GENRE_LOOK = {
    "space": ("cold starlight with a soft rim light", "awe-inspiring, vast and quiet"),
    "history": ("warm low-key candlelight with deep shadows", "timeless, dramatic"),
    "nature": ("soft natural golden-hour light", "serene, vivid and alive"),
    "mystery": ("moody low-key light with haze and hard shadows", "eerie, suspenseful"),
    "science": ("clean bright studio light", "precise, curious and modern"),
    "motivation": ("warm sunrise backlight with lens glow", "uplifting, hopeful"),
}
_NEUTRAL_LOOK = ("balanced cinematic light", "engaging")

# The time of day named in the idea overrides the genre's light (a "sunset" is a sunset).
_TIME_LIGHT = {
    "night": "night-time darkness lit by a few strong sources",
    "dusk": "warm low sunset light",
    "dawn": "soft pastel dawn light",
    "day": "bright daylight",
}

COMPOSITION = {
    "9:16": (
        "vertical 9:16 frame, subject centred with headroom above, "
        "lower third kept clean and uncluttered for captions"
    ),
    "16:9": (
        "horizontal 16:9 frame, rule-of-thirds composition, "
        "lower third kept clean and uncluttered for captions"
    ),
    "1:1": "square 1:1 frame, subject centred, lower third kept clean for captions",
}

STYLE = "cinematic, highly detailed, sharp focus, photorealistic"

NEGATIVE = (
    "text, letters, words, captions, subtitles, typography, watermark, signature, logo, "
    "brand names, user interface, frame border, split screen, collage, blurry, low quality, "
    "jpeg artifacts, distorted anatomy, extra limbs"
)


@dataclass(frozen=True)
class ShotPrompt:
    """What a model is asked: the positive prompt, what to avoid, and the camera move."""

    prompt: str
    negative: str
    camera: str


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def framing(idea: str, index: int) -> str:
    """wide | medium | close: keywords first, else a wide opener, then alternating shots.

    Alternating medium and close shots after the opener is the editor's rhythm; it keeps a
    sequence of stills from looking like the same picture over and over.
    """
    words = set(_words(idea))
    if words & _CLOSE_WORDS:
        return "close"
    if words & _WIDE_WORDS:
        return "wide"
    if index <= 0:
        return "wide"
    return "medium" if index % 2 else "close"


def _colours(idea: str) -> list[str]:
    seen: list[str] = []
    for word in _words(idea):
        if word in COLOR_WORDS and word not in seen:
            seen.append(word)
    return seen[:3]


def _light(idea: str, genre: str) -> tuple[str, str]:
    light, mood = _GENRE_LOOK.get(genre, _NEUTRAL_LOOK)
    words = set(_words(idea))
    for time, keys in TIME_WORDS.items():
        if words & set(keys):
            return _TIME_LIGHT[time], mood
    return light, mood


def optimize(prompt: str, *, motion: str, genre: str, aspect: str, index: int) -> ShotPrompt:
    """A shot-aware prompt for scene `index` (0 = first scene) of an episode.

    `prompt` is untrusted (a model or an operator wrote it): it is cleaned and bounded
    before it is quoted. Unknown motions get a static camera, unknown aspects the
    vertical composition (the platforms' default), an empty idea a generic genre scene.
    """
    idea = clean_user_text(prompt, MAX_IDEA_CHARS).rstrip(" .")
    # An empty idea (a model skipped it) still deserves a picture, not a failed episode.
    idea = idea or f"an evocative {clean_user_text(genre, 40) or 'abstract'} scene"
    shot = framing(idea, index)
    camera = CAMERA.get(motion, CAMERA["none"])
    light, mood = _light(idea, genre)
    colours = _colours(idea)
    parts = [
        f"{FRAMING[shot]} of {idea}",
        f"Camera: {camera}",
        f"Lighting: {light}; mood: {mood}",
    ]
    if colours:
        parts.append(f"Colour palette led by {', '.join(colours)}")
    parts += [f"Composition: {COMPOSITION.get(aspect, COMPOSITION['9:16'])}", STYLE]
    return ShotPrompt(prompt=". ".join(parts) + ".", negative=NEGATIVE, camera=camera)


def with_negative(shot: ShotPrompt) -> str:
    """The prompt for models without a negative-prompt field (OpenAI Images, FLUX)."""
    return f"{shot.prompt} No text, no watermarks, no logos."
