"""Engine options: every number of the engine rules, with the documented defaults."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from enum import StrEnum

from backforge.engine.budget import CostFunction
from backforge.errors import InputError


class Schedule(StrEnum):
    """When a unit may be asked."""

    # Once every unit it depends on is validated: its prompt carries their real files.
    DEPENDENCIES = "dependencies"
    # At once: its prompt carries its dependencies' interface contracts (derived from the
    # plan); each answer is checked against the contracts, then against the real files
    # once its dependencies landed (a broken contract gets a repair attempt).
    CONTRACTS = "contracts"


@dataclass(frozen=True)
class EngineOptions:
    concurrency: int = 8  # provider calls in flight at once
    requests_per_minute: int | None = None  # shared by all calls; None = no limit
    tokens_per_minute: int | None = None  # prompt + completion, all calls; None = no limit
    schedule: Schedule = Schedule.DEPENDENCIES
    call_timeout: float = 45.0  # seconds per provider call
    max_retries: int = 3  # retries per unit, so max_retries + 1 attempts
    backoff_base: float = 3.0  # seconds before the first retry of an error
    backoff_factor: float = 2.0  # 3 s, 6 s, 12 s
    jitter: float = 0.1  # +- fraction of each backoff delay
    seed: int | None = None  # for the jitter; set it for reproducible schedules
    deadline: float = 300.0  # seconds for the whole run
    required_ratio: float = 0.9  # share of a unit's required files that must be present
    success_ratio: float = 0.95  # share of modules that must validate for a successful run
    write_partial: bool = False  # also hand files of partial units to the sink
    cancel_grace: float = 5.0  # seconds a cancelled call gets to clean up
    max_tokens_total: int | None = None  # prompt + completion tokens for the run; None = no limit
    max_cost: float | None = None  # USD for the run (needs cost_of); None = no limit
    cost_of: CostFunction | None = None  # Usage -> USD, built by the caller from a price table
    # A model call running hedge_factor x its expected time (learned from the run's own
    # answers, see limits.LatencyModel) + hedge_floor s gets a second request; the first
    # answer wins. None: never. Contract-first only (it needs each unit's expected size).
    hedge_factor: float | None = 2.0
    hedge_floor: float = 5.0
    loop_breaker: bool = True  # stop retrying a unit whose repair did not reduce its errors
    # Set from any thread to stop the run the way the deadline does (validated units kept).
    cancel: threading.Event | None = None

    def __post_init__(self) -> None:
        problems = []
        if self.concurrency < 1:
            problems.append("concurrency must be at least 1")
        if self.requests_per_minute is not None and self.requests_per_minute < 1:
            problems.append("requests_per_minute must be at least 1 (or None for no limit)")
        if self.tokens_per_minute is not None and self.tokens_per_minute < 1:
            problems.append("tokens_per_minute must be at least 1 (or None for no limit)")
        if self.schedule in tuple(Schedule):
            object.__setattr__(self, "schedule", Schedule(self.schedule))  # "contracts" too
        else:
            problems.append(f"schedule must be one of {', '.join(Schedule)}")
        if self.max_retries < 0:
            problems.append("max_retries must not be negative")
        for name in ("call_timeout", "deadline"):
            if getattr(self, name) <= 0:
                problems.append(f"{name} must be positive")
        if self.hedge_factor is not None and self.hedge_factor < 1:
            problems.append("hedge_factor must be at least 1 (or None for no hedging)")
        for name in ("backoff_base", "cancel_grace", "hedge_floor"):
            if getattr(self, name) < 0:
                problems.append(f"{name} must not be negative")
        if self.backoff_factor < 1:
            problems.append("backoff_factor must be at least 1")
        for name in ("jitter", "required_ratio", "success_ratio"):
            if not 0 <= getattr(self, name) <= 1:
                problems.append(f"{name} must be between 0 and 1")
        problems += self._budget_problems()
        if problems:
            raise InputError("invalid engine options: " + "; ".join(problems))

    def _budget_problems(self) -> list[str]:
        problems = []
        if self.max_tokens_total is not None and self.max_tokens_total < 1:
            problems.append("max_tokens_total must be at least 1 (or None for no limit)")
        if self.max_cost is not None:
            if self.max_cost <= 0:
                problems.append("max_cost must be positive (or None for no limit)")
            if self.cost_of is None:
                problems.append("max_cost needs cost_of (a price for the model)")
        return problems

    @property
    def max_attempts(self) -> int:
        return self.max_retries + 1
