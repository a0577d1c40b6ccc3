"""The one place that decides which resource implementation each key gets.

`REELFORGE_DEPLOYMENT=local` (default): everything offline on this machine. `production`:
the ledger moves to the database named by the `REELFORGE_LEDGER_URL` secret (PostgreSQL).
`REELFORGE_MEDIA_BUCKET` (any deployment): media blobs and asset records live in that S3
bucket (`REELFORGE_S3_ENDPOINT_URL` for MinIO, moto_server, …), the local folders become
caches, and platforms that pull media get presigned URLs of the same objects.
"""

from __future__ import annotations

from typing import Any

import dagster as dg
from dagster_aws.s3 import S3Resource
from dagster_dbt import DbtCliResource

from reelforge import constants as C
from reelforge.constants import DBT_PROJECT_DIR, ENV_LEDGER_URL
from reelforge.defs.dbt_manifest import dbt_executable
from reelforge.defs.resources.clip_providers import ClipProviders
from reelforge.defs.resources.clock import Clock
from reelforge.defs.resources.image_providers import ImageProviders
from reelforge.defs.resources.io_manager import RecordIOManager
from reelforge.defs.resources.moderation import ModerationProviders
from reelforge.defs.resources.music_providers import MusicProviders
from reelforge.defs.resources.platform_clients import (
    InstagramPlatform,
    S3MediaLinks,
    TikTokPlatform,
    YouTubePlatform,
)
from reelforge.defs.resources.provider_set import Endpoint
from reelforge.defs.resources.publishing import (
    AudienceSimulator,
    NoMediaLinks,
    OutboxPlatform,
    Publishers,
)
from reelforge.defs.resources.rendering import RenderSettings
from reelforge.defs.resources.speech_providers import SpeechProviders
from reelforge.defs.resources.storage import LedgerResource, MediaStoreResource, WarehouseResource
from reelforge.defs.resources.story_providers import StoryProviders
from reelforge.settings import Settings, load_settings


def endpoints(settings: Settings, family: str) -> list[Endpoint]:
    """Configured remote providers of a family; keys stay environment variables (dg.EnvVar)."""
    return [
        Endpoint(
            name=e.name,
            protocol=e.protocol,
            base_url=e.base_url,
            api_key=dg.EnvVar(e.key_env) if e.key_env else "",  # type: ignore[arg-type]
            model=e.model,
        )
        for e in settings.remote_endpoints(family)
    ]


def provider_set(settings: Settings, family: str) -> dict[str, Any]:
    return {
        "mode": settings.providers,
        "endpoints": endpoints(settings, family),
        "prices_path": str(settings.prices_path),
        "retry_base_s": settings.provider_retry_base_s,
    }


def platform_publishers(settings: Settings) -> dict[str, Any]:
    """The real platforms whose credentials are set; secrets bound through dg.EnvVar."""
    v = settings.variables
    out: dict[str, Any] = {}
    if "youtube" in settings.platforms_configured:
        out["youtube"] = YouTubePlatform(
            account="default",
            token_file=dg.EnvVar(C.ENV_YOUTUBE_TOKEN_FILE),  # type: ignore[arg-type]
            base_url=v.get(C.ENV_YOUTUBE_BASE_URL) or C.YOUTUBE_PUBLIC_BASE_URL,
            token_uri=v.get(C.ENV_YOUTUBE_TOKEN_URI) or None,
            chunk_size_kib=int(v.get(C.ENV_YOUTUBE_CHUNK_KIB) or C.YOUTUBE_CHUNK_KIB),
        )
    if "tiktok" in settings.platforms_configured:
        out["tiktok"] = TikTokPlatform(
            account="default",
            access_token=dg.EnvVar(C.ENV_TIKTOK_ACCESS_TOKEN),  # type: ignore[arg-type]
            base_url=v.get(C.ENV_TIKTOK_BASE_URL) or C.TIKTOK_PUBLIC_BASE_URL,
        )
    if "instagram" in settings.platforms_configured:
        out["instagram"] = InstagramPlatform(
            account="default",
            access_token=dg.EnvVar(C.ENV_INSTAGRAM_ACCESS_TOKEN),  # type: ignore[arg-type]
            ig_user_id=dg.EnvVar(C.ENV_INSTAGRAM_USER_ID),  # type: ignore[arg-type]
            base_url=v.get(C.ENV_INSTAGRAM_BASE_URL) or C.INSTAGRAM_PUBLIC_BASE_URL,
        )
    return out


def _aws_secret(settings: Settings, name: str) -> Any:
    # Unset: boto3 finds credentials its usual way (instance role, ~/.aws).
    return dg.EnvVar(name) if name in settings.keys_present else None


def s3_resource(settings: Settings) -> S3Resource | None:
    """dagster-aws's S3 client for the media bucket, when one is configured."""
    if not settings.variables.get(C.ENV_MEDIA_BUCKET):
        return None
    return S3Resource(
        endpoint_url=settings.variables.get(C.ENV_S3_ENDPOINT_URL) or None,
        region_name=settings.variables.get(C.ENV_S3_REGION) or C.DEFAULT_S3_REGION,
        # botocore "standard" retries: 500s, 503s, throttling and dropped connections.
        max_attempts=C.S3_MAX_ATTEMPTS,
        aws_access_key_id=_aws_secret(settings, C.ENV_AWS_ACCESS_KEY_ID),
        aws_secret_access_key=_aws_secret(settings, C.ENV_AWS_SECRET_ACCESS_KEY),
    )


def media_links(settings: Settings) -> Any:
    """Presigned S3 URLs when a media bucket is configured; none offline."""
    bucket = settings.variables.get(C.ENV_MEDIA_BUCKET)
    if not bucket:
        return NoMediaLinks()
    # Same bucket and prefix as the media store: the presigned object is the stored one.
    return S3MediaLinks(
        bucket=bucket,
        prefix=C.S3_MEDIA_PREFIX,
        endpoint_url=settings.variables.get(C.ENV_S3_ENDPOINT_URL) or None,
        region_name=settings.variables.get(C.ENV_S3_REGION) or C.DEFAULT_S3_REGION,
        aws_access_key_id=_aws_secret(settings, C.ENV_AWS_ACCESS_KEY_ID),
        aws_secret_access_key=_aws_secret(settings, C.ENV_AWS_SECRET_ACCESS_KEY),
    )


def build_resources(settings: Settings) -> dict[str, Any]:
    ledger_url: Any = settings.ledger_url
    if settings.deployment == "production":
        ledger_url = dg.EnvVar(ENV_LEDGER_URL)
    s3 = s3_resource(settings)
    bucket = settings.variables.get(C.ENV_MEDIA_BUCKET, "")
    return {
        "io_manager": RecordIOManager(
            root=str(settings.records_root), s3=s3, bucket=bucket, prefix=C.S3_RECORDS_PREFIX
        ),
        "media": MediaStoreResource(
            root=str(settings.media_root), s3=s3, bucket=bucket, prefix=C.S3_MEDIA_PREFIX
        ),
        "ledger": LedgerResource(url=ledger_url),
        "warehouse": WarehouseResource(path=str(settings.warehouse_path)),
        "story_writer": StoryProviders(**provider_set(settings, "story")),
        "moderation": ModerationProviders(**provider_set(settings, "moderation")),
        "clips": ClipProviders(**provider_set(settings, "clips"), preset=settings.render_preset),
        "speech": SpeechProviders(**provider_set(settings, "speech")),
        "artist": ImageProviders(**provider_set(settings, "images")),
        "music_source": MusicProviders(
            **provider_set(settings, "music"), library_path=str(settings.music_library or "")
        ),
        "render_settings": RenderSettings(
            preset=settings.render_preset, height=settings.render_height
        ),
        # Platforms by name (youtube, tiktok, instagram are added as fields of Publishers).
        "publishers": Publishers(
            platforms_path=str(settings.platforms_path),
            outbox=OutboxPlatform(
                root=str(settings.outbox_root), truth_path=str(settings.sim_truth_path)
            ),
            **platform_publishers(settings),
        ),
        # Signed media URLs for platforms that pull the video (Instagram): none offline.
        "media_links": media_links(settings),
        "clock": Clock(fixed_now=settings.now.isoformat() if settings.now else ""),
        "audience": AudienceSimulator(truth_path=str(settings.sim_truth_path)),
        # dbt builds the marts into the warehouse file (path passed as a dbt var at run time).
        "dbt": DbtCliResource(project_dir=str(DBT_PROJECT_DIR), dbt_executable=dbt_executable()),
    }


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources=build_resources(load_settings()))
