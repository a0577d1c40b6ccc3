"""Blocking quality checks on the rendered videos: nothing broken reaches `uploads`.

One op measures every video once (ffprobe, then a single ffmpeg pass for black frames and
loudness) and reports six checks. They are blocking: in a run that also builds `uploads`,
a failed check stops it. The checks are partitioned like `videos`, so the record they load
and the result they report belong to the run's episode.
"""

import json
import warnings
from collections.abc import Iterator

import dagster as dg

from reelforge.constants import TARGET_LUFS
from reelforge.defs.assets.videos import videos
from reelforge.defs.resources.storage import MediaStoreResource
from reelforge.lib.models import VideosRecord
from reelforge.lib.platform_limits import PlatformLimitsError, load_platform_limits
from reelforge.lib.qc import CHECK_NAMES, Verdict, combine, expected_from_manifest, video_verdicts
from reelforge.lib.qc_measure import MeasureError, measure_video
from reelforge.lib.render import RenderError
from reelforge.partitions import current_config, episode_partitions
from reelforge.settings import load_settings

DESCRIPTIONS = {
    "encoding_spec": "MP4 (fast start), H.264 + AAC, yuv420p, at the rendered size and fps.",
    "platform_limits": "Duration, fps and size within the limits of every platform of the "
    "channel (config/platforms.yaml).",
    "av_sync": "Audio and video streams end within 0.1 s of each other.",
    "loudness": "Integrated loudness within ±1 LU of -14 LUFS; true peak at most -1 dBTP.",
    "no_black_stretch": "No black picture for 1 s or more (dark night scenes are not black).",
    "caption_timing": "Captions start in order, end after they start, and end within the video.",
}


def _channel_of(context: dg.AssetCheckExecutionContext) -> str:
    key = context.partition_key
    if not isinstance(key, dg.MultiPartitionKey):
        raise dg.Failure(f"expected a date × channel partition, got {key!r}")
    return key.keys_by_dimension["channel"]


def _results(verdicts: dict[str, Verdict]) -> Iterator[dg.AssetCheckResult]:
    for name in CHECK_NAMES:
        verdict = verdicts[name]
        yield dg.AssetCheckResult(
            check_name=name,
            passed=verdict.passed,
            metadata={"reason": verdict.reason, **verdict.numbers},
        )


# Partitioned checks are a preview feature in Dagster 1.13, but the only way for a check to
# load the record of the run's partition (an unpartitioned check asks the IO manager for every
# partition) and to report per episode. Its warning is silenced here, and only here.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "Specifying a partitions_def", dg.PreviewWarning)
    _SPECS = [
        dg.AssetCheckSpec(
            name,
            asset=videos,
            blocking=True,
            description=DESCRIPTIONS[name],
            partitions_def=episode_partitions,
        )
        for name in CHECK_NAMES
    ]


@dg.multi_asset_check(specs=_SPECS)
def video_qc(
    context: dg.AssetCheckExecutionContext, videos: VideosRecord, media: MediaStoreResource
) -> Iterator[dg.AssetCheckResult]:
    """Measures every rendered video of the episode once and judges it six ways (blocking)."""
    channel = current_config().channel(_channel_of(context))
    store = media.store()
    try:
        limits = load_platform_limits(load_settings().platforms_path)
    except PlatformLimitsError as exc:
        raise dg.Failure(str(exc)) from None
    per_check: dict[str, dict[str, Verdict]] = {name: {} for name in CHECK_NAMES}
    for video in videos.videos:
        try:
            manifest = json.loads(store.read_text(video.manifest_key))
            facts = measure_video(store.path(video.video_key))
        except (OSError, ValueError, MeasureError, RenderError) as exc:
            # An unreadable video fails every check with the cause, instead of crashing.
            broken = Verdict(False, f"cannot measure the video: {exc}")
            for name in CHECK_NAMES:
                per_check[name][video.aspect] = broken
            continue
        verdicts = video_verdicts(
            facts, expected_from_manifest(manifest), channel.platforms, limits, TARGET_LUFS
        )
        for name, verdict in verdicts.items():
            per_check[name][video.aspect] = verdict
            if not verdict.passed:
                context.log.warning(f"{video.aspect} {name}: {verdict.reason}")
    yield from _results({name: combine(by_aspect) for name, by_aspect in per_check.items()})
