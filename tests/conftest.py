"""Test environment: every test session gets its own REELFORGE_HOME and small, fast renders."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Set before reelforge modules are imported: partitions and bindings read them at import.
_HOME = Path(tempfile.mkdtemp(prefix="reelforge-test-"))
os.environ["REELFORGE_HOME"] = str(_HOME)
os.environ.pop("REELFORGE_CONFIG", None)
os.environ.setdefault("REELFORGE_RENDER_HEIGHT", "320")
os.environ.setdefault("REELFORGE_RENDER_PRESET", "ultrafast")
# Upload retries (exponential from this delay) in tenths of a second, not seconds.
os.environ.setdefault("REELFORGE_UPLOAD_RETRY_DELAY_S", "0.05")
os.environ["DAGSTER_HOME"] = str(_HOME / "dagster_home")
(_HOME / "dagster_home").mkdir(parents=True, exist_ok=True)
(_HOME / "dagster_home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")

# A real PostgreSQL cluster (session-scoped fixture `postgres`), started only when a test asks.
# The fake provider/platform server (session-scoped `fake_server`, per-test `fake`).
from fake_fixtures import fake, fake_server  # noqa: E402, F401
from pg_server import postgres  # noqa: E402, F401

# A real S3-protocol server (session-scoped fixture `moto_url`), started only when a test asks.
from s3_fixture import moto_url  # noqa: E402, F401
