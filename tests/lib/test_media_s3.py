"""The media store on S3 (moto_server): write-through, fetch on demand, checked, and loud."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from s3_faults import s3_fault_proxy

from reelforge.lib.blobs import BlobStoreError, S3Blobs
from reelforge.lib.media import MediaCorruptError, MediaMissingError, MediaStore

SECRET = "s3-secret-never-shown-0451"


def _client(url: str, attempts: int = 6) -> object:
    return boto3.session.Session().client(
        "s3", endpoint_url=url, region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key=SECRET,
        config=Config(retries={"max_attempts": attempts, "mode": "standard"}),
    )  # fmt: skip


@pytest.fixture()
def bucket(moto_url: str) -> str:
    name = f"media-{uuid.uuid4().hex[:10]}"
    _client(moto_url).create_bucket(Bucket=name)  # type: ignore[attr-defined]
    return name


def test_puts_write_through_and_a_cold_cache_fetches_the_same_bytes(
    tmp_path: Path, moto_url: str, bucket: str
) -> None:
    client = _client(moto_url)
    store = MediaStore(tmp_path / "node-a", S3Blobs(client, bucket, "media/"))
    data = b"\x00frame" * 5000
    key = store.put_bytes(data, ".mp4")
    obj = client.get_object(Bucket=bucket, Key=f"media/{key}")  # type: ignore[attr-defined]
    assert obj["Body"].read() == data
    assert store.where(key) == f"s3://{bucket}/media/{key}"

    # Another machine: nothing cached, the blob comes from S3 and lands atomically.
    other = MediaStore(tmp_path / "node-b", S3Blobs(client, bucket, "media/"))
    assert other.exists(key)
    assert not (tmp_path / "node-b" / key).exists()
    assert other.path(key).read_bytes() == data
    leftovers = [p for p in (tmp_path / "node-b").rglob("*") if p.is_file() and ".tmp" in p.name]
    assert leftovers == []
    # Same bytes again: the same key, and nothing uploaded twice (one version, same ETag).
    etag = obj["ETag"]
    assert other.put_bytes(data, ".mp4") == key
    head = client.head_object(Bucket=bucket, Key=f"media/{key}")  # type: ignore[attr-defined]
    assert head["ETag"] == etag


def test_a_blob_that_does_not_match_its_key_is_refused_and_not_cached(
    tmp_path: Path, moto_url: str, bucket: str
) -> None:
    client = _client(moto_url)
    digest = hashlib.sha256(b"real").hexdigest()
    key = f"sha256/{digest[:2]}/{digest}.png"
    client.put_object(Bucket=bucket, Key=f"media/{key}", Body=b"tampered")  # type: ignore[attr-defined]
    store = MediaStore(tmp_path / "cache", S3Blobs(client, bucket, "media/"))
    with pytest.raises(MediaCorruptError, match="does not hash to its key"):
        store.path(key)
    assert not (tmp_path / "cache" / key).exists()
    absent = f"sha256/00/{'0' * 64}.png"
    with pytest.raises(MediaMissingError, match=r"neither .* nor s3://"):
        store.path(absent)
    assert not store.exists(absent)


def test_s3_500s_are_retried_and_what_remains_is_a_clear_error(
    tmp_path: Path, moto_url: str, bucket: str
) -> None:
    with s3_fault_proxy(moto_url) as proxy:
        store = MediaStore(tmp_path / "cache", S3Blobs(_client(proxy.url, 6), bucket, "media/"))
        proxy.fail_next(3)  # three 500s in a row: botocore's standard retries absorb them
        key = store.put_bytes(b"survives", ".txt")
        assert proxy.faults == 3
        assert (
            _client(moto_url)
            .get_object(  # type: ignore[attr-defined]
                Bucket=bucket, Key=f"media/{key}"
            )["Body"]
            .read()
            == b"survives"
        )

        failing = MediaStore(tmp_path / "other", S3Blobs(_client(proxy.url, 2), bucket, "media/"))
        proxy.fail_next(10)
        with pytest.raises(BlobStoreError) as caught:
            failing.put_bytes(b"lost?", ".txt")
        message = str(caught.value)
        assert message.startswith("S3 HEAD of ") and "failed: 500" in message
        assert f"s3://{bucket}/media/sha256/" in message
        assert SECRET not in message and "testing" not in message
        # Nothing half-done: the object is absent, the local copy is whole (and re-put later).
        proxy.fail_next(0)
        digest = hashlib.sha256(b"lost?").hexdigest()
        assert failing.remote is not None
        assert failing.remote.size(f"sha256/{digest[:2]}/{digest}.txt") is None
        assert failing.put_bytes(b"lost?", ".txt").endswith(f"{digest}.txt")
        assert failing.remote.size(f"sha256/{digest[:2]}/{digest}.txt") == 5
