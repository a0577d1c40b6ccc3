"""Genre-independent templates: hook styles, titles, descriptions and calls to action.

Hook wrappers receive the genre's hook core as ``{core}`` (or ``{Core}`` at a sentence
start) and the number of counted scenes as ``{count}`` / ``{n}``. Countdown wrappers
deliberately do not all use the core: the countdown itself is the hook.
"""

from __future__ import annotations

from reelforge.lib.models import Motion

HOOK_WRAPPERS: dict[str, tuple[str, ...]] = {
    "question": (
        "Did you know that {core}?",
        "What if I told you that {core}?",
        "Would you believe that {core}?",
        "Did anyone ever tell you that {core}?",
        "Is it really true that {core}? {Yes}",
        "Quick {topic} question: did you know that {core}?",
        "Ready for {a adj} {topic} {fact}? Did you know that {core}?",
        "Here is a question for you. Did you know that {core}?",
        "Why does nobody talk about the fact that {core}?",
        "Can you guess the strangest part? {Core}.",
        "Want {a adj} {topic} {fact}? Did you know that {core}?",
        "Have you ever heard that {core}?",
        "What would you say if I told you that {core}?",
        "Did your teacher ever mention that {core}?",
    ),
    "shocking_fact": (
        "{Core}. {Shock}",
        "This sounds fake, but {core}.",
        "Here is {a adj} {topic} {fact}: {core}.",
        "Believe it or not, {core}.",
        "Stop scrolling. {Core}.",
        "It sounds impossible, but {core}.",
        "No joke: {core}. {Shock}",
        "{Adj} but true: {core}.",
        "You will not believe this, but {core}.",
        "{Core}, and that is only the start.",
    ),
    "countdown": (
        "Here are {count} {adj} {topic} {facts}, counting down to the best one.",
        "{Count} {topic} {facts} {tail}. Let's count down.",
        "Let's count down {count} {adj} {topic} {facts}. Number one will surprise you.",
        "{Count} {topic} {facts} in under a minute, starting at number {count}.",
        "You have probably never heard these {count} {topic} {facts}. Let's count down.",
        "Give me one minute for {count} {adj} {topic} {facts} {tail}.",
        "Here is a countdown of {count} {topic} {facts} {tail}.",
        "{Count} {topic} {facts}, counting down. But first, did you know that {core}?",
        "Before we count down {count} {topic} {facts}, remember this: {core}.",
        "Counting down {count} {adj} {topic} {facts}, and the last one is the best.",
        "Number {count} to number one: {adj} {topic} {facts} {tail}.",
        "{Count} {adj} {facts} {tail}, counting down from number {count}.",
    ),
    "story_open": (
        "Picture yourself {setting}. Here is something almost nobody knows: {core}.",
        "Imagine {setting}. Now imagine learning that {core}.",
        "Let me tell you a story that begins with one {adj} {fact}: {core}.",
        "You are {setting}, and you have no idea that {core}.",
        "Here is a story most people never hear. It begins like this: {core}.",
        "It started with a simple question, and the answer was that {core}.",
        "Picture yourself {setting}. Now remember this: {core}.",
        "This story starts {when}. {Core}.",
        "Once upon a time, someone discovered that {core}. This is that story.",
        "Close your eyes and imagine {setting}. {Core}.",
    ),
}

SHARED_LEXICON: dict[str, tuple[str, ...]] = {
    "shock": (
        "Let that sink in.",
        "No, really.",
        "And it gets stranger.",
        "Yes, that is real.",
        "Read that again.",
        "And that is not even the wildest part.",
    ),
    "yes": (
        "It is, and it gets stranger.",
        "Yes, and there is more.",
        "Absolutely, and here is why.",
        "It is, and here is the story.",
    ),
    "when": (
        "a long time ago",
        "with a single observation",
        "in a place you already know",
        "with a mistake",
        "quietly, with nobody watching",
    ),
    "cta": (
        "Follow for a new short every day.",
        "Follow for more, and tell us which one surprised you most.",
        "Like and follow if you learned something new.",
        "Share this with someone who needs to hear it, and follow for more.",
        "Subscribe for more short stories like this.",
        "Comment your favorite and follow for part two.",
    ),
}

# {subject} is the first scene's subject, {subject2} another one; {n} a digit count.
# A genre may replace these with its own "title_form" lexicon entry.
TITLES: tuple[str, ...] = (
    "{n} {Adj} {Topic} {Facts}",
    "The {Adj} Truth About {Subject}",
    "{Subject}: Stranger Than You Think",
    "What Nobody Tells You About {Subject}",
    "{Subject} and {m} More {Adj} {Facts}",
    "You Won't Believe This About {Subject}",
    "{n} {Topic} {Facts} {Tail}",
    "{Adj} {Topic} {Facts}: {Subject} and More",
    "Why {Subject} Will Break Your Brain",
    "The Secret of {Subject}",
    "{Subject} vs {Subject2}: {Adj} {Facts}",
    "From {Subject} to {Subject2}",
    "{Subject}: {n} {Topic} {Facts} {Tail}",
    "{Adj} {Facts} About {Subject}",
    "{title}: {Subject} and More",
)

DESCRIPTIONS: tuple[str, ...] = (
    "{N} {adj} {topic} {facts}, from {subject} to {subject2}.",
    "A quick look at {subject}, {subject2}, and more {adj} {topic} {facts}.",
    "In this short: {subject}, {subject2}, and {m} more {facts} worth knowing.",
    "{Subject}, {subject2}, and other {adj} {facts} in under a minute.",
)

# Lower-case words a title keeps lower-case unless they open it.
TITLE_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "of",
        "on",
        "or",
        "the",
        "to",
        "vs",
        "with",
    ]
)

MOTIONS: tuple[Motion, ...] = ("zoom_in", "zoom_out", "pan_left", "pan_right")
