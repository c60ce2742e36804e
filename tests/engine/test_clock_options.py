"""Virtual time, the real-clock wrapper, and option validation."""

from __future__ import annotations

import asyncio
import time

import pytest

from backforge.engine import EngineOptions, LoopClock, run_sync, run_virtual
from backforge.engine.clock import VirtualEventLoop, VirtualLoopStalled
from backforge.errors import InputError
from backforge.providers.fake import FakeProvider, Reply

from .conftest import MarkerValidator, MemorySink, plan_of, unit


def test_virtual_loop_simulates_an_hour_instantly():
    async def main():
        clock = LoopClock()
        await asyncio.gather(clock.sleep(3600), clock.sleep(5))
        return clock.now()

    began = time.perf_counter()
    assert run_virtual(main()) == 3600.0
    assert time.perf_counter() - began < 0.5


def test_asyncio_timeouts_and_clock_sleeps_agree():
    async def main():
        clock = LoopClock()
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(clock.sleep(100), timeout=45)
        return clock.now()

    assert run_virtual(main(), start=10.0) == 55.0


def test_threads_still_work_on_the_virtual_loop():
    async def main():
        return await asyncio.to_thread(sum, [1, 2, 3])

    assert run_virtual(main()) == 6


def test_a_deadlock_is_reported_not_hung():
    loop = VirtualEventLoop(stall_after=0.05)
    try:
        with pytest.raises(VirtualLoopStalled):
            loop.run_until_complete(loop.create_future())
    finally:
        loop.close()


def test_run_sync_uses_the_real_clock():
    sink = MemorySink()
    result = run_sync(plan_of([unit("a"), unit("b", "a")]), FakeProvider(), MarkerValidator(),
                      sink)
    assert result.success and sink.units() == ["a", "b"]
    assert 0 <= result.report.duration < 1


def test_run_sync_with_real_latency_is_real_time():
    provider = FakeProvider(default=Reply(latency=0.05))
    began = time.perf_counter()
    result = run_sync(plan_of([unit("a"), unit("b", "a")]), provider, MarkerValidator(),
                      MemorySink())
    assert result.success
    assert time.perf_counter() - began >= 0.1


@pytest.mark.parametrize("bad", [
    {"concurrency": 0}, {"requests_per_minute": 0}, {"max_retries": -1}, {"call_timeout": 0},
    {"deadline": -5}, {"jitter": 1.5}, {"required_ratio": 2}, {"backoff_factor": 0.5},
])
def test_bad_options_are_input_errors(bad):
    with pytest.raises(InputError, match="invalid engine options"):
        EngineOptions(**bad)


def test_defaults_match_the_design():
    o = EngineOptions()
    assert (o.concurrency, o.call_timeout, o.max_attempts, o.backoff_base, o.deadline,
            o.required_ratio, o.success_ratio, o.requests_per_minute) == (
        8, 45.0, 4, 3.0, 300.0, 0.9, 0.95, None)
