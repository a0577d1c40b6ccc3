"""Speech through libespeak-ng: struct layout, audio, exact word timings and error handling."""

from __future__ import annotations

import ctypes
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from reelforge.lib import speech
from reelforge.lib.speech import Speech, available_voices, speak

SENTENCE = "The quick brown fox jumps over the lazy dog."


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))) if x.size else 0.0


def _assert_timings(s: Speech) -> None:
    previous_end = 0.0
    for text, start, end in s.words:
        assert text.strip() == text and text
        assert 0.0 <= start < end <= s.duration + 1e-9, (text, start, end)
        assert start >= previous_end, "words overlap"
        previous_end = end


@pytest.mark.skipif(ctypes.sizeof(ctypes.c_void_p) != 8, reason="layout checked for 64-bit")
def test_struct_layout_matches_speak_lib_h() -> None:
    # Offsets measured with offsetof() against /usr/include/espeak-ng/speak_lib.h (1.51).
    event = speech._Event
    offsets = {name: getattr(event, name).offset for name, _ in event._fields_}
    assert offsets == {
        "type": 0,
        "unique_identifier": 4,
        "text_position": 8,
        "length": 12,
        "audio_position": 16,
        "sample": 20,
        "user_data": 24,
        "id": 32,
    }
    assert ctypes.sizeof(event) == 40
    assert ctypes.sizeof(speech._EventId) == 8
    voice = speech._Voice
    assert ctypes.sizeof(voice) == 40
    assert (voice.gender.offset, voice.score.offset, voice.spare.offset) == (24, 28, 32)


def test_speech_is_mono_float_audio_with_one_word_per_token() -> None:
    s = speak(SENTENCE)
    assert s.sample_rate == 22050
    assert s.samples.dtype == np.float32 and s.samples.ndim == 1
    assert np.abs(s.samples).max() <= 1.0
    assert _rms(s.samples) > 0.02
    assert [w[0] for w in s.words] == SENTENCE.split()
    _assert_timings(s)
    # Silence is trimmed: the audio ends shortly after the last word.
    assert s.duration - s.words[-1][2] < 0.1
    assert 1.0 < s.duration < 5.0


def test_word_starts_line_up_with_sound_onsets() -> None:
    s = speak("Hello. World.")
    (_, _, end0), (_, start1, end1) = s.words
    sr = s.sample_rate
    # The sentence pause lies between the words, not inside the first word.
    assert start1 - end0 > 0.15
    assert _rms(s.samples[int(end0 * sr) + 50 : int(start1 * sr) - 50]) < 0.003
    assert _rms(s.samples[int(start1 * sr) : int(end1 * sr)]) > 0.03
    assert _rms(s.samples[int((end0 - 0.1) * sr) : int(end0 * sr)]) > 0.003


def test_longer_text_gives_longer_audio() -> None:
    short = speak("Hello there.")
    long = speak("Hello there. " + SENTENCE + " " + SENTENCE)
    assert long.duration > short.duration + 2.0
    assert len(long.words) == 2 + 2 * len(SENTENCE.split())


def test_faster_rate_gives_shorter_audio() -> None:
    slow = speak(SENTENCE, rate_wpm=120)
    fast = speak(SENTENCE, rate_wpm=300)
    assert fast.duration < 0.7 * slow.duration
    assert [w[0] for w in fast.words] == [w[0] for w in slow.words]


def test_numbers_and_contractions_stay_one_word() -> None:
    s = speak("In 1990, they didn't stop.")
    assert [w[0] for w in s.words] == ["In", "1990,", "they", "didn't", "stop."]
    _assert_timings(s)


@pytest.mark.parametrize(
    "text",
    [
        "She said \"run\" and 'hide'\nthen left…",
        "Café naïve — “quoted” 😀 end",
        "Привет, мир",
        "日本語のテキスト",
        "null\x00byte",
        "<b>not ssml</b> & more",
    ],
)
def test_awkward_text_does_not_crash(text: str) -> None:
    s = speak(text)
    assert _rms(s.samples) > 0.01
    tokens = text.replace("\x00", " ").split()
    spoken = [w[0] for w in s.words]
    assert spoken
    # Every reported word is an input token, in input order (merges join tokens by a space).
    joined = " ".join(spoken).split()
    assert joined == [t for t in tokens if t in joined]
    _assert_timings(s)


def test_voices_and_variants() -> None:
    voices = available_voices()
    assert {"en-us", "en-gb", "fr-fr"} <= set(voices)
    us = speak("Hello there.", voice="en-us")
    gb = speak("Hello there.", voice="en-gb")
    female = speak("Hello there.", voice="en-us+f3")
    assert not np.array_equal(us.samples[:2000], gb.samples[:2000])
    assert not np.array_equal(us.samples[:2000], female.samples[:2000])


@pytest.mark.parametrize("voice", ["xx-nope", "", "en-us+nosuchvariant"])
def test_unknown_voice_is_a_clear_error(voice: str) -> None:
    with pytest.raises(ValueError, match="espeak-ng --voices"):
        speak("Hello.", voice=voice)
    # The engine stays usable after a failed voice change.
    assert speak("Hello.").words[0][0] == "Hello."


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty_text_is_a_clear_error(text: str) -> None:
    with pytest.raises(ValueError, match="empty"):
        speak(text)


def test_unspeakable_text_and_bad_rate_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="no spoken words"):
        speak("—")
    with pytest.raises(ValueError, match="rate_wpm"):
        speak("Hello.", rate_wpm=20)


def test_concurrent_calls_are_serialised() -> None:
    # espeak-ng 1.51 keeps pitch-flutter and noise state between calls, so repeated calls are
    # not bit-identical; they must still give every thread its own text with the same timing.
    texts = [f"Thread number {n} says {SENTENCE}" for n in ("one", "two", "three", "four")]
    expected = [speak(t, rate_wpm=200 + 40 * i) for i, t in enumerate(texts)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda it: speak(it[1], rate_wpm=200 + 40 * it[0]), enumerate(texts)))
    for text, a, b in zip(texts, expected, got, strict=True):
        assert [w[0] for w in b.words] == text.split()
        assert abs(a.duration - b.duration) < 0.03
        for (_, a_start, _), (_, b_start, _) in zip(a.words, b.words, strict=True):
            assert abs(a_start - b_start) < 0.01
