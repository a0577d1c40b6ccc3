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
# Platform limits (QC) and upload quotas; default config/platforms.yaml.
ENV_PLATFORMS = "REELFORGE_PLATFORMS"
# Run queue limits, pool sizes and run monitoring of the Dagster instance.
DEFAULT_CONCURRENCY = PROJECT_ROOT / "config" / "concurrency.yaml"
# Production mode: the Dagster instance on PostgreSQL, Helm values, runbook.
DEPLOY_DIR = PROJECT_ROOT / "deploy"
PRODUCTION_DAGSTER_YAML = DEPLOY_DIR / "dagster.yaml"
# Read by Dagster itself from deploy/dagster.yaml (`env:` keys), not by reelforge.settings.
ENV_DAGSTER_PG_USERNAME = "DAGSTER_PG_USERNAME"
ENV_DAGSTER_PG_PASSWORD = "DAGSTER_PG_PASSWORD"  # secret  # nosec B105 # the name of an environment variable, not a secret
ENV_DAGSTER_PG_HOST = "DAGSTER_PG_HOST"
ENV_DAGSTER_PG_PORT = "DAGSTER_PG_PORT"
ENV_DAGSTER_PG_DB = "DAGSTER_PG_DB"
ENV_PROVIDERS = "REELFORGE_PROVIDERS"
# Folder of licensed music with a tracks.csv (the "library" music provider).
ENV_MUSIC_LIBRARY = "REELFORGE_MUSIC_LIBRARY"
# Real publishing platforms (issue #5). Secrets are read only through dg.EnvVar.
ENV_YOUTUBE_TOKEN_FILE = "REELFORGE_YOUTUBE_TOKEN_FILE"  # OAuth2 authorized-user JSON  # nosec B105 # the name of an environment variable, not a secret
ENV_YOUTUBE_BASE_URL = "REELFORGE_YOUTUBE_BASE_URL"  # replaces Google's rootUrl (fakes)
ENV_YOUTUBE_TOKEN_URI = "REELFORGE_YOUTUBE_TOKEN_URI"  # OAuth token endpoint (fakes)  # nosec B105 # the name of an environment variable, not a secret
# Resumable upload chunk in KiB (a multiple of 256): smaller on slow or flaky links.
ENV_YOUTUBE_CHUNK_KIB = "REELFORGE_YOUTUBE_CHUNK_KIB"
YOUTUBE_CHUNK_KIB = 8192  # default resumable chunk: few round trips on a good link
ENV_TIKTOK_ACCESS_TOKEN = "TIKTOK_ACCESS_TOKEN"  # nosec B105 # the name of an environment variable, not a secret
ENV_TIKTOK_BASE_URL = "REELFORGE_TIKTOK_BASE_URL"
ENV_INSTAGRAM_ACCESS_TOKEN = "INSTAGRAM_ACCESS_TOKEN"  # nosec B105 # the name of an environment variable, not a secret
ENV_INSTAGRAM_USER_ID = "INSTAGRAM_USER_ID"
ENV_INSTAGRAM_BASE_URL = "REELFORGE_INSTAGRAM_BASE_URL"
# Bucket and S3-protocol endpoint for signed media URLs (Instagram pulls the video).
ENV_MEDIA_BUCKET = "REELFORGE_MEDIA_BUCKET"
ENV_S3_ENDPOINT_URL = "REELFORGE_S3_ENDPOINT_URL"
ENV_S3_REGION = "REELFORGE_S3_REGION"
DEFAULT_S3_REGION = "us-east-1"
# Object layout in the media bucket: blobs under media/<media key>, records under records/.
S3_MEDIA_PREFIX = "media/"
S3_RECORDS_PREFIX = "records/"
# botocore "standard" retry mode: attempts of one S3 call (transient 5xx, throttling, resets).
S3_MAX_ATTEMPTS = 6
ENV_AWS_ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID"
ENV_AWS_SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY"  # nosec B105 # the name of an environment variable, not a secret
YOUTUBE_PUBLIC_BASE_URL = "https://youtube.googleapis.com/"
TIKTOK_PUBLIC_BASE_URL = "https://open.tiktokapis.com"
INSTAGRAM_PUBLIC_BASE_URL = "https://graph.facebook.com"


def account_env(name: str, account: str) -> str:
    """Per-account variant of a platform variable: `TIKTOK_ACCESS_TOKEN__SPACE_FACTS`."""
    return f"{name}__{account.upper().replace('-', '_')}"


# A fixed "now" (ISO 8601) for assets and sensors that ask the clock resource (tests, replays).
ENV_NOW = "REELFORGE_NOW"
# First delay (seconds) of the uploads step's retries of transient platform errors.
ENV_UPLOAD_RETRY_DELAY = "REELFORGE_UPLOAD_RETRY_DELAY_S"
# First backoff of a provider call's retries (full jitter, doubling), in seconds.
ENV_PROVIDER_RETRY_BASE = "REELFORGE_PROVIDER_RETRY_BASE_S"

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
# The learning policy: unpartitioned, so outside the episode job's groups.
GROUP_POLICY = "policy"

# Uploads: step retries of transient platform errors (exponential backoff with jitter).
UPLOAD_MAX_RETRIES = 4
DEFAULT_UPLOAD_RETRY_DELAY_S = 2.0
DEFAULT_PROVIDER_RETRY_BASE_S = 0.5

# DuckDB allows one writer process: every asset that writes the warehouse uses this pool.
POOL_WAREHOUSE = "duckdb_writer"

# The dbt-duckdb project that rolls the warehouse up (staging -> marts).
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"
