"""The benchmark's inputs: an episode-like 60 s manifest, and the plain-FFmpeg floor command.

8 stills drawn by the project's artist at 1080x1920, espeak narration (~150 words, or a
synthetic voice when espeak is missing), a composed music bed ducked under it, cross-fades.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from measure import log

WIDTH, HEIGHT, FPS, SECONDS, SCENES = 1080, 1920, 30, 60.0, 8
MOTIONS = ("zoom_in", "pan_left", "zoom_out", "pan_right")
FADE = 0.5
CRF = 23  # the engine's default
PROMPTS = (
    "a lighthouse on a cliff at night under a full moon",
    "an old sailing ship in a storm with lightning",
    "a quiet village street with lanterns in the snow",
    "a desert with pyramids under a starry sky",
    "a forest path with tall pine trees and fog",
    "a castle on a hill at sunset with birds",
    "a rocket launching towards a ringed planet",
    "a mountain lake at dawn with a small boat",
)
# ~19 words a segment, ~150 in all: at 150 wpm plus pauses this is just under a minute.
TEXTS = (
    "Long ago, sailors steering home through the dark trusted one light on the cliffs above "
    "the bay to guide them.",
    "One winter night a storm broke the mast of the old ship, and the crew fought the waves "
    "until dawn came.",
    "In the village below, families hung lanterns in every window so the lost could find "
    "their way back through snow.",
    "Far away, travellers crossing the desert read the same stars, counting them like coins "
    "to find the wells again.",
    "Hunters walking the misty forest left small marks on the pines, a quiet map that only "
    "they could read.",
    "From the castle on the hill, the watchmen saw every fire and every flag, and sent riders "
    "out at sunset.",
    "Today we send rockets past ringed planets, yet we still steer by the oldest lights we "
    "have ever known.",
    "So next time you look up at the night sky, remember that every star was once a "
    "lighthouse for someone.",
)


def _synthetic_voice(path: Path) -> list[dict[str, Any]]:
    """A voice-like signal (tone bursts) with one caption word per burst: espeak fallback."""
    import numpy as np

    from reelforge.lib import wavio

    rate = 22050
    t = np.arange(int((SECONDS - 1) * rate)) / rate
    gate = (np.sin(2 * np.pi * 2.5 * t) > -0.2).astype(np.float32)
    voice = 0.3 * gate * (np.sin(2 * np.pi * 180 * t) + 0.5 * np.sin(2 * np.pi * 410 * t))
    wavio.write_wav(path, voice.astype(np.float32), rate)
    words = " ".join(TEXTS).split()
    step = (SECONDS - 1) / len(words)
    return [
        {"text": w, "start": round(i * step, 3), "end": round((i + 0.8) * step, 3)}
        for i, w in enumerate(words)
    ]


def _narration(path: Path) -> list[dict[str, Any]]:
    """Real speech (espeak-ng) and its word timings; a synthetic voice if espeak is missing."""
    from reelforge.lib.narration import narrate

    try:
        spoken = narrate(list(TEXTS), path, voice="en-us", rate_wpm=165)
    except (OSError, RuntimeError, ValueError) as exc:
        log(f"espeak-ng unavailable ({exc}); using a synthetic voice")
        return _synthetic_voice(path)
    log(f"narration: {spoken.duration:.1f} s, {len(spoken.words)} words")
    return [
        {"text": w.text, "start": round(w.start, 3), "end": round(w.end, 3)}
        for w in spoken.words
        if w.start < SECONDS
    ]


def build_inputs(work: Path) -> Path:
    """Draw the stills, speak the narration, compose the music; write manifest.json."""
    from reelforge.lib.artist import draw_scene, save_png
    from reelforge.lib.music import compose

    for i, prompt in enumerate(PROMPTS):
        log(f"drawing scene {i + 1}/{SCENES}")
        image = draw_scene(prompt=prompt, genre="history", width=WIDTH, height=HEIGHT, seed=i)
        save_png(image, work / f"scene{i}.png")
    log("speaking the narration")
    captions = _narration(work / "narration.wav")
    log("composing the music")
    compose("calm", SECONDS, 7, work / "music.wav")
    manifest = {
        "version": 1,
        "output": {"width": WIDTH, "height": HEIGHT, "fps": FPS, "path": "ours.mp4"},
        "scenes": [
            {"image": f"scene{i}.png", "duration": SECONDS / SCENES, "motion": MOTIONS[i % 4]}
            for i in range(SCENES)
        ],
        "transition": {"kind": "fade", "duration": FADE},
        "narration": "narration.wav",
        "music": {"path": "music.wav", "gain_db": -14, "duck": True},
        "captions": captions,
        "loudness": {"integrated_lufs": -14},
    }
    path = work / "manifest.json"
    path.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return path


def floor_command(work: Path, preset: str) -> list[str]:
    """Plain FFmpeg slideshow of the same stills and durations: the cost floor."""
    lines = []
    for i in range(SCENES):
        lines += [f"file 'scene{i}.png'", f"duration {SECONDS / SCENES}"]
    lines.append(f"file 'scene{SCENES - 1}.png'")  # the concat demuxer drops the last duration
    (work / "floor.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [
        "ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error",
        "-f", "concat", "-safe", "0", "-i", str(work / "floor.txt"),
        "-i", str(work / "narration.wav"),
        # Convert each still once, then repeat it: `fps,format` would convert every frame.
        "-vf", f"format=yuv420p,fps={FPS}", "-t", str(SECONDS),
        "-c:v", "libx264", "-preset", preset, "-crf", str(CRF),
        "-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-ac", "2",
        "-movflags", "+faststart", str(work / "floor.mp4"),
    ]  # fmt: skip
