"""Path traversal and hostile file names: media keys, outbox folders, the music library,
render manifests and `reelforge render --out`, config paths.

Property: a name from outside either maps to a path inside the folder it belongs to, or is
refused with the module's own error — never an escape, never a bare OSError/ValueError.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from PIL import Image

from reelforge.config import ConfigError, load_config
from reelforge.lib import music_library, outbox
from reelforge.lib.media import MediaKeyError, MediaStore, validate_key
from reelforge.lib.render import RenderError, load_manifest, render
from reelforge.lib.render.validate import contained

DIGEST = hashlib.sha256(b"x").hexdigest()
GOOD_KEY = f"sha256/{DIGEST[:2]}/{DIGEST}.png"
# Pieces that have broken path handling somewhere: separators, parents, NUL, newlines, drive
# letters, Windows device names, URL-ish and over-long names.
PIECES = st.sampled_from(
    ["..", ".", "/", "\\", "\x00", "\n", "C:", "con", "~", "%2e%2e", "sha256", DIGEST[:2],
     DIGEST, ".png", "a" * 300, "é", "\u202e", " "]
)  # fmt: skip
HOSTILE_NAMES = st.lists(PIECES | st.text(max_size=8), min_size=1, max_size=8).map("".join)


@given(key=HOSTILE_NAMES | st.text(max_size=80))
@example(key=GOOD_KEY + "\n")
@example(key=f"sha256/{DIGEST[:2]}/../../../etc/passwd")
@example(key=f"/sha256/{DIGEST[:2]}/{DIGEST}.png")
@example(key=f"sha256/{DIGEST[:2]}/{DIGEST}.png\x00.txt")
def test_media_keys_never_leave_the_store(tmp_path_factory, key: str) -> None:
    root = tmp_path_factory.mktemp("media")
    store = MediaStore(root)
    try:
        path = store.path(key)
    except MediaKeyError:
        return
    assert validate_key(key) == key
    assert path.resolve().is_relative_to(root.resolve())
    assert "\n" not in key and "\x00" not in key and ".." not in key


def test_the_canonical_key_is_accepted() -> None:
    assert validate_key(GOOD_KEY) == GOOD_KEY
    with pytest.raises(MediaKeyError):
        validate_key(GOOD_KEY + "\n")  # `$` used to match before the newline


@given(segment=HOSTILE_NAMES)
@example(segment="space_facts\n")
def test_outbox_folders_are_plain_names(tmp_path_factory, segment: str) -> None:
    root = tmp_path_factory.mktemp("outbox")
    video = root / "v.mp4"
    video.write_bytes(b"not really a video")
    digest = hashlib.sha256(video.read_bytes()).hexdigest()
    try:
        post = outbox.publish(root, "outbox", segment, video, digest, {"title": "t"})
    except ValueError as err:
        assert "folder name" in str(err)
        return
    assert post.path.resolve().is_relative_to(root.resolve())
    assert segment.isascii() and "\n" not in segment and "/" not in segment


def _wav(path: Path) -> None:
    import wave

    with wave.open(str(path), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(8000)
        f.writeframes((np.zeros(800) * 0).astype("<i2").tobytes())


@pytest.mark.parametrize(
    "name",
    ["../outside.wav", "/etc/passwd", "sub/../../outside.wav", "a\x00b.wav", "a\\b.wav",
     "x" * 300 + ".wav", "/" + "y" * 5000, "~/music.wav", ""],
)  # fmt: skip
def test_music_library_refuses_hostile_rows_and_keeps_the_good_ones(
    tmp_path: Path, name: str
) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (tmp_path / "outside.wav").write_bytes(b"RIFF")
    _wav(library / "good.wav")
    rows = [
        "file,title,artist,mood,bpm,licence,attribution,url",
        "good.wav,Good,Me,calm,90,CC0,,",
        f'"{name}",Bad,Them,calm,90,CC0,,',
    ]
    (library / "tracks.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    loaded = music_library.load(library)
    assert [t.file for t in loaded.tracks] == ["good.wav"]
    assert len(loaded.refused) == 1 and loaded.refused[0].startswith("row 3: ")
    for track in loaded.tracks:
        assert loaded.path(track).resolve().is_relative_to(library.resolve())


@given(relpath=HOSTILE_NAMES)
@example(relpath="images/../../x.png")
@example(relpath="/abs.png")
def test_manifest_paths_stay_inside_the_manifest_folder(relpath: str) -> None:
    norm = contained(relpath)
    if norm is None:
        return
    base = Path("/srv/episode")
    assert (base / norm).resolve().is_relative_to(base)
    assert "\x00" not in norm


@pytest.fixture()
def manifest(tmp_path: Path):
    Image.new("RGB", (32, 32), (10, 80, 160)).save(tmp_path / "a.png")
    data = {
        "version": 1,
        "output": {"width": 32, "height": 32, "fps": 10, "path": "out.mp4"},
        "scenes": [{"image": "a.png", "duration": 0.5, "motion": "none"}],
        "transition": {"kind": "none", "duration": 0},
        "captions": [],
        "loudness": {"integrated_lufs": -14},
    }
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return load_manifest(path)


@pytest.mark.parametrize(
    ("out", "why"),
    [
        ("evil\x00.mp4", "NUL"),
        ("n" * 300 + ".mp4", "255 bytes"),
        ("folder.mp4", "is a folder"),
        ("a.png", "extension|overwrite"),
        ("out.exe", "extension"),
    ],
)
def test_render_refuses_hostile_out_paths_before_ffmpeg(
    manifest, tmp_path: Path, out: str, why: str
) -> None:
    (tmp_path / "folder.mp4").mkdir()
    with pytest.raises(RenderError, match=why):
        render(manifest, out_path=tmp_path / out, preset="ultrafast")


def test_render_cli_reports_a_hostile_out_path_without_a_traceback(
    manifest, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reelforge.cli import main

    (tmp_path / "folder.mp4").mkdir()
    code = main(["render", str(tmp_path / "manifest.json"), "--out", str(tmp_path / "folder.mp4")])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("error: ") and "is a folder" in err


@pytest.mark.parametrize("name", ["a\x00b.yaml", "x" * 5000 + ".yaml", ".", "../" * 50])
def test_config_paths_fail_with_a_config_error(tmp_path: Path, name: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path / name)
    assert err.value.problems and len(str(err.value).splitlines()[1]) < 400
