"""Fake language models: OpenAI Chat Completions and Anthropic Messages, as documented.

Answers are real stories (written by the local grammar writer from the request's details),
so a remote-provider episode renders like a local one. Options (``/_admin/faults``):
``{"options": {"llm.refuse": true, "llm.invalid_every": 2, "llm.fenced": true}}``.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from reelforge.fakes.server import FakeServer, Request, Response, Router
from reelforge.lib.story import write_story

_counter = itertools.count(1)


def _details(user: str) -> dict[str, Any]:
    start = user.find("{")
    try:
        return json.loads(user[start : user.find("}", start) + 1]) if start >= 0 else {}
    except json.JSONDecodeError:
        return {}


def _story_json(messages_text: str, server: FakeServer) -> str:
    d = _details(messages_text)
    low = str(d.get("total_spoken_words", "100 to 130")).split()[0]
    story = write_story(
        genre=str(d.get("genre", "space")),
        hook_style=str(d.get("hook_style", "question")),
        niche=str(d.get("channel_niche", "facts")),
        target_words=int(low) + 15 if low.isdigit() else 120,
        seed=int(d.get("variation_seed", 1)),
    )
    body = story.model_dump(exclude={"genre", "seed"})
    options = server.faults.options
    every = int(options.get("llm.invalid_every", 0))
    if every and server.faults.tick("llm.answers") % every == 0:
        body["scenes"] = body["scenes"][:2]  # invalid: too few scenes
    text = json.dumps(body)
    return f"```json\n{text}\n```" if options.get("llm.fenced") else text


def _auth_error(ok: bool) -> Response | None:
    if ok:
        return None
    return Response.of_json(
        {"error": {"message": "invalid api key", "type": "authentication_error"}}, 401
    )


def register(router: Router, server: FakeServer) -> None:
    def openai_chat(req: Request) -> Response:
        if err := _auth_error(req.headers.get("authorization", "").startswith("Bearer ")):
            return err
        body = req.json()
        user = "\n".join(
            m.get("content", "") for m in body.get("messages", []) if m.get("role") == "user"
        )
        if server.faults.options.get("llm.refuse"):
            message = {"role": "assistant", "content": None, "refusal": "I can't help with that."}
            choice = {"index": 0, "message": message, "finish_reason": "stop"}
        else:
            message = {"role": "assistant", "content": _story_json(user, server)}
            choice = {"index": 0, "message": message, "finish_reason": "stop"}
        return Response.of_json(
            {
                "id": f"chatcmpl-{next(_counter)}",
                "object": "chat.completion",
                "model": body.get("model"),
                "choices": [choice],
                "usage": {
                    "prompt_tokens": len(user) // 4,
                    "completion_tokens": 600,
                    "total_tokens": len(user) // 4 + 600,
                },
            }
        )

    def anthropic_messages(req: Request) -> Response:
        if err := _auth_error(
            bool(req.headers.get("x-api-key")) and bool(req.headers.get("anthropic-version"))
        ):
            return err
        body = req.json()
        user = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
        if server.faults.options.get("llm.refuse"):
            content: list[dict[str, str]] = []
            stop = "refusal"
        else:
            content = [{"type": "text", "text": _story_json(user, server)}]
            stop = "end_turn"
        return Response.of_json(
            {
                "id": f"msg_{next(_counter)}",
                "type": "message",
                "role": "assistant",
                "model": body.get("model"),
                "content": content,
                "stop_reason": stop,
                "usage": {"input_tokens": len(user) // 4, "output_tokens": 600},
            }
        )

    router.add("openai.chat", "POST", "/openai/v1/chat/completions", openai_chat, billable=True)
    router.add(
        "anthropic.messages", "POST", "/anthropic/v1/messages", anthropic_messages, billable=True
    )
