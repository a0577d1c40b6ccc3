"""Remote speech against the fake server: protocols, timings, faults, chains and booking."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reelforge.constants import DEFAULT_PRICES
from reelforge.defs.resources.provider_set import Endpoint
from reelforge.defs.resources.speech_providers import SpeechProviders
from reelforge.fakes.process import set_faults, stats
from reelforge.lib import wavio
from reelforge.lib.ledger import Ledger
from reelforge.lib.media import MediaStore
from reelforge.lib.narration import Narration, compose
from reelforge.lib.providers.booking import Booker
from reelforge.lib.providers.errors import ProviderError
from reelforge.lib.providers.http import CircuitBreaker, ProviderHttp, RetrySettings
from reelforge.lib.providers.speech_engines import espeak_reference, remote_speaker
from reelforge.lib.providers.speech_remote import ElevenLabsSpeech, OpenAISpeech

TEXTS = ["Did you know the Moon is drifting away?", "It moves about four centimetres a year."]
SECRET = "sk-test-DO-NOT-LEAK-1234567890"
FAST = RetrySettings(attempts=5, base_seconds=0.01, cap_seconds=0.05, read_timeout=5)
EPISODE = "space_facts-2026-11-21"


def _elevenlabs(fake: str, key: str = SECRET) -> ElevenLabsSpeech:
    headers = {"xi-api-key": key} if key else {}
    http = ProviderHttp("elevenlabs", f"{fake}/elevenlabs", headers, FAST, CircuitBreaker())
    return ElevenLabsSpeech(http, "eleven_multilingual_v2")


def _openai(fake: str, key: str = SECRET) -> OpenAISpeech:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    http = ProviderHttp("openai", f"{fake}/openai/v1", headers, FAST, CircuitBreaker())
    return OpenAISpeech(http, "gpt-4o-mini-tts")


def _booker(tmp: Path) -> Booker:
    ledger = Ledger(f"sqlite:///{tmp / 'ledger.sqlite'}")
    return Booker(ledger, MediaStore(tmp / "media"), EPISODE, "narration")


def _speak(client, voice: str, tmp: Path) -> Narration:
    engine = remote_speaker(
        client, voice, _booker(tmp), lambda chars: chars / 1000, espeak_reference("en-us", 170)
    )
    return compose(TEXTS, tmp / "n.wav", speak_all=engine.speak_all)


def _assert_speech_with_timings(n: Narration, wav: Path) -> None:
    audio, rate = wavio.read_wav(wav)
    assert rate == n.sample_rate and len(audio) / rate == pytest.approx(n.duration)
    assert [w.text for w in n.words] == " ".join(TEXTS).split()
    previous = 0.0
    for w in n.words:
        assert previous <= w.start < w.end <= n.duration
        previous = w.end
        span = audio[int(w.start * rate) : int(w.end * rate)]
        assert np.sqrt(np.mean(span.astype(np.float64) ** 2)) > 0.01, w  # voiced, not silence
    assert n.integrated_lufs == pytest.approx(-16.0, abs=0.5)


@pytest.mark.parametrize(("factory", "voice"), [(_elevenlabs, "voice123"), (_openai, "alloy")])
def test_both_protocols_give_speech_with_word_timings(
    fake: str, tmp_path: Path, factory, voice: str
) -> None:
    n = _speak(factory(fake), voice, tmp_path)
    _assert_speech_with_timings(n, tmp_path / "n.wav")
    route = "elevenlabs.tts" if factory is _elevenlabs else "openai.speech"
    assert stats(fake)[f"{route}.ok"] == len(TEXTS)


@pytest.mark.parametrize("factory", [_elevenlabs, _openai])
def test_rate_limits_errors_drops_and_garbage_are_retried(
    fake: str, tmp_path: Path, factory
) -> None:
    route = "elevenlabs.tts" if factory is _elevenlabs else "openai.speech"
    set_faults(fake, script={route: ["429", "500", "drop", "malformed"]})
    raw = factory(fake).fetch(TEXTS[0], "alloy")
    assert factory(fake).decode(raw).samples.size > 0
    counts = stats(fake)
    assert counts[f"{route}.requests"] == 5 and counts[f"{route}.ok"] == 1


@pytest.mark.parametrize("factory", [_elevenlabs, _openai])
def test_bad_keys_fail_at_once_and_refusals_are_safety_errors(fake: str, factory) -> None:
    with pytest.raises(ProviderError) as err:
        factory(fake, key="").fetch(TEXTS[0], "alloy")
    assert err.value.status == 401 and not err.value.retryable and not err.value.safety
    set_faults(fake, options={"speech.refuse": True})
    with pytest.raises(ProviderError) as err:
        factory(fake).fetch(TEXTS[0], "alloy")
    assert err.value.safety and not err.value.retryable
    assert SECRET not in str(err.value)


def _providers(fake: str) -> SpeechProviders:
    endpoints = [
        Endpoint(name="elevenlabs", protocol="elevenlabs", base_url=f"{fake}/elevenlabs",
                 api_key=SECRET, model="eleven_multilingual_v2"),
        Endpoint(name="openai", protocol="openai", base_url=f"{fake}/openai/v1",
                 api_key=SECRET, model="gpt-4o-mini-tts"),
    ]  # fmt: skip
    return SpeechProviders(
        mode="remote", endpoints=endpoints, prices_path=str(DEFAULT_PRICES), retry_attempts=2
    )


def _narrate(fake: str, tmp: Path, wanted: list[str]):
    return _providers(fake).narrate(
        TEXTS, voice="en-us", rate_wpm=170, remote_voices={}, out_wav=tmp / "n.wav",
        target_lufs=-16.0, wanted=wanted, booker=_booker(tmp),
    )  # fmt: skip


def test_chain_falls_through_to_local_when_both_remotes_fail(fake: str, tmp_path: Path) -> None:
    set_faults(fake, script={"elevenlabs.tts": ["500"] * 4, "openai.speech": ["500"] * 4})
    served = _narrate(fake, tmp_path, ["elevenlabs", "openai"])
    assert served.provider == "local"
    assert [a.provider for a in served.attempts] == ["elevenlabs", "openai", "local"]
    assert SECRET not in served.summary
    calls = Ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}").calls_for(EPISODE)
    assert [(c["provider"], c["cost_usd"]) for c in calls] == [("espeak-ng", 0.0)]


def test_every_call_is_booked_once_and_a_rerun_calls_nothing(fake: str, tmp_path: Path) -> None:
    # elevenlabs speaks the first segment, then fails for good: openai speaks both.
    set_faults(fake, script={"elevenlabs.tts": ["ok", "500", "500"]})
    served = _narrate(fake, tmp_path, [])
    assert served.provider == "openai" and "elevenlabs ✗" in served.summary
    _assert_speech_with_timings(served.value, tmp_path / "n.wav")
    first = stats(fake)
    calls = Ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}").calls_for(EPISODE)
    for provider, route in (("elevenlabs", "elevenlabs.tts"), ("openai", "openai.speech")):
        booked = [c for c in calls if c["provider"] == provider]
        assert len(booked) == first[f"{route}.ok"]
        assert all(c["unit"] == "characters" and c["cost_usd"] > 0 for c in booked)
    assert first["openai.speech.ok"] == len(TEXTS)
    assert first["billable.ok"] == len(calls)  # every paid answer is booked, and only once
    before = (tmp_path / "n.wav").read_bytes()

    set_faults(fake)  # elevenlabs is healthy again, but the paid narration is replayed
    again = _narrate(fake, tmp_path, [])
    assert again.provider == "openai"
    assert stats(fake) == first
    assert len(Ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}").calls_for(EPISODE)) == len(calls)
    assert (tmp_path / "n.wav").read_bytes() == before
