"""The Anthropic Messages API."""

from __future__ import annotations

from typing import Any

from backforge.engine.protocols import Generation, Usage
from backforge.providers.llm.http import post_json
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
        return {"model": self.model, "max_tokens": self.settings.max_tokens,
                "temperature": self.settings.temperature, "system": prompt.system,
                "messages": [{"role": "user", "content": prompt.user}]}

    async def send(self, payload: dict[str, Any]) -> Reply:
        body = await post_json(
            self._transport, f"{self.base_url}/messages", payload,
            {"anthropic-version": API_VERSION, **({"x-api-key": self.api_key} if self.api_key else {})},
            key_env=self.key_env, base_url=self.base_url)
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


def parse_message(body: Any) -> Generation:
    """A Messages API response -> Generation (the text blocks of content, usage)."""
    reply = read_message(body)
    checked(reply, parse_response)
    return parse_response(reply.text, reply.usage)
