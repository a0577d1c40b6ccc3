"""Content-addressed media store: every blob is named by the sha256 of its bytes.

Keys look like ``sha256/ab/ab12…ef.mp4``. The same bytes always get the same key, so a re-run
that produces identical media writes nothing new, and a key can be shared safely.

With a remote store (S3 in production, lib/blobs.py) the remote is the system of record and the
local folder is a cache: a put writes through to the remote before it returns, and `path()`
fetches a blob that is not cached yet. Because a key names its content, a cached copy can
never be stale; a fetched copy is checked against its digest before anyone sees it.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import tempfile
from pathlib import Path

from reelforge.lib import atomic
from reelforge.lib.blobs import Blobs, BlobStoreError

# \Z, not $: `$` matches before a trailing newline, so "<key>\n" passed as a key.
KEY_RE = re.compile(r"^sha256/[0-9a-f]{2}/[0-9a-f]{64}(\.[a-z0-9]{1,8})?\Z")
SUFFIX_RE = re.compile(r"^\.[a-z0-9]{1,8}\Z")
_CHUNK = 1 << 20
# Temporaries and private work folders of writers into the store (see MediaStore.scratch).
SCRATCH_DIR = ".scratch"


class MediaKeyError(ValueError):
    """A key that is not one this store hands out (guards against path traversal)."""


class MediaMissingError(FileNotFoundError):
    """A key that neither the cache nor the remote store holds."""


class MediaCorruptError(BlobStoreError):
    """A fetched blob whose bytes do not hash to its key."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _key(digest: str, suffix: str) -> str:
    suffix = suffix.lower()
    if suffix and not SUFFIX_RE.match(suffix):
        raise MediaKeyError(f"suffix {suffix!r} is not allowed; use e.g. .png, .wav, .mp4")
    return f"sha256/{digest[:2]}/{digest}{suffix}"


def key_digest(key: str) -> str:
    """The sha256 hex digest inside a key."""
    validate_key(key)
    return key.split("/")[2].split(".")[0]


def validate_key(key: str) -> str:
    if not KEY_RE.match(key):
        raise MediaKeyError(f"{key!r} is not a media key (expected sha256/xx/<64 hex>.<ext>)")
    return key


class MediaStore:
    """Content-addressed blobs in a local folder, written atomically; optionally backed by a
    remote store (write-through, fetch on demand)."""

    def __init__(self, root: Path, remote: Blobs | None = None) -> None:
        self.root = root
        self.remote = remote

    @property
    def scratch(self) -> Path:
        """Where blobs are written before they are renamed into place: outside `sha256/`, so
        every file there always hashes to its name, even after a writer was killed."""
        return self.root / SCRATCH_DIR

    def work_folder(self) -> tempfile.TemporaryDirectory[str]:
        """A private work folder in `scratch`, on the store's file system, so storing what is
        made there is a cheap copy (a killed writer's folder is swept by lib.scratch)."""
        self.scratch.mkdir(parents=True, exist_ok=True)
        return tempfile.TemporaryDirectory(dir=self.scratch)

    def _local(self, key: str) -> Path:
        return self.root / validate_key(key)

    def path(self, key: str) -> Path:
        """A local file with the blob's bytes (fetched from the remote store when needed)."""
        local = self._local(key)
        if local.is_file() or self.remote is None:
            return local
        if self.remote.size(key) is None:
            raise MediaMissingError(f"media {key} is in neither {self.root} nor {self.where(key)}")
        # Fetched into scratch and checked there: only bytes that hash to the key are renamed in.
        with atomic.atomic_path(local, scratch=self.scratch) as tmp:
            self.remote.download(key, tmp)
            if sha256_file(tmp) != key_digest(key):
                raise MediaCorruptError(f"{self.where(key)} does not hash to its key; not used")
        return local

    def where(self, key: str) -> str:
        """Where the blob is kept for good: an s3:// URL, or the local path."""
        return self.remote.where(key) if self.remote else str(self._local(key))

    def exists(self, key: str) -> bool:
        if self._local(key).is_file():
            return True
        return self.remote is not None and self.remote.size(key) is not None

    def _publish(self, key: str, local: Path) -> None:
        # Write-through: the blob is durable remotely before its key is handed out.
        if self.remote is not None and self.remote.size(key) != local.stat().st_size:
            self.remote.put_file(key, local, mimetypes.guess_type(local.name)[0])

    def put_file(self, src: Path, suffix: str | None = None) -> str:
        key = _key(sha256_file(src), src.suffix if suffix is None else suffix)
        target = self._local(key)
        if not target.is_file():
            atomic.copy_file(src, target, self.scratch)
        self._publish(key, target)
        return key

    def put_bytes(self, data: bytes, suffix: str) -> str:
        key = _key(hashlib.sha256(data).hexdigest(), suffix)
        target = self._local(key)
        if not target.is_file():
            atomic.write_bytes(target, data, self.scratch)
        self._publish(key, target)
        return key

    def put_text(self, text: str, suffix: str) -> str:
        return self.put_bytes(text.encode("utf-8"), suffix)

    def read_text(self, key: str) -> str:
        return self.path(key).read_text(encoding="utf-8")
