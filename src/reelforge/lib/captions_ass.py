"""ASS (libass) caption scripts: frame-relative layout, the three styles, event timing.

Sizes are fractions of the frame so one script design reads well from 180x320 test renders to
2160x3840 masters; margins keep text clear of the Shorts/Reels/TikTok bottom bar and the
right-hand button column.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from reelforge.lib.captions import Cue, clean_text, escape_ass_text
from reelforge.lib.models import CaptionStyle

WHITE = "&H00FFFFFF"
BLACK = "&H00000000"
SHADOW = "&H80000000"
HIGHLIGHT = "&H0000E0FF"  # #FFE000 in ASS's &HAABBGGRR order
STYLE_NAME = "Caption"
_POP_IN = r"{\fscx60\fscy60\t(0,120,\fscx100\fscy100)}"


@dataclass(frozen=True)
class AssLayout:
    """Script-pixel geometry of the caption style for one frame size."""

    width: int
    font_size: int
    outline: int
    shadow: int
    margin_l: int
    margin_r: int
    margin_v: int

    @property
    def chars_per_line(self) -> int:
        """Roughly how many (bold, wide) characters fit between the side margins."""
        usable = self.width - self.margin_l - self.margin_r
        return max(4, int(usable / (0.7 * self.font_size)))


def layout_for(width: int, height: int) -> AssLayout:
    """Caption geometry: big bold text in the lower-middle third, inside the platform UI."""
    if width <= 0 or height <= 0:
        raise ValueError(f"frame size must be positive, got {width}x{height}")
    font = max(8, round(min(width, height) * 0.075))
    outline = max(1, round(font * 0.1))
    shadow = max(0, round(font * 0.03))
    if height >= width * 1.2:  # portrait: platforms overlay the bottom ~20 % and a right column
        margins = (0.07 * width, 0.15 * width, 0.25 * height)
    elif width >= height * 1.2:  # landscape: only the player's controls at the bottom
        margins = (0.06 * width, 0.06 * width, 0.09 * height)
    else:
        margins = (0.07 * width, 0.12 * width, 0.17 * height)
    ml, mr, mv = (round(m) for m in margins)
    return AssLayout(width, font, outline, shadow, ml, mr, mv)


def _unit_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _joins_previous(ch: str, prev: str) -> bool:
    """True where a break would split a grapheme (combining marks, ZWJ emoji, modifiers)."""
    code = ord(ch)
    return (
        unicodedata.combining(ch) != 0
        or prev == "\u200d"
        or ch == "\u200d"
        or 0xFE00 <= code <= 0xFE0F
        or 0x1F3FB <= code <= 0x1F3FF
        or unicodedata.category(ch) in ("Mn", "Me")
    )


def _hard_wrap(word: str, limit: int) -> list[str]:
    """Split a word too long for one line: libass only breaks lines at spaces."""
    chunks, current, used = [], "", 0
    for ch in word:
        units = _unit_width(ch)
        if current and used + units > limit and not _joins_previous(ch, current[-1]):
            chunks.append(current)
            current, used = "", 0
        current += ch
        used += units
    return [*chunks, current] if current else chunks


def _word_markup(word: str, limit: int) -> str:
    """Escaped text of a cue; runs without spaces that cannot fit a line get forced breaks."""
    return " ".join(
        r"\N".join(escape_ass_text(chunk) for chunk in _hard_wrap(run, limit))
        for run in clean_text(word).split(" ")
    )


def _centiseconds(seconds: float) -> int:
    # One rounding rule for every boundary keeps the order of the original times.
    return math.floor(seconds * 100 + 0.5)


def _timestamp(cs: int) -> str:
    h, rest = divmod(cs, 360_000)
    m, rest = divmod(rest, 6_000)
    s, cs = divmod(rest, 100)
    return f"{h}:{m:02d}:{s:02d}.{cs:02d}"


def _word_spans(phrase: Sequence[Cue]) -> list[tuple[float, float]]:
    """Each word holds the screen until the next one starts, so pauses inside a phrase do not
    flicker; the last word lasts until it ends."""
    nexts = [w.start for w in phrase[1:]]
    return [(w.start, nxt) for w, nxt in zip(phrase, nexts, strict=False)] + [
        (phrase[-1].start, phrase[-1].end)
    ]


def _events(
    phrases: Sequence[Sequence[Cue]], style: CaptionStyle, limit: int
) -> list[tuple[float, float, str]]:
    events: list[tuple[float, float, str]] = []
    for phrase in phrases:
        marks = [_word_markup(w.text, limit) for w in phrase]
        if style == "phrase":
            events.append((phrase[0].start, max(w.end for w in phrase), " ".join(marks)))
            continue
        for i, (start, end) in enumerate(_word_spans(phrase)):
            if style == "pop":
                text = _POP_IN + marks[i]
            else:
                lit = [*marks]
                lit[i] = rf"{{\1c{HIGHLIGHT}&}}{marks[i]}{{\r}}"
                text = " ".join(lit)
            events.append((start, end, text))
    return events


def _dialogue_lines(events: list[tuple[float, float, str]]) -> list[str]:
    """Quantise to centiseconds, clip each event at the next start (no overlap on the layer),
    and drop what becomes empty."""
    timed = sorted(
        ((_centiseconds(s), _centiseconds(e), t) for s, e, t in events), key=lambda x: x[0]
    )
    lines = []
    for i, (start, end, text) in enumerate(timed):
        if i + 1 < len(timed):
            end = min(end, timed[i + 1][0])
        if end > start:
            lines.append(
                f"Dialogue: 0,{_timestamp(start)},{_timestamp(end)},{STYLE_NAME},,0,0,0,,{text}"
            )
    return lines


def _style_line(layout: AssLayout, style: CaptionStyle, font: str) -> str:
    if style == "phrase":
        # BorderStyle 3: libass draws an opaque box in OutlineColour, `outline` px of padding.
        border, outline_colour, outline, shadow = 3, BLACK, max(2, layout.outline), 0
    else:
        border, outline_colour, outline, shadow = 1, BLACK, layout.outline, layout.shadow
    font = " ".join(font.replace(",", " ").split())  # a comma would shift later style fields
    fields = [
        STYLE_NAME, font, layout.font_size, WHITE, WHITE, outline_colour, SHADOW,
        -1, 0, 0, 0, 100, 100, 0, 0, border, outline, shadow, 2,
        layout.margin_l, layout.margin_r, layout.margin_v, 1,
    ]  # fmt: skip
    return "Style: " + ",".join(str(f) for f in fields)


def ass_script(
    phrases: Sequence[Sequence[Cue]],
    *,
    width: int,
    height: int,
    style: CaptionStyle = "karaoke",
    font: str = "DejaVu Sans",
) -> str:
    """A complete ASS script; karaoke highlights the spoken word inside its phrase, pop shows
    one word at a time with a quick scale-in, phrase shows whole phrases on a box."""
    if style not in ("karaoke", "pop", "phrase"):
        raise ValueError(f"unknown caption style {style!r}")
    layout = layout_for(width, height)
    header = [
        "[Script Info]",
        "; written by reelforge",
        "ScriptType: v4.00+",
        f"PlayResX: {width}",
        f"PlayResY: {height}",
        "WrapStyle: 0",
        "ScaledBorderAndShadow: yes",
        "",
        "[V4+ Styles]",
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
        "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
        "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
        _style_line(layout, style, font),
        "",
        "[Events]",
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
    ]
    events = _dialogue_lines(_events(phrases, style, layout.chars_per_line))
    return "\n".join([*header, *events]) + "\n"
