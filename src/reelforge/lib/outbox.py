"""The local "outbox" platform: publishing copies the video and its metadata into a folder.

Layout: ``<root>/<platform>/<channel>/<content hash[:16]>/{video.mp4, metadata.json, …}``.
An entry appears whole or not at all (built in a temp folder, then renamed), and publishing
the same content twice returns the existing post.

`OutboxClient` is the outbox behind the `Platform` interface (lib/platforms/base.py): its
posts are watched by the audience simulator, which reads the plan parameters stored in the
entry's metadata, so `metrics` answers like a real platform's analytics would.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reelforge.lib import audience
from reelforge.lib.media import SCRATCH_DIR
from reelforge.lib.platforms.base import (
    Metrics,
    PermanentPlatformError,
    PostRequest,
    PostResult,
    SessionSink,
    TransientPlatformError,
    UploadSession,
)

SEGMENT_RE = re.compile(r"^[a-z0-9][a-z0-9_]{0,39}\Z")  # \Z: `$` lets a final "\n" in


@dataclass(frozen=True)
class OutboxPost:
    post_id: str
    path: Path
    created: bool


def _segment(name: str, what: str) -> str:
    if not SEGMENT_RE.match(name):
        raise ValueError(f"{what} {name!r} cannot be a folder name (lowercase, digits, _)")
    return name


def publish(
    root: Path,
    platform: str,
    channel: str,
    video: Path,
    content_hash: str,
    metadata: dict[str, Any],
    attachments: dict[str, Path] | None = None,
) -> OutboxPost:
    if not re.fullmatch(r"[0-9a-f]{64}", content_hash):
        raise ValueError(f"content hash {content_hash!r} is not a sha256 hex digest")
    parent = root / _segment(platform, "platform") / _segment(channel, "channel")
    post_id = f"outbox-{content_hash[:16]}"
    entry = parent / content_hash[:16]
    if (entry / "metadata.json").is_file():
        return OutboxPost(post_id=post_id, path=entry, created=False)
    parent.mkdir(parents=True, exist_ok=True)
    # Staged outside the channel's folder (same file system, so the rename stays atomic): a
    # publisher killed mid-copy leaves its debris in the scratch folder, not among the posts.
    scratch = root / SCRATCH_DIR
    scratch.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=scratch))
    try:
        shutil.copyfile(video, staging / "video.mp4")
        for name, source in (attachments or {}).items():
            shutil.copyfile(source, staging / _segment_file(name))
        body = {"post_id": post_id, "content_hash": content_hash, **metadata}
        (staging / "metadata.json").write_text(
            json.dumps(body, indent=2, ensure_ascii=False, sort_keys=True), encoding="utf-8"
        )
        try:
            os.rename(staging, entry)
        except OSError:
            # Another run published the same content first: theirs is the post.
            if (entry / "metadata.json").is_file():
                return OutboxPost(post_id=post_id, path=entry, created=False)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return OutboxPost(post_id=post_id, path=entry, created=True)


def _segment_file(name: str) -> str:
    if not re.fullmatch(r"[a-z0-9_]{1,40}\.[a-z0-9]{1,5}", name) or name == "metadata.json":
        raise ValueError(f"attachment name {name!r} is not a plain file name")
    return name


def post_id_for(content_hash: str) -> str:
    return f"outbox-{content_hash[:16]}"


def find_entry(root: Path, post_id: str, platform: str = "outbox") -> Path | None:
    """The entry of a post id (any channel), or None."""
    digest = post_id.removeprefix("outbox-")
    if not re.fullmatch(r"[0-9a-f]{16}", digest):
        return None
    found = sorted((root / platform).glob(f"*/{digest}/metadata.json"))
    return found[0].parent if found else None


class OutboxClient:
    """The outbox as a `Platform`: publish copies, status reads, metrics simulate."""

    name = "outbox"

    def __init__(self, root: Path, truth: audience.Truth, account: str = "local") -> None:
        self.root = root
        self.truth = truth
        self.account = account

    def publish(
        self, request: PostRequest, session: UploadSession | None, sink: SessionSink
    ) -> PostResult:
        post_id = post_id_for(request.content_hash)
        if session and session.remote_id:
            entry = find_entry(self.root, session.remote_id)
            if entry is not None:  # an earlier attempt finished; its answer was lost
                return PostResult(session.remote_id, entry.as_uri(), "published", "resumed")
        # Saved before the copy: a retry after a crash mid-copy looks for this post first.
        sink.save(UploadSession(remote_id=post_id, detail="copying into the outbox"))
        attachments = {}
        if request.thumbnail_path:
            attachments["thumbnail.jpg"] = request.thumbnail_path
        if request.captions_srt_path:
            attachments["captions.srt"] = request.captions_srt_path
        try:
            post = publish(
                self.root, self.name, request.channel, request.video_path, request.content_hash,
                _metadata(request), attachments,
            )  # fmt: skip
        except OSError as exc:  # a full disk or a vanished file may pass; retry
            raise TransientPlatformError(self.name, f"cannot write the outbox: {exc}") from exc
        except ValueError as exc:
            raise PermanentPlatformError(self.name, str(exc)) from exc
        sink.save(UploadSession(remote_id=post.post_id, detail="published"))
        return PostResult(post.post_id, post.path.as_uri(), "published")

    def status(self, request: PostRequest, session: UploadSession) -> PostResult:
        entry = find_entry(self.root, session.remote_id or "")
        if entry is None:
            raise TransientPlatformError(
                self.name, f"post {session.remote_id} is not in the outbox"
            )
        return PostResult(session.remote_id or "", entry.as_uri(), "published")

    def metrics(self, post_id: str, published_at: dt.datetime, as_of: dt.datetime) -> Metrics:
        entry = find_entry(self.root, post_id)
        if entry is None:
            raise PermanentPlatformError(self.name, f"post {post_id} is not in the outbox")
        meta = json.loads((entry / "metadata.json").read_text(encoding="utf-8"))
        plan = meta.get("plan") or {}
        seed = int(plan.get("seed", int(meta.get("content_hash", "0" * 8)[:8], 16)))
        age_h = max(0.0, (as_of - published_at).total_seconds() / 3600)
        values = audience.engagement_at(
            self.truth, plan, float(meta.get("duration_s", 30.0)), age_h, seed,
            channel=meta.get("channel"),
        )  # fmt: skip
        return Metrics(**values)


def _metadata(request: PostRequest) -> dict[str, Any]:
    extra = dict(request.extra)
    plan = json.loads(extra.pop("plan", "{}") or "{}")
    duration = float(extra.pop("duration_s", "0") or 0)
    return {
        "channel": request.channel,
        "account": request.account,
        "episode_id": request.episode_id,
        "title": request.title,
        "description": request.description,
        "hashtags": list(request.tags),
        "language": request.language,
        "publish_at": request.publish_at.isoformat() if request.publish_at else None,
        "privacy": request.privacy,
        "made_for_kids": request.made_for_kids,
        "synthetic_media": request.synthetic_media,
        "duration_s": duration,
        "plan": plan,
        **extra,
    }


def entries(root: Path) -> list[Path]:
    """Every published entry under the outbox (for listing and tests)."""
    return sorted(p.parent for p in root.glob("*/*/*/metadata.json"))
