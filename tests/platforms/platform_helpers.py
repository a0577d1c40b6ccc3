"""Helpers of the platform tests (a plain module: conftest.py is not importable by name)."""

from __future__ import annotations

import json
from pathlib import Path

from reelforge.lib.platforms.base import PostRequest, UploadSession
from reelforge.lib.platforms.media_links import S3MediaLinks
from reelforge.lib.platforms.retrying import Backoff

BUCKET = "reelforge-media"  # made by the `links` fixture on moto_server


class Sink:
    """Records every session a client saves (the ledger row, in the real thing)."""

    def __init__(self) -> None:
        self.saved: list[UploadSession] = []

    def save(self, session: UploadSession) -> None:
        self.saved.append(session)

    @property
    def last(self) -> UploadSession:
        return self.saved[-1]


def no_wait() -> Backoff:
    return Backoff(attempts=4, sleep=lambda _s: None)


def write_token_file(path: Path, refresh_token: str) -> Path:
    """An OAuth2 authorized-user token file, as InstalledAppFlow writes them."""
    info = {
        "type": "authorized_user",
        "refresh_token": refresh_token,
        "client_id": "1234.apps.googleusercontent.com",
        "client_secret": "fake-client-secret",
    }
    path.write_text(json.dumps(info), encoding="utf-8")
    return path


def linked(request: PostRequest, links: S3MediaLinks, expires_s: int = 600) -> PostRequest:
    """The request with a presigned URL of its video (uploaded to the bucket once)."""
    url = links.url_for(request.content_hash, request.video_path, expires_s)
    return PostRequest(**{**request.__dict__, "media_url": url})
