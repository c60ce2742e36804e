"""OpenAI-compatible Chat Completions (OpenAI, Groq, vLLM, Ollama, llama.cpp, LM Studio)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import httpx

from backforge.engine.protocols import Generation, RetryableError, UnitContext, Usage
from backforge.plan.model import Unit
from backforge.providers.llm.http import post_json
from backforge.providers.llm.prompts import Prompt, build_prompt
from backforge.providers.llm.protocol import BadResponse, parse_response

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_MODEL = "gpt-4o-mini"


@dataclass(frozen=True)
class LLMSettings:
    """Where and how to call a model; `api_key_env` names the variable holding the key."""

    base_url: str | None = None
    model: str | None = None
    api_key: str | None = None
    api_key_env: str | None = None
    temperature: float = 0.0
    max_tokens: int = 8192


class OpenAIProvider:
    name = "openai"

    def __init__(self, settings: LLMSettings | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        s = settings or LLMSettings()
        self.key_env = s.api_key_env or "OPENAI_API_KEY"
        self.base_url = (s.base_url or os.environ.get("BACKFORGE_LLM_BASE_URL")
                         or DEFAULT_BASE_URL).rstrip("/")
        self.model = s.model or os.environ.get("BACKFORGE_LLM_MODEL") or DEFAULT_MODEL
        self.api_key = s.api_key or os.environ.get(self.key_env, "")
        self.settings = s
        self._transport = transport

    def request(self, prompt: Prompt) -> dict[str, Any]:
        return {"model": self.model, "temperature": self.settings.temperature,
                "max_tokens": self.settings.max_tokens,
                "messages": [{"role": "system", "content": prompt.system},
                             {"role": "user", "content": prompt.user}]}

    async def generate(self, unit: Unit, ctx: UnitContext) -> Generation:
        body = await post_json(
            self._transport, f"{self.base_url}/chat/completions", self.request(build_prompt(unit, ctx)),
            # No key, no header (local servers need none; a real API answers 401).
            {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}, key_env=self.key_env,
            base_url=self.base_url)
        return parse_chat_completion(body)



def parse_chat_completion(body: Any) -> Generation:
    """A chat.completion object -> Generation (choices[0].message.content, usage)."""
    try:
        choice = body["choices"][0]
        text = choice["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise RetryableError(f"bad response: not a chat.completion object: {str(body)[:200]}")\
            from None
    if not isinstance(text, str):
        raise BadResponse("the message has no text content", str(body))
    usage = body.get("usage") or {}
    tokens = Usage(int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0))
    if choice.get("finish_reason") == "length":
        # Cut at max_tokens: parse anyway (it may be whole), else say why it broke.
        try:
            return parse_response(text, tokens)
        except BadResponse:
            raise BadResponse("the answer was cut at max_tokens (finish_reason=length)",
                              text) from None
    return parse_response(text, tokens)
