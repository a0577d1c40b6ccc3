"""A tiny template grammar: ``{slot}`` placeholders filled from lexicons.

Template syntax (kept deliberately small so data modules stay readable):

* ``{name}``   a value for ``name``: a binding if one is given, else a random lexicon entry
* ``{Name}``   the same, with the first letter upper-cased (sentence starts, titles)
* ``{a name}`` / ``{A name}``  the value preceded by the right indefinite article

Lexicon values may themselves contain slots; expansion recurses to a fixed depth so that a
cyclic lexicon fails loudly instead of hanging. Only trusted template data ever passes
through here: untrusted text (the channel niche) is spliced in after expansion, so braces
in it can never be interpreted.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence

Lexicon = Mapping[str, Sequence[str]]

_SLOT = re.compile(r"\{(?:(a|A) )?([A-Za-z][A-Za-z0-9_]*)\}")
_MAX_DEPTH = 6
_VOWELS = frozenset("aeiouAEIOU")
# Spelling is not sound: these openings take the other article.
_SILENT_H = ("honest", "hour", "honor", "heir")
_YOU_SOUND = ("uni", "use", "usu", "one", "euro")


def cap_first(text: str) -> str:
    """Upper-case only the first character (``str.capitalize`` would lower the rest)."""
    return text[:1].upper() + text[1:]


def with_article(text: str) -> str:
    """Prefix ``a`` or ``an`` to a noun phrase."""
    low = text.lower()
    vowel_sound = text[:1] in _VOWELS
    if low.startswith(_SILENT_H):
        vowel_sound = True
    elif low.startswith(_YOU_SOUND):
        vowel_sound = False
    return ("an " if vowel_sound else "a ") + text


def slots_in(template: str) -> set[str]:
    """Lower-cased slot names a template refers to (used to validate the data tables)."""
    return {m.group(2).lower() for m in _SLOT.finditer(template)}


def expand(
    template: str,
    rng: random.Random,
    lexicon: Lexicon,
    bindings: Mapping[str, str] | None = None,
    _depth: int = 0,
) -> str:
    """Fill every slot in ``template``; raise ``KeyError`` for a slot nobody can fill."""
    if _depth > _MAX_DEPTH:
        raise RecursionError(f"template nesting deeper than {_MAX_DEPTH}: {template!r}")
    bound = bindings or {}

    def fill(match: re.Match[str]) -> str:
        article, raw = match.group(1), match.group(2)
        key = raw.lower()
        if key in bound:
            value = bound[key]
        elif lexicon.get(key):
            value = expand(rng.choice(list(lexicon[key])), rng, lexicon, bound, _depth + 1)
        else:
            raise KeyError(f"no lexicon entry or binding for slot {{{raw}}}")
        if article:
            value = with_article(value)
            return cap_first(value) if article == "A" else value
        return cap_first(value) if raw[0].isupper() else value

    return _SLOT.sub(fill, template)


def pick_distinct(rng: random.Random, items: Sequence[str], count: int) -> list[str]:
    """``count`` different entries (fewer only if the table itself is smaller)."""
    return rng.sample(list(items), min(count, len(items)))


def word_count(text: str) -> int:
    return len(text.split())


def number_word(n: int) -> str:
    """Spell small counts out: TTS engines read words more naturally than digits."""
    words = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
    ]
    return words[n] if 0 <= n < len(words) else str(n)
