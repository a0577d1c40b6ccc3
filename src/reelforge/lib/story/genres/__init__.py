"""Registry of genre template tables, keyed by the genre name a Plan carries."""

from reelforge.lib.story.genre_data import GenreData
from reelforge.lib.story.genres.history import HISTORY
from reelforge.lib.story.genres.motivation import MOTIVATION
from reelforge.lib.story.genres.mystery import MYSTERY
from reelforge.lib.story.genres.nature import NATURE
from reelforge.lib.story.genres.science import SCIENCE
from reelforge.lib.story.genres.space import SPACE

REGISTRY: dict[str, GenreData] = {
    g.key: g for g in (SPACE, HISTORY, NATURE, MYSTERY, SCIENCE, MOTIVATION)
}

__all__ = ["REGISTRY"]
