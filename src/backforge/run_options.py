"""The knobs of a run (`GenerateOptions`) and the provider names, light to import.

The CLI builds its parser from these defaults without loading any stage; `backforge.api`
re-exports both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backforge.engine.options import EngineOptions
    from backforge.engine.protocols import Usage

__all__ = ["PROVIDERS", "SCHEDULES", "GenerateOptions"]

PROVIDERS = ("template", "openai", "anthropic", "hybrid")
# EngineOptions.schedule's values. Only a provider whose every unit is one model call
# (openai, anthropic) is asked by contracts; the template provider has nothing to wait
# for, and the hybrid provider reads its dependencies' files to place endpoint logic.
SCHEDULES = ("contracts", "dependencies")
_CONTRACT_PROVIDERS = ("openai", "anthropic")


@dataclass(frozen=True)
class GenerateOptions:
    """Every knob of a run; the defaults are DESIGN.md's engine rules."""

    provider: str = "template"
    stack: str | None = None  # None: the spec's own `stack`
    concurrency: int = 8
    call_timeout: float = 45.0
    max_retries: int = 3
    backoff_base: float = 3.0
    deadline: float = 300.0
    requests_per_minute: int | None = None
    tokens_per_minute: int | None = None
    schedule: str = "contracts"  # see SCHEDULES
    required_ratio: float = 0.9
    success_ratio: float = 0.95
    seed: int = 0
    force: bool = False
    # openai/anthropic only; None: the env (BACKFORGE_LLM_MODEL, BACKFORGE_LLM_BASE_URL)
    # or the provider's default. api_key_env names the variable holding the key.
    model: str | None = None
    base_url: str | None = None
    api_key_env: str | None = None
    stream: bool = False  # receive answers as server-sent events (OpenAI and Anthropic)
    # Regeneration (a folder with .backforge/manifest.json): allow a migration that loses
    # data; dry_run plans only (see backforge.regenerate), writing nothing.
    allow_destructive: bool = False
    dry_run: bool = False
    # Budgets (None: no limit): prompt+completion tokens, and USD priced from the price
    # table (built-in list prices, $BACKFORGE_PRICES, then `prices` files, TOML or JSON).
    max_tokens_total: int | None = None
    max_cost: float | None = None
    prices: tuple[str, ...] = ()
    cache: bool = True  # replay identical LLM requests from the user's response cache
    loop_breaker: bool = True  # stop retrying a unit whose repair did not reduce its errors
    # Contract-first: a call running far past what its size should take gets a second
    # request, the first answer wins (EngineOptions.hedge_factor).
    hedge: bool = True

    def engine_options(self, cost_of: Callable[[Usage], float] | None = None) -> EngineOptions:
        # Not at the top: backforge.engine loads the scheduler, and the CLI builds its
        # parser from these defaults (a measured start-up cost of `backforge --version`).
        from backforge.engine.options import EngineOptions

        return EngineOptions(
            concurrency=self.concurrency, call_timeout=self.call_timeout,
            max_retries=self.max_retries, backoff_base=self.backoff_base,
            deadline=self.deadline, requests_per_minute=self.requests_per_minute,
            tokens_per_minute=self.tokens_per_minute,
            schedule=self.schedule if self.provider in _CONTRACT_PROVIDERS else "dependencies",
            required_ratio=self.required_ratio, success_ratio=self.success_ratio,
            seed=self.seed, max_tokens_total=self.max_tokens_total, max_cost=self.max_cost,
            cost_of=cost_of, loop_breaker=self.loop_breaker,
            hedge_factor=EngineOptions.hedge_factor if self.hedge else None)
