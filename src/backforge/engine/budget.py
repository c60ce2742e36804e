"""Run budgets: the token and cost totals of a run, and when they say "stop".

The engine knows no prices: a `CostFunction` (built by the caller from a price
table) turns one attempt's `Usage` into dollars. The `Budget` adds every
attempt's usage as it lands and, the moment a limit is reached, reports which
one (a `StopReason`); the scheduler then stops the run through the same path
the overall deadline uses. Cached answers count as hits and cost nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from backforge.engine.protocols import Usage

CostFunction = Callable[[Usage], float]


class StopReason(StrEnum):
    """Why a run stopped before every unit had its chance (`stopped_by` in the report)."""

    DEADLINE = "deadline"
    TOKENS = "tokens"
    COST = "cost"
    CANCELLED = "cancelled"  # the caller's cancel event (e.g. the service's cancel request)


@dataclass(frozen=True)
class RunUsage:
    """What a run spent: tokens, dollars (None when no cost function is known), cache hits."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float | None = None
    cache_hits: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def to_dict(self) -> dict[str, Any]:
        return {"prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
                "total_tokens": self.total_tokens,
                "cost": None if self.cost is None else round(self.cost, 6),
                "cache_hits": self.cache_hits}


class Budget:
    """Running totals of one engine run, checked against the optional limits."""

    def __init__(self, max_tokens_total: int | None = None, max_cost: float | None = None,
                 cost_of: CostFunction | None = None) -> None:
        self.max_tokens_total = max_tokens_total
        self.max_cost = max_cost
        self._cost_of = cost_of
        self._prompt = self._completion = self._hits = 0
        self._cost = 0.0
        self.reached: StopReason | None = None

    def add(self, usage: Usage, *, cached: bool = False) -> StopReason | None:
        """Count one answered attempt; return the limit it reached first (once), else None."""
        if cached:
            self._hits += 1
            return None  # a cache hit spent nothing
        self._prompt += usage.prompt_tokens
        self._completion += usage.completion_tokens
        if self._cost_of is not None:
            self._cost += self._cost_of(usage)
        if self.reached is not None:
            return None
        total = self._prompt + self._completion
        if self.max_tokens_total is not None and total >= self.max_tokens_total:
            self.reached = StopReason.TOKENS
        elif self.max_cost is not None and self._cost >= self.max_cost:
            self.reached = StopReason.COST
        return self.reached

    def usage(self) -> RunUsage:
        cost = self._cost if self._cost_of is not None else None
        return RunUsage(self._prompt, self._completion, cost, self._hits)

    def describe(self, reason: StopReason) -> str:
        """The words every unit cancelled by this limit carries, e.g. 'token budget of 5000 reached'."""
        if reason is StopReason.TOKENS:
            return f"token budget of {self.max_tokens_total} reached"
        if reason is StopReason.COST:
            return f"cost budget of ${self.max_cost:g} reached"
        raise ValueError(f"{reason} is not a budget limit")


class StopSignal:
    """Set once, by the deadline or a budget; the scheduler waits on it next to the units."""

    def __init__(self) -> None:
        self.reason: StopReason | None = None
        self._event = asyncio.Event()

    def set(self, reason: StopReason) -> None:
        if self.reason is None:  # the first limit reached is the one that stopped the run
            self.reason = reason
            self._event.set()

    async def wait(self) -> StopReason:
        await self._event.wait()
        assert self.reason is not None
        return self.reason
