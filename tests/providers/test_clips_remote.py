"""Motion clip clients against the fakes: fal.ai queue, Veo, Sora; polling, download, booking."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from reelforge.constants import DEFAULT_PRICES
from reelforge.defs.resources.clip_providers import LOCAL_PROVIDER, ClipProviders
from reelforge.defs.resources.provider_set import Endpoint
from reelforge.fakes.process import set_faults, stats
from reelforge.lib.clips_local import frame_count, ken_burns_clip
from reelforge.lib.ledger import Ledger
from reelforge.lib.media import MediaStore
from reelforge.lib.providers.booking import Booker
from reelforge.lib.providers.clip_spec import ClipRequest, pick_seconds, pick_tier
from reelforge.lib.providers.clips_remote import FalVideo, SoraVideo, VeoVideo
from reelforge.lib.providers.errors import ProviderError
from reelforge.lib.providers.http import CircuitBreaker, ProviderHttp, RetrySettings
from reelforge.lib.providers.jobs import PollSettings, looks_like_mp4, poll
from reelforge.lib.render.probe import video_info

FAST = RetrySettings(attempts=4, base_seconds=0.01, cap_seconds=0.02, read_timeout=5)
MODELS = {"fal": "fal-ai/kling-video/v2.1/standard/image-to-video",
          "veo": "veo-3.0-fast-generate-001", "openai": "sora-2"}  # fmt: skip
ROUTES = {"fal": ("fal.video.submit", "fal.video.status", "fal.video.download"),
          "veo": ("veo.submit", "veo.poll", "veo.download"),
          "openai": ("sora.create", "sora.poll", "sora.content")}  # fmt: skip
HEADERS = {"fal": {"Authorization": "Key test"}, "veo": {"x-goog-api-key": "test"},
           "openai": {"Authorization": "Bearer sk-test"}}  # fmt: skip
BASES = {"fal": "fal", "veo": "veo", "openai": "openai/v1"}
CLIENTS = {"fal": FalVideo, "veo": VeoVideo, "openai": SoraVideo}


class FakeClock:
    """Time that passes only when the code under test sleeps."""

    def __init__(self) -> None:
        self.now, self.sleeps = 0.0, []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture()
def still(tmp_path: Path) -> Path:
    path = tmp_path / "still.png"
    Image.new("RGB", (72, 128), (30, 90, 160)).save(path)
    return path


def _client(fake: str, name: str, clock: FakeClock, deadline: float = 600.0):
    http = ProviderHttp(name, f"{fake}/{BASES[name]}", HEADERS[name], FAST, CircuitBreaker(),
                        sleep=lambda _: None)  # fmt: skip
    settings = PollSettings(interval=10, max_interval=40, deadline=deadline)
    return CLIENTS[name](http, MODELS[name], settings, clock=clock, sleep=clock.sleep)


def _request(still: Path, seconds: float = 3.2) -> ClipRequest:
    return ClipRequest(still, "a calm nebula", seconds, 72, 128)


@pytest.mark.parametrize("name", ["fal", "veo", "openai"])
def test_each_protocol_submits_polls_and_downloads_a_real_mp4(
    fake: str, name: str, still: Path, tmp_path: Path
) -> None:
    set_faults(fake, options={"clips.polls": 3})
    clock = FakeClock()
    result = _client(fake, name, clock).generate(_request(still), tmp_path / "clip.mp4")
    info = video_info(result.path)
    assert info.video_codec == "h264" and info.height > info.width  # portrait, as asked
    assert abs(info.duration - result.spec.seconds) < 0.2
    assert result.spec.seconds == {"fal": 5, "veo": 4, "openai": 4}[name]
    assert clock.sleeps == [10, 15]  # backoff between the three polls, no sleep after the last
    submit, status, download = ROUTES[name]
    counts = stats(fake)
    assert counts[f"{submit}.ok"] == counts[f"{download}.ok"] == 1
    assert counts[f"{status}.ok"] == 3


@pytest.mark.parametrize("name", ["fal", "veo", "openai"])
def test_pending_past_the_deadline_is_a_clear_final_failure(
    fake: str, name: str, still: Path, tmp_path: Path
) -> None:
    set_faults(fake, options={"clips.pending": True})
    clock = FakeClock()
    with pytest.raises(ProviderError, match=r"still pending after 100 s") as err:
        _client(fake, name, clock, deadline=100).generate(_request(still), tmp_path / "c.mp4")
    assert not err.value.retryable and not err.value.safety
    assert clock.now == 100  # the last wait is cut to the deadline
    assert not (tmp_path / "c.mp4").exists()


@pytest.mark.parametrize("name", ["fal", "veo", "openai"])
def test_expired_download_link_fails_clearly(
    fake: str, name: str, still: Path, tmp_path: Path
) -> None:
    set_faults(fake, options={"clips.expired": True, "clips.polls": 1})
    with pytest.raises(ProviderError, match="expired or is gone") as err:
        _client(fake, name, FakeClock()).generate(_request(still), tmp_path / "c.mp4")
    assert err.value.status in (403, 404) and not err.value.retryable
    assert stats(fake)[f"{ROUTES[name][2]}.requests"] == 1  # a gone link is not asked again


@pytest.mark.parametrize("name", ["fal", "veo", "openai"])
def test_safety_refusal_is_flagged(fake: str, name: str, still: Path, tmp_path: Path) -> None:
    set_faults(fake, options={"clips.safety": True, "clips.polls": 1})
    with pytest.raises(ProviderError) as err:
        _client(fake, name, FakeClock()).generate(_request(still), tmp_path / "c.mp4")
    assert err.value.safety and not err.value.retryable


def test_poll_faults_are_retried_and_the_download_survives_drops(
    fake: str, still: Path, tmp_path: Path
) -> None:
    script = {"veo.poll": ["429", "500", "drop"], "veo.download": ["drop", "503"]}
    set_faults(fake, retry_after=0, options={"clips.polls": 2}, script=script)
    result = _client(fake, "veo", FakeClock()).generate(_request(still), tmp_path / "c.mp4")
    assert looks_like_mp4(result.path.read_bytes()[:16])
    counts = stats(fake)
    assert counts["veo.poll.requests"] == 5 and counts["veo.poll.ok"] == 2
    assert counts["veo.download.requests"] == 3 and counts["veo.download.ok"] == 1


def test_a_poll_whose_retries_run_out_keeps_polling_until_done() -> None:
    clock, answers = FakeClock(), iter([None, "fault", None, "done"])

    def check() -> str | None:
        answer = next(answers)
        if answer == "fault":
            raise ProviderError("veo", "upstream failure", status=503, retryable=True)
        return answer

    assert poll("veo", "op1", check, PollSettings(interval=1, backoff=2), clock=clock,
                sleep=clock.sleep) == "done"  # fmt: skip
    assert clock.sleeps == [1, 2, 4]


def test_lengths_and_tiers_round_up_to_what_providers_offer() -> None:
    assert pick_seconds(3.2, (4, 6, 8)) == 4 and pick_seconds(6.0, (4, 6, 8)) == 6
    assert pick_seconds(6.01, (4, 6, 8)) == 8 and pick_seconds(30, (5, 10)) == 10
    assert pick_tier(180, 320, ("480p", "720p", "1080p")) == "480p"
    assert pick_tier(1080, 1920, ("720p", "1080p")) == "1080p"
    assert pick_tier(2160, 3840, ("720p", "1080p")) == "1080p"


def test_ken_burns_clip_has_the_render_size_and_exact_length(still: Path, tmp_path: Path) -> None:
    out = ken_burns_clip(still, tmp_path / "kb.mp4", motion="pan_left", seconds=1.55,
                         width=64, height=112, fps=30, preset="ultrafast")  # fmt: skip
    info = video_info(out)
    assert (info.video_codec, info.width, info.height) == ("h264", 64, 112)
    assert info.frames == frame_count(1.55, 30) == 47 and not info.has_audio


def _providers(fake: str, **kw: object) -> ClipProviders:
    endpoints = [Endpoint(name=n, protocol=n, base_url=f"{fake}/{BASES[n]}", api_key="test",
                          model=MODELS[n]) for n in ("veo", "fal", "openai")]  # fmt: skip
    settings = {"mode": "remote", "endpoints": endpoints, "prices_path": str(DEFAULT_PRICES),
                "retry_attempts": 2, "poll_interval": 0.01, "poll_max_interval": 0.02,
                "deadline_seconds": 2.0, "preset": "ultrafast"}  # fmt: skip
    return ClipProviders(**{**settings, **kw})


def _booker(tmp: Path) -> Booker:
    ledger = Ledger(f"sqlite:///{tmp / 'ledger.sqlite'}")
    return Booker(ledger, MediaStore(tmp / "media"), "ep-1", "scene_clips")


def _clip(providers: ClipProviders, still: Path, booker: Booker, wanted: list[str]):
    return providers.clip(still, prompt="a calm nebula", motion="zoom_in", seconds=2.2,
                          size=(72, 128), wanted=wanted, booker=booker)  # fmt: skip


def test_completed_clips_are_booked_once_and_reruns_call_nobody(
    fake: str, still: Path, tmp_path: Path
) -> None:
    set_faults(fake, options={"clips.polls": 1})
    providers, booker = _providers(fake), _booker(tmp_path)
    served = _clip(providers, still, booker, ["openai"])
    assert served.provider == "openai" and served.value.is_file()
    assert served.value.is_relative_to(booker.store.root)  # kept in the media store
    rows = booker.ledger.calls_for("ep-1")
    assert len(rows) == stats(fake)["sora.content.ok"] == stats(fake)["billable.ok"] == 1
    assert rows[0]["units"] == 4 and rows[0]["cost_usd"] == pytest.approx(4 * 0.10)
    before = stats(fake)
    again = _clip(providers, still, booker, ["openai"])
    assert again.value == served.value and stats(fake) == before
    assert len(booker.ledger.calls_for("ep-1")) == 1


def test_failed_jobs_cost_nothing_and_fall_back_to_ken_burns(
    fake: str, still: Path, tmp_path: Path
) -> None:
    # veo refuses (safety), fal never finishes, openai's link has expired: Ken Burns it is.
    set_faults(fake, options={"clips.safety": True, "clips.polls": 1})
    providers, booker = _providers(fake, deadline_seconds=0.05), _booker(tmp_path)
    refused = _clip(providers, still, booker, ["veo"])
    set_faults(fake, options={"clips.pending": True})
    pending = _clip(providers, still, booker, ["fal"])
    set_faults(fake, options={"clips.expired": True, "clips.polls": 1})
    expired = _clip(providers, still, booker, ["openai"])
    for served, name in ((refused, "veo"), (pending, "fal"), (expired, "openai")):
        assert served.provider == "local"
        assert served.summary.startswith(f"{name} ✗") and served.summary.endswith("local ✓")
    assert "safety" in refused.summary and "pending" in pending.summary
    assert "expired" in expired.summary
    rows = booker.ledger.calls_for("ep-1")
    assert {r["provider"] for r in rows} == {LOCAL_PROVIDER}  # no remote cost row at all
    assert sum(r["cost_usd"] for r in rows) == 0
    info = video_info(expired.value)
    assert (info.width, info.height, info.frames) == (72, 128, frame_count(2.2, 30))


def test_local_mode_never_calls_out(fake: str, still: Path, tmp_path: Path) -> None:
    providers = _providers(fake).model_copy(update={"mode": "local"})
    served = _clip(providers, still, _booker(tmp_path), ["veo", "fal"])
    assert served.provider == "local" and stats(fake) == {}
