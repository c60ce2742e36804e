"""Per-key limits: a token bucket per API key for the request rate, refilled
continuously, and the estimate of when a key over its job quota gets a slot back."""

from __future__ import annotations

import math
import statistics
import threading
import time
from collections.abc import Sequence

__all__ = ["RateLimiter", "quota_wait", "retry_after"]

# A job's expected duration before this server has finished any (s): the taskmanager
# example with the template provider takes 1-3 s on a loaded 2-core machine.
DEFAULT_JOB_SECONDS = 10.0


class RateLimiter:
    """`per_minute` requests per key, in bursts of up to `per_minute`."""

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.refill = per_minute / 60.0  # tokens per second
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, key: str) -> float | None:
        """Take one token: None when allowed, else the seconds until one is free."""
        now = time.monotonic()
        with self._lock:
            tokens, at = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - at) * self.refill)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return None
            self._buckets[key] = (tokens, now)
            return (1 - tokens) / self.refill


def retry_after(seconds: float) -> str:
    """The Retry-After header: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))


def quota_wait(running_for: Sequence[float], durations: Sequence[float],
               default: float = DEFAULT_JOB_SECONDS) -> float:
    """Seconds until a key at its job quota is expected to have a slot again.

    `running_for`: how long each of the key's running jobs has run; `durations`: how long
    this server's recent succeeded jobs ran. A job is expected to take the median
    duration, so the slot frees when the running job nearest to it ends; one already past
    the median may end any moment (0). With none of the key's jobs running (all queued
    behind other keys' jobs) the first must still run a whole job.
    """
    typical = statistics.median(durations) if durations else default
    if not running_for:
        return typical
    return max(0.0, min(typical - elapsed for elapsed in running_for))
