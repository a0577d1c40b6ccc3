"""Remote blob storage behind the media store and the record store: S3 (any endpoint).

Names are relative (``sha256/ab/<digest>.mp4``, ``story/2026-12-01/x.json``) and live under a
prefix in one bucket. A PUT, or a completed multipart upload, is atomic in S3: a reader sees
the whole object or none. `download` writes to the path it is given; callers pass a temporary
path (lib/atomic.py) and rename it only when complete and checked.

Transient S3 errors (500, 503, throttling, dropped connections) are retried by botocore's
"standard" retry mode; what is left afterwards becomes a `BlobStoreError` that names the
bucket, the object and the S3 error code, never a credential.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

_MISSING = ("404", "NoSuchKey", "NotFound")
T = TypeVar("T")


class BlobStoreError(RuntimeError):
    """The remote store failed after its retries (or refused the request)."""


class Blobs(Protocol):
    """What the media and record stores need from a remote store."""

    def size(self, name: str) -> int | None: ...
    def put_file(self, name: str, path: Path, content_type: str | None = None) -> None: ...
    def put_bytes(self, name: str, data: bytes, content_type: str | None = None) -> None: ...
    def download(self, name: str, path: Path) -> None: ...
    def get_bytes(self, name: str) -> bytes | None: ...
    def where(self, name: str) -> str: ...


class S3Blobs:
    """Blobs in an S3-protocol bucket through a boto3 client (dagster-aws `S3Resource`)."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        if not bucket:
            raise ValueError("a bucket name is required for S3 storage")
        if prefix and not prefix.endswith("/"):
            raise ValueError(f"prefix {prefix!r} must end with '/'")
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    def object_key(self, name: str) -> str:
        if not name or name.startswith("/") or ".." in name.split("/"):
            raise ValueError(f"blob name {name!r} must be a relative path without '..'")
        return f"{self.prefix}{name}"

    def where(self, name: str) -> str:
        return f"s3://{self.bucket}/{self.object_key(name)}"

    def _call(
        self, action: str, name: str, call: Callable[[str], T], *, missing_ok: bool = False
    ) -> T | None:
        """`call(object key)`, with S3's errors as one BlobStoreError naming the object; None
        when the object does not exist and `missing_ok`."""
        try:
            return call(self.object_key(name))
        except ClientError as exc:
            error = exc.response.get("Error", {})
            if missing_ok and error.get("Code") in _MISSING:
                return None
            reason = f"{error.get('Code', '?')} {error.get('Message', '')}".strip()
            raise BlobStoreError(f"S3 {action} of {self.where(name)} failed: {reason}") from exc
        except BotoCoreError as exc:
            reason = type(exc).__name__
            raise BlobStoreError(f"S3 {action} of {self.where(name)} failed: {reason}") from exc

    def size(self, name: str) -> int | None:
        """The object's size in bytes, or None when there is no such object."""
        head = self._call(
            "HEAD", name, lambda key: self.client.head_object(Bucket=self.bucket, Key=key),
            missing_ok=True,
        )  # fmt: skip
        return None if head is None else int(head.get("ContentLength", 0))

    def put_file(self, name: str, path: Path, content_type: str | None = None) -> None:
        extra = {"ContentType": content_type} if content_type else None
        # upload_file switches to multipart for big files; completion is atomic.
        self._call("PUT", name, lambda key: self.client.upload_file(
            str(path), self.bucket, key, ExtraArgs=extra))  # fmt: skip

    def put_bytes(self, name: str, data: bytes, content_type: str | None = None) -> None:
        extra = {"ContentType": content_type} if content_type else {}
        self._call("PUT", name, lambda key: self.client.put_object(
            Bucket=self.bucket, Key=key, Body=data, **extra))  # fmt: skip

    def download(self, name: str, path: Path) -> None:
        """The object's bytes into `path` (a temporary the caller renames when it is whole)."""
        self._call("GET", name, lambda key: self.client.download_file(self.bucket, key, str(path)))

    def get_bytes(self, name: str) -> bytes | None:
        """The object's bytes, or None when there is no such object."""
        return self._call(
            "GET", name,
            lambda key: bytes(self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()),
            missing_ok=True,
        )  # fmt: skip
