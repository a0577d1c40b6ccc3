"""The blocking QC checks on `videos`, run by Dagster: a broken video never reaches `uploads`.

`videos` and `uploads` are replaced by stand-ins with the same keys and partitions (rendering
a whole episode is the e2e test's job); the checks are the real ones.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest
from qc_videos import ffmpeg, good_render, h264

from reelforge.defs.assets.video_checks import video_qc
from reelforge.defs.resources.io_manager import RecordIOManager
from reelforge.defs.resources.storage import MediaStoreResource
from reelforge.lib.models import VideoRecord, VideosRecord
from reelforge.lib.qc import CHECK_NAMES
from reelforge.partitions import episode_key, episode_partitions

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")
KEY = episode_key("2026-11-21", "space_facts")


def _stand_ins(video: Path, manifest: Path) -> tuple[dg.AssetsDefinition, dg.AssetsDefinition]:
    @dg.asset(name="videos", partitions_def=episode_partitions)
    def videos(media: MediaStoreResource) -> VideosRecord:
        store = media.store()
        thumb = store.put_bytes(b"\xff\xd8\xff", ".jpg")
        return VideosRecord(
            videos=[
                VideoRecord(
                    aspect="9:16",
                    video_key=store.put_file(video),
                    manifest_key=store.put_file(manifest),
                    thumbnail_landscape_key=thumb,
                    thumbnail_portrait_key=thumb,
                    width=180,
                    height=320,
                    fps=30.0,
                    duration=6.0,
                    size_bytes=video.stat().st_size,
                )
            ]
        )

    @dg.asset(name="uploads", partitions_def=episode_partitions)
    def uploads(videos: VideosRecord) -> VideosRecord:
        return videos

    return videos, uploads


def _run(tmp_path: Path, video: Path) -> dg.ExecuteInProcessResult:
    videos, uploads = _stand_ins(video, video.parent / "manifest.json")
    return dg.materialize(
        [videos, uploads, video_qc],
        partition_key=KEY,
        resources={
            "media": MediaStoreResource(root=str(tmp_path / "media")),
            "io_manager": RecordIOManager(root=str(tmp_path / "records")),
        },
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return good_render(tmp_path_factory.mktemp("checks"))


def test_passing_checks_let_uploads_run(good: Path, tmp_path: Path) -> None:
    result = _run(tmp_path, good)
    assert result.success
    evaluations = result.get_asset_check_evaluations()
    assert sorted(e.check_name for e in evaluations) == sorted(CHECK_NAMES)
    assert all(e.passed for e in evaluations)
    assert all(e.partition == KEY for e in evaluations), "checks report per episode"
    assert result.output_for_node("uploads").videos[0].aspect == "9:16"


def test_a_failing_blocking_check_stops_uploads(good: Path, tmp_path: Path) -> None:
    broken = good.parent / "black_middle.mp4"
    black = "drawbox=enable='between(t,2,3.5)':color=black:t=fill"
    ffmpeg("-i", str(good), *h264("-vf", black), str(broken))
    result = _run(tmp_path, broken)
    assert not result.success
    by_name = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert not by_name["no_black_stretch"].passed
    assert "black picture" in by_name["no_black_stretch"].metadata["reason"].value
    assert by_name["encoding_spec"].passed
    materialized = {
        e.asset_key.to_user_string()
        for e in result.all_events
        if e.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION
    }
    assert materialized == {"videos"}, "uploads must not run after a failed blocking check"
    assert not any(e.is_step_success for e in result.all_events if e.step_key == "uploads")


def test_an_unreadable_video_fails_every_check_instead_of_crashing(
    good: Path, tmp_path: Path
) -> None:
    junk = good.parent / "junk.mp4"
    junk.write_bytes(b"\x00" * 64)
    result = _run(tmp_path, junk)
    assert not result.success
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) == len(CHECK_NAMES) and not any(e.passed for e in evaluations)
    assert "cannot measure the video" in evaluations[0].metadata["reason"].value
