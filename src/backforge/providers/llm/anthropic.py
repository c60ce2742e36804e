"""The Anthropic Messages API."""

from __future__ import annotations

from typing import Any

from backforge.engine.protocols import Generation, RetryableError, Usage
from backforge.providers.llm.http import post_json, post_stream
from backforge.providers.llm.prompts import Prompt
from backforge.providers.llm.protocol import BadResponse, parse_response
from backforge.providers.llm.settings import ConfiguredProvider, Reply, checked

DEFAULT_BASE_URL = "https://api.anthropic.com/v1"
DEFAULT_MODEL = "claude-sonnet-4-5"
API_VERSION = "2023-06-01"


class AnthropicProvider(ConfiguredProvider):
    name = "anthropic"

    default_key_env = "ANTHROPIC_API_KEY"
    default_base_url = DEFAULT_BASE_URL
    default_model = DEFAULT_MODEL

    def request(self, prompt: Prompt) -> dict[str, Any]:
        payload = {"model": self.model, "max_tokens": self.settings.max_tokens,
                   "temperature": self.settings.temperature, "system": prompt.system,
                   "messages": [{"role": "user", "content": prompt.user}]}
        return payload | {"stream": True} if self.settings.stream else payload

    async def send(self, payload: dict[str, Any]) -> Reply:
        url = f"{self.base_url}/messages"
        headers = {"anthropic-version": API_VERSION,
                   **({"x-api-key": self.api_key} if self.api_key else {})}
        if payload.get("stream"):
            events = await post_stream(self._transport, url, payload, headers,
                                       key_env=self.key_env, base_url=self.base_url,
                                       last=lambda e: isinstance(e, dict)
                                       and e.get("type") == "message_stop")
            return read_message_stream(events)
        body = await post_json(self._transport, url, payload, headers, key_env=self.key_env,
                               base_url=self.base_url)
        return read_message(body)


def read_message(body: Any) -> Reply:
    """A Messages API response -> its text (the text blocks of content), usage and cut."""
    content = body.get("content") if isinstance(body, dict) else None
    if not isinstance(content, list):
        raise BadResponse("not a Messages API response", str(body))
    text = "".join(b.get("text", "") for b in content
                   if isinstance(b, dict) and b.get("type") == "text")
    usage = body.get("usage") or {}
    tokens = Usage(int(usage.get("input_tokens") or 0), int(usage.get("output_tokens") or 0))
    cut = "stop_reason=max_tokens" if body.get("stop_reason") == "max_tokens" else None
    return Reply(text, tokens, cut)


def read_message_stream(events: list[Any]) -> Reply:
    """Messages API stream events -> the text of the text deltas, the usage (input tokens
    from message_start, output tokens from the last message_delta) and the cut."""
    parts: list[str] = []
    usage: dict[str, Any] = {}
    stop = None
    for event in events:
        kind = event.get("type") if isinstance(event, dict) else None
        if kind == "error":  # e.g. overloaded_error mid-stream: the next attempt may pass
            raise RetryableError(f"the stream reported an error: {event.get('error')}")
        if kind == "message_start":
            usage |= (event.get("message") or {}).get("usage") or {}
        elif kind == "content_block_delta":
            delta = event.get("delta") or {}
            if delta.get("type") == "text_delta":
                parts.append(str(delta.get("text", "")))
        elif kind == "message_delta":
            usage |= event.get("usage") or {}
            stop = (event.get("delta") or {}).get("stop_reason") or stop
    tokens = Usage(int(usage.get("input_tokens") or 0), int(usage.get("output_tokens") or 0))
    return Reply("".join(parts), tokens, "stop_reason=max_tokens" if stop == "max_tokens" else None)


def parse_message(body: Any) -> Generation:
    """A Messages API response -> Generation (the text blocks of content, usage)."""
    reply = read_message(body)
    checked(reply, parse_response)
    return parse_response(reply.text, reply.usage)
