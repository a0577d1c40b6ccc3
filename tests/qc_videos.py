"""Small real videos for the QC and thumbnail tests: a good render and broken variants.

The good render uses the project's renderer on the darkest scenes the artist draws (a
moonlit mountain night, a forest under a purple night sky), so it also proves that dark
is not mistaken for black. Broken variants re-encode it with one thing wrong.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from reelforge.lib.artist import draw_scene, draw_title_card, save_png
from reelforge.lib.render import load_manifest, render

WIDTH, HEIGHT, FPS = 180, 320, 30
TITLE = "Why Is the Night Sky Dark?"
DARK_SCENES = [
    ("space", 39, "a bright full moon over dark mountain silhouettes, magenta night sky, stars"),
    ("mystery", 4, "a flattened forest under a fiery dark purple sky, a streak of light over"),
    ("space", 3, "a starry night sky over a quiet desert, the milky way, stars"),
]
CAPTIONS = [
    {"text": "Why", "start": 0.2, "end": 0.5},
    {"text": "is", "start": 0.5, "end": 0.7},
    {"text": "the", "start": 0.7, "end": 0.9},
    {"text": "night", "start": 1.6, "end": 2.0},
    {"text": "dark?", "start": 2.0, "end": 2.6},
    {"text": "Stars", "start": 3.2, "end": 3.7},
    {"text": "everywhere.", "start": 3.7, "end": 4.5},
]


def ffmpeg(*args: str) -> None:
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", *args], check=True, capture_output=True
    )


def good_render(folder: Path) -> Path:
    """A 6 s 180x320 video through lib.render: title card, three dark scenes, voice, captions."""
    folder.mkdir(parents=True, exist_ok=True)
    save_png(
        draw_title_card(title=TITLE, genre="space", width=WIDTH, height=HEIGHT, seed=1),
        folder / "s0.png",
    )
    for i, (genre, seed, prompt) in enumerate(DARK_SCENES, start=1):
        image = draw_scene(prompt=prompt, genre=genre, width=WIDTH, height=HEIGHT, seed=seed)
        save_png(image, folder / f"s{i}.png")
    # A voice stand-in: a tone whose level moves like speech, so loudness gating sees it.
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=220:sample_rate=48000:duration=5.5",
           "-af", "tremolo=f=4:d=0.7,volume=-18dB", str(folder / "voice.wav"))  # fmt: skip
    manifest = {
        "version": 1,
        "output": {"width": WIDTH, "height": HEIGHT, "fps": FPS, "path": "good.mp4"},
        "scenes": [{"image": f"s{i}.png", "duration": 1.5, "motion": "zoom_in"} for i in range(4)],
        "transition": {"kind": "fade", "duration": 0.3},
        "captions": CAPTIONS,
        "loudness": {"integrated_lufs": -14.0},
        "narration": "voice.wav",
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return render(load_manifest(folder / "manifest.json"), preset="ultrafast").path


def manifest_of(video: Path) -> dict:
    return json.loads((video.parent / "manifest.json").read_text())


def variant(good: Path, name: str, *args: str) -> Path:
    """Re-encode `good` with extra ffmpeg output arguments into `name` beside it."""
    out = good.parent / name
    ffmpeg("-i", str(good), *args, str(out))
    return out


def h264(*extra: str) -> list[str]:
    """Encoder arguments of a normal render, plus `extra` filters/options before them."""
    return [*extra, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-movflags", "+faststart"]  # fmt: skip
