"""Turn a language model's answer into a valid Story, repairing only mechanical faults.

Repaired: code fences and chatter around the JSON object, hashtags without '#', spaces in
hashtags, unknown camera moves, more than 8 scenes (extra ones dropped). Not repaired
(the model is asked again): no JSON object, missing fields, fewer than 4 scenes, a script
outside 80-200 spoken words.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from reelforge.lib.models import Scene, Story

MOTIONS = ("zoom_in", "zoom_out", "pan_left", "pan_right")
MIN_WORDS, MAX_WORDS = 80, 200
# Longest text accepted per field. A model's answer is untrusted: a 100k-char "word" would
# count as one spoken word, then stall speech synthesis, captions and image prompts.
MAX_CHARS = {"hook": 500, "narration": 1500, "visual_prompt": 1000, "description": 5000}
HASHTAG_MAX_CHARS = 30


class StoryProblemError(ValueError):
    """Why an answer is not a usable story (sent back to the model, so it is specific)."""


def _json_object(text: str) -> dict[str, Any]:
    text = re.sub(r"^```(?:json)?\s*|\s*```$", "", text.strip(), flags=re.IGNORECASE)
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        raise StoryProblemError("the answer holds no JSON object")
    try:
        data = json.loads(text[start : end + 1])
    except json.JSONDecodeError as exc:
        raise StoryProblemError(f"the JSON does not parse ({exc.msg} at char {exc.pos})") from None
    if not isinstance(data, dict):
        raise StoryProblemError("the JSON is not an object")
    return data


def _hashtag(tag: Any) -> str | None:
    word = re.sub(r"[^\w]", "", str(tag)[:200], flags=re.UNICODE)[:HASHTAG_MAX_CHARS]
    return f"#{word}" if word else None


def _text(value: Any, field: str, limit: int | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise StoryProblemError(f"'{field}' must be a non-empty string")
    text = " ".join(value.split())
    if limit is not None and len(text) > limit:
        raise StoryProblemError(f"'{field}' is too long ({len(text)} chars; at most {limit})")
    return text


def parse_story(answer: str, *, genre: str, seed: int) -> Story:
    data = _json_object(answer)
    raw_scenes = data.get("scenes")
    if not isinstance(raw_scenes, list) or len(raw_scenes) < 4:
        raise StoryProblemError("'scenes' must be a list of 4 to 8 scenes")
    scenes = []
    for i, raw in enumerate(raw_scenes[:8]):
        if not isinstance(raw, dict):
            raise StoryProblemError(f"scene {i + 1} is not an object")
        motion = raw.get("motion") if raw.get("motion") in MOTIONS else MOTIONS[i % len(MOTIONS)]
        scenes.append(
            Scene(
                narration=_text(
                    raw.get("narration"), f"scenes[{i}].narration", MAX_CHARS["narration"]
                ),
                visual_prompt=_text(
                    raw.get("visual_prompt"),
                    f"scenes[{i}].visual_prompt",
                    MAX_CHARS["visual_prompt"],
                ),
                motion=motion,
            )
        )
    raw_tags = data.get("hashtags")
    # Anything but a list of tags (a number, one string) is as good as none: "#shorts" below.
    raw_tags = raw_tags[:50] if isinstance(raw_tags, list) else []
    tags = [t for t in (_hashtag(x) for x in raw_tags) if t][:8]
    try:
        story = Story(
            title=_text(data.get("title"), "title")[:100],
            hook=_text(data.get("hook"), "hook", MAX_CHARS["hook"]),
            scenes=scenes,
            description=_text(data.get("description"), "description", MAX_CHARS["description"]),
            hashtags=tags or ["#shorts"],
            genre=genre,
            seed=seed,
        )
    except ValidationError as exc:
        raise StoryProblemError(f"invalid story: {exc.errors()[0]['msg']}") from None
    if not MIN_WORDS <= story.word_count <= MAX_WORDS:
        raise StoryProblemError(
            f"the spoken script has {story.word_count} words; it must have {MIN_WORDS}-{MAX_WORDS}"
        )
    return story
