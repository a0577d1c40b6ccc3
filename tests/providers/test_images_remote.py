"""Image model clients against the fake server: protocols, faults, refusals, stuck jobs."""

from __future__ import annotations

import pytest

from reelforge.fakes.process import set_faults, stats
from reelforge.lib.prompt_optimizer import optimize
from reelforge.lib.providers.errors import InvalidResponseError, ProviderError
from reelforge.lib.providers.http import CircuitBreaker, ProviderHttp, RetrySettings
from reelforge.lib.providers.images_remote import (
    FalQueue,
    ImageModel,
    OpenAIImages,
    StabilityImages,
    fit,
)
from reelforge.lib.providers.jobs import PollSettings

FAST = RetrySettings(attempts=5, base_seconds=0.01, cap_seconds=0.02, read_timeout=5)
SIZE = (90, 160)
SHOT = optimize("a red planet over a crimson desert", motion="zoom_in", genre="space",
                aspect="9:16", index=0)  # fmt: skip
QUICK_POLL = PollSettings(interval=0.005, max_interval=0.01, deadline=5)


def _http(name: str, base: str, headers: dict[str, str]) -> ProviderHttp:
    return ProviderHttp(name, base, headers, FAST, CircuitBreaker(), sleep=lambda _: None)


def openai(fake: str) -> OpenAIImages:
    http = _http("openai", f"{fake}/openai/v1", {"Authorization": "Bearer sk-test"})
    return OpenAIImages(http, "gpt-image-1", sleep=lambda _: None)


def stability(fake: str) -> StabilityImages:
    return StabilityImages(
        _http("stability", f"{fake}/stability", {"Authorization": "Bearer sk-test"}), "core"
    )


def fal(fake: str, poll: PollSettings = QUICK_POLL) -> FalQueue:
    http = _http("fal", f"{fake}/fal", {"Authorization": "Key fal-test"})
    return FalQueue(http, "fal-ai/flux/schnell", poll, sleep=lambda _: None)


CLIENTS = [openai, stability, fal]
BILLABLE = {"openai": "openai.images", "stability": "stability.images", "fal": "fal.submit"}


@pytest.mark.parametrize("factory", CLIENTS)
@pytest.mark.parametrize("aspect", ["9:16", "16:9"])
def test_each_protocol_returns_a_picture_of_the_render_size(
    fake: str, factory, aspect: str
) -> None:
    model: ImageModel = factory(fake)
    picture = model.generate(SHOT, aspect, seed=7)
    assert picture.suffix == ".png" and picture.width >= 16
    size = SIZE if aspect == "9:16" else SIZE[::-1]
    image = fit(picture.data, size)
    assert image.size == size and image.mode == "RGB"
    assert len(image.getcolors(size[0] * size[1]) or []) > 50  # a real picture, not a flat fill
    assert stats(fake)[f"{BILLABLE[model.provider]}.ok"] == 1


def test_openai_download_links_are_fetched_without_the_key(fake: str) -> None:
    set_faults(fake, options={"images.url": True}, script={"openai.download": ["500", "drop"]})
    picture = openai(fake).generate(SHOT, "1:1", seed=1)
    assert fit(picture.data, (64, 64)).size == (64, 64)
    counts = stats(fake)
    assert counts["openai.download.requests"] == 3 and counts["openai.download.ok"] == 1


def test_faults_on_every_route_recover(fake: str) -> None:
    set_faults(fake, retry_after=0, script={
        "openai.images": ["429", "500", "drop", "malformed"],
        "stability.images": ["503", "malformed"],  # a garbled body is not a picture: retried
        "fal.submit": ["429"], "fal.status": ["drop", "500"], "fal.result": ["malformed"],
        "fal.download": ["500", "malformed"],
    })  # fmt: skip
    for factory in CLIENTS:
        assert fit(factory(fake).generate(SHOT, "9:16", 3).data, SIZE).size == SIZE
    counts = stats(fake)
    assert counts["openai.images.ok"] == counts["stability.images.ok"] == 1
    assert counts["fal.submit.ok"] == counts["fal.download.ok"] == 1
    assert counts["fal.download.requests"] == 3
    assert "fal.download.with_key" not in counts  # the CDN never saw our key


@pytest.mark.parametrize("factory", CLIENTS)
def test_safety_refusals_are_final_and_flagged(fake: str, factory) -> None:
    set_faults(fake, options={"images.refuse": True})
    model = factory(fake)
    with pytest.raises(ProviderError) as err:
        model.generate(SHOT, "9:16", 1)
    assert err.value.safety and not err.value.retryable
    assert stats(fake)[f"{BILLABLE[model.provider]}.requests"] == 1  # not retried


@pytest.mark.parametrize("factory", CLIENTS)
def test_answers_that_are_not_pictures_are_rejected(fake: str, factory) -> None:
    set_faults(fake, options={"images.garbage": True})
    with pytest.raises(InvalidResponseError, match="not an image"):
        factory(fake).generate(SHOT, "9:16", 1)


def test_a_fal_job_stuck_pending_fails_at_its_deadline(fake: str) -> None:
    set_faults(fake, options={"images.pending": True})
    model = fal(fake, PollSettings(interval=0.01, max_interval=0.02, deadline=0.3))
    with pytest.raises(ProviderError, match="still pending") as err:
        model.generate(SHOT, "9:16", 1)
    assert not err.value.retryable
    counts = stats(fake)
    assert counts["fal.status.requests"] >= 2 and "fal.result.requests" not in counts
