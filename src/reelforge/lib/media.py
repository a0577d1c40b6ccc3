"""Content-addressed media store: every blob is named by the sha256 of its bytes.

Keys look like ``sha256/ab/ab12…ef.mp4``. The same bytes always get the same key, so a re-run
that produces identical media writes nothing new, and a key can be shared safely.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from reelforge.lib import atomic

KEY_RE = re.compile(r"^sha256/[0-9a-f]{2}/[0-9a-f]{64}(\.[a-z0-9]{1,8})?$")
SUFFIX_RE = re.compile(r"^\.[a-z0-9]{1,8}$")
_CHUNK = 1 << 20
# Temporaries and private work folders of writers into the store (see MediaStore.scratch).
SCRATCH_DIR = ".scratch"


class MediaKeyError(ValueError):
    """A key that is not one this store hands out (guards against path traversal)."""


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
    """A local folder of content-addressed blobs, written atomically."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def scratch(self) -> Path:
        """Where blobs are written before they are renamed into place: outside `sha256/`, so
        every file there always hashes to its name, even after a writer was killed."""
        return self.root / SCRATCH_DIR

    def path(self, key: str) -> Path:
        return self.root / validate_key(key)

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def put_file(self, src: Path, suffix: str | None = None) -> str:
        key = _key(sha256_file(src), src.suffix if suffix is None else suffix)
        target = self.path(key)
        if not target.is_file():
            atomic.copy_file(src, target, self.scratch)
        return key

    def put_bytes(self, data: bytes, suffix: str) -> str:
        key = _key(hashlib.sha256(data).hexdigest(), suffix)
        target = self.path(key)
        if not target.is_file():
            atomic.write_bytes(target, data, self.scratch)
        return key

    def put_text(self, text: str, suffix: str) -> str:
        return self.put_bytes(text.encode("utf-8"), suffix)

    def read_text(self, key: str) -> str:
        return self.path(key).read_text(encoding="utf-8")
