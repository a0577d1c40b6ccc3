"""Fake ElevenLabs Music: ``POST /elevenlabs/v1/music`` answering with real audio.

The audio is a bed from the local synthesiser (mood guessed from the prompt), encoded as
the request's ``output_format``: ``mp3_*`` through ffmpeg, ``pcm_<rate>`` as raw 16-bit
mono. Options (``/_admin/faults``): ``{"options": {"music.refuse": true}}`` answers every
prompt with the service's ``bad_prompt`` refusal; ``"music.garbage": true`` answers
bytes no decoder accepts.
"""

from __future__ import annotations

import hashlib
import subprocess  # nosec B404 # subprocess runs fixed local tools with argument lists, never a shell
import tempfile
from pathlib import Path

import numpy as np

from reelforge.fakes.server import FakeServer, Request, Response, Router
from reelforge.lib import music, wavio


def _detail(status: str, message: str, code: int) -> Response:
    return Response.of_json({"detail": {"status": status, "message": message}}, code)


def _encode(wav: Path, output_format: str) -> tuple[bytes, str]:
    codec, _, rest = output_format.partition("_")
    if codec == "pcm":
        audio, rate = wavio.read_wav(wav)
        target = int(rest or 44100)
        mono = audio.mean(axis=1)
        if target != rate:  # nearest-sample resampling is plenty for a fake
            idx = np.minimum((np.arange(round(len(mono) * target / rate)) * rate) // target,
                             len(mono) - 1)  # fmt: skip
            mono = mono[idx]
        return wavio.to_pcm16(mono).tobytes(), "audio/pcm"
    cmd = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", str(wav)]
    cmd += ["-codec:a", "libmp3lame", "-b:a", "128k", "-f", "mp3", "pipe:1"]
    return subprocess.run(cmd, capture_output=True, check=True).stdout, "audio/mpeg"  # nosec B603 # argument list to ffmpeg with values the fake chose; no shell


def register(router: Router, server: FakeServer) -> None:
    def compose(req: Request) -> Response:
        if not req.headers.get("xi-api-key"):
            return _detail("invalid_api_key", "Invalid API key", 401)
        body = req.json() or {}
        prompt = str(body.get("prompt") or "")
        length_ms = body.get("music_length_ms")
        if not prompt or not isinstance(length_ms, int) or not 3000 <= length_ms <= 600000:
            return _detail("invalid_request", "prompt and music_length_ms (3000-600000)", 422)
        options = server.faults.options
        if options.get("music.refuse"):
            return Response.of_json(
                {"detail": {"status": "bad_prompt", "data": {"prompt_suggestion": "calm"}}}, 400
            )
        if options.get("music.garbage"):
            return Response(200, b"\x00not audio\x00" * 64, {"Content-Type": "audio/mpeg"})
        mood = next((m for m in music.MOODS if m in prompt.lower()), "calm")
        seed = int.from_bytes(hashlib.sha256(prompt.encode()).digest()[:4], "little")
        fmt = (req.query.get("output_format") or ["mp3_44100_128"])[0]
        with tempfile.TemporaryDirectory(prefix="fake-music-") as tmp:
            wav = Path(tmp) / "bed.wav"
            music.compose(mood, length_ms / 1000, seed, wav)
            data, kind = _encode(wav, fmt)
        return Response(200, data, {"Content-Type": kind, "song-id": seed.to_bytes(4).hex()})

    router.add("elevenlabs.music", "POST", "/elevenlabs/v1/music", compose, billable=True)
