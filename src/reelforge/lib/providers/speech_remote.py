"""Remote text-to-speech: ElevenLabs (with character timestamps) and OpenAI speech.

Each client has two halves so answers can be booked and replayed: `fetch` calls the
provider and returns its raw answer once it has checked that the answer decodes (a garbled
answer is retried like a 5xx), and `decode` turns a raw answer, fresh or stored, into a
`Clip`. Only ElevenLabs reports timings; for OpenAI `Clip.words` is None and the caller
aligns espeak-ng's words onto the audio (see lib/speech_timing, approximate).
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import math
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar
from urllib.parse import quote

import httpx
import numpy as np

from reelforge.lib.providers.errors import InvalidResponseError, ProviderError
from reelforge.lib.providers.http import ProviderHttp
from reelforge.lib.speech_timing import WordTiming, words_from_characters

T = TypeVar("T")

# Voices used when a channel names none for a provider (channels.yaml `remote_voices`):
# OpenAI's built-in "alloy"; ElevenLabs' premade "George", the voice id used throughout
# ElevenLabs' API reference examples (premade voices are available to every account).
DEFAULT_VOICES = {"openai": "alloy", "elevenlabs": "JBFqnCBsd6RMkjVDRZzb"}
# ElevenLabs answers a refused text with 400 and detail.status "bad_prompt" ("...violated
# our Terms of Service..."); only its message reaches ProviderError, so match on that.
_ELEVENLABS_REFUSAL = ("terms of service", "violat", "bad_prompt")


@dataclass(frozen=True, eq=False)
class Clip:
    """One spoken segment: mono float32 samples and, when the provider reports them, words."""

    samples: np.ndarray
    sample_rate: int
    words: list[WordTiming] | None


class SpeechClient(Protocol):
    provider: str
    model: str
    suffix: str

    def fetch(self, text: str, voice: str) -> bytes: ...

    def decode(self, raw: bytes) -> Clip: ...


def _invalid(provider: str, what: str) -> InvalidResponseError:
    return InvalidResponseError(provider, f"answered with {what}", retryable=True)


def _checked(provider: str, decode: Callable[[bytes], Clip]) -> Callable[[httpx.Response], bytes]:
    def parse(response: httpx.Response) -> bytes:
        decode(response.content)  # raises a retryable InvalidResponseError when garbled
        return response.content

    return parse


def pcm16_to_float(data: bytes, provider: str) -> np.ndarray:
    """Little-endian 16-bit PCM bytes to float32 in [-1, 1)."""
    if not data or len(data) % 2:
        raise _invalid(provider, f"{len(data)} bytes of 16-bit audio")
    return np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0


class ElevenLabsSpeech:
    """POST {base}/v1/text-to-speech/{voice_id}/with-timestamps, raw PCM at 22.05 kHz."""

    suffix = ".json"
    output_format, sample_rate = "pcm_22050", 22050

    def __init__(self, http: ProviderHttp, model: str) -> None:
        self.http, self.model, self.provider = http, model, http.provider

    def fetch(self, text: str, voice: str) -> bytes:
        url = f"v1/text-to-speech/{quote(voice, safe='')}/with-timestamps"
        try:
            return self.http.parsed(
                "POST", url, _checked(self.provider, self.decode),
                params={"output_format": self.output_format},
                json={"text": text, "model_id": self.model},
            )  # fmt: skip
        except ProviderError as exc:
            refused = exc.status in (400, 422) and any(
                word in str(exc).lower() for word in _ELEVENLABS_REFUSAL
            )
            if refused and not exc.safety:
                raise ProviderError(
                    self.provider, "the provider refused the text (safety)", status=exc.status,
                    safety=True,
                ) from None  # fmt: skip
            raise

    def decode(self, raw: bytes) -> Clip:
        try:
            data = json.loads(raw)
            audio = base64.b64decode(data["audio_base64"], validate=True)
            # The original text's alignment matches the captions; the normalised one
            # (numbers spelled out) is the fallback when a model omits the first.
            alignment = data.get("alignment") or data["normalized_alignment"]
            chars = [str(c) for c in alignment["characters"]]
            starts = [float(t) for t in alignment["character_start_times_seconds"]]
            ends = [float(t) for t in alignment["character_end_times_seconds"]]
        except (ValueError, KeyError, TypeError, binascii.Error):
            raise _invalid(self.provider, "no audio or alignment") from None
        if not all(math.isfinite(t) for t in (*starts, *ends)):
            raise _invalid(self.provider, "non-finite timestamps")
        try:
            words = words_from_characters(chars, starts, ends)
        except ValueError as exc:
            raise _invalid(self.provider, str(exc)) from None
        if not words:
            raise _invalid(self.provider, "an alignment without words")
        return Clip(pcm16_to_float(audio, self.provider), self.sample_rate, words)


class OpenAISpeech:
    """POST {base}/audio/speech with response_format "wav" (24 kHz 16-bit mono)."""

    suffix = ".wav"

    def __init__(self, http: ProviderHttp, model: str) -> None:
        self.http, self.model, self.provider = http, model, http.provider

    def fetch(self, text: str, voice: str) -> bytes:
        body = {"model": self.model, "input": text, "voice": voice, "response_format": "wav"}
        return self.http.parsed(
            "POST", "audio/speech", _checked(self.provider, self.decode), json=body
        )

    def decode(self, raw: bytes) -> Clip:
        samples, rate = decode_wav(raw, self.provider)
        return Clip(samples, rate, None)


def decode_wav(raw: bytes, provider: str) -> tuple[np.ndarray, int]:
    """Mono float32 audio from a 16-bit PCM WAV, tolerating streamed headers.

    Streaming servers write the RIFF and data sizes before they know them (0 or 0xFFFFFFFF),
    so the data chunk is read to the end of the body rather than trusted; `wave` would not.
    """
    if len(raw) < 12 or raw[:4] != b"RIFF" or raw[8:12] != b"WAVE":
        raise _invalid(provider, "audio that is not a WAV file")
    stream, fmt = io.BytesIO(raw), None
    stream.seek(12)
    while len(header := stream.read(8)) == 8:
        chunk_id, size = struct.unpack("<4sI", header)
        if chunk_id == b"fmt ":
            body = stream.read(size)
            if len(body) < 16:
                break
            fmt = struct.unpack("<HHIIHH", body[:16])
            stream.seek(size % 2, io.SEEK_CUR)
        elif chunk_id == b"data":
            if fmt is None:
                break
            tag, channels, rate, _, _, bits = fmt
            if tag not in (1, 0xFFFE) or bits != 16 or channels < 1:
                raise _invalid(provider, f"unsupported WAV audio (format {tag}, {bits} bit)")
            data = raw[stream.tell() :]
            if 0 < size <= len(data):
                data = data[:size]
            usable = len(data) // (2 * channels) * 2 * channels
            samples = pcm16_to_float(data[:usable], provider).reshape(-1, channels)
            return samples.mean(axis=1).astype(np.float32), int(rate)
        else:
            stream.seek(size + size % 2, io.SEEK_CUR)
    raise _invalid(provider, "a WAV file without fmt and data chunks")
