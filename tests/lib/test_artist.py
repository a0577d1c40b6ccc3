"""Tests for procedural scene art and title cards (reelforge.lib.artist)."""

from __future__ import annotations

import os
import pathlib

import numpy as np
import pytest
from PIL import Image

from reelforge.lib.art.fonts import FontSet, covers, primary_font_path, wrap
from reelforge.lib.art.prompt import read_prompt
from reelforge.lib.artist import draw_scene, draw_title_card, save_png

PLANET = "a ringed gas giant over a dark horizon, three moons, deep violet sky, star field"
FOREST = "a misty ancient forest with tall trees at dawn, emerald green light"
PROMPTS = {
    "space": PLANET,
    "nature": FOREST,
    "history": "a great pyramid among golden desert dunes, amber sky",
    "mystery": "a lonely lighthouse tower on a rocky island, crashing waves, grey stormy sky",
    "science": "a glowing atom with electron orbits around a bright nucleus, cyan background",
    "motivation": "a hiker climbing a long mountain ridge at sunrise, rose pink sky",
}


def arr(image: Image.Image) -> np.ndarray:
    return np.asarray(image, dtype=np.float32)


def scene(
    prompt: str = PLANET, genre: str = "space", w: int = 180, h: int = 320, seed: int = 1
) -> Image.Image:
    return draw_scene(prompt=prompt, genre=genre, width=w, height=h, seed=seed)


@pytest.mark.parametrize("size", [(180, 320), (320, 180), (101, 77), (1, 1), (3, 400)])
@pytest.mark.parametrize("genre", sorted(PROMPTS))
def test_scene_size_and_mode(genre: str, size: tuple[int, int]) -> None:
    image = scene(PROMPTS[genre], genre, *size)
    assert image.size == size
    assert image.mode == "RGB"


def test_unknown_genre_and_empty_prompt_still_draw() -> None:
    image = scene("", "cooking")
    assert image.size == (180, 320)
    assert arr(image).std() > 5


@pytest.mark.parametrize("prompt", ["x" * 50_000, "\x00\ud800{}\\ 🚀 planet", "   ", "42 42 42"])
def test_hostile_prompts_still_draw(prompt: str) -> None:
    assert scene(prompt, "space").size == (180, 320)


@pytest.mark.parametrize("bad", [(0, 10), (10, 0), (-5, 5), (100_000, 10)])
def test_bad_sizes_are_rejected(bad: tuple[int, int]) -> None:
    with pytest.raises(ValueError):
        scene(PLANET, "space", *bad)


def test_same_seed_gives_identical_bytes() -> None:
    assert scene(seed=7).tobytes() == scene(seed=7).tobytes()
    assert scene(seed=7).tobytes() != scene(seed=8).tobytes()


def test_seed_changes_the_picture_visibly() -> None:
    a, b = arr(scene(FOREST, "nature", seed=1)), arr(scene(FOREST, "nature", seed=2))
    assert np.abs(a - b).mean() > 5


@pytest.mark.parametrize("genre", sorted(PROMPTS))
def test_images_are_not_flat(genre: str) -> None:
    pixels = arr(scene(PROMPTS[genre], genre))
    assert pixels.std() > 12
    # Shapes, not just a gradient: neighbouring columns differ somewhere.
    assert np.abs(np.diff(pixels, axis=1)).max() > 40


def test_planet_and_forest_prompts_differ() -> None:
    planet, forest = arr(scene(PLANET, "space")), arr(scene(FOREST, "space"))
    assert np.abs(planet - forest).mean() > 20
    # The planet sits in the middle of the sky; the forest puts dark trees low down.
    h = planet.shape[0]
    centre = slice(int(h * 0.3), int(h * 0.5))
    assert planet[centre].std() > forest[centre].std()


def test_colour_words_steer_the_palette() -> None:
    green = arr(scene("soft abstract shapes, emerald green glow", "science"))
    violet = arr(scene("soft abstract shapes, violet and magenta glow", "science"))
    g_mean, v_mean = green.reshape(-1, 3).mean(0), violet.reshape(-1, 3).mean(0)
    assert g_mean[1] - g_mean[2] > v_mean[1] - v_mean[2]
    assert np.linalg.norm(g_mean - v_mean) > 10


def test_all_six_genre_scenes_are_mutually_different() -> None:
    means = {g: arr(scene(p, g)).reshape(-1, 3).mean(0) for g, p in PROMPTS.items()}
    pixels = {g: arr(scene(p, g)) for g, p in PROMPTS.items()}
    names = sorted(PROMPTS)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            diff = np.abs(pixels[a] - pixels[b]).mean()
            assert diff > 10 or np.linalg.norm(means[a] - means[b]) > 10, (a, b)


def test_prompt_reader_finds_motifs_colours_and_counts() -> None:
    plan = read_prompt(PLANET)
    assert {"planet", "ringed", "moon", "stars"} <= plan.motifs
    assert "dunes" not in plan.motifs  # "star field" is not a field of grass
    assert plan.counts["moon"] == 3
    assert plan.horizon
    assert plan.free_colours  # "deep violet sky" colours the sky, not an object
    dunes = read_prompt("a small blue sun setting over red desert dunes, rose pink dusk sky")
    assert dunes.element_colours["sun"][2] > dunes.element_colours["sun"][0]
    assert dunes.element_colours["dunes"][0] > dunes.element_colours["dunes"][2]
    assert dunes.time == "dusk"


def test_full_hd_portrait_scenes_for_every_genre() -> None:
    # Speed is measured in benchmarks, never asserted in tests (shared CI machines vary).
    for genre, prompt in PROMPTS.items():
        image = scene(prompt, genre, 1080, 1920)
        assert image.size == (1080, 1920)
        assert np.asarray(image).std() > 5


@pytest.mark.parametrize(
    "title",
    [
        "Why Saturn Will Break Your Brain",
        "Η ιστορία — Почему история странная",
        "日本の謎 and 한국어",
        "العلم أغرب من الخيال",
        "हिन्दी इतिहास के रहस्य",
        "Rocket 🚀 emoji ✨",
        "Supercalifragilisticexpialidocious" * 4 + " word" * 200,
        "x",
        "line\nbreak\tand\x00control\ud800",
    ],
)
def test_title_cards_handle_any_text(title: str) -> None:
    image = draw_title_card(title=title, genre="mystery", width=180, height=320, seed=3)
    assert image.size == (180, 320) and image.mode == "RGB"
    assert arr(image).std() > 12


def test_title_card_shows_the_text() -> None:
    background_only = arr(draw_title_card(title=".", genre="space", width=360, height=640, seed=2))
    titled = arr(
        draw_title_card(title="The Secret of Saturn", genre="space", width=360, height=640, seed=2)
    )
    # Bright lettering appears in the text band that the dot alone leaves empty.
    band = slice(200, 400)
    assert (titled[band].min(axis=2) > 200).sum() > (
        background_only[band].min(axis=2) > 200
    ).sum() + 500


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080), (101, 77)])
def test_title_card_sizes(size: tuple[int, int]) -> None:
    image = draw_title_card(
        title="Five Space Facts", genre="space", width=size[0], height=size[1], seed=1
    )
    assert image.size == size


def test_title_card_is_deterministic() -> None:
    a = draw_title_card(title="Same", genre="history", width=180, height=320, seed=4)
    b = draw_title_card(title="Same", genre="history", width=180, height=320, seed=4)
    assert a.tobytes() == b.tobytes()


@pytest.mark.parametrize("title", ["", "   ", "\n\t", "\x00\x01"])
def test_empty_title_is_an_error(title: str) -> None:
    with pytest.raises(ValueError):
        draw_title_card(title=title, genre="space", width=180, height=320, seed=1)


def test_fonts_cover_latin_greek_cyrillic_and_wrap_cjk() -> None:
    path = primary_font_path()
    assert os.path.isfile(path)
    for ch in "AéΩж":
        assert covers(path, ch)
    assert not covers(path, "\uffff")
    fonts = FontSet(20)
    lines = wrap("日本語のタイトルはスペースがありません" * 3, fonts, 120)
    assert len(lines) > 1
    assert all(fonts.width(line) <= 120 for line in lines)


def test_save_png_is_atomic_and_readable(tmp_path: pathlib.Path) -> None:
    image = scene()
    target = tmp_path / "nested" / "scene.png"
    save_png(image, target)
    save_png(image, target)  # overwriting works too
    assert sorted(p.name for p in target.parent.iterdir()) == ["scene.png"]
    with Image.open(target) as loaded:
        assert loaded.format == "PNG"
        assert loaded.tobytes() == image.tobytes()


def test_save_png_leaves_no_temp_file_on_failure(tmp_path: pathlib.Path) -> None:
    class Broken:
        def save(self, *args: object, **kwargs: object) -> None:
            raise OSError("disk full")

    target = tmp_path / "scene.png"
    with pytest.raises(OSError, match="disk full"):
        save_png(Broken(), target)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
