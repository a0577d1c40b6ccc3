"""Fake text-to-speech: ElevenLabs with-timestamps and OpenAI audio/speech, as documented.

The audio is real speech (espeak-ng in this process), so a remote-voice episode sounds and
renders like a local one. ElevenLabs' character alignment is made from espeak-ng's word
timings spread evenly over each word's characters. Both add silence around the voice, as
real services do, so clients must trim it. Option (``/_admin/faults``):
``{"options": {"speech.refuse": true}}`` refuses every text as a content-policy violation.
"""

from __future__ import annotations

import base64
import re
import struct
import threading

import numpy as np

from reelforge.fakes.server import FakeServer, Request, Response, Router
from reelforge.lib import speech, wavio
from reelforge.lib.speech_timing import resample

_TOKEN = re.compile(r"\S+")
_LEAD_S, _TAIL_S = 0.12, 0.3
OPENAI_VOICES = frozenset(
    {"alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer",
     "verse", "marin", "cedar"}
)  # fmt: skip


_SPOKEN: dict[tuple[str, int], tuple[np.ndarray, list[tuple[str, float, float]]]] = {}
_SPOKEN_LOCK = threading.Lock()


def _speak(text: str, rate: int) -> tuple[np.ndarray, list[tuple[str, float, float]]]:
    """espeak-ng speech at `rate` Hz with silence around it, and its word timings.

    The same request always gets the same bytes (as from a provider called with a fixed
    seed): libespeak-ng keeps hidden state between calls, so in this long-lived server a
    second synthesis of a text drifts by a few samples, and every stage downstream of the
    narration (music length, captions, the video's hash) would drift with it.
    """
    with _SPOKEN_LOCK:
        if (text, rate) not in _SPOKEN:
            spoken = speech.speak(text, voice="en-us", rate_wpm=170)
            samples = resample(spoken.samples, spoken.sample_rate, rate)
            lead = np.zeros(round(_LEAD_S * rate), dtype=np.float32)
            tail = np.zeros(round(_TAIL_S * rate), dtype=np.float32)
            words = [(w, a + _LEAD_S, b + _LEAD_S) for w, a, b in spoken.words]
            _SPOKEN[(text, rate)] = (np.concatenate([lead, samples, tail]), words)
        return _SPOKEN[(text, rate)]


def character_alignment(text: str, words: list[tuple[str, float, float]]) -> dict[str, list]:
    """Per-character start/end times: each word's span shared evenly by its characters.

    Characters espeak-ng did not speak (spaces, a lone dash) start and end where the
    previous spoken character ended, as zero-length entries.
    """
    starts: list[float | None] = [None] * len(text)
    ends: list[float | None] = [None] * len(text)
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    at = 0
    for word, a, b in words:
        found = []
        for part in word.split():  # espeak-ng may merge tokens into one timed word
            while at < len(tokens) and tokens[at][2] != part:
                at += 1
            if at < len(tokens):
                found.append(tokens[at])
                at += 1
        if not found:
            continue
        lo, hi = found[0][0], found[-1][1]
        step = (b - a) / (hi - lo)
        for k in range(lo, hi):
            starts[k], ends[k] = a + (k - lo) * step, a + (k - lo + 1) * step
    last = 0.0
    for k in range(len(text)):
        if starts[k] is None:
            starts[k] = ends[k] = last
        last = ends[k] or last
    return {
        "characters": list(text),
        "character_start_times_seconds": [round(float(t or 0.0), 4) for t in starts],
        "character_end_times_seconds": [round(float(t or 0.0), 4) for t in ends],
    }


def streamed_wav(samples: np.ndarray, rate: int) -> bytes:
    """A 16-bit mono WAV whose size fields say "unknown", like a streaming TTS server's."""
    pcm = wavio.to_pcm16(samples).tobytes()
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * 2, 2, 16)
    unknown = 0xFFFFFFFF
    header = b"RIFF" + struct.pack("<I", unknown) + b"WAVE"
    header += b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", unknown)
    return header + pcm


def _refusal_elevenlabs() -> Response:
    detail = {"status": "bad_prompt",
              "message": "Your text appears to have violated our Terms of Service."}  # fmt: skip
    return Response.of_json({"detail": detail}, 400)


def _refusal_openai() -> Response:
    error = {"message": "Your request was rejected by our safety system.",
             "type": "invalid_request_error", "code": "moderation_blocked"}  # fmt: skip
    return Response.of_json({"error": error}, 400)


def register(router: Router, server: FakeServer) -> None:
    def elevenlabs_tts(req: Request) -> Response:
        if not req.headers.get("xi-api-key"):
            detail = {"status": "invalid_api_key", "message": "Invalid API key"}
            return Response.of_json({"detail": detail}, 401)
        body = req.json() or {}
        text = str(body.get("text") or "")
        fmt = req.query.get("output_format", ["mp3_44100_128"])[0]
        if not text.strip() or not body.get("model_id") or not fmt.startswith("pcm_"):
            detail = {"status": "invalid_request", "message": "text, model_id and pcm_* needed"}
            return Response.of_json({"detail": detail}, 422)
        if server.faults.options.get("speech.refuse"):
            return _refusal_elevenlabs()
        rate = int(fmt.removeprefix("pcm_"))
        samples, words = _speak(text, rate)
        alignment = character_alignment(text, words)
        audio = base64.b64encode(wavio.to_pcm16(samples).tobytes()).decode()
        return Response.of_json(
            {"audio_base64": audio, "alignment": alignment, "normalized_alignment": alignment}
        )

    def openai_speech(req: Request) -> Response:
        if not req.headers.get("authorization", "").startswith("Bearer "):
            error = {"message": "invalid api key", "type": "authentication_error"}
            return Response.of_json({"error": error}, 401)
        body = req.json() or {}
        text = str(body.get("input") or "")
        if not text.strip() or body.get("voice") not in OPENAI_VOICES or not body.get("model"):
            error = {"message": "input, model and a known voice are required",
                     "type": "invalid_request_error"}  # fmt: skip
            return Response.of_json({"error": error}, 400)
        if body.get("response_format") != "wav":
            error = {"message": "this fake speaks wav only", "type": "invalid_request_error"}
            return Response.of_json({"error": error}, 400)
        if server.faults.options.get("speech.refuse"):
            return _refusal_openai()
        samples, _ = _speak(text, 24000)
        return Response(200, streamed_wav(samples, 24000), {"Content-Type": "audio/wav"})

    path = "/elevenlabs/v1/text-to-speech/{voice_id}/with-timestamps"
    router.add("elevenlabs.tts", "POST", path, elevenlabs_tts, billable=True)
    router.add("openai.speech", "POST", "/openai/v1/audio/speech", openai_speech, billable=True)
