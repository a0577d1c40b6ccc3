"""Signed, expiring URLs of media blobs, for platforms that pull the video (Instagram Reels).

`S3MediaLinks` stores a blob under its content key in a bucket (once: an object already
there is reused) and returns a presigned GET URL that stops working after `expires_s`.
Works with any S3-protocol endpoint (AWS, MinIO, moto_server); takes a boto3 S3 client.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from typing import Any, Protocol

from botocore.exceptions import ClientError

from reelforge.lib.media import KEY_RE

MAX_EXPIRY_S = 7 * 24 * 3600  # SigV4 presigned URLs last at most a week
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\Z")  # \Z: `$` lets a final "\n" in


class MediaLinks(Protocol):
    def url_for(self, key: str, path: Path, expires_s: int) -> str: ...


class S3MediaLinks:
    def __init__(self, client: Any, bucket: str, prefix: str = "media/") -> None:
        if not bucket:
            raise ValueError("a bucket name is required")
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    def _size(self, object_key: str) -> int | None:
        """The object's size, or None when there is none."""
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=object_key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return int(head.get("ContentLength", -1))

    def _sign(self, object_key: str, expires_s: int) -> str:
        if not 1 <= expires_s <= MAX_EXPIRY_S:
            raise ValueError(f"expires_s must be within 1..{MAX_EXPIRY_S}")
        return str(self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": object_key}, ExpiresIn=expires_s
        ))  # fmt: skip

    def presigned(self, key: str, expires_s: int) -> str | None:
        """A presigned GET URL of a media key already in the bucket (None when it is not)."""
        if not KEY_RE.match(key):
            raise ValueError(f"{key!r} is not a media key")
        object_key = f"{self.prefix}{key}"
        return None if self._size(object_key) is None else self._sign(object_key, expires_s)

    def url_for(self, key: str, path: Path, expires_s: int) -> str:
        """Upload `path` as `key` unless present, then a presigned GET URL valid `expires_s`."""
        # A media-store key names the same object the S3-backed media store wrote.
        if not (_KEY.match(key) or KEY_RE.match(key)):
            raise ValueError(f"content key {key!r} is neither a plain file name nor a media key")
        if not 1 <= expires_s <= MAX_EXPIRY_S:
            raise ValueError(f"expires_s must be within 1..{MAX_EXPIRY_S}")
        if not path.is_file():
            raise FileNotFoundError(path)
        object_key = f"{self.prefix}{key}"
        if self._size(object_key) != path.stat().st_size:
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            # One PUT (or a completed multipart upload) is atomic: readers never see half.
            self.client.upload_file(
                str(path), self.bucket, object_key, ExtraArgs={"ContentType": kind}
            )
        return self._sign(object_key, expires_s)
