"""Moderation: local rules and classifiers always; OpenAI moderation too when configured."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reelforge.defs.resources.provider_set import ProviderSet
from reelforge.lib.moderation import ModerationVerdict, merge
from reelforge.lib.moderation import local as local_moderation
from reelforge.lib.providers.errors import ProviderError
from reelforge.lib.providers.moderation_openai import OpenAIModeration


class ModerationProviders(ProviderSet):
    """Judges text and pictures; a remote verdict adds to the local one, never replaces it."""

    def text(self, text: str, banned_topics: Sequence[str]) -> ModerationVerdict:
        verdicts = [local_moderation.moderate_text(text, banned_topics)]
        verdicts += self._remote(lambda m: m.moderate(text))
        return merge(verdicts)

    def images(self, pictures: Sequence[bytes], threshold: float) -> ModerationVerdict:
        verdicts = [local_moderation.moderate_images(list(pictures), threshold)]
        for picture in pictures:
            verdicts += self._remote(lambda m, p=picture: m.moderate("", p))
        return merge(verdicts)

    def _remote(
        self, ask: Callable[[OpenAIModeration], ModerationVerdict]
    ) -> list[ModerationVerdict]:
        if self.mode != "remote":
            return []
        out = []
        for ep in self.endpoints:
            if ep.protocol != "openai":
                continue
            headers = {"Authorization": f"Bearer {ep.api_key}"} if ep.api_key else {}
            try:
                out.append(ask(OpenAIModeration(self.http(ep, headers), ep.model)))
            except ProviderError as exc:
                # After its retries the remote opinion is missing, not negative: the local
                # rules and classifiers (real models) still judge; the verdict names the gap.
                out.append(ModerationVerdict(False, [], {}, f"{ep.name} unavailable ({exc})"[:120]))
        return out
