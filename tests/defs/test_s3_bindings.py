"""REELFORGE_MEDIA_BUCKET moves media and records to S3 by configuration alone."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import boto3
import dagster as dg
import httpx
import pytest

from reelforge import constants as C
from reelforge.defs.resources.bindings import build_resources
from reelforge.settings import load_settings


def test_without_a_bucket_everything_stays_local(tmp_path: Path) -> None:
    resources = build_resources(load_settings({C.ENV_HOME: str(tmp_path)}))
    assert resources["media"].s3 is None
    assert resources["media"].store().remote is None
    assert resources["io_manager"].s3 is None


def test_with_a_bucket_the_store_and_the_presigned_links_share_one_object(
    tmp_path: Path, moto_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    bucket = f"bind-{uuid.uuid4().hex[:8]}"
    env = {
        C.ENV_HOME: str(tmp_path),
        C.ENV_MEDIA_BUCKET: bucket,
        C.ENV_S3_ENDPOINT_URL: moto_url,
        C.ENV_AWS_ACCESS_KEY_ID: "bind",
        C.ENV_AWS_SECRET_ACCESS_KEY: "bind-secret",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    bound = build_resources(load_settings(env))
    # Credentials are dg.EnvVar fields, resolved only when the resources start (below).
    client = boto3.session.Session().client(
        "s3", endpoint_url=moto_url, region_name="us-east-1",
        aws_access_key_id="bind", aws_secret_access_key="bind-secret",
    )  # fmt: skip
    client.create_bucket(Bucket=bucket)

    picked = {k: bound[k] for k in ("media", "media_links")}
    with dg.build_resources(picked) as resources:
        store = resources.media.store()
        video = b"\x00\x00\x00\x18ftypmp42" * 1000
        key = store.put_bytes(video, ".mp4")
        url = resources.media_links.url_for(key, store.path(key), 300)
    assert "X-Amz-Signature" in url and "X-Amz-Expires=300" in url
    fetched = httpx.get(url, timeout=10)
    assert fetched.status_code == 200 and hashlib.sha256(fetched.content).hexdigest() in key
    objects = [o["Key"] for o in client.list_objects_v2(Bucket=bucket)["Contents"]]
    assert objects == [f"{C.S3_MEDIA_PREFIX}{key}"]  # stored once, presigned in place
