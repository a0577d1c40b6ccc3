"""Read a free-text visual prompt into a drawing plan: motifs, colours, light, counts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reelforge.lib.art.canvas import mix
from reelforge.lib.art.palettes import COLOR_MODIFIERS, COLOR_WORDS, MOTIF_WORDS, RGB, TIME_WORDS

_NUMBERS = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_COUNTED = {"moon": ("moon", "moons"), "planet": ("planet", "planets")}
# A colour word this many words before a motif word colours that motif ("red desert dunes").
_LOOKAHEAD = 3
_MAX_PROMPT_CHARS = 2000
# A colour directly before one of these describes the light, not an object.
_AMBIENT = frozenset(
    [
        "sky",
        "light",
        "glow",
        "haze",
        "background",
        "tones",
        "lamp",
        "spotlight",
        "mist",
        "clouds",
        "nebula",
        "dusk",
        "dawn",
    ]
)


@dataclass(frozen=True)
class ScenePlan:
    motifs: frozenset[str]
    free_colours: tuple[RGB, ...]  # colours not attached to an object: sky, haze, glow
    element_colours: dict[str, RGB] = field(default_factory=dict)
    time: str = ""  # "night" | "dusk" | "dawn" | "day" | "" (genre decides)
    counts: dict[str, int] = field(default_factory=dict)
    horizon: bool = False

    def has(self, *motifs: str) -> bool:
        return any(m in self.motifs for m in motifs)


def _tokens(prompt: str) -> list[str]:
    # Commas stay as tokens: a colour never reaches across one to colour a motif.
    return re.findall(r"[a-z0-9]+|,", prompt[:_MAX_PROMPT_CHARS].lower())


def _motif_index() -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for motif, words in MOTIF_WORDS.items():
        for word in words:
            index.setdefault(word, []).append(motif)
    return index


_INDEX = _motif_index()


def _motifs_of(tokens: list[str]) -> list[tuple[int, str]]:
    """(token position, motif) for every single- or two-word motif phrase."""
    found: list[tuple[int, str]] = []
    i = 0
    while i < len(tokens):
        pair = f"{tokens[i]} {tokens[i + 1]}" if i + 1 < len(tokens) else ""
        if pair in _INDEX:  # "star field" must not also read as a field of grass
            found += [(i + 1, m) for m in _INDEX[pair]]
            i += 2
            continue
        for word in (tokens[i], tokens[i].rstrip("s")):
            if word in _INDEX:
                found += [(i, m) for m in _INDEX[word]]
                break
        i += 1
    return found


def _colours_of(tokens: list[str]) -> list[tuple[int, RGB]]:
    """(position of the colour's last word, colour) with modifiers and pairs merged."""
    out: list[tuple[int, RGB]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        modifier = COLOR_MODIFIERS.get(tok) if i + 1 < len(tokens) else None
        if modifier and tokens[i + 1] in COLOR_WORDS:
            i += 1
            tok = tokens[i]
        if tok not in COLOR_WORDS:
            i += 1
            continue
        colour = COLOR_WORDS[tok]
        if i + 1 < len(tokens) and tokens[i + 1] in COLOR_WORDS:  # "rose pink"
            i += 1
            colour = mix(colour, COLOR_WORDS[tokens[i]], 0.5)
        if modifier:
            colour = mix(colour, modifier[0], modifier[1])
        out.append((i, (int(colour[0]), int(colour[1]), int(colour[2]))))
        i += 1
    return out


def read_prompt(prompt: str) -> ScenePlan:
    tokens = _tokens(prompt)
    motifs = _motifs_of(tokens)
    element: dict[str, RGB] = {}
    free: list[RGB] = []
    for pos, colour in _colours_of(tokens):
        window = tokens[pos + 1 : pos + 1 + _LOOKAHEAD]
        if "," in window:
            window = window[: window.index(",")]
        ahead = [m for p, m in motifs if pos < p <= pos + len(window)]
        ambient = bool(window) and window[0] in _AMBIENT
        if ahead and not ambient and ahead[0] not in element:
            element[ahead[0]] = colour
        else:
            free.append(colour)
    words = set(tokens)
    time = next((t for t, ws in TIME_WORDS.items() if words & set(ws)), "")
    counts: dict[str, int] = {}
    for i, tok in enumerate(tokens):
        for motif, names in _COUNTED.items():
            # Allow one adjective in between: "two tiny moons".
            for before in tokens[max(0, i - 2) : i][::-1]:
                if tok in names and before in _NUMBERS:
                    counts[motif] = _NUMBERS[before]
                    break
                if tok in names and before.isdigit():
                    counts[motif] = min(int(before), 12)
                    break
    return ScenePlan(
        motifs=frozenset(m for _, m in motifs),
        free_colours=tuple(free),
        element_colours=element,
        time=time,
        counts=counts,
        horizon="horizon" in words,
    )
