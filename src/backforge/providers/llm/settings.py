"""Where and how to call a model, resolved the same way for every LLM provider:
explicit options first, then the environment, then the provider's defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class LLMSettings:
    """Where and how to call a model; `api_key_env` names the variable holding the key."""

    base_url: str | None = None
    model: str | None = None
    api_key: str | None = None
    api_key_env: str | None = None
    temperature: float = 0.0
    max_tokens: int = 8192


class ConfiguredProvider:
    """Base of the HTTP providers: resolves base URL, model and key once."""

    default_key_env: str
    default_base_url: str
    default_model: str

    def __init__(self, settings: LLMSettings | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        s = settings or LLMSettings()
        self.key_env = s.api_key_env or self.default_key_env
        self.base_url = (s.base_url or os.environ.get("BACKFORGE_LLM_BASE_URL")
                         or self.default_base_url).rstrip("/")
        self.model = s.model or os.environ.get("BACKFORGE_LLM_MODEL") or self.default_model
        self.api_key = s.api_key or os.environ.get(self.key_env, "")
        self.settings = s
        self._transport = transport
