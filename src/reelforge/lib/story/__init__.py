"""Offline story writer: a seeded template grammar that turns a genre into a Story.

``write_story`` is the only entry point; ``GENRES`` and ``HOOK_STYLES`` list the accepted
keys so that callers (the policy, config validation) can offer exactly these choices.
"""

from reelforge.lib.story.writer import GENRES, HOOK_STYLES, write_story

__all__ = ["GENRES", "HOOK_STYLES", "write_story"]
