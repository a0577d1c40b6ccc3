"""The local "outbox" platform: publishing copies the video and its metadata into a folder.

Layout: ``<root>/<platform>/<channel>/<content hash[:16]>/{video.mp4, metadata.json}``.
An entry appears whole or not at all (built in a temp folder, then renamed), and publishing
the same content twice returns the existing post.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SEGMENT_RE = re.compile(r"^[a-z0-9][a-z0-9_]{0,39}$")


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
) -> OutboxPost:
    if not re.fullmatch(r"[0-9a-f]{64}", content_hash):
        raise ValueError(f"content hash {content_hash!r} is not a sha256 hex digest")
    parent = root / _segment(platform, "platform") / _segment(channel, "channel")
    post_id = f"outbox-{content_hash[:16]}"
    entry = parent / content_hash[:16]
    if (entry / "metadata.json").is_file():
        return OutboxPost(post_id=post_id, path=entry, created=False)
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=parent))
    try:
        shutil.copyfile(video, staging / "video.mp4")
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


def entries(root: Path) -> list[Path]:
    """Every published entry under the outbox (for listing and tests)."""
    return sorted(p.parent for p in root.glob("*/*/*/metadata.json"))
