"""Offline speech with exact word timings (the synthesiser's own word events, not recognition).

Talks to libespeak-ng's C API through ctypes. The library is process-global and not thread-safe,
so every call holds one module lock and the engine is initialised once per process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import json
import re
import subprocess  # nosec B404 # subprocess runs fixed local tools with argument lists, never a shell
import sys
import tempfile
import threading
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RATE_MIN_WPM, RATE_MAX_WPM = 80, 450

# speak_lib.h values: AUDIO_OUTPUT_SYNCHRONOUS, POS_CHARACTER, espeakCHARS_UTF8, espeakRATE, EE_OK.
_SYNCHRONOUS, _POS_CHARACTER, _CHARS_UTF8, _PARAM_RATE, _EE_OK = 2, 1, 1, 1, 0
_EVENT_LIST_TERMINATED, _EVENT_WORD = 0, 1
# Without DONT_EXIT the library calls exit() when its data directory is missing.
_INITIALIZE_DONT_EXIT = 0x8000
_TOKEN = re.compile(r"\S+")
# Silence detection for tight word ends: 5 ms frames, 45 dB below the loudest frame.
_FRAME_S, _SILENCE_DB = 0.005, -45.0
_LEAD_PAD_S, _END_PAD_S, _TAIL_PAD_S = 0.02, 0.02, 0.05
_VOICE_HELP = "see reelforge.lib.speech.available_voices() or run `espeak-ng --voices`"


class _EventId(ctypes.Union):
    _fields_ = (("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8))


class _Event(ctypes.Structure):
    """espeak_EVENT from speak_lib.h; the union holds a pointer, so it is 8-aligned on 64-bit."""

    _fields_ = (
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    )


class _Voice(ctypes.Structure):
    """espeak_VOICE; `languages` is a list of (priority byte, NUL-terminated name), so void*."""

    _fields_ = (
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_void_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    )


_Callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(_Event))


@dataclass(frozen=True, eq=False)
class Speech:
    """Synthesised mono speech; `words` are (text as in the input, start s, end s)."""

    samples: np.ndarray
    sample_rate: int
    words: list[tuple[str, float, float]]

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


class _Engine:
    """The initialised library plus the buffers its callback fills during one synthesis."""

    def __init__(self) -> None:
        name = ctypes.util.find_library("espeak-ng") or "libespeak-ng.so.1"
        try:
            self.lib = ctypes.CDLL(name)
        except OSError as exc:
            raise RuntimeError(f"libespeak-ng1 is not installed ({exc})") from exc
        self.lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_Voice))
        self.lib.espeak_SetVoiceByName.argtypes = (ctypes.c_char_p,)
        self.sample_rate = self.lib.espeak_Initialize(_SYNCHRONOUS, 0, None, _INITIALIZE_DONT_EXIT)
        if self.sample_rate <= 0:
            raise RuntimeError("espeak_Initialize failed: espeak-ng-data was not found")
        self.chunks: list[bytes] = []
        self.events: list[tuple[int, int]] = []  # (text_position, audio_position ms)
        # The library keeps only the raw function pointer: hold the ctypes object forever.
        self._callback = _Callback(self._on_synth)
        self.lib.espeak_SetSynthCallback(self._callback)
        self.voices = self._list(None)
        # Variants are listed by asking for the pseudo-language "variant".
        selector = ctypes.create_string_buffer(b"variant")
        spec = _Voice(languages=ctypes.addressof(selector))
        self.variants = {ident.rsplit("/", 1)[-1] for _, ident, _ in self._list(spec)}

    def _on_synth(self, wav: int | None, count: int, events: ctypes._Pointer) -> int:
        if wav and count > 0:
            self.chunks.append(ctypes.string_at(wav, count * 2))
        i = 0
        while events and events[i].type != _EVENT_LIST_TERMINATED:
            if events[i].type == _EVENT_WORD:
                self.events.append((events[i].text_position, events[i].audio_position))
            i += 1
        return 0

    def _list(self, spec: _Voice | None) -> list[tuple[str, str, list[tuple[int, str]]]]:
        array = self.lib.espeak_ListVoices(ctypes.byref(spec) if spec is not None else None)
        found, i = [], 0
        while array[i]:
            voice = array[i].contents
            langs, ptr = [], voice.languages
            while ptr and (priority := ctypes.c_ubyte.from_address(ptr).value):
                lang = ctypes.string_at(ptr + 1)
                langs.append((priority, lang.decode().lower()))
                ptr += len(lang) + 2
            found.append((voice.name.decode("utf-8", "replace"), voice.identifier.decode(), langs))
            i += 1
        return found

    def resolve(self, voice: str) -> str:
        """Map "lang[+variant]" to "identifier[+variant]"; SetVoiceByName alone misses en-gb."""
        base, _, variant = voice.strip().partition("+")
        key = base.lower()
        best: tuple[int, str] | None = None
        for name, ident, langs in self.voices:
            if key in (name.lower(), ident.lower(), ident.rsplit("/", 1)[-1].lower()):
                best = (0, ident)
                break
            for priority, lang in langs:
                if lang == key and (best is None or priority < best[0]):
                    best = (priority, ident)
        if not key or best is None:
            raise ValueError(f"unknown espeak-ng voice {voice!r}; {_VOICE_HELP}")
        if variant and variant not in self.variants:
            raise ValueError(f"unknown variant in {voice!r}; run `espeak-ng --voices=variant`")
        return best[1] + (f"+{variant}" if variant else "")


_LOCK = threading.Lock()


@functools.cache
def _engine() -> _Engine:
    """The process's engine, created on first use (call with _LOCK held)."""
    return _Engine()


def available_voices() -> list[str]:
    """Language codes usable as `voice` (append "+variant", e.g. "en-us+f3", for variants)."""
    with _LOCK:
        voices = _engine().voices
    return sorted({lang for _, _, langs in voices for _, lang in langs})


def speak(text: str, voice: str = "en-us", rate_wpm: int = 175) -> Speech:
    """Synthesise `text`; one word per spoken whitespace-separated token (a lone "—" is not)."""
    if not text or not text.strip():
        raise ValueError("cannot speak empty or whitespace-only text")
    if not RATE_MIN_WPM <= rate_wpm <= RATE_MAX_WPM:
        raise ValueError(f"rate_wpm must be in [{RATE_MIN_WPM}, {RATE_MAX_WPM}], got {rate_wpm}")
    # A NUL would end the C string early and shift nothing else, so blank it out.
    text = text.replace("\x00", " ")
    data = text.encode("utf-8")
    with _LOCK:
        engine = _engine()
        voice_id = engine.resolve(voice)
        if engine.lib.espeak_SetVoiceByName(voice_id.encode()) != _EE_OK:
            raise ValueError(f"espeak-ng could not load voice {voice!r}; {_VOICE_HELP}")
        engine.lib.espeak_SetParameter(_PARAM_RATE, int(rate_wpm), 0)
        engine.chunks, engine.events = [], []
        status = engine.lib.espeak_Synth(
            ctypes.c_char_p(data), len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
        )
        chunks, events, sample_rate = engine.chunks, engine.events, engine.sample_rate
    if status != _EE_OK:
        raise RuntimeError(f"espeak_Synth failed with status {status}")
    pcm = np.frombuffer(b"".join(chunks), dtype=np.int16).astype(np.float32) / 32768.0
    onsets = _token_onsets(text, events)
    if not onsets:
        raise ValueError(f"espeak-ng produced no spoken words for {text[:60]!r}")
    samples, words = _tighten(pcm, sample_rate, onsets)
    samples.setflags(write=False)
    return Speech(samples=samples, sample_rate=sample_rate, words=words)


def _token_onsets(text: str, events: list[tuple[int, int]]) -> list[tuple[str, float]]:
    """Attach word events to input tokens: (token text, first onset in s), in token order.

    espeak may emit several events per token ("1990", emoji names) or point at the space after
    a token, so each event goes to the last token starting at or before its position.
    """
    tokens = [(m.start(), m.group()) for m in _TOKEN.finditer(text)]
    starts = [start for start, _ in tokens]
    onsets: dict[int, float] = {}
    last = 0
    for text_position, audio_ms in events:
        # text_position counts code points from 1; clamping keeps the mapping monotonic.
        last = max(last, bisect_right(starts, text_position - 1) - 1)
        onsets.setdefault(last, audio_ms / 1000.0)
    return [(tokens[i][1], onsets[i]) for i in sorted(onsets)]


def _tighten(
    pcm: np.ndarray, sample_rate: int, onsets: list[tuple[str, float]]
) -> tuple[np.ndarray, list[tuple[str, float, float]]]:
    """Trim silence around the speech and end each word at its last audible frame."""
    frame = max(1, round(sample_rate * _FRAME_S))
    # The last partial frame (< 5 ms) is ignored: espeak always ends in silence.
    frames = pcm[: len(pcm) // frame * frame].reshape(-1, frame).astype(np.float64)
    rms = np.sqrt(np.mean(frames**2, axis=1)) if frames.size else np.zeros(1)
    active = np.flatnonzero(rms > max(rms.max() * 10 ** (_SILENCE_DB / 20), 1e-4))
    if active.size == 0:
        raise ValueError("espeak-ng produced no audible speech")
    start = int(max(0, active[0] * frame - round(_LEAD_PAD_S * sample_rate)))
    stop = int(min(len(pcm), (active[-1] + 1) * frame + round(_TAIL_PAD_S * sample_rate)))
    shift = start / sample_rate
    frame_ends = (active + 1) * frame / sample_rate - shift
    sound_end = min((stop - start) / sample_rate, float(frame_ends[-1]) + _END_PAD_S)
    merged: list[tuple[str, float]] = []
    for text, onset in onsets:
        t = max(0.0, onset - shift)
        # Equal onsets or onsets after the last sound cannot get a positive duration of their
        # own, so their text joins the previous word (no input text is lost).
        if merged and (t <= merged[-1][1] or t >= frame_ends[-1]):
            merged[-1] = (f"{merged[-1][0]} {text}", merged[-1][1])
        else:
            merged.append((text, t if t < frame_ends[-1] else 0.0))
    words = []
    for i, (text, t) in enumerate(merged):
        limit = merged[i + 1][1] if i + 1 < len(merged) else sound_end
        # Skip the last 10 ms before the next word: its onset often starts a frame early.
        j = int(np.searchsorted(frame_ends, limit - 2 * _FRAME_S, side="right")) - 1
        heard = j >= 0 and frame_ends[j] > t
        end = min(limit, float(frame_ends[j]) + _END_PAD_S if heard else t + _END_PAD_S)
        words.append((text, t, end))
    return pcm[start:stop].copy(), words


def speak_fresh(texts: list[str], voice: str = "en-us", rate_wpm: int = 175) -> list[Speech]:
    """Speak several texts in order, in a new process, so the audio is reproducible.

    libespeak-ng keeps hidden state between calls (the same text drifts by a few samples on
    a second call) and cannot be re-initialised safely, but a fresh process speaking the
    same sequence gives byte-identical audio. Reproducible narration keeps every later
    stage, and so the video's content hash, stable across re-runs. A plain subprocess (not
    multiprocessing) so that it works whatever the parent's ``__main__`` is.
    """
    with tempfile.TemporaryDirectory(prefix="reelforge-speech-") as tmp:
        request = Path(tmp) / "request.json"
        request.write_text(json.dumps({"texts": list(texts), "voice": voice, "rate": rate_wpm}))
        proc = subprocess.run(  # nosec B603 # argument list to espeak-ng; the text goes on stdin/argv as one value, no shell
            [sys.executable, "-m", "reelforge.lib.speech", tmp],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode == 2:
            raise ValueError(proc.stderr.strip().splitlines()[-1])
        if proc.returncode != 0:
            raise RuntimeError(f"speech worker failed: {proc.stderr.strip()[-2000:]}")
        meta = json.loads((Path(tmp) / "result.json").read_text())
        with np.load(Path(tmp) / "result.npz", allow_pickle=False) as arrays:
            return [
                Speech(
                    samples=arrays[f"s{i}"],
                    sample_rate=meta["sample_rate"],
                    words=[(w, float(a), float(b)) for w, a, b in words],
                )
                for i, words in enumerate(meta["words"])
            ]


def _worker(folder: Path) -> int:
    request = json.loads((folder / "request.json").read_text())
    spoken = []
    for i, text in enumerate(request["texts"]):
        try:
            spoken.append(speak(text, voice=request["voice"], rate_wpm=request["rate"]))
        except ValueError as exc:
            print(f"segment {i}: {exc}", file=sys.stderr)
            return 2
    np.savez(folder / "result.npz", **{f"s{i}": s.samples for i, s in enumerate(spoken)})
    meta = {"sample_rate": spoken[0].sample_rate if spoken else 22050,
            "words": [s.words for s in spoken]}  # fmt: skip
    (folder / "result.json").write_text(json.dumps(meta))
    return 0


if __name__ == "__main__":
    sys.exit(_worker(Path(sys.argv[1])))
