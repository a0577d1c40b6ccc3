"""Episodes ready to publish, without rendering them: real records, real (tiny) media.

The publishing tests exercise uploads, engagement and the warehouse many times over; a real
render per episode would cost seconds each, so the records upstream of `uploads` are written
the way the IO manager stores them, pointing at a one-second MP4 made by ffmpeg and real
JPEG thumbnails and SRT captions in the media store.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
from pathlib import Path
from typing import Any

import dagster as dg
from PIL import Image

from reelforge.definitions import defs
from reelforge.defs.resources.bindings import build_resources
from reelforge.defs.resources.clock import Clock
from reelforge.defs.resources.publishing import OutboxPlatform, Publishers

__all__ = ["OutboxPlatform", "Publishers"]
from reelforge.lib.ledger import Ledger, ProviderCall, request_hash
from reelforge.lib.media import MediaStore
from reelforge.lib.models import (
    CaptionsRecord,
    MusicRecord,
    Scene,
    Story,
    VideoRecord,
    VideosRecord,
)
from reelforge.lib.plan import default_plan
from reelforge.lib.platforms.base import PostRequest, QuotaExceeded, TransientPlatformError
from reelforge.partitions import current_config, episode_key
from reelforge.settings import Settings, load_settings

# Every asset of the code location (the unselected ones are loaded by the IO manager).
ASSETS = [a for a in defs().assets or [] if isinstance(a, dg.AssetsDefinition)]
PUBLISH = ["uploads", "engagement", "episode_warehouse"]
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


def home(tmp: Path) -> Settings:
    return load_settings({"REELFORGE_HOME": str(tmp)})


def _write_record(settings: Settings, asset: str, date: str, channel: str, data: Any) -> None:
    path = settings.records_root / asset / date / f"{channel}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


def _tiny_mp4(path: Path, index: int) -> None:
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y",
         "-f", "lavfi", "-i", f"color=c=0x{(index * 40) % 256:02x}3060:s=90x160:r=10:d=1",
         "-f", "lavfi", "-i", f"sine=frequency={300 + 50 * index}:duration=1",
         "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", str(path)],
        check=True,
    )  # fmt: skip


def seed_episode(settings: Settings, date: str, channel: str, index: int = 0) -> VideosRecord:
    """Write generation_plan, story, captions and videos records of one slot."""
    store = MediaStore(settings.media_root)
    c = current_config().channel(channel)
    d = c.defaults
    plan = default_plan(
        channel=channel, date=date, genre=c.genre, hook_style=d.hook_style, voice=c.voice,
        speaking_rate_wpm=c.speaking_rate_wpm, music_mood=d.music_mood,
        target_seconds=d.target_seconds, caption_style=d.caption_style,
        posting_hour=c.posting_hour, language=c.language,
    )  # fmt: skip
    scenes = [Scene(narration=f"Scene {i} of {date}.", visual_prompt="stars", motion="none")
              for i in range(4)]  # fmt: skip
    tale = Story(
        title=f"Episode {date} of {channel}", hook="Did you know?", scenes=scenes,
        description="A short fact.", hashtags=["#facts", "#shorts"], genre=c.genre,
        seed=plan.seed,
    )  # fmt: skip
    srt = "1\n00:00:00,000 --> 00:00:01,000\nDid you know?\n"
    caps = CaptionsRecord(
        srt_key=store.put_text(srt, ".srt"), vtt_key=store.put_text("WEBVTT\n", ".vtt"),
        ass_key=store.put_text("[Script Info]\n", ".ass"), cue_count=1, style="karaoke",
    )  # fmt: skip
    scratch = settings.home / "scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    mp4 = scratch / f"{channel}-{date}-{index}.mp4"
    _tiny_mp4(mp4, index)
    thumbs = {}
    for name, size in (("landscape", (128, 72)), ("portrait", (72, 128))):
        jpg = scratch / f"{channel}-{date}-{name}.jpg"
        Image.new("RGB", size, (index * 30 % 256, 40, 90)).save(jpg, "JPEG")
        thumbs[name] = store.put_file(jpg, ".jpg")
    video = VideoRecord(
        aspect="9:16", video_key=store.put_file(mp4, ".mp4"),
        manifest_key=store.put_text("{}", ".json"),
        thumbnail_landscape_key=thumbs["landscape"], thumbnail_portrait_key=thumbs["portrait"],
        width=90, height=160, fps=10.0, duration=1.0, size_bytes=mp4.stat().st_size,
    )  # fmt: skip
    record = VideosRecord(videos=[video])
    music = MusicRecord(
        audio_key=store.put_bytes(b"RIFF", ".wav"), duration=1.0, mood=d.music_mood, bpm=90,
        key="C", licence={"licence": "CC0", "composer": "numpy-synth"},
    )  # fmt: skip
    for asset, value in (("generation_plan", plan), ("story", tale), ("captions", caps),
                         ("videos", record), ("music", music)):  # fmt: skip
        _write_record(settings, asset, date, channel, value.model_dump(mode="json"))
    record_provenance(settings, f"{channel}-{date}")
    return record


PROVIDERS = {"story": "local-template", "narration": "espeak-ng",
             "scene_images": "pillow-artist", "music": "numpy-synth"}  # fmt: skip


def record_provenance(settings: Settings, episode: str) -> None:
    """The ledger rows the generating stages would have booked (the upload checks them)."""
    book = Ledger(settings.ledger_url)
    for stage, provider in PROVIDERS.items():
        book.record_call(ProviderCall(
            request_hash=request_hash(stage, episode), episode_id=episode, stage=stage,
            provider=provider, model="v1", unit="items", units=1,
        ))  # fmt: skip


def resources(
    settings: Settings,
    now: dt.datetime,
    *,
    outbox: OutboxPlatform | None = None,
    platforms_path: Path | None = None,
    **publisher_fields: Any,
) -> dict[str, Any]:
    """The deployment's resources for `settings`, with a fixed clock and publisher overrides."""
    out = build_resources(settings)
    fields: dict[str, Any] = {
        "outbox": outbox or OutboxPlatform(root=str(settings.outbox_root)),
        "lease_wait_s": 5.0,
        "poll_interval_s": 0.01,
        **publisher_fields,
    }
    if platforms_path is not None:
        fields["platforms_path"] = str(platforms_path)
    out["publishers"] = Publishers(**fields)
    out["clock"] = Clock.at(now)
    return out


def publish(
    resources: dict[str, Any],
    date: str,
    channel: str,
    *,
    selection: list[str] | None = None,
    instance: dg.DagsterInstance | None = None,
    run_config: dict | None = None,
) -> dg.ExecuteInProcessResult:
    """Materialize uploads → engagement → episode_warehouse of one slot (upstream loaded)."""
    return dg.materialize(
        ASSETS,
        selection=selection or PUBLISH,
        partition_key=episode_key(date, channel),
        resources=resources,
        instance=instance or dg.DagsterInstance.ephemeral(),
        run_config={**QUIET, **(run_config or {})},
        raise_on_error=False,
    )


class FaultyClient:
    """The outbox client with injected faults, drawn from a seeded generator per call.

    Faults: a transient error before anything is written, a transient error *after* the post
    was created (the answer is lost: the dangerous one for duplicates), a platform quota
    error, and transient errors from metrics.
    """

    name = "outbox"

    def __init__(
        self, inner: Any, rng: random.Random, rate: float, log: list[str], script: list[str]
    ) -> None:
        self.inner, self.rng, self.rate, self.log, self.script = inner, rng, rate, log, script

    def _fault(self, where: str, kinds: tuple[str, ...]) -> str | None:
        if self.script:  # scripted faults first ("none" = no fault), then random ones
            kind = self.script.pop(0)
            if kind == "none":
                return None
            self.log.append(f"{where}:{kind}")
            return kind
        if self.rng.random() >= self.rate:
            return None
        kind = self.rng.choice(kinds)
        self.log.append(f"{where}:{kind}")
        return kind

    def publish(self, request: PostRequest, session: Any, sink: Any) -> Any:
        kind = self._fault("publish", ("before", "after", "quota"))
        if kind == "before":
            raise TransientPlatformError(self.name, "injected 503 before the upload")
        if kind == "quota":
            raise QuotaExceeded(self.name, "injected quotaExceeded", None)
        result = self.inner.publish(request, session, sink)
        if kind == "after":
            raise TransientPlatformError(self.name, "injected connection reset after the post")
        return result

    def status(self, request: PostRequest, session: Any) -> Any:
        return self.inner.status(request, session)

    def metrics(self, post_id: str, published_at: dt.datetime, as_of: dt.datetime) -> Any:
        if self._fault("metrics", ("transient",)):
            raise TransientPlatformError(self.name, "injected 500 from analytics")
        return self.inner.metrics(post_id, published_at, as_of)


_FAULTS: dict[str, tuple[random.Random, list[str], list[str]]] = {}


class FaultyOutbox(OutboxPlatform):
    """An OutboxPlatform whose client injects faults (state per `fault_key`, for the test)."""

    fault_rate: float = 0.3
    fault_seed: int = 0
    fault_key: str = "default"
    fault_script: str = ""  # comma-separated faults to inject first, e.g. "after,none,quota"

    def client(self) -> FaultyClient:  # type: ignore[override]
        state = _FAULTS.setdefault(
            self.fault_key,
            (random.Random(self.fault_seed), [], [k for k in self.fault_script.split(",") if k]),
        )
        return FaultyClient(super().client(), state[0], self.fault_rate, state[1], state[2])

    def fault_log(self) -> list[str]:
        return _FAULTS.get(self.fault_key, (None, [], []))[1]


def report_qc(instance: dg.DagsterInstance, date: str, channel: str, passed: bool = True) -> None:
    """Record the verdicts of the blocking QC checks on `videos` for one slot, as a render
    run would (these records skip the render, so nothing else records them)."""
    from reelforge.lib.qc import CHECK_NAMES

    for name in CHECK_NAMES:
        instance.report_runless_asset_event(
            dg.AssetCheckEvaluation(
                asset_key=dg.AssetKey("videos"),
                check_name=name,
                passed=passed or name != "loudness",
                partition=str(episode_key(date, channel)),
            )
        )
