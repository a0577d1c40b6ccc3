"""Colour and keyword tables the artist reads prompts with (data only, no drawing)."""

from __future__ import annotations

from dataclasses import dataclass

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Palette:
    sky_top: RGB
    horizon: RGB
    accent: RGB  # glows, lit windows, rings
    ground: RGB  # nearest silhouettes
    light: RGB  # sun, highlights


def _p(top: str, horizon: str, accent: str, ground: str, light: str) -> Palette:
    def rgb(h: str) -> RGB:
        return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))

    return Palette(rgb(top), rgb(horizon), rgb(accent), rgb(ground), rgb(light))


# Several variants per genre so that the seed changes the mood, not only the layout.
GENRE_PALETTES: dict[str, tuple[Palette, ...]] = {
    "space": (
        _p("05061a", "3b1d6e", "b26cff", "07060f", "ffe6b0"),
        _p("020a14", "0e4a63", "3fe0d0", "03080c", "e0fbff"),
        _p("0a0212", "5a1447", "ff5fa2", "0b0410", "ffd6e8"),
    ),
    "history": (
        _p("2b1a3a", "e8a35a", "ffcf6e", "2a1a12", "fff0c8"),
        _p("1d2a44", "d98b5f", "f2c14e", "1b1410", "ffe9c0"),
        _p("3a2418", "f0c27a", "c8553d", "24150e", "fff4d6"),
    ),
    "nature": (
        _p("0f3b57", "9fd8c9", "f6d55c", "0c2a1c", "fff7d1"),
        _p("1b2f4a", "f4a261", "e9c46a", "14241a", "fff1c1"),
        _p("0a2a2f", "7cc6a4", "b7e26b", "082017", "f4ffe0"),
    ),
    "mystery": (
        _p("05070d", "243447", "7dffb2", "040608", "d6fff0"),
        _p("0b0614", "3b2a52", "b48cff", "07050c", "efe4ff"),
        _p("080a0a", "3a4040", "ffb347", "050606", "fff0d6"),
    ),
    "science": (
        _p("030b1e", "0a4f8a", "27e0ff", "02060f", "e6fbff"),
        _p("0e0524", "4b1f8f", "ff4fd8", "07031a", "ffe6fb"),
        _p("021414", "0b6b5e", "9dff5c", "010a0a", "eaffd9"),
    ),
    "motivation": (
        _p("1a2350", "ff9a5a", "ffd36e", "1a1420", "fff3d0"),
        _p("20104a", "ff6f91", "ffc75f", "160c24", "ffeedd"),
        _p("0f2d4a", "ffc48a", "ffe29a", "10202e", "fffbe8"),
    ),
}
DEFAULT_PALETTES = GENRE_PALETTES["science"]

COLOR_WORDS: dict[str, RGB] = {
    "red": (214, 48, 49),
    "crimson": (190, 24, 60),
    "scarlet": (230, 40, 30),
    "orange": (245, 130, 40),
    "amber": (255, 176, 40),
    "golden": (255, 196, 60),
    "gold": (255, 196, 60),
    "yellow": (250, 220, 70),
    "peach": (255, 180, 140),
    "lime": (160, 230, 60),
    "green": (60, 170, 90),
    "emerald": (30, 170, 110),
    "teal": (20, 150, 150),
    "turquoise": (50, 210, 200),
    "cyan": (60, 220, 240),
    "blue": (50, 110, 230),
    "navy": (20, 30, 90),
    "indigo": (75, 40, 160),
    "violet": (140, 80, 230),
    "purple": (120, 50, 170),
    "magenta": (220, 50, 180),
    "pink": (250, 120, 180),
    "rose": (240, 110, 150),
    "copper": (200, 110, 60),
    "bronze": (180, 120, 60),
    "brown": (120, 80, 50),
    "rust": (170, 80, 40),
    "rusty": (170, 80, 40),
    "sepia": (160, 120, 80),
    "silver": (200, 205, 215),
    "grey": (130, 135, 145),
    "gray": (130, 135, 145),
    "white": (240, 240, 245),
    "ivory": (250, 245, 225),
    "black": (12, 12, 16),
}

# Modifier -> (mix colour, amount).
COLOR_MODIFIERS: dict[str, tuple[RGB, float]] = {
    "pale": ((255, 255, 255), 0.4),
    "light": ((255, 255, 255), 0.35),
    "soft": ((255, 255, 255), 0.25),
    "sky": ((255, 255, 255), 0.3),
    "bright": ((255, 255, 255), 0.1),
    "electric": ((255, 255, 255), 0.05),
    "warm": ((255, 160, 60), 0.25),
    "cool": ((60, 140, 255), 0.25),
    "dusty": ((150, 130, 120), 0.35),
    "deep": ((0, 0, 0), 0.35),
    "dark": ((0, 0, 0), 0.45),
    "midnight": ((0, 0, 0), 0.55),
}

# Motif -> words that ask for it. Matched on whole words, singular or plural.
MOTIF_WORDS: dict[str, tuple[str, ...]] = {
    "planet": (
        "planet",
        "gas giant",
        "jupiter",
        "saturn",
        "mars",
        "venus",
        "neptune",
        "uranus",
        "mercury",
    ),
    "ringed": ("ringed", "ring", "rings"),
    "moon": ("moon", "moons", "crescent"),
    "sun": ("sun", "sunrise", "sunset", "star core", "blazing"),
    "stars": (
        "star field",
        "deep field",
        "star",
        "stars",
        "starry",
        "space",
        "night",
        "cosmos",
        "universe",
        "telescope",
    ),
    "galaxy": ("galaxy", "galaxies", "spiral", "milky"),
    "nebula": ("nebula", "nebulae", "gas cloud", "haze", "aurora", "plasma"),
    "mountain": (
        "mountain",
        "mountains",
        "peak",
        "peaks",
        "ridge",
        "ridges",
        "cliff",
        "volcano",
        "hill",
        "hills",
        "hilltop",
    ),
    "forest": (
        "forest",
        "forests",
        "tree",
        "trees",
        "jungle",
        "rainforest",
        "bamboo",
        "woods",
        "wooded",
        "grove",
        "kelp",
        "eucalyptus",
        "acacia",
    ),
    "water": (
        "ocean",
        "sea",
        "lake",
        "river",
        "water",
        "harbor",
        "beach",
        "shore",
        "reef",
        "bay",
        "waves",
        "wave",
    ),
    "dunes": (
        "desert",
        "dune",
        "dunes",
        "sand",
        "savanna",
        "grassland",
        "plain",
        "meadow",
        "field",
        "lakebed",
    ),
    "city": (
        "city",
        "skyline",
        "town",
        "village",
        "building",
        "buildings",
        "street",
        "rooftop",
        "market",
        "station",
        "university",
    ),
    "tower": ("tower", "towers", "lighthouse", "spire", "spires", "pagoda", "bell tower"),
    "castle": ("castle", "fort", "fortress", "palace", "monastery", "wall"),
    "temple": (
        "temple",
        "columns",
        "column",
        "arena",
        "stadium",
        "ruins",
        "colosseum",
        "stones",
        "monument",
        "statue",
        "statues",
    ),
    "pyramid": ("pyramid", "pyramids"),
    "atom": ("atom", "atoms", "electron", "electrons", "nucleus", "orbit", "orbits"),
    "molecule": (
        "molecule",
        "molecules",
        "lattice",
        "crystal",
        "crystals",
        "dna",
        "helix",
        "gears",
        "brain",
    ),
    "cell": (
        "cell",
        "cells",
        "microscope",
        "microscopic",
        "microbe",
        "microbes",
        "blood",
        "membrane",
        "membranes",
        "creature",
        "jellyfish",
        "bubbles",
    ),
    "lab": ("lab", "laboratory", "beaker", "beakers", "flask", "workshop"),
    "figure": (
        "person",
        "figure",
        "figures",
        "hero",
        "astronaut",
        "hiker",
        "hikers",
        "runner",
        "runners",
        "climber",
        "climbers",
        "inventor",
        "player",
        "explorer",
        "travelers",
        "children",
        "soldier",
        "soldiers",
        "people",
        "crowd",
    ),
    "crowd": ("crowd", "people", "runners", "soldiers", "travelers"),
    "fog": ("fog", "foggy", "mist", "misty", "haze", "hazy", "clouds", "cloud", "smoke"),
    "storm": ("storm", "stormy", "lightning", "thunderstorm", "rain", "rainy"),
    "snow": ("snow", "snowy", "ice", "iceberg", "frozen", "arctic"),
}

# Words that set the light; checked in this order, first hit wins.
TIME_WORDS: dict[str, tuple[str, ...]] = {
    "night": (
        "night",
        "midnight",
        "starry",
        "dark",
        "candle",
        "candlelit",
        "torchlight",
        "lantern",
        "lanterns",
    ),
    "dusk": ("dusk", "sunset", "evening", "twilight"),
    "dawn": ("dawn", "sunrise", "morning"),
    "day": ("day", "sunny", "summer", "noon", "bright"),
}

# What a title card shows behind the text when there is no scene prompt.
TITLE_PROMPTS: dict[str, tuple[str, ...]] = {
    "space": (
        "a ringed planet with two moons over a star field, violet nebula",
        "a spiral galaxy glowing in deep space, dense star field",
        "a blue planet horizon under a starry sky, a bright moon",
    ),
    "history": (
        "ancient temple columns at sunset, golden sky",
        "a great pyramid in the desert at dusk, amber sky",
        "a medieval castle on a hill, crimson evening sky",
    ),
    "nature": (
        "misty forest mountains at dawn, golden light",
        "ocean waves under a soft pink sunset sky",
        "a green rainforest valley with a river, morning mist",
    ),
    "mystery": (
        "a lonely lighthouse tower on a cliff, foggy night, pale green glow",
        "a dark forest under a full moon, violet mist",
        "ancient standing stones on a plain, stormy night sky",
    ),
    "science": (
        "a glowing atom with electron orbits, electric blue background",
        "a sparkling molecule lattice, magenta and cyan glow",
        "floating cells under a microscope, teal light",
    ),
    "motivation": (
        "a hiker on a mountain ridge at sunrise, golden sky",
        "a runner on a city street at dawn, warm orange sky",
        "a person on a hilltop watching the sunrise, rose pink sky",
    ),
}
DEFAULT_TITLE_PROMPTS = ("soft abstract shapes, glowing gradient",)
