"""Captions: phrase grouping, SRT/VTT formats, ASS styles, and literal rendering of any text."""

from __future__ import annotations

import re
import shutil
import subprocess
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from reelforge.lib.captions import (
    Cue,
    clean_text,
    escape_ass_text,
    group_phrases,
    to_ass,
    to_srt,
    to_vtt,
)
from reelforge.lib.captions_ass import HIGHLIGHT, layout_for
from reelforge.lib.models import Word

WJ = "\u2060"
NASTY = "\\ { } : ' \" % [ ] ; , = %{pts} \\N \\h {\\b1}"


def words(*spec: tuple[str, float, float]) -> list[Cue]:
    return [Cue(t, s, e) for t, s, e in spec]


def sentence(text: str, step: float = 0.3) -> list[Cue]:
    return [Cue(w, i * step, i * step + step * 0.9) for i, w in enumerate(text.split())]


# --- text cleaning and grouping ---------------------------------------------------------


def test_clean_text_flattens_controls_and_strips_bidi_overrides() -> None:
    assert clean_text("one\ntwo\r\nthree\tfour\x00five\x1b\x7f six\u2028seven") == (
        "one two three four five six seven"
    )
    bidi = "".join(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
    assert clean_text(f"pay{bidi}lap") == "paylap"
    assert clean_text("  a   b  ") == "a b"
    assert clean_text("emoji 😀 中文 العربية") == "emoji 😀 中文 العربية"
    assert clean_text("\ud800x") == "\ufffdx"  # a lone surrogate would break UTF-8 output


def test_group_phrases_breaks_on_punctuation_gaps_and_limits() -> None:
    texts = lambda ps: [[w.text for w in p] for p in ps]  # noqa: E731
    assert texts(group_phrases(sentence("Hello, world. This is fine"))) == [
        ["Hello,"],
        ["world."],
        ["This", "is", "fine"],
    ]
    assert texts(group_phrases(sentence("a b c d e f"))) == [["a", "b", "c", "d"], ["e", "f"]]
    assert texts(group_phrases(sentence("a b c d e f"), max_words=3)) == [
        ["a", "b", "c"],
        ["d", "e", "f"],
    ]
    gap = words(("one", 0, 0.3), ("two", 0.3, 0.6), ("three", 1.5, 1.8))
    assert texts(group_phrases(gap)) == [["one", "two"], ["three"]]
    long = sentence("abcdefghij klmnopqrst uvwxyz0123 x")
    assert texts(group_phrases(long)) == [["abcdefghij", "klmnopqrst"], ["uvwxyz0123", "x"]]
    assert texts(group_phrases(sentence("Supercalifragilisticexpialidocious yes"))) == [
        ["Supercalifragilisticexpialidocious"],
        ["yes"],
    ]
    assert texts(group_phrases(sentence('He said "stop." Then'))) == [
        ["He", "said", '"stop."'],
        ["Then"],
    ]
    assert texts(group_phrases(sentence("你好。 世界"))) == [["你好。"], ["世界"]]


def test_group_phrases_sorts_and_drops_unusable_words() -> None:
    shuffled = words(("b", 1.0, 1.2), ("a", 0.0, 0.2), ("", 0.5, 0.6), ("bad", 2.0, 1.0))
    assert [[w.text for w in p] for p in group_phrases(shuffled)] == [["a"], ["b"]]


def test_accepts_model_words() -> None:
    ws = [
        Word(text="hi", start=0.0, end=0.5, segment=0),
        Word(text="there", start=0.5, end=1, segment=0),
    ]
    assert "hi there" in to_srt(ws)


# --- SRT and WebVTT ----------------------------------------------------------------------

SRT_TIME = r"(\d{2}):(\d{2}):(\d{2}),(\d{3})"
VTT_TIME = r"(\d{2}):(\d{2}):(\d{2})\.(\d{3})"


def _seconds(h: str, m: str, s: str, ms: str) -> float:
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def parse_srt(text: str) -> list[tuple[float, float, str]]:
    cues = []
    for i, block in enumerate(text.strip().split("\n\n"), start=1):
        lines = block.split("\n")
        assert len(lines) == 3, block  # index, timing, exactly one text line
        assert lines[0] == str(i)
        m = re.fullmatch(f"{SRT_TIME} --> {SRT_TIME}", lines[1])
        assert m, lines[1]
        cues.append((_seconds(*m.groups()[:4]), _seconds(*m.groups()[4:]), lines[2]))
    return cues


def parse_vtt(text: str) -> list[tuple[float, float, str]]:
    header, *blocks = text.strip().split("\n\n")
    assert header == "WEBVTT"
    cues = []
    for block in blocks:
        timing, *lines = block.split("\n")
        assert len(lines) == 1, block
        m = re.fullmatch(f"{VTT_TIME} --> {VTT_TIME}", timing)
        assert m, timing
        assert "-->" not in lines[0]
        cues.append((_seconds(*m.groups()[:4]), _seconds(*m.groups()[4:]), lines[0]))
    return cues


def assert_monotonic(cues: list[tuple[float, float, str]]) -> None:
    for (s1, e1, _), (s2, _e2, _) in pairwise(cues):
        assert s1 < e1 <= s2
    assert all(s < e for s, e, _ in cues)


def test_srt_and_vtt_are_parseable_monotonic_single_line_cues() -> None:
    ws = sentence("Line one,\nwith a break. And <b>tags</b> & --> arrows\r\n\x00 too", step=0.4)
    ws.append(Cue("late", 3661.5, 3662.25))
    srt, vtt = parse_srt(to_srt(ws)), parse_vtt(to_vtt(ws))
    assert_monotonic(srt)
    assert_monotonic(vtt)
    assert [c[:2] for c in srt] == [c[:2] for c in vtt]
    assert srt[-1][:2] == (3661.5, 3662.25)
    assert "01:01:01,500 --> 01:01:02,250" in to_srt(ws)
    assert "01:01:01.500 --> 01:01:02.250" in to_vtt(ws)
    assert srt[0][2] == "Line one,"
    vtt_text = " ".join(c[2] for c in vtt)
    assert "&lt;b&gt;tags&lt;/b&gt;" in vtt_text and "&amp;" in vtt_text
    assert "<" not in vtt_text and ">" not in vtt_text.replace("&gt;", "")


def test_overlapping_words_are_clipped_and_empty_input_is_valid() -> None:
    ws = words(("one.", 0.0, 2.0), ("two", 1.0, 1.5))
    assert_monotonic(parse_srt(to_srt(ws)))
    assert to_srt([]) == ""
    assert to_vtt([]).strip() == "WEBVTT"


# --- ASS ---------------------------------------------------------------------------------

ASS_TIME = r"(\d+):(\d{2}):(\d{2})\.(\d{2})"


def dialogues(script: str) -> list[tuple[float, float, str]]:
    out = []
    for line in script.splitlines():
        if line.startswith("Dialogue:"):
            m = re.fullmatch(f"Dialogue: 0,{ASS_TIME},{ASS_TIME},Caption,,0,0,0,,(.*)", line)
            assert m, line
            g = m.groups()
            start = int(g[0]) * 3600 + int(g[1]) * 60 + int(g[2]) + int(g[3]) / 100
            end = int(g[4]) * 3600 + int(g[5]) * 60 + int(g[6]) + int(g[7]) / 100
            out.append((start, end, g[8]))
    return out


def style_fields(script: str) -> dict[str, str]:
    fmt = next(line for line in script.splitlines() if line.startswith("Format: Name"))
    style = next(line for line in script.splitlines() if line.startswith("Style:"))
    names = [n.strip() for n in fmt[len("Format:") :].split(",")]
    return dict(zip(names, style[len("Style:") :].strip().split(","), strict=True))


def visible_text(markup: str) -> str:
    """What libass shows for event text (rules verified against libass 0.17 in FFmpeg):
    \\N \\n \\h are breaks/spaces, \\{ \\} are literal braces, {...} is an override block,
    any other backslash is literal."""
    out, i = [], 0
    while i < len(markup):
        ch = markup[i]
        nxt = markup[i + 1] if i + 1 < len(markup) else ""
        if ch == "\\" and nxt in ("N", "n", "h"):
            out.append("\n" if nxt == "N" else " ")
            i += 2
        elif ch == "\\" and nxt in "{}" and nxt:
            out.append(nxt)
            i += 2
        elif ch == "{" and "}" in markup[i:]:
            i = markup.index("}", i) + 1
        else:
            out.append(ch)
            i += 1
    return "".join(out).replace(WJ, "")


def test_escape_ass_text_neutralises_every_markup_character() -> None:
    assert escape_ass_text("\\") == "\\" + WJ
    assert escape_ass_text("{") == "\\{"
    assert escape_ass_text("}") == "\\}"
    assert escape_ass_text("%{pts}") == "%\\{pts\\}"
    assert escape_ass_text("\\N") == "\\" + WJ + "N"
    for plain in [":", "'", '"', "%", "[", "]", ";", ",", "="]:
        assert escape_ass_text(plain) == plain
    assert escape_ass_text("a\nb\tc\x00d") == "a b c d"
    assert escape_ass_text("x\u202ey") == "xy"
    for text in [NASTY, "\\\\{", "{\\}", "\\{\\}", "end\\", "😀 中文 العربية"]:
        escaped = escape_ass_text(text)
        assert visible_text(escaped) == clean_text(text)
        assert visible_text(escaped + "{\\b1}x") == clean_text(text) + "x"  # no brace leaks


def test_karaoke_has_one_event_per_word_with_the_right_word_highlighted() -> None:
    ws = sentence("The quick brown fox. Jumps over")
    script = to_ass(ws, width=1080, height=1920)
    events = dialogues(script)
    assert len(events) == len(ws)
    phrases = group_phrases(ws)
    i = 0
    for phrase in phrases:
        for k, word in enumerate(phrase):
            _s, _e, text = events[i]
            assert visible_text(text) == " ".join(w.text for w in phrase)
            highlighted = re.findall(r"\{\\1c" + re.escape(HIGHLIGHT) + r"&\}(.*?)\{\\r\}", text)
            assert highlighted == [escape_ass_text(word.text)], (k, text)
            assert abs(events[i][0] - word.start) < 0.006
            i += 1
    assert all(s < e for s, e, _ in events)
    assert all(e1 <= s2 for (_, e1, _), (s2, _, _) in pairwise(events))


def test_pop_and_phrase_styles() -> None:
    ws = sentence("one two three. four five")
    pop = to_ass(ws, width=720, height=1280, style="pop")
    events = dialogues(pop)
    assert [visible_text(t) for _, _, t in events] == ["one", "two", "three.", "four", "five"]
    assert all("\\fscx" in t and "\\fscy" in t and "\\t(" in t for _, _, t in events)
    phrase = to_ass(ws, width=720, height=1280, style="phrase")
    assert [visible_text(t) for _, _, t in dialogues(phrase)] == ["one two three.", "four five"]
    assert style_fields(phrase)["BorderStyle"] == "3"
    assert style_fields(pop)["BorderStyle"] == "1"
    with pytest.raises(ValueError):
        to_ass(ws, width=720, height=1280, style="bogus")  # type: ignore[arg-type]


def test_ass_header_and_layout_fit_the_frame_and_platform_ui() -> None:
    script = to_ass(sentence("hi"), width=1080, height=1920)
    assert "PlayResX: 1080" in script and "PlayResY: 1920" in script
    style = style_fields(script)
    assert style["Bold"] == "-1" and style["PrimaryColour"] == "&H00FFFFFF"
    assert style["OutlineColour"] == "&H00000000" and int(style["Outline"]) >= 5
    assert 60 <= int(style["Fontsize"]) <= 110
    assert 0.22 * 1920 <= int(style["MarginV"]) <= 0.28 * 1920
    assert int(style["MarginR"]) > int(style["MarginL"])  # clear of the button column
    landscape = style_fields(to_ass(sentence("hi"), width=1920, height=1080))
    assert int(landscape["MarginV"]) < 0.15 * 1080
    assert layout_for(180, 320).font_size < layout_for(1080, 1920).font_size


def test_ass_timing_is_centisecond_monotonic_without_overlap() -> None:
    ws = words(("a", 0.004, 0.006), ("b", 0.006, 1.234), ("c", 1.0, 1.5), ("d.", 1.5, 1.5))
    ws += words(("e", 3599.999, 3600.5))
    for style in ("karaoke", "pop", "phrase"):
        events = dialogues(to_ass(ws, width=320, height=180, style=style))  # type: ignore[arg-type]
        assert events and all(s < e for s, e, _ in events)
        assert all(e1 <= s2 for (_, e1, _), (s2, _, _) in pairwise(events))
    assert "1:00:00.00,1:00:00.50" in to_ass(ws, width=320, height=180)


def test_unicode_and_a_500_character_word_survive() -> None:
    long = "x" * 500
    script = to_ass(
        words(("😀", 0, 1), ("中文", 1, 2), ("العربية", 2, 3), (long, 3, 4)), width=360, height=640
    )
    texts = [visible_text(t) for _, _, t in dialogues(script)]
    assert any("😀" in t for t in texts) and any("中文" in t for t in texts)
    assert any("العربية" in t for t in texts)
    wrapped = next(t for t in texts if "x" * 10 in t)
    assert wrapped.replace("\n", "") == long and wrapped.count("\n") >= 10  # hard-wrapped


# --- what libass really draws (FFmpeg's subtitles filter, tiny frames) ---------------------

needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")


def draw(tmp_path: Path, markup: str, name: str) -> np.ndarray:
    """Render one event's raw markup on black and return the grey frame."""
    header = to_ass([], width=480, height=96)  # the real style, text forced big and top-left
    event = f"Dialogue: 0,0:00:00.00,0:00:05.00,Caption,,8,8,8,,{{\\an7\\fs32}}{markup}\n"
    path = tmp_path / f"{name}.ass"
    path.write_text(header + event, encoding="utf-8")
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=black:s=480x96:d=1:r=1",
         "-vf", f"subtitles={path.name}", "-frames:v", "1",
         "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        cwd=tmp_path, capture_output=True, check=True,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, np.uint8).reshape(96, 480)


def ink_box(frame: np.ndarray) -> tuple[int, int]:
    """Width and height of everything drawn."""
    ys, xs = np.nonzero(frame > 60)
    return int(xs.max() - xs.min()), int(ys.max() - ys.min())


@needs_ffmpeg
def test_libass_draws_escaped_text_literally(tmp_path: Path) -> None:
    # The word joiner after a backslash is invisible: identical pixels to a harmless `\b`.
    assert np.array_equal(
        draw(tmp_path, escape_ass_text("x\\by"), "wj"), draw(tmp_path, "x\\by", "raw")
    )
    # `\N` stays on one line (a real line break doubles the height).
    one_line = ink_box(draw(tmp_path, escape_ass_text("ab\\Ncd"), "n"))
    two_lines = ink_box(draw(tmp_path, "ab\\Ncd", "n2"))
    assert two_lines[1] > 1.6 * one_line[1]
    # Braces show: the escaped override block is drawn, the raw one is swallowed.
    shown = ink_box(draw(tmp_path, escape_ass_text("{\\b1}W"), "brace"))
    swallowed = ink_box(draw(tmp_path, "{\\b1}W", "brace2"))
    assert shown[0] > 3 * swallowed[0]
    assert (
        ink_box(draw(tmp_path, escape_ass_text("%{pts}"), "pts"))[0]
        > ink_box(draw(tmp_path, "%", "pct"))[0] * 3
    )


@needs_ffmpeg
def test_libass_renders_a_500_character_word_and_mixed_scripts(tmp_path: Path) -> None:
    script = to_ass(
        words(("y" * 500, 0, 1), ("😀 中文 العربية \\{}", 1, 2)), width=180, height=320, style="pop"
    )
    (tmp_path / "s.ass").write_text(script, encoding="utf-8")
    done = subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=gray:s=180x320:d=2:r=4",
         "-vf", "subtitles=s.ass", "-f", "null", "-"],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
