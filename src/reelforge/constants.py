"""Names and defaults shared across reelforge (one place, so nothing drifts)."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG_PATH = PROJECT_ROOT / "config" / "channels.yaml"
DEFAULT_HOME = PROJECT_ROOT / ".reelforge"

# Environment variables (read only in reelforge.settings).
ENV_HOME = "REELFORGE_HOME"
ENV_CONFIG = "REELFORGE_CONFIG"
ENV_DEPLOYMENT = "REELFORGE_DEPLOYMENT"
ENV_EXECUTOR = "REELFORGE_EXECUTOR"
ENV_LEDGER_URL = "REELFORGE_LEDGER_URL"
ENV_SIM_TRUTH = "REELFORGE_SIM_TRUTH"
ENV_RENDER_PRESET = "REELFORGE_RENDER_PRESET"
ENV_RENDER_HEIGHT = "REELFORGE_RENDER_HEIGHT"
DEFAULT_SIM_TRUTH = PROJECT_ROOT / "config" / "sim_truth.json"
DEFAULT_PRICES = PROJECT_ROOT / "config" / "prices.yaml"
# Upload limits per platform, enforced by the blocking QC checks on `videos`.
DEFAULT_PLATFORMS = PROJECT_ROOT / "config" / "platforms.yaml"
ENV_PRICES = "REELFORGE_PRICES"
ENV_PROVIDERS = "REELFORGE_PROVIDERS"
# Folder of licensed music with a tracks.csv (the "library" music provider).
ENV_MUSIC_LIBRARY = "REELFORGE_MUSIC_LIBRARY"

ASPECT_SIZES: dict[str, tuple[int, int]] = {
    "9:16": (1080, 1920),
    "16:9": (1920, 1080),
    "1:1": (1080, 1080),
}
FPS = 30
NARRATION_LUFS = -16.0
TARGET_LUFS = -14.0
MUSIC_GAIN_DB = -12.0
FADE_SECONDS = 0.4
# Snapshot ages (hours after publish) at which engagement is recorded.
SNAPSHOT_AGES_HOURS = (1, 24, 72, 168)

GROUP_GENERATION = "generation"
GROUP_PUBLISHING = "publishing"
GROUP_ANALYTICS = "analytics"

# DuckDB allows one writer process: every asset that writes the warehouse uses this pool.
POOL_WAREHOUSE = "duckdb_writer"

# The dbt-duckdb project that rolls the warehouse up (staging -> marts).
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"
