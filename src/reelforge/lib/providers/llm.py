"""Language models that write stories: OpenAI-compatible Chat Completions and Anthropic Messages.

OpenAI-compatible covers OpenAI, Mistral, Ollama, vLLM and llama.cpp's server (base URL +
key + model). The answer must be a JSON story; invalid output is repaired where the fix is
mechanical, otherwise the model is asked again with the problem, and never passed on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from reelforge.lib.providers.errors import InvalidResponseError, ProviderError
from reelforge.lib.providers.http import ProviderHttp
from reelforge.lib.story_json import StoryProblemError, parse_story


@dataclass(frozen=True)
class Completion:
    text: str
    input_tokens: int
    output_tokens: int
    model: str


class ChatModel(Protocol):
    provider: str
    model: str

    def complete(self, system: str, user: str, max_tokens: int) -> Completion: ...


class OpenAIChat:
    """POST {base}/chat/completions with JSON mode."""

    def __init__(self, http: ProviderHttp, model: str, temperature: float = 0.8) -> None:
        self.http, self.model, self.temperature = http, model, temperature
        self.provider = http.provider

    def complete(self, system: str, user: str, max_tokens: int) -> Completion:
        body = {
            "model": self.model,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
            "response_format": {"type": "json_object"},
            "temperature": self.temperature,
            "max_tokens": max_tokens,
        }
        data = self.http.json("POST", "chat/completions", json=body)
        try:
            choice = data["choices"][0]
            message = choice["message"]
        except (KeyError, IndexError, TypeError):
            raise InvalidResponseError(
                self.provider, "no choices in the answer", retryable=True
            ) from None
        if message.get("refusal") or choice.get("finish_reason") == "content_filter":
            raise ProviderError(self.provider, "the model refused (safety)", safety=True)
        usage = data.get("usage") or {}
        return Completion(
            text=message.get("content") or "",
            input_tokens=int(usage.get("prompt_tokens", 0)),
            output_tokens=int(usage.get("completion_tokens", 0)),
            model=str(data.get("model", self.model)),
        )


class AnthropicMessages:
    """POST {base}/v1/messages (anthropic-version 2023-06-01)."""

    def __init__(self, http: ProviderHttp, model: str, temperature: float = 0.8) -> None:
        self.http, self.model, self.temperature = http, model, temperature
        self.provider = http.provider

    def complete(self, system: str, user: str, max_tokens: int) -> Completion:
        body = {
            "model": self.model,
            "max_tokens": max_tokens,
            "system": system,
            "temperature": self.temperature,
            "messages": [{"role": "user", "content": user}],
        }
        data = self.http.json("POST", "v1/messages", json=body)
        if data.get("stop_reason") == "refusal":
            raise ProviderError(self.provider, "the model refused (safety)", safety=True)
        try:
            text = "".join(b.get("text", "") for b in data["content"] if b.get("type") == "text")
        except (KeyError, TypeError):
            raise InvalidResponseError(
                self.provider, "no content in the answer", retryable=True
            ) from None
        usage = data.get("usage") or {}
        return Completion(
            text=text,
            input_tokens=int(usage.get("input_tokens", 0)),
            output_tokens=int(usage.get("output_tokens", 0)),
            model=str(data.get("model", self.model)),
        )


@dataclass(frozen=True)
class StoryAnswer:
    story: Any  # reelforge.lib.models.Story
    input_tokens: int
    output_tokens: int
    model: str
    tries: int


def write_story_with(
    model: ChatModel, system: str, user: str, *, genre: str, seed: int, max_tries: int = 3
) -> StoryAnswer:
    """Ask for a story until it validates (repairing mechanical faults), at most `max_tries`."""
    tokens_in = tokens_out = 0
    prompt = user
    last: StoryProblemError | None = None
    for attempt in range(1, max_tries + 1):
        answer = model.complete(system, prompt, max_tokens=1500)
        tokens_in += answer.input_tokens
        tokens_out += answer.output_tokens
        try:
            story = parse_story(answer.text, genre=genre, seed=seed)
        except StoryProblemError as exc:
            last = exc
            prompt = f"{user}\n\nYour previous answer was not usable: {exc}. Answer again."
            continue
        return StoryAnswer(story, tokens_in, tokens_out, answer.model, attempt)
    raise InvalidResponseError(model.provider, f"no valid story after {max_tries} tries: {last}")
