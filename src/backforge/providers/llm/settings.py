"""Where and how to call a model, resolved the same way for every LLM provider:
explicit options first, then the environment, then the provider's defaults.

`ConfiguredProvider` is the base of the HTTP providers. Its `complete(prompt)` is the
one way to ask a model: it consults the response cache, makes the call, checks the
answer and stores it; `generate(unit, ctx)` (the engine's Provider protocol) and the
hybrid provider's calls both go through it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import httpx

from backforge.engine.protocols import Generation, UnitContext, Usage
from backforge.plan.model import Unit
from backforge.providers.llm.cache import ResponseCache, cache_key
from backforge.providers.llm.prompts import Prompt, build_prompt
from backforge.providers.llm.protocol import BadResponse, file_cap, parse_response


@dataclass(frozen=True)
class LLMSettings:
    """Where and how to call a model; `api_key_env` names the variable holding the key."""

    base_url: str | None = None
    model: str | None = None
    api_key: str | None = None
    api_key_env: str | None = None
    temperature: float = 0.0
    max_tokens: int = 8192
    stream: bool = False  # receive the answer as server-sent events


@dataclass(frozen=True)
class Reply:
    """One decoded API answer: the text, its usage, and why it was cut short (if it was)."""

    text: str
    usage: Usage
    cut: str | None = None  # e.g. "finish_reason=length": the answer hit max_tokens


@dataclass(frozen=True)
class Completion:
    """What `complete` returns: the answer text, the tokens it cost, whether it was replayed."""

    text: str
    usage: Usage  # zero for a cache hit: nothing was spent
    cached: bool = False


def checked(reply: Reply, accept: Callable[[str], object]) -> None:
    """Raise BadResponse when `accept` rejects the text, naming the cut when there was one."""
    try:
        accept(reply.text)
    except BadResponse:
        if reply.cut:
            raise BadResponse(f"the answer was cut at max_tokens ({reply.cut})",
                              reply.text) from None
        raise


class ConfiguredProvider:
    """Base of the HTTP providers: resolves base URL, model and key once."""

    name: str
    default_key_env: str
    default_base_url: str
    default_model: str

    def __init__(self, settings: LLMSettings | None = None,
                 transport: httpx.AsyncBaseTransport | None = None,
                 cache: ResponseCache | None = None) -> None:
        s = settings or LLMSettings()
        self.key_env = s.api_key_env or self.default_key_env
        self.base_url = (s.base_url or os.environ.get("BACKFORGE_LLM_BASE_URL")
                         or self.default_base_url).rstrip("/")
        self.model = s.model or os.environ.get("BACKFORGE_LLM_MODEL") or self.default_model
        self.api_key = s.api_key or os.environ.get(self.key_env, "")
        self.settings = s
        self.cache = cache
        self._transport = transport
        # Keys answered during this provider's life (one run): asking the same prompt again
        # in a run means that answer did not work, so it is not replayed a second time.
        self._answered: set[str] = set()

    def request(self, prompt: Prompt) -> dict[str, Any]:
        """The API's request payload for one prompt."""
        raise NotImplementedError

    async def send(self, payload: dict[str, Any]) -> Reply:
        """POST the payload to the API and decode its answer."""
        raise NotImplementedError

    async def complete(self, prompt: Prompt,
                       accept: Callable[[str], object] = parse_response) -> Completion:
        """Ask the model (or the cache). The answer is stored only when `accept(text)` does
        not raise; its BadResponse (retryable) propagates, as do transport errors."""
        payload = self.request(prompt)
        cache = self.cache
        key = cache_key(self.name, self.model, self.base_url, payload) if cache else ""
        if cache is not None and key not in self._answered:
            hit = cache.get(key)
            if hit is not None:
                self._answered.add(key)
                return Completion(hit.text, Usage(), cached=True)
        reply = await self.send(payload)
        try:
            checked(reply, accept)
        except BadResponse as exc:
            exc.usage = reply.usage  # an unusable answer still cost its tokens
            raise
        if cache is not None:
            cache.put(key, self.name, self.model, reply.text, reply.usage)
            self._answered.add(key)
        return Completion(reply.text, reply.usage)

    async def generate(self, unit: Unit, ctx: UnitContext) -> Generation:
        cap = file_cap(len(set(unit.required) | set(unit.critical)))
        completion = await self.complete(build_prompt(unit, ctx),
                                         accept=partial(parse_response, max_files=cap))
        # A cached completion carries no usage (no tokens spent), only the flag.
        generation = parse_response(completion.text, completion.usage, max_files=cap)
        return replace(generation, cached=True) if completion.cached else generation
