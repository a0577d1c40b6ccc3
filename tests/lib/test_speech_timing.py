"""Timings for non-espeak speech: character grouping, scaling, trimming, WAV decoding."""

from __future__ import annotations

import numpy as np
import pytest

from reelforge.fakes.speech import character_alignment, streamed_wav
from reelforge.lib.narration import compose
from reelforge.lib.providers.errors import InvalidResponseError
from reelforge.lib.providers.speech_remote import decode_wav
from reelforge.lib.speech import Speech
from reelforge.lib.speech_timing import (
    fit,
    from_bytes,
    scale_reference,
    to_bytes,
    words_from_characters,
)

RATE = 16000


def _tone(seconds: float, lead: float = 0.0, tail: float = 0.0) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    voice = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    return np.concatenate(
        [np.zeros(round(lead * RATE), np.float32), voice, np.zeros(round(tail * RATE), np.float32)]
    )


def test_characters_group_into_whitespace_words() -> None:
    text = "Hi  there, you"
    align = character_alignment(text, [("Hi", 0.0, 0.2), ("there,", 0.3, 0.8), ("you", 0.9, 1.2)])
    words = words_from_characters(
        align["characters"],
        align["character_start_times_seconds"],
        align["character_end_times_seconds"],
    )
    assert words == [("Hi", 0.0, 0.2), ("there,", 0.3, 0.8), ("you", 0.9, 1.2)]
    with pytest.raises(ValueError, match="length"):
        words_from_characters(["a"], [0.0, 1.0], [1.0])


def test_reference_words_are_scaled_onto_the_voiced_span() -> None:
    reference = Speech(np.zeros(10, np.float32), RATE, [("a", 0.5, 1.0), ("b", 1.0, 1.5)])
    audio = _tone(2.0, lead=0.5, tail=0.5)
    words = scale_reference(reference, audio, RATE)
    assert words[0][1] == pytest.approx(0.5, abs=0.01)
    assert words[1][1] == pytest.approx(1.5, abs=0.01)
    assert words[1][2] == pytest.approx(2.5, abs=0.01)


def test_fit_trims_silence_and_cleans_overlaps() -> None:
    audio = _tone(1.0, lead=0.4, tail=0.6)
    spoken = fit(audio, RATE, [("a", 0.4, 0.9), ("b", 0.85, 0.86), ("c", 0.9, 1.4)])
    assert spoken.duration == pytest.approx(0.02 + 1.0 + 0.05, abs=0.01)
    assert [w[0] for w in spoken.words] == ["a b", "c"]  # "b" had no time of its own
    assert all(0 <= a < b <= spoken.duration for _, a, b in spoken.words)
    with pytest.raises(ValueError, match="silent"):
        fit(np.zeros(RATE, np.float32), RATE, [("a", 0.0, 1.0)])


def test_clips_round_trip_through_bytes() -> None:
    clips = [Speech(_tone(0.2), RATE, [("x", 0.0, 0.2)]), Speech(_tone(0.1), 24000, [])]
    back = from_bytes(to_bytes(clips))
    assert [(c.sample_rate, c.words) for c in back] == [(RATE, [("x", 0.0, 0.2)]), (24000, [])]
    assert np.array_equal(back[0].samples, clips[0].samples)


def test_streamed_wav_headers_decode_and_garbage_does_not() -> None:
    samples, rate = decode_wav(streamed_wav(_tone(0.5), 24000), "openai")
    assert rate == 24000 and len(samples) == round(0.5 * RATE)
    for garbage in (b'{"id": "broken", "choices": [', b"RIFF\x00\x00\x00\x00WAVE"):
        with pytest.raises(InvalidResponseError) as err:
            decode_wav(garbage, "openai")
        assert err.value.retryable


def test_compose_resamples_clips_to_one_rate(tmp_path) -> None:
    clips = [Speech(_tone(0.5), RATE, [("a", 0.0, 0.5)]), Speech(_tone(0.5), 8000, [])]
    clips[1] = Speech(clips[1].samples[:4000], 8000, [("b", 0.0, 0.5)])
    n = compose(["a", "b"], tmp_path / "n.wav", speak_all=lambda texts: clips)
    assert n.sample_rate == RATE
    assert n.segments[1].end - n.segments[1].start == pytest.approx(0.5 + 0.25, abs=0.01)
