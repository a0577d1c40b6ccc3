"""Content moderation: the verdict type, text rules, and local text and image classifiers.

Remote moderation (OpenAI) lives in `reelforge.lib.providers.moderation_openai`; every
provider answers with the same `ModerationVerdict`.
"""

from reelforge.lib.moderation.verdict import ModerationUnavailableError, ModerationVerdict, merge

__all__ = ["ModerationUnavailableError", "ModerationVerdict", "merge"]
