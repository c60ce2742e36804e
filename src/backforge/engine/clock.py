"""Time for the engine: a `Clock` protocol, the default loop clock, and virtual time.

The one approach to time (chosen so `asyncio.wait`, timeouts and sleeps always
agree): the engine reads and waits on time only through a `Clock`, and the
default `LoopClock` reads the running event loop's `time()` and sleeps with
`asyncio.sleep`. On a normal loop that is the real monotonic clock. Tests and
simulations run the same code on a `VirtualEventLoop`, whose `time()` is a
number that jumps forward whenever the loop would otherwise block: every timer
in the process (engine sleeps, provider latency, `asyncio.wait_for`) then fires
in order, instantly, at exactly the simulated time. `run_virtual(coro)` runs a
coroutine on such a loop.

Virtual time assumes every wait is on a timer. Real I/O that is ready is still
serviced, but time does not wait for threads or sockets that are not.
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Callable, Coroutine
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Clock(Protocol):
    def now(self) -> float:
        """Seconds on a monotonic scale (only differences matter)."""
        ...

    async def sleep(self, seconds: float) -> None: ...


class LoopClock:
    """The running event loop's clock: real monotonic time, or virtual on a VirtualEventLoop."""

    def now(self) -> float:
        return asyncio.get_running_loop().time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class VirtualLoopStalled(RuntimeError):
    """Every task waits on something no timer will ever complete (a deadlock under test)."""


class _VirtualSelector(selectors.DefaultSelector):  # type: ignore[misc,valid-type]
    """A selector that advances virtual time instead of blocking for a timer."""

    def __init__(self, advance: Callable[[float], None], stall_after: float) -> None:
        super().__init__()
        self._advance = advance
        self._stall_after = stall_after

    def select(self, timeout: float | None = None) -> list[Any]:
        ready = super().select(0)  # I/O that is ready now is served without moving time
        if ready or timeout == 0:
            return ready
        if timeout is None:
            # No timer is pending: only real I/O (a thread's wake-up) can make progress.
            ready = super().select(self._stall_after)
            if not ready:
                raise VirtualLoopStalled(
                    f"no timer pending and no I/O for {self._stall_after:g} s real time")
            return ready
        self._advance(timeout)
        return []


class VirtualEventLoop(asyncio.SelectorEventLoop):
    """An event loop whose time is virtual: it starts at `start` and jumps to the next timer."""

    def __init__(self, start: float = 0.0, stall_after: float = 5.0) -> None:
        self._virtual_now = start
        super().__init__(selector=_VirtualSelector(self._advance, stall_after))

    def time(self) -> float:
        return self._virtual_now

    def _advance(self, seconds: float) -> None:
        self._virtual_now += seconds


def run_virtual(coro: Coroutine[Any, Any, T], *, start: float = 0.0) -> T:
    """Run `coro` to completion on a fresh VirtualEventLoop (like asyncio.run)."""
    with asyncio.Runner(loop_factory=lambda: VirtualEventLoop(start)) as runner:
        return runner.run(coro)
