"""Speech engines as `speak_all` callables for `narration.compose`, every call booked once.

A remote engine books one ledger row per segment (the request is text, voice and model),
so a narration that fails half-way pays only for the segments it got, and a re-run reuses
them. Offline engines (espeak-ng, Piper) book one $0 row for the whole narration; storing
their audio also makes a re-run byte-identical (Piper's sampling is not deterministic).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reelforge.lib import piper_speech, speech
from reelforge.lib.narration import SpeakAll
from reelforge.lib.providers.booking import Booker, Priced
from reelforge.lib.providers.errors import InvalidResponseError
from reelforge.lib.providers.registry import PIPER
from reelforge.lib.providers.speech_remote import Clip, SpeechClient
from reelforge.lib.speech import Speech
from reelforge.lib.speech_timing import fit, from_bytes, scale_reference, to_bytes

ESPEAK = "espeak-ng"
Booking = tuple[str, str, Any]  # (provider, model, request) as passed to Booker.call


@dataclass(frozen=True)
class Engine:
    """A narrator: `speak_all` for `compose`, and the bookings it makes for given texts."""

    speak_all: SpeakAll
    bookings: Callable[[list[str]], list[Booking]]

    def replayable(self, texts: list[str], booker: Booker) -> bool:
        """Whether every answer for `texts` is already stored (a re-run calls nobody)."""
        return all(booker.stored(*booking) is not None for booking in self.bookings(texts))


def espeak_reference(voice: str, rate_wpm: int) -> SpeakAll:
    """espeak-ng speaking the same texts: the word rhythm remote audio is aligned to."""
    return lambda texts: speech.speak_fresh(texts, voice=voice, rate_wpm=rate_wpm)


def remote_speaker(
    client: SpeechClient,
    voice: str,
    booker: Booker,
    price: Callable[[int], float],
    reference: SpeakAll,
) -> Engine:
    """Speak each segment with `client`; `price(characters)` is the segment's cost in USD."""

    def booking(text: str) -> Booking:
        return client.provider, client.model, {"text": text, "voice": voice, "model": client.model}

    def segment(text: str) -> Clip:
        def call() -> Priced:
            raw = client.fetch(text, voice)
            return Priced(raw, "characters", len(text), price(len(text)), client.suffix)

        raw, _ = booker.call(*booking(text), call, price(len(text)))
        return client.decode(raw)

    def speak_all(texts: list[str]) -> list[Speech]:
        clips = [segment(text) for text in texts]
        # Only voices without timings need the espeak-ng pass (one process for all segments).
        refs = reference(texts) if any(c.words is None for c in clips) else []
        spoken = []
        for i, clip in enumerate(clips):
            try:
                words = clip.words
                if words is None:
                    words = scale_reference(refs[i], clip.samples, clip.sample_rate)
                spoken.append(fit(clip.samples, clip.sample_rate, words))
            except ValueError as exc:  # silent or wordless audio: this provider failed
                raise InvalidResponseError(client.provider, f"segment {i}: {exc}") from None
        return spoken

    return Engine(speak_all, lambda texts: [booking(t) for t in texts])


def espeak_speaker(voice: str, rate_wpm: int, booker: Booker) -> Engine:
    """The local narrator (espeak-ng), booked as one $0 call for the whole narration."""

    def bookings(texts: list[str]) -> list[Booking]:
        return [(ESPEAK, voice, {"texts": texts, "voice": voice, "rate": rate_wpm})]

    def speak_all(texts: list[str]) -> list[Speech]:
        def call() -> Priced:
            spoken = speech.speak_fresh(texts, voice=voice, rate_wpm=rate_wpm)
            return Priced(to_bytes(spoken), "characters", _chars(texts), 0.0, ".npz")

        payload, _ = booker.call(*bookings(texts)[0], call)
        return from_bytes(payload)

    return Engine(speak_all, bookings)


def piper_speaker(rate_wpm: int, booker: Booker, reference: SpeakAll) -> Engine:
    """Piper's offline neural voice, timed by scaled espeak-ng words; one $0 booking."""

    def bookings(texts: list[str]) -> list[Booking]:
        return [(PIPER, piper_speech.VOICE_NAME, {"texts": texts, "rate": rate_wpm})]

    def speak_all(texts: list[str]) -> list[Speech]:
        def call() -> Priced:
            refs = reference(texts)
            spoken = []
            for text, ref in zip(texts, refs, strict=True):
                samples, rate = piper_speech.synthesize(text, rate_wpm)
                spoken.append(fit(samples, rate, scale_reference(ref, samples, rate)))
            return Priced(to_bytes(spoken), "characters", _chars(texts), 0.0, ".npz")

        payload, _ = booker.call(*bookings(texts)[0], call)
        return from_bytes(payload)

    return Engine(speak_all, bookings)


def _chars(texts: list[str]) -> int:
    return sum(len(t) for t in texts)
