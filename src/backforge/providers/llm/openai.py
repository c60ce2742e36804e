"""OpenAI-compatible Chat Completions (OpenAI, Groq, vLLM, Ollama, llama.cpp, LM Studio)."""

from __future__ import annotations

from typing import Any

from backforge.engine.protocols import Generation, RetryableError, Usage
from backforge.providers.llm.http import post_json
from backforge.providers.llm.prompts import Prompt
from backforge.providers.llm.protocol import BadResponse, parse_response
from backforge.providers.llm.settings import ConfiguredProvider, Reply, checked

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_MODEL = "gpt-4o-mini"


class OpenAIProvider(ConfiguredProvider):
    name = "openai"

    default_key_env = "OPENAI_API_KEY"
    default_base_url = DEFAULT_BASE_URL
    default_model = DEFAULT_MODEL

    def request(self, prompt: Prompt) -> dict[str, Any]:
        return {"model": self.model, "temperature": self.settings.temperature,
                "max_tokens": self.settings.max_tokens,
                "messages": [{"role": "system", "content": prompt.system},
                             {"role": "user", "content": prompt.user}]}

    async def send(self, payload: dict[str, Any]) -> Reply:
        body = await post_json(
            self._transport, f"{self.base_url}/chat/completions", payload,
            # No key, no header (local servers need none; a real API answers 401).
            {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}, key_env=self.key_env,
            base_url=self.base_url)
        return read_chat_completion(body)


def read_chat_completion(body: Any) -> Reply:
    """A chat.completion object -> its text (choices[0].message.content), usage and cut."""
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
    # Cut at max_tokens: parsed anyway (it may be whole); if it breaks, the cut is named.
    cut = "finish_reason=length" if choice.get("finish_reason") == "length" else None
    return Reply(text, tokens, cut)


def parse_chat_completion(body: Any) -> Generation:
    """A chat.completion object -> Generation (choices[0].message.content, usage)."""
    reply = read_chat_completion(body)
    checked(reply, parse_response)
    return parse_response(reply.text, reply.usage)
