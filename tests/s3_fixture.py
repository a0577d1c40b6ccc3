"""A real S3-protocol server (moto_server) on 127.0.0.1 for the whole session, stopped by PID."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reelforge.ops.s3_server import running_s3_server


@pytest.fixture(scope="session")
def moto_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_s3_server(tmp_path_factory.mktemp("moto") / "moto.log") as server:
        yield server.url
