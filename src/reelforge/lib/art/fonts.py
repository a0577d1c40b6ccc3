"""Font discovery with per-character fallback, and title layout (wrap + auto-fit).

The primary face is DejaVu Sans Bold (Latin, Greek, Cyrillic, many symbols). Characters it
lacks are looked up with fontconfig (``fc-list :charset=...``), falling back to scanning the
Noto directory; characters nobody covers are drawn with the primary face's missing-glyph
box rather than raising. Missing-glyph detection compares a character's rendered mask with
that of a noncharacter, because Pillow exposes no cmap query.
"""

from __future__ import annotations

import functools
import glob
import os
import shutil
import subprocess  # nosec B404 # subprocess runs fixed local tools with argument lists, never a shell
import unicodedata
from dataclasses import dataclass

from PIL import ImageFont

Font = ImageFont.FreeTypeFont

PRIMARY_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
)
_SCAN_GLOBS = ("/usr/share/fonts/truetype/noto/*-Bold.ttf", "/usr/share/fonts/truetype/noto/*.ttf")
_FONT_EXTS = (".ttf", ".otf", ".ttc")
_PROBE_SIZE = 32
_NOT_A_CHAR = "\uffff"
# Bound fontconfig calls for pathological inputs (a title of 10k distinct CJK characters).
_MAX_LOOKUPS = 48


class FontNotFoundError(RuntimeError):
    pass


def _fc(args: list[str]) -> list[str]:
    exe = shutil.which(args[0])
    if exe is None:
        return []
    try:
        out = subprocess.run(  # nosec B603 # argument list to fc-match with a font family name; no shell
            [exe, *args[1:]], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip().rstrip(":") for line in out.stdout.splitlines() if line.strip()]


def _usable(path: str) -> bool:
    return (
        os.path.isfile(path) and path.lower().endswith(_FONT_EXTS) and "emoji" not in path.lower()
    )


@functools.cache
def primary_font_path() -> str:
    found = _fc(["fc-match", "-f", "%{file}\n", "DejaVu Sans:bold"])
    for path in [*found, *PRIMARY_CANDIDATES]:
        if _usable(path):
            return path
    raise FontNotFoundError(
        "no usable TrueType font found: install fonts-dejavu-core (or fonts-noto) "
        f"so that one of {', '.join(PRIMARY_CANDIDATES)} exists"
    )


@functools.cache
def load(path: str, size: int) -> Font:
    return ImageFont.truetype(path, size)


@functools.cache
def covers(path: str, ch: str) -> bool:
    if ch.isspace():
        return True
    try:
        font = load(path, _PROBE_SIZE)
        glyph = font.getmask(ch)
        missing = font.getmask(_NOT_A_CHAR)
    except (OSError, ValueError, UnicodeError):
        return False
    return (glyph.size, bytes(glyph)) != (missing.size, bytes(missing))


@functools.cache
def _fallback_for(ch: str) -> str | None:
    if shutil.which("fc-list"):
        candidates = _fc(["fc-list", f":charset={ord(ch):x}", "file"])
        candidates.sort(key=lambda p: ("Bold" not in p, "NotoSans" not in p, p))
    else:  # no fontconfig: probe the Noto files directly (slower, but only once per char)
        candidates = sorted({p for g in _SCAN_GLOBS for p in glob.glob(g)})
    for path in candidates:
        if _usable(path) and covers(path, ch):
            return path
    return None


def _attaches(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in ("Mn", "Mc", "Me", "Cf")


class FontSet:
    """Fonts at one size; splits text into runs each drawn with a covering face."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.primary = primary_font_path()
        self._lookups = 0
        self._choice: dict[str, str] = {}

    def path_for(self, ch: str) -> str:
        if ch in self._choice:
            return self._choice[ch]
        path = self.primary
        if not covers(self.primary, ch) and self._lookups < _MAX_LOOKUPS:
            self._lookups += 1
            path = _fallback_for(ch) or self.primary
        self._choice[ch] = path
        return path

    def runs(self, text: str) -> list[tuple[str, Font]]:
        out: list[tuple[str, str]] = []
        for ch in text:
            # Spaces and marks stay with the run before them so shaping is not split.
            path = out[-1][1] if out and _attaches(ch) else self.path_for(ch)
            if out and out[-1][1] == path:
                out[-1] = (out[-1][0] + ch, path)
            else:
                out.append((ch, path))
        return [(t, load(p, self.size)) for t, p in out]

    def width(self, text: str) -> float:
        return sum(font.getlength(t) for t, font in self.runs(text))

    def metrics(self) -> tuple[int, int]:
        ascent, descent = load(self.primary, self.size).getmetrics()
        return ascent, descent


@dataclass(frozen=True)
class Layout:
    fonts: FontSet
    lines: list[str]
    line_height: int


def wrap(text: str, fonts: FontSet, max_width: float) -> list[str]:
    """Greedy word wrap; words (or unspaced scripts) wider than a line break per character."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        pieces = [word]
        if fonts.width(word) > max_width:
            pieces, chunk = [], ""
            for ch in word:
                if chunk and fonts.width(chunk + ch) > max_width:
                    pieces.append(chunk)
                    chunk = ""
                chunk += ch
            pieces.append(chunk)
        for i, piece in enumerate(pieces):
            joiner = " " if current and i == 0 else ""
            candidate = current + joiner + piece
            if current and fonts.width(candidate) > max_width:
                lines.append(current)
                current = piece
            else:
                current = candidate
    if current:
        lines.append(current)
    return lines


def fit(text: str, max_width: float, max_height: float, start: int, minimum: int = 8) -> Layout:
    """The largest size (stepping down ~8 %) at which the wrapped text fits the box."""
    size = max(start, minimum)
    while True:
        fonts = FontSet(size)
        lines = wrap(text, fonts, max_width)
        ascent, descent = fonts.metrics()
        line_h = int((ascent + descent) * 1.08)
        if line_h * len(lines) <= max_height or size <= minimum:
            break
        size = max(minimum, int(size * 0.92))
    # Still too tall at the smallest size: keep what fits and mark the cut.
    keep = max(1, int(max_height // max(1, line_h)))
    if len(lines) > keep:
        lines = lines[:keep]
        last = lines[-1]
        while last and fonts.width(last + "…") > max_width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return Layout(fonts=fonts, lines=lines, line_height=line_h)
