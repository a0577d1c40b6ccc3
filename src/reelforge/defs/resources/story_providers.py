"""Story writers: OpenAI-compatible and Anthropic models, then the local grammar writer."""

import json
from collections.abc import Callable, Sequence

from reelforge.defs.resources.provider_set import Endpoint, ProviderSet
from reelforge.lib.models import Plan, Story
from reelforge.lib.plan import target_words
from reelforge.lib.prompts import story_prompt
from reelforge.lib.providers.booking import Booker, Priced
from reelforge.lib.providers.chain import Served, run_chain
from reelforge.lib.providers.llm import (
    AnthropicMessages,
    ChatModel,
    Completion,
    OpenAIChat,
    write_story_with,
)
from reelforge.lib.story import write_story

LOCAL_MODEL = "grammar-v1"


class BookedChat:
    """A chat model whose every successful answer is booked (and reused) through the Booker."""

    def __init__(self, model: ChatModel, booker: Booker, provider_set: ProviderSet) -> None:
        self.model, self.booker, self.set = model, booker, provider_set
        self.provider = model.provider

    def complete(self, system: str, user: str, max_tokens: int) -> Completion:
        def call() -> Priced:
            c = self.model.complete(system, user, max_tokens)
            cost = self.set.prices().llm(
                self.provider, self.model.model, c.input_tokens, c.output_tokens
            )
            body = json.dumps(c.__dict__).encode()
            return Priced(body, "tokens", c.input_tokens + c.output_tokens, cost, ".json")

        request = {"system": system, "user": user, "max_tokens": max_tokens}
        # Held before the call: the prompt at ~3 characters a token, and every output token.
        estimate = self.set.prices().llm(
            self.provider, self.model.model, (len(system) + len(user)) // 3 + 1, max_tokens
        )
        payload, _ = self.booker.call(self.provider, self.model.model, request, call, estimate)
        return Completion(**json.loads(payload))


class StoryProviders(ProviderSet):
    """Writes the episode's story through the channel's fallback chain."""

    def write(self, plan: Plan, niche: str, wanted: Sequence[str], booker: Booker) -> Served[Story]:
        steps = [(name, self._step(name, plan, niche, booker)) for name in self.chain(wanted)]
        return run_chain("story", steps)

    def _step(self, name: str, plan: Plan, niche: str, booker: Booker) -> Callable[[], Story]:
        if name == "local":
            return lambda: self._local(plan, niche, booker)
        return lambda: self._remote(self.endpoint(name), plan, niche, booker)

    def _local(self, plan: Plan, niche: str, booker: Booker) -> Story:
        def call() -> Priced:
            story = write_story(genre=plan.genre, hook_style=plan.hook_style, niche=niche,
                                target_words=target_words(plan), seed=plan.seed)  # fmt: skip
            return Priced(story.model_dump_json().encode(), "words", story.word_count, 0.0, ".json")

        request = {"plan": plan.model_dump(), "niche": niche}
        payload, _ = booker.call("local-template", LOCAL_MODEL, request, call)
        return Story.model_validate_json(payload)

    def _remote(self, ep: Endpoint, plan: Plan, niche: str, booker: Booker) -> Story:
        if ep.protocol == "anthropic":
            headers = {"x-api-key": ep.api_key, "anthropic-version": "2023-06-01"}
            model: ChatModel = AnthropicMessages(self.http(ep, headers), ep.model)
        else:
            headers = {"Authorization": f"Bearer {ep.api_key}"} if ep.api_key else {}
            model = OpenAIChat(self.http(ep, headers), ep.model)
        system, user = story_prompt(plan, niche, target_words(plan))
        answer = write_story_with(
            BookedChat(model, booker, self), system, user, genre=plan.genre, seed=plan.seed
        )
        return answer.story
