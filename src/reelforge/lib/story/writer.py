"""Deterministic story writer: pick beats, phrase the hook, fit the word budget.

Every random choice comes from one ``random.Random(seed)``; sub-generators are seeded from
it up front so that re-phrasing the hook while fitting the budget does not shift the
choices made later (which would make word counts depend on retry order).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from reelforge.lib.models import Scene, Story
from reelforge.lib.story.genre_data import Beat, GenreData
from reelforge.lib.story.genres import REGISTRY
from reelforge.lib.story.grammar import Lexicon, expand, number_word, word_count
from reelforge.lib.story.styles import (
    DESCRIPTIONS,
    HOOK_WRAPPERS,
    MOTIONS,
    SHARED_LEXICON,
    TITLES,
)
from reelforge.lib.story.text import clean_niche, hashtag, title_case

GENRES: tuple[str, ...] = tuple(REGISTRY)
HOOK_STYLES: tuple[str, ...] = tuple(HOOK_WRAPPERS)

MIN_WORDS, MAX_WORDS = 80, 200
MIN_SCENES, MAX_SCENES = 4, 8
MAX_SENTENCES = 3
TITLE_MAX_CHARS = 100
# Spoken words one scene typically takes (lead plus maybe one more sentence).
_WORDS_PER_SCENE = 22
_HOOK_WORDS = 15
# ``str.format`` only ever sees the cleaned niche as an argument, never as a template.
NICHE_LINES = ("Made for fans of {}.", "More {} every week.", "Your daily dose of {}.")


@dataclass
class _Draft:
    hook: str
    leads: list[str]
    # Per scene: optional sentences, best first.
    pending: list[list[str]]
    chosen: list[list[str]] = field(default_factory=list)

    def total(self) -> int:
        spoken = [self.hook, *self.leads, *(s for scene in self.chosen for s in scene)]
        return sum(word_count(t) for t in spoken)


def _require(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; allowed values: {', '.join(allowed)}")


def scene_count_for(target_words: int) -> int:
    target = min(max(target_words, MIN_WORDS), MAX_WORDS)
    n = round((target - _HOOK_WORDS) / _WORDS_PER_SCENE)
    return min(max(n, MIN_SCENES), MAX_SCENES)


def _pick_beats(order: list[Beat], n: int, limit: int, hook_words: int) -> list[Beat]:
    """First ``n`` beats of ``order``, trading long leads for short ones to fit ``limit``."""
    chosen, spare = list(order[:n]), list(order[n:])
    for _ in range(n):
        words = hook_words + sum(word_count(b.lead) for b in chosen)
        if words <= limit or not spare:
            break
        longest = max(range(n), key=lambda i: word_count(chosen[i].lead))
        shortest = min(range(len(spare)), key=lambda i: word_count(spare[i].lead))
        if word_count(spare[shortest].lead) >= word_count(chosen[longest].lead):
            break
        chosen[longest], spare[shortest] = spare[shortest], chosen[longest]
    return chosen


def _fill(draft: _Draft, target: int) -> None:
    """Add optional sentences round-robin until the script reaches ``target`` words."""
    ceiling = min(MAX_WORDS, round(target * 1.15))
    draft.chosen = [[] for _ in draft.leads]

    def room(i: int) -> bool:
        # The lead is always one of the sentences.
        return bool(draft.pending[i]) and 1 + len(draft.chosen[i]) < MAX_SENTENCES

    progress = True
    while progress and draft.total() < target:
        progress = False
        # Shortest scenes first keeps scene lengths even.
        for i in sorted(range(len(draft.leads)), key=lambda k: len(draft.chosen[k])):
            if not room(i) or draft.total() >= target:
                continue
            sentence = draft.pending[i][0]
            if draft.total() + word_count(sentence) <= ceiling:
                draft.chosen[i].append(draft.pending[i].pop(0))
                progress = True
    # The hard floor beats the soft ceiling: add the shortest sentences that still fit.
    while draft.total() < MIN_WORDS:
        options = [(word_count(p[0]), i) for i, p in enumerate(draft.pending) if p and room(i)]
        options = [o for o in options if draft.total() + o[0] <= MAX_WORDS]
        if not options:
            break
        _, i = min(options)
        draft.chosen[i].append(draft.pending[i].pop(0))


def write_story(*, genre: str, hook_style: str, niche: str, target_words: int, seed: int) -> Story:
    """Write a short fun-facts script; same arguments always give the same Story."""
    _require(genre, GENRES, "genre")
    _require(hook_style, HOOK_STYLES, "hook_style")
    data: GenreData = REGISTRY[genre]
    lexicon: Lexicon = {**SHARED_LEXICON, **data.lexicon}
    rng = random.Random(seed)  # nosec B311 # seeded random for reproducible content, simulation or retry jitter, not for security
    target = min(max(int(target_words), MIN_WORDS), MAX_WORDS)

    order = rng.sample(list(data.beats), len(data.beats))
    core = rng.choice(data.cores)
    wrapper = rng.choice(HOOK_WRAPPERS[hook_style])
    hook_seed, visual_seed, text_seed = (rng.getrandbits(64) for _ in range(3))
    extras = rng.sample(list(data.lexicon["extra"]), len(data.lexicon["extra"]))
    closer = rng.choice(data.lexicon["closer"])
    motions = rng.sample(list(MOTIONS), len(MOTIONS))

    def phrase_hook(n: int) -> str:
        bound = {"core": core, "count": number_word(n), "n": str(n)}
        return expand(wrapper, random.Random(hook_seed), lexicon, bound)  # nosec B311 # seeded random for reproducible content, simulation or retry jitter, not for security

    # Fewer scenes if even the bare leads overflow the hard limit.
    n = scene_count_for(target)
    while True:
        hook = phrase_hook(n)
        beats = _pick_beats(order, n, round(target * 1.1), word_count(hook))
        leads = [b.lead for b in beats]
        if hook_style == "countdown":
            leads = [f"Number {number_word(n - i)}: {lead}" for i, lead in enumerate(leads)]
        bare = word_count(hook) + sum(word_count(t) for t in leads)
        if bare <= MAX_WORDS or n == MIN_SCENES:
            break
        n -= 1

    pending = [list(b.more) for b in beats]
    # Optional material per scene, in order of preference: the beat's own follow-ups, then
    # (last scene only) a closing line, then genre-generic extras dealt out round-robin.
    pending[-1].append(closer)
    for k, extra in enumerate(extras):
        pending[k % n].append(extra)
    draft = _Draft(hook=hook, leads=leads, pending=pending)
    _fill(draft, target)

    visual_rng = random.Random(visual_seed)  # nosec B311 # seeded random for reproducible content, simulation or retry jitter, not for security
    scenes = [
        Scene(
            narration=" ".join([lead, *more]),
            visual_prompt=expand(beat.visual, visual_rng, lexicon),
            motion=motions[i % len(motions)],
        )
        for i, (beat, lead, more) in enumerate(zip(beats, leads, draft.chosen, strict=True))
    ]

    text_rng = random.Random(text_seed)  # nosec B311 # seeded random for reproducible content, simulation or retry jitter, not for security
    bound = {
        "subject": beats[0].subject,
        "subject2": beats[1].subject,
        "n": str(n),
        "m": str(n - 1),
        "count": number_word(n),
    }
    forms = data.lexicon.get("title_form", TITLES)
    title = title_case(expand(text_rng.choice(forms), text_rng, lexicon, bound))
    title = title[:TITLE_MAX_CHARS].rstrip(" :,")
    summary = expand(text_rng.choice(DESCRIPTIONS), text_rng, lexicon, bound)
    topic = clean_niche(niche) or expand("{topic}", text_rng, lexicon)
    niche_line = text_rng.choice(NICHE_LINES)
    cta = text_rng.choice(SHARED_LEXICON["cta"])
    description = " ".join([summary, niche_line.format(topic), cta])

    tags = ["#shorts", *data.core_hashtags]
    niche_tag = hashtag(topic)
    if niche_tag and niche_tag not in tags:
        tags.append(niche_tag)
    wanted = text_rng.randint(6, 8)
    for tag in text_rng.sample(list(data.hashtags), len(data.hashtags)):
        if len(tags) >= wanted:
            break
        if tag.lower() not in {t.lower() for t in tags}:
            tags.append(tag)

    return Story(
        title=title,
        hook=hook,
        scenes=scenes,
        description=description,
        hashtags=tags,
        genre=genre,
        seed=seed,
    )
