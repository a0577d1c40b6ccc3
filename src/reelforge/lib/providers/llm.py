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


def _tokens(provider: str, usage: Any, name: str) -> int:
    """A token count from a usage block; absent counts 0, anything but a count is refused."""
    value = usage.get(name, 0) if isinstance(usage, dict) else 0
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1e9:
        raise InvalidResponseError(provider, f"usage.{name} is not a token count", retryable=True)
    return int(value)


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
        # Any JSON may come back (a proxy's error object, a list): check each level's type
        # before reading it, so a wrong shape is an InvalidResponseError, not AttributeError.
        choices = data.get("choices") if isinstance(data, dict) else None
        choice = choices[0] if isinstance(choices, list) and choices else None
        message = choice.get("message") if isinstance(choice, dict) else None
        if not isinstance(message, dict):
            raise InvalidResponseError(self.provider, "no choices in the answer", retryable=True)
        if message.get("refusal") or choice.get("finish_reason") == "content_filter":
            raise ProviderError(self.provider, "the model refused (safety)", safety=True)
        content = message.get("content") or ""
        if not isinstance(content, str):
            raise InvalidResponseError(
                self.provider, "the message content is not text", retryable=True
            )
        usage = data.get("usage")
        return Completion(
            text=content,
            input_tokens=_tokens(self.provider, usage, "prompt_tokens"),
            output_tokens=_tokens(self.provider, usage, "completion_tokens"),
            model=str(data.get("model", self.model))[:200],
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
        if not isinstance(data, dict):
            raise InvalidResponseError(self.provider, "the answer is not an object", retryable=True)
        if data.get("stop_reason") == "refusal":
            raise ProviderError(self.provider, "the model refused (safety)", safety=True)
        blocks = data.get("content")
        texts = [
            b.get("text") for b in blocks or () if isinstance(b, dict) and b.get("type") == "text"
        ] if isinstance(blocks, list) else None  # fmt: skip
        if texts is None or not all(isinstance(t, str) for t in texts):
            raise InvalidResponseError(self.provider, "no content in the answer", retryable=True)
        usage = data.get("usage")
        return Completion(
            text="".join(texts),
            input_tokens=_tokens(self.provider, usage, "input_tokens"),
            output_tokens=_tokens(self.provider, usage, "output_tokens"),
            model=str(data.get("model", self.model))[:200],
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
