"""Limits on provider calls: the concurrency gate, the requests-per-minute window, retry
delays, and when a slow call gets a hedge."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import random
from collections import deque
from collections.abc import Mapping

from backforge.engine.clock import Clock
from backforge.engine.options import EngineOptions
from backforge.engine.protocols import ProviderError, ProviderTimeout, Usage


class PriorityGate:
    """At most `limit` holders at once; waiters are admitted lowest key first, then FIFO.

    The engine keys units by how long a chain of units still depends on them, so
    when calls queue up the critical path goes first.
    """

    def __init__(self, limit: int) -> None:
        self._free = limit
        self._waiters: list[tuple[tuple[float, ...], int, asyncio.Future[None]]] = []
        self._seq = itertools.count()
        self.in_use = 0
        self.peak = 0  # the most holders seen at once

    async def acquire(self, key: tuple[float, ...]) -> None:
        if self._free > 0 and not self._waiters:
            self._take()
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (key, next(self._seq), fut))
        try:
            await fut
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():
                self.release()  # the slot was handed over just as we were cancelled
            raise

    def release(self) -> None:
        self.in_use -= 1
        self._free += 1
        while self._free > 0 and self._waiters:
            _, _, fut = heapq.heappop(self._waiters)
            if fut.done():  # its waiter was cancelled
                continue
            self._take()
            fut.set_result(None)

    def _take(self) -> None:
        self._free -= 1
        self.in_use += 1
        self.peak = max(self.peak, self.in_use)


class RateLimiter:
    """At most `per_minute` call starts in any 60 s window, shared by every caller.

    Each caller reserves its start time synchronously (no await between reading
    and updating), so concurrent callers can never take the same slot.
    """

    WINDOW = 60.0

    def __init__(self, per_minute: int | None, clock: Clock) -> None:
        self._limit = per_minute
        self._clock = clock
        self._starts: deque[float] = deque()

    async def acquire(self) -> None:
        if self._limit is None:
            return
        now = self._clock.now()
        slot = now
        if len(self._starts) >= self._limit:
            slot = max(now, self._starts[-self._limit] + self.WINDOW)
        self._starts.append(slot)
        while len(self._starts) > self._limit:
            self._starts.popleft()
        if slot > now:
            await self._clock.sleep(slot - now)


class TokenLimiter:
    """At most `per_minute` tokens (prompt + completion) spent in any 60 s window.

    A call's size is known only when it answers, so a call starts while the window's
    spending is under the limit and its tokens are recorded when it ends: calls already
    in flight can overshoot the limit by their own size, and a 429 from the provider
    (Retry-After) still backs off as before.
    """

    WINDOW = 60.0

    def __init__(self, per_minute: int | None, clock: Clock) -> None:
        self._limit = per_minute
        self._clock = clock
        self._spent: deque[tuple[float, int]] = deque()  # (when, tokens)
        self._total = 0

    def _expire(self, now: float) -> None:
        while self._spent and self._spent[0][0] + self.WINDOW <= now:
            self._total -= self._spent.popleft()[1]

    async def acquire(self) -> None:
        if self._limit is None:
            return
        while True:
            now = self._clock.now()
            self._expire(now)
            if self._total < self._limit:
                return
            await self._clock.sleep(self._spent[0][0] + self.WINDOW - now)

    def record(self, tokens: int) -> None:
        if self._limit is None or tokens <= 0:
            return
        self._spent.append((self._clock.now(), tokens))
        self._total += tokens


class RetryPolicy:
    """How long to wait before the next attempt after a failed one."""

    def __init__(self, options: EngineOptions) -> None:
        self._options = options
        self._rng = random.Random(options.seed)

    def backoff(self, failed_attempt: int) -> float:
        """3 s, 6 s, 12 s ... (base * factor^(n-1)), each +- jitter."""
        o = self._options
        base = o.backoff_base * o.backoff_factor ** (failed_attempt - 1)
        return base * (1.0 + self._rng.uniform(-o.jitter, o.jitter))

    def delay(self, failed_attempt: int, error: BaseException | None) -> float:
        """0 after a timeout or a validation failure; the provider's retry_after wins over backoff."""
        if error is None or isinstance(error, ProviderTimeout):
            return 0.0
        if isinstance(error, ProviderError) and error.retry_after is not None:
            return max(0.0, float(error.retry_after))
        return self.backoff(failed_attempt)


class LatencyModel:
    """When to hedge a model call: learned from this run's own answers.

    Contract-first, each unit has an expected answer size (`weights`: characters of its
    stand-in files). Every model answer (tokens spent, not cached) teaches the seconds per
    expected character; the slowest such rate seen so far times a unit's size is what its
    call should take. A call still running `hedge_factor` x that plus `hedge_floor` seconds
    is an outlier (a hung connection, an overloaded replica): a second request for the same
    answer is sent and the first answer wins, instead of waiting out `call_timeout`
    ("The Tail at Scale"). Before `MIN_SAMPLES` answers, or without weights, nothing is
    hedged; nor is a call whose hedge point would come after its timeout anyway.
    """

    MIN_SAMPLES = 3

    def __init__(self, weights: Mapping[str, float] | None, options: EngineOptions) -> None:
        self._weights = weights or {}
        self._options = options
        self._rate = 0.0  # the slowest seconds per expected character seen
        self._samples = 0

    def observe(self, uid: str, seconds: float, usage: Usage, cached: bool) -> None:
        weight = self._weights.get(uid, 0.0)
        if cached or weight <= 0 or not (usage.prompt_tokens or usage.completion_tokens):
            return  # a template unit or a cache hit says nothing about the model's speed
        self._rate = max(self._rate, seconds / weight)
        self._samples += 1

    def hedge_after(self, uid: str) -> float | None:
        """Seconds after which a call for `uid` gets a second request; None: never."""
        o = self._options
        weight = self._weights.get(uid, 0.0)
        if o.hedge_factor is None or self._samples < self.MIN_SAMPLES or weight <= 0:
            return None
        after = o.hedge_factor * self._rate * weight + o.hedge_floor
        return after if after < o.call_timeout else None
