"""The Anthropic Messages API."""

from __future__ import annotations

import os
from typing import Any

import httpx

from backforge.engine.protocols import Generation, UnitContext, Usage
from backforge.plan.model import Unit
from backforge.providers.llm.http import post_json
from backforge.providers.llm.openai import LLMSettings
from backforge.providers.llm.prompts import Prompt, build_prompt
from backforge.providers.llm.protocol import BadResponse, parse_response

DEFAULT_BASE_URL = "https://api.anthropic.com/v1"
DEFAULT_MODEL = "claude-sonnet-4-5"
API_VERSION = "2023-06-01"


class AnthropicProvider:
    name = "anthropic"

    def __init__(self, settings: LLMSettings | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        s = settings or LLMSettings()
        self.key_env = s.api_key_env or "ANTHROPIC_API_KEY"
        self.base_url = (s.base_url or os.environ.get("BACKFORGE_LLM_BASE_URL")
                         or DEFAULT_BASE_URL).rstrip("/")
        self.model = s.model or os.environ.get("BACKFORGE_LLM_MODEL") or DEFAULT_MODEL
        self.api_key = s.api_key or os.environ.get(self.key_env, "")
        self.settings = s
        self._transport = transport

    def request(self, prompt: Prompt) -> dict[str, Any]:
        return {"model": self.model, "max_tokens": self.settings.max_tokens,
                "temperature": self.settings.temperature, "system": prompt.system,
                "messages": [{"role": "user", "content": prompt.user}]}

    async def generate(self, unit: Unit, ctx: UnitContext) -> Generation:
        body = await post_json(
            self._transport, f"{self.base_url}/messages", self.request(build_prompt(unit, ctx)),
            {"anthropic-version": API_VERSION, **({"x-api-key": self.api_key} if self.api_key else {})},
            key_env=self.key_env, base_url=self.base_url)
        return parse_message(body)



def parse_message(body: Any) -> Generation:
    """A Messages API response -> Generation (the text blocks of content, usage)."""
    content = body.get("content") if isinstance(body, dict) else None
    if not isinstance(content, list):
        raise BadResponse("not a Messages API response", str(body))
    text = "".join(b.get("text", "") for b in content
                   if isinstance(b, dict) and b.get("type") == "text")
    usage = body.get("usage") or {}
    tokens = Usage(int(usage.get("input_tokens") or 0), int(usage.get("output_tokens") or 0))
    if body.get("stop_reason") == "max_tokens":
        try:
            return parse_response(text, tokens)
        except BadResponse:
            raise BadResponse("the answer was cut at max_tokens", text) from None
    return parse_response(text, tokens)
