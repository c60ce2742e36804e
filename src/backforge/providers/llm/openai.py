"""OpenAI-compatible Chat Completions (OpenAI, Groq, vLLM, Ollama, llama.cpp, LM Studio)."""

from __future__ import annotations

from typing import Any

from backforge.engine.protocols import Generation, RetryableError, Usage
from backforge.providers.llm.http import post_json, post_stream
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
        payload = {"model": self.model, "temperature": self.settings.temperature,
                   "max_tokens": self.settings.max_tokens,
                   "messages": [{"role": "system", "content": prompt.system},
                                {"role": "user", "content": prompt.user}]}
        if self.settings.stream:
            # include_usage: the last event carries the token counts the budgets need.
            payload |= {"stream": True, "stream_options": {"include_usage": True}}
        return payload

    async def send(self, payload: dict[str, Any]) -> Reply:
        url = f"{self.base_url}/chat/completions"
        # No key, no header (local servers need none; a real API answers 401).
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        if payload.get("stream"):
            events = await post_stream(self._transport, url, payload, headers,
                                       key_env=self.key_env, base_url=self.base_url)
            return read_chat_stream(events)
        body = await post_json(self._transport, url, payload, headers, key_env=self.key_env,
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


def read_chat_stream(events: list[Any]) -> Reply:
    """chat.completion.chunk events -> the text of their deltas, the usage of the last
    event that has one, and the cut when the finish reason was `length`."""
    parts: list[str] = []
    finish = None
    usage: dict[str, Any] = {}
    for event in events:
        if not isinstance(event, dict):
            raise BadResponse("a stream event is not an object", str(event))
        usage = event.get("usage") or usage
        for choice in event.get("choices") or ():
            delta = choice.get("delta") or {}
            if isinstance(delta.get("content"), str):
                parts.append(delta["content"])
            finish = choice.get("finish_reason") or finish
    if not events:
        raise BadResponse("the stream carried no events", "")
    tokens = Usage(int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0))
    return Reply("".join(parts), tokens, "finish_reason=length" if finish == "length" else None)


def parse_chat_completion(body: Any) -> Generation:
    """A chat.completion object -> Generation (choices[0].message.content, usage)."""
    reply = read_chat_completion(body)
    checked(reply, parse_response)
    return parse_response(reply.text, reply.usage)
