"""Which provider a run uses: the template provider, a model API behind a router that
keeps the stack's template modules on templates, or hybrid (templates plus a model for
custom endpoint bodies). The model clients are imported on use: a template run should not
load httpx's and the LLM providers' modules (tests/test_startup_imports.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backforge.errors import InputError
from backforge.providers.template import TemplateProvider
from backforge.run_options import PROVIDERS, GenerateOptions


@dataclass(frozen=True)
class Choice:
    """The provider a run uses and the model behind it (None: templates, no model)."""

    provider: Any
    model: str | None = None


def choose(name: str, stack, options: GenerateOptions | None = None) -> Choice:
    """The provider named by `--provider` (InputError for an unknown name)."""
    o = options or GenerateOptions()
    if name == "template":
        return Choice(TemplateProvider(stack))
    if name in ("openai", "anthropic"):
        from backforge.providers.routing import RoutingProvider

        model = _model_client(name, o)
        template = TemplateProvider(stack)
        return Choice(RoutingProvider(model, {m: template for m in stack.template_modules}),
                      model.model)
    if name == "hybrid":
        return _hybrid_provider(stack, o)
    raise InputError(f"--provider: unknown provider '{name}'; available: {', '.join(PROVIDERS)}")


def _model_client(api: str, o: GenerateOptions):
    """The HTTP client of one model API, with the user's response cache unless disabled."""
    from backforge.providers.llm.anthropic import AnthropicProvider
    from backforge.providers.llm.cache import ResponseCache
    from backforge.providers.llm.openai import OpenAIProvider
    from backforge.providers.llm.settings import LLMSettings

    settings = LLMSettings(base_url=o.base_url, model=o.model, api_key_env=o.api_key_env,
                           stream=o.stream)
    kind = OpenAIProvider if api == "openai" else AnthropicProvider
    return kind(settings, cache=ResponseCache() if o.cache else None)


def _hybrid_provider(stack, o: GenerateOptions) -> Choice:
    """Templates plus a model for custom endpoint logic. The model speaks the OpenAI
    Chat Completions API unless BACKFORGE_HYBRID_API=anthropic (the Messages API)."""
    import os

    from backforge.providers.hybrid import HybridProvider
    from backforge.validate import UnitValidator

    api = os.environ.get("BACKFORGE_HYBRID_API", "openai").strip().lower() or "openai"
    if api not in ("openai", "anthropic"):
        raise InputError(f"BACKFORGE_HYBRID_API: unknown API '{api}'; use openai or anthropic")
    model = _model_client(api, o)
    # Keep the 501 stubs of bodies that still fail after one repair (or at the last
    # attempt when fewer are allowed): a loop breaker may stop retrying after that.
    return Choice(HybridProvider(stack, model, checker=UnitValidator(),
                                  fallback_from=min(2, o.max_retries + 1)), model.model)
