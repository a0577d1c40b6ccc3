"""Value types passed between the stages of an episode.

They are pydantic models so that every stage boundary is validated and every record can be
stored as JSON (the Dagster IO manager writes them; tests build them by hand).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Motion = Literal["none", "zoom_in", "zoom_out", "pan_left", "pan_right"]
CaptionStyle = Literal["karaoke", "pop", "phrase"]


class Record(BaseModel):
    """Base for every stored record: unknown fields are an error, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Plan(Record):
    """Generation parameters of one episode (what the policy chooses)."""

    channel: str
    date: str
    genre: str
    hook_style: str
    voice: str
    speaking_rate_wpm: int = Field(ge=80, le=450)
    music_mood: str
    target_seconds: int = Field(ge=15, le=180)
    caption_style: CaptionStyle
    posting_hour: int = Field(ge=0, le=23)
    language: str
    experiment_id: str
    seed: int
    # From the learning policy (absent in channel-default plans and in older records).
    arm_id: str | None = None
    predicted_value: float | None = None  # views per dollar, posterior median
    predicted_sd: float | None = None
    explore: bool = False
    overrides_applied: tuple[str, ...] = ()


class Scene(Record):
    narration: str
    visual_prompt: str
    motion: Motion


class Story(Record):
    title: str
    hook: str
    scenes: list[Scene] = Field(min_length=4, max_length=8)
    description: str
    hashtags: list[str]
    genre: str
    seed: int

    @property
    def narration_texts(self) -> list[str]:
        """What is spoken, in order: the hook (over the title card), then every scene."""
        return [self.hook, *(s.narration for s in self.scenes)]

    @property
    def word_count(self) -> int:
        return sum(len(t.split()) for t in self.narration_texts)


class Word(Record):
    """One spoken word, in seconds from the start of the narration."""

    text: str
    start: float = Field(ge=0)
    end: float = Field(gt=0)
    segment: int = Field(ge=0, description="index into Story.narration_texts")


class Span(Record):
    start: float = Field(ge=0)
    end: float = Field(gt=0)


class NarrationRecord(Record):
    audio_key: str
    duration: float
    segments: list[Span]
    words: list[Word]
    voice: str
    integrated_lufs: float


class ImagesRecord(Record):
    width: int
    height: int
    title_card_key: str
    scene_keys: list[str]


class ClipsRecord(Record):
    """Motion clips of the story scenes (the title card stays a still), in scene order.

    `clip_keys[i]` is the media key of scene i's MP4, or None where the scene keeps its still
    (no provider could make a clip); `providers[i]` names who made it. Both are empty when
    the channel has motion clips switched off.
    """

    enabled: bool = False
    width: int = 0
    height: int = 0
    clip_keys: list[str | None] = Field(default_factory=list)
    providers: list[str | None] = Field(default_factory=list)

    def clip_for(self, scene: int) -> str | None:
        """Media key of the clip of story scene `scene` (0-based), if it has one."""
        return self.clip_keys[scene] if 0 <= scene < len(self.clip_keys) else None


class MusicRecord(Record):
    audio_key: str
    duration: float
    mood: str
    bpm: int
    key: str
    licence: dict[str, str]


class CaptionsRecord(Record):
    srt_key: str
    vtt_key: str
    ass_key: str
    cue_count: int
    style: CaptionStyle


class VideoRecord(Record):
    aspect: str
    video_key: str
    manifest_key: str
    thumbnail_landscape_key: str  # 1280x720 JPEG, title over a frame (YouTube-style)
    thumbnail_portrait_key: str  # 1080x1920 JPEG cover (Shorts, Reels, TikTok)
    width: int
    height: int
    fps: float
    duration: float
    size_bytes: int


class VideosRecord(Record):
    videos: list[VideoRecord]


class PostRecord(Record):
    platform: str
    account: str
    aspect: str
    post_id: str
    url: str
    state: str
    content_hash: str
    newly_published: bool
    # Deferred or processing posts: when the deferred_uploads sensor looks again, and why.
    not_before: str | None = None
    reason: str = ""


class UploadsRecord(Record):
    posts: list[PostRecord]
