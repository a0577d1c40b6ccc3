"""One partition materialized end to end through Dagster, checked with ffprobe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest
from PIL import Image

from reelforge.definitions import defs
from reelforge.lib import outbox
from reelforge.lib.qc import CHECK_NAMES
from reelforge.lib.render import load_manifest, render
from reelforge.lib.warehouse import query
from reelforge.partitions import episode_key
from reelforge.settings import load_settings

pytestmark = pytest.mark.slow


def _probe(path: Path) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout)


def _mean_volume_db(path: Path) -> float:
    out = subprocess.run(
        ["ffmpeg", "-nostdin", "-i", str(path), "-af", "volumedetect", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = next(x for x in out.stderr.splitlines() if "mean_volume" in x)
    return float(line.split("mean_volume:")[1].split("dB")[0])


def _frame(video: Path, at: float) -> bytes:
    out = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-ss", f"{at:.3f}", "-i", str(video),
         "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        capture_output=True, check=True,
    )  # fmt: skip
    return out.stdout


def _provider_calls(episode: dg.ExecuteInProcessResult) -> int:
    """Ledger rows of one offline episode: story, narration and music one each, and one
    per picture (the title card and every scene)."""
    return 3 + 1 + len(episode.output_for_node("story").scenes)


@pytest.fixture(scope="module")
def episode() -> dg.ExecuteInProcessResult:
    job = defs().resolve_job_def("episode")
    instance = dg.DagsterInstance.get()
    result = job.execute_in_process(
        partition_key=episode_key("2026-11-21", "space_facts"), instance=instance
    )
    assert result.success
    return result


def test_episode_produces_a_real_video(episode: dg.ExecuteInProcessResult) -> None:
    settings = load_settings()
    videos = episode.output_for_node("videos")
    video = settings.media_root / videos.videos[0].video_key
    info = _probe(video)
    streams = {s["codec_type"]: s for s in info["streams"]}
    assert streams["video"]["codec_name"] == "h264"
    assert streams["audio"]["codec_name"] == "aac"
    assert (streams["video"]["width"], streams["video"]["height"]) == (180, 320)
    assert streams["video"]["r_frame_rate"] == "30/1"
    duration = float(info["format"]["duration"])
    assert 20 <= duration <= 90
    assert _mean_volume_db(video) > -35, "the soundtrack should carry speech, not silence"

    story = episode.output_for_node("story")
    assert 80 <= story.word_count <= 200
    narration = episode.output_for_node("narration")
    assert narration.words[-1].end <= duration


def test_every_qc_check_on_videos_passed(episode: dg.ExecuteInProcessResult) -> None:
    evaluations = [
        e for e in episode.get_asset_check_evaluations() if e.asset_key == dg.AssetKey("videos")
    ]
    assert sorted(e.check_name for e in evaluations) == sorted(CHECK_NAMES)
    failed = {e.check_name: e.metadata["reason"].value for e in evaluations if not e.passed}
    assert failed == {}
    assert {e.partition for e in evaluations} == {episode_key("2026-11-21", "space_facts")}


def test_videos_have_titled_thumbnails(episode: dg.ExecuteInProcessResult) -> None:
    media = load_settings().media_root
    video = episode.output_for_node("videos").videos[0]
    for key, size in (
        (video.thumbnail_landscape_key, (1280, 720)),
        (video.thumbnail_portrait_key, (1080, 1920)),
    ):
        with Image.open(media / key) as image:
            assert (image.format, image.size) == ("JPEG", size)
    metadata = episode.asset_materializations_for_node("videos")[0].metadata
    assert metadata["preview"].value.count("data:image/jpeg;base64,") == 2


def test_captions_are_burned_in(episode: dg.ExecuteInProcessResult, tmp_path: Path) -> None:
    settings = load_settings()
    folder = settings.home / "episodes" / "space_facts" / "2026-11-21"
    manifest = json.loads((folder / "manifest_9x16.json").read_text())
    manifest["captions"] = []
    manifest["output"]["path"] = "no_captions.mp4"
    bare = folder / "manifest_bare.json"
    bare.write_text(json.dumps(manifest))
    plain = render(load_manifest(bare), preset="ultrafast").path
    narration = episode.output_for_node("narration")
    word = narration.words[len(narration.words) // 2]
    at = (word.start + word.end) / 2
    with_captions = _frame(folder / "video_9x16.mp4", at)
    without = _frame(plain, at)
    width, height = 180, 320
    rows = range(int(height * 0.45), int(height * 0.85))
    diff = sum(
        abs(with_captions[r * width + c] - without[r * width + c]) > 40
        for r in rows
        for c in range(width)
    )
    assert diff > 150, "caption text should change the lower part of the frame"


def test_rerun_publishes_nothing_twice(episode: dg.ExecuteInProcessResult) -> None:
    settings = load_settings()
    uploads = episode.output_for_node("uploads")
    assert [p.platform for p in uploads.posts] == ["outbox"]
    before = outbox.entries(settings.outbox_root)
    calls_before = query(settings.warehouse_path, "select count(*) from provider_calls")[0][0]
    again = (
        defs()
        .resolve_job_def("episode")
        .execute_in_process(
            partition_key=episode_key("2026-11-21", "space_facts"),
            instance=dg.DagsterInstance.get(),
        )
    )
    assert again.success
    assert outbox.entries(settings.outbox_root) == before
    assert len(before) == 1
    second = again.output_for_node("uploads")
    assert second.posts[0].post_id == uploads.posts[0].post_id
    assert not second.posts[0].newly_published
    calls_after = query(settings.warehouse_path, "select count(*) from provider_calls")[0][0]
    assert calls_after == calls_before == _provider_calls(episode)
    snaps = query(settings.warehouse_path, "select count(*) from engagement")[0][0]
    assert snaps == 4
    joined = query(
        settings.warehouse_path,
        "select age_hours, genre, posting_hour from engagement_by_plan order by age_hours",
    )
    assert joined == [(a, "space", 17) for a in (1, 24, 72, 168)]


def test_dbt_builds_on_the_episode_warehouse(
    episode: dg.ExecuteInProcessResult, tmp_path: Path
) -> None:
    settings = load_settings()
    project = Path(__file__).resolve().parents[1] / "dbt"
    dbt = Path(sys.executable).parent / "dbt"
    proc = subprocess.run(
        [str(dbt), "build", "--project-dir", str(project), "--profiles-dir", str(project),
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        capture_output=True, text=True, check=False,
        env={**os.environ, "REELFORGE_WAREHOUSE": str(settings.warehouse_path)},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:]
    rows = query(settings.warehouse_path, "select episode_id, provider_calls from cost_per_episode")
    assert rows == [("space_facts-2026-11-21", _provider_calls(episode))]


def test_dashboard_shows_empty_state_then_episodes(
    episode: dg.ExecuteInProcessResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    app = str(Path(__file__).resolve().parents[1] / "dashboards" / "app.py")
    home = load_settings().home
    monkeypatch.setenv("REELFORGE_HOME", str(tmp_path / "fresh"))
    empty = AppTest.from_file(app, default_timeout=30).run()
    assert not empty.exception
    assert "make demo" in empty.info[0].value
    monkeypatch.setenv("REELFORGE_HOME", str(home))
    full = AppTest.from_file(app, default_timeout=30).run()
    assert not full.exception
    assert full.metric[0].value == "1"
    assert set(full.dataframe[0].value["channel"]) == {"space_facts"}
    full.switch_page("views/episodes.py").run()
    assert "space_facts-2026-11-21" in set(full.dataframe[0].value["episode_id"])
