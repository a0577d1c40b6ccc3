"""Malformed provider answers: wrong types, missing fields, truncated or HTML bodies, empty and
huge bodies, audio and images that are not what their content type says.

Property: every client turns any such answer into the project's `ProviderError` with a clear
message (never AttributeError/TypeError/KeyError/ValueError escaping from parsing), and an
answer that fails is never stored in the media store nor booked in the ledger.

Two layers: hypothesis feeds arbitrary JSON straight to each client's parsing (through a stub
transport, thousands of shapes in a second), and the real fake server (fault kinds "html",
"empty", "malformed" and named `responses`) checks the HTTP path end to end.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from reelforge.fakes.process import set_faults, stats
from reelforge.lib.ledger import Ledger
from reelforge.lib.media import MediaStore
from reelforge.lib.prompt_optimizer import optimize
from reelforge.lib.providers.booking import Booker, Priced
from reelforge.lib.providers.errors import ProviderError
from reelforge.lib.providers.http import CircuitBreaker, ProviderHttp, RetrySettings
from reelforge.lib.providers.images_remote import OpenAIImages, StabilityImages, check_image
from reelforge.lib.providers.llm import AnthropicMessages, OpenAIChat, write_story_with
from reelforge.lib.providers.moderation_openai import verdict_from
from reelforge.lib.providers.music_remote import ElevenLabsMusic, MusicRequest
from reelforge.lib.providers.speech_remote import ElevenLabsSpeech, OpenAISpeech, decode_wav
from reelforge.lib.story_json import StoryProblemError, parse_story

ONCE = RetrySettings(attempts=1, base_seconds=0, cap_seconds=0, read_timeout=5)
TWICE = RetrySettings(attempts=3, base_seconds=0, cap_seconds=0, read_timeout=5)
SHOT = optimize("a red planet", motion="zoom_in", genre="space", aspect="9:16", index=0)
EPISODE = "space_facts-2026-11-21"

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(
        st.sampled_from(["choices", "message", "content", "usage", "prompt_tokens", "data",
                         "b64_json", "url", "results", "categories", "category_scores",
                         "flagged", "type", "text", "stop_reason", "input_tokens", "refusal",
                         "audio_base64", "alignment", "normalized_alignment", "characters",
                         "character_start_times_seconds", "character_end_times_seconds",
                         "finish_reason", "model", "x"]),
        inner,
        max_size=5,
    ),
    max_leaves=25,
)  # fmt: skip
# Near-valid answers: the right skeleton with one part of the wrong type.
OPENAI_SHAPES = [
    [], "text", 42, None, {}, {"choices": "x"}, {"choices": []}, {"choices": ["x"]},
    {"choices": [{"message": "hi"}]}, {"choices": [{"message": {"content": {"a": 1}}}]},
    {"choices": [{"message": {"content": "x"}}], "usage": "lots"},
    {"choices": [{"message": {"content": "x"}}], "usage": {"prompt_tokens": "many"}},
    {"choices": [{"message": {"content": "x"}}], "usage": {"prompt_tokens": 1e400}},
    {"choices": [{"message": {"content": "x"}, "finish_reason": ["content_filter"]}]},
]  # fmt: skip
ANTHROPIC_SHAPES = [
    [], "text", None, {"content": "x"}, {"content": ["x"]}, {"content": [{"type": "text"}]},
    {"content": [{"type": "text", "text": 5}]}, {"content": [], "usage": []},
    {"content": [{"type": "text", "text": "x"}], "usage": {"input_tokens": "x"}},
]  # fmt: skip


class StubHttp:
    """A transport that answers every call with one decoded JSON value."""

    provider = "stub"
    settings = ONCE
    breaker = CircuitBreaker()

    def __init__(self, answer: Any) -> None:
        self.answer = answer

    def json(self, method: str, url: str, **_: Any) -> Any:
        return self.answer


def _raises_provider_error(call: Any) -> ProviderError | None:
    """Run `call`; a ProviderError is fine (returned), success is fine (None), else fail."""
    try:
        call()
    except ProviderError as err:
        assert str(err).startswith("stub"), str(err)  # names the provider
        assert len(str(err)) < 600
        return err
    return None


@given(answer=JSON)
@example(answer=OPENAI_SHAPES[8])
def test_openai_chat_parses_any_json_or_raises_a_provider_error(answer: Any) -> None:
    model = OpenAIChat(StubHttp(answer), "m")  # type: ignore[arg-type]
    _raises_provider_error(lambda: model.complete("s", "u", 10))


@pytest.mark.parametrize("answer", OPENAI_SHAPES)
def test_openai_chat_near_valid_answers(answer: Any) -> None:
    model = OpenAIChat(StubHttp(answer), "m")  # type: ignore[arg-type]
    _raises_provider_error(lambda: model.complete("s", "u", 10))


@given(answer=JSON)
def test_anthropic_parses_any_json_or_raises_a_provider_error(answer: Any) -> None:
    model = AnthropicMessages(StubHttp(answer), "m")  # type: ignore[arg-type]
    _raises_provider_error(lambda: model.complete("s", "u", 10))


@pytest.mark.parametrize("answer", ANTHROPIC_SHAPES)
def test_anthropic_near_valid_answers(answer: Any) -> None:
    model = AnthropicMessages(StubHttp(answer), "m")  # type: ignore[arg-type]
    _raises_provider_error(lambda: model.complete("s", "u", 10))


@given(answer=JSON)
@example(answer={"results": [{"categories": ["violence"]}]})
@example(answer={"results": [{"category_scores": {"violence": "high"}}]})
@example(answer={"results": [{"category_scores": {"violence": None}}]})
def test_moderation_parses_any_json_or_raises_a_provider_error(answer: Any) -> None:
    _raises_provider_error(lambda: verdict_from(answer, "stub"))


@given(answer=JSON)
@example(answer={"data": ["x"]})
@example(answer={"data": [{"b64_json": 5}]})
@example(answer={"data": [{"url": "file:///etc/passwd"}]})
def test_openai_images_parse_any_json_or_raise_a_provider_error(answer: Any) -> None:
    model = OpenAIImages(StubHttp(answer), "m", sleep=lambda _: None)  # type: ignore[arg-type]
    _raises_provider_error(lambda: model.generate(SHOT, "9:16", 1))


@given(answer=JSON)
@example(answer={"audio_base64": "AAAA", "alignment": "x"})
@example(answer=[])
def test_elevenlabs_speech_decodes_any_json_or_raises_a_provider_error(answer: Any) -> None:
    client = ElevenLabsSpeech(StubHttp(None), "m")  # type: ignore[arg-type]
    raw = json.dumps(answer).encode()
    _raises_provider_error(lambda: client.decode(raw))


@given(raw=st.binary(max_size=200) | st.just(b"RIFF\x00\x00\x00\x00WAVEfmt "))
def test_wav_and_images_that_are_not_raise_provider_errors(raw: bytes) -> None:
    _raises_provider_error(lambda: decode_wav(raw, "stub"))
    _raises_provider_error(lambda: check_image("stub", raw))


@given(answer=JSON | st.text(max_size=200))
@example(answer='{"title": "t", "hook": "h", "scenes": 4}')
@example(answer='{"title": "t", "hashtags": 7, "scenes": []}')
def test_story_answers_parse_or_raise_a_story_problem(answer: Any) -> None:
    text = answer if isinstance(answer, str) else json.dumps(answer)
    try:
        parse_story(text, genre="space", seed=1)
    except StoryProblemError as err:
        assert str(err)


def test_a_story_answer_with_a_non_list_hashtags_field_is_repaired() -> None:
    scenes = [{"narration": " ".join(["word"] * 20), "visual_prompt": "stars", "motion": "up"}]
    answer = {"title": "T", "hook": "Look.", "scenes": scenes * 4, "description": "D.",
              "hashtags": 7}  # fmt: skip
    story = parse_story(json.dumps(answer), genre="space", seed=1)
    assert story.hashtags == ["#shorts"]


def test_huge_story_fields_are_refused() -> None:
    scenes = [{"narration": "word " * 20, "visual_prompt": "x" * 100_000, "motion": "zoom_in"}]
    answer = {"title": "T" * 100_000, "hook": "Look.", "scenes": scenes * 4,
              "description": "D" * 100_000, "hashtags": ["#a" * 10_000]}  # fmt: skip
    with pytest.raises(StoryProblemError, match="too long"):
        parse_story(json.dumps(answer), genre="space", seed=1)


# --- through the real fake server --------------------------------------------------------

GIF = base64.b64decode("R0lGODlhAQABAAAAACw=")  # a truncated GIF: "image/png" that is not
HOSTILE = {
    "not_png": {"status": 200, "content_type": "image/png", "body": "GIF89a\x01\x00garbage"},
    "png_header_only": {"status": 200, "content_type": "image/png",
                        "body": "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
    "json_list": {"status": 200, "body": "[1, 2, 3]"},
    "json_string": {"status": 200, "body": '"ok"'},
    "wrong_types": {"status": 200, "body": '{"choices": [{"message": "hello"}]}'},
    "html200": {"status": 200, "content_type": "text/html", "body": "<html>login</html>"},
    "huge": {"status": 200, "content_type": "application/json", "body": "x", "repeat": 5_000_000},
    "text_audio": {"status": 200, "content_type": "text/plain", "body": "not audio"},
    "wav_lies": {"status": 200, "content_type": "audio/wav", "body": "RIFF0000WAVEjunk"},
}  # fmt: skip


def _http(name: str, base: str, settings: RetrySettings = ONCE) -> ProviderHttp:
    return ProviderHttp(name, base, {"Authorization": "Bearer k"}, settings, CircuitBreaker(),
                        sleep=lambda _: None)  # fmt: skip


def _chat(fake: str) -> OpenAIChat:
    return OpenAIChat(_http("openai", f"{fake}/openai/v1"), "gpt-4o-mini")


def _anthropic(fake: str) -> AnthropicMessages:
    return AnthropicMessages(_http("anthropic", f"{fake}/anthropic"), "claude")


@pytest.mark.parametrize(
    "kind", ["malformed", "html", "empty", "json_list", "json_string", "wrong_types", "html200",
             "huge"],
)  # fmt: skip
@pytest.mark.parametrize(("factory", "route"), [(_chat, "openai.chat"),
                                                (_anthropic, "anthropic.messages")])  # fmt: skip
def test_story_models_turn_hostile_http_answers_into_provider_errors(
    fake: str, factory, route: str, kind: str
) -> None:
    set_faults(fake, responses=HOSTILE, script={route: [kind]})
    with pytest.raises(ProviderError) as err:
        factory(fake).complete("system", "user", 10)
    assert err.value.provider in ("openai", "anthropic")
    assert len(str(err.value)) < 600  # a 5 MB body is not pasted into the message


def test_openai_images_html_and_empty_bodies(fake: str) -> None:
    for kind in ("html", "empty", "json_list", "html200"):
        set_faults(fake, responses=HOSTILE, script={"openai.images": [kind]})
        with pytest.raises(ProviderError):
            OpenAIImages(_http("openai", f"{fake}/openai/v1"), "gpt-image-1").generate(
                SHOT, "9:16", 1
            )


@pytest.mark.parametrize("kind", ["not_png", "png_header_only", "empty", "html200"])
def test_an_image_that_is_not_one_is_never_stored_or_booked(
    fake: str, tmp_path: Path, kind: str
) -> None:
    ledger = Ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    store = MediaStore(tmp_path / "media")
    booker = Booker(ledger, store, EPISODE, "scene_images")
    model = StabilityImages(_http("stability", f"{fake}/stability", TWICE), "core")
    set_faults(fake, responses=HOSTILE, script={"stability.images": [kind] * 3})

    def call() -> Priced:
        picture = model.generate(SHOT, "9:16", 1)
        return Priced(picture.data, "images", 1, 0.03, picture.suffix)

    with pytest.raises(ProviderError, match="not an image"):
        booker.call("stability", "core", {"prompt": SHOT.prompt}, call, estimate_usd=0.03)
    assert ledger.calls_for(EPISODE) == []
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.*"))
    # Garbage twice, then a real picture: booked exactly once, and a re-run pays nothing.
    set_faults(fake, responses=HOSTILE, script={"stability.images": [kind, kind]})
    payload, reused = booker.call("stability", "core", {"prompt": SHOT.prompt}, call, 0.03)
    assert not reused and check_image("x", payload)
    again, reused = booker.call("stability", "core", {"prompt": SHOT.prompt}, call, 0.03)
    assert reused and again == payload
    assert len(ledger.calls_for(EPISODE)) == 1
    assert stats(fake)["stability.images.ok"] == 1


@pytest.mark.parametrize("kind", ["text_audio", "wav_lies", "empty", "html", "json_list"])
def test_speech_and_music_refuse_answers_that_are_not_audio(fake: str, kind: str) -> None:
    set_faults(fake, responses=HOSTILE,
               script={"openai.speech": [kind], "elevenlabs.tts": [kind],
                       "elevenlabs.music": [kind]})  # fmt: skip
    with pytest.raises(ProviderError):
        OpenAISpeech(_http("openai", f"{fake}/openai/v1"), "tts").fetch("Hello.", "alloy")
    with pytest.raises(ProviderError):
        ElevenLabsSpeech(_http("elevenlabs", f"{fake}/elevenlabs"), "m").fetch("Hello.", "v")
    request = MusicRequest(prompt="calm", seconds=10, model="music_v1")
    music = ElevenLabsMusic(_http("elevenlabs", f"{fake}/elevenlabs"), "music_v1")
    if kind in ("wav_lies",):
        # The content type says audio: the client passes the bytes on, and the decoder
        # (music_fit via ffmpeg) refuses them where the bed is made (test_music_remote).
        assert music.generate(request)
    else:
        with pytest.raises(ProviderError):
            music.generate(request)


def test_write_story_gives_up_with_a_provider_error_on_answers_that_never_parse(
    fake: str,
) -> None:
    body = {"status": 200, "body": json.dumps(
        {"choices": [{"message": {"content": '{"title": 5}'}}], "usage": {}})}  # fmt: skip
    set_faults(fake, responses={"junk": body}, script={"openai.chat": ["junk"] * 3})
    with pytest.raises(ProviderError, match="no valid story after 3 tries"):
        write_story_with(_chat(fake), "s", "u", genre="space", seed=1)
