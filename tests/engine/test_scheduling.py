"""DAG scheduling: concurrency, pipelining, blocking, rate limit, deadline, partial files."""

from __future__ import annotations

import asyncio
import threading

import pytest

from backforge.engine import AttemptOutcome, EngineOptions, EventKind, UnitStatus, run, run_virtual
from backforge.engine.budget import StopReason
from backforge.engine.scheduler import check_plan
from backforge.errors import BackforgeError
from backforge.providers.fake import Fail, FakeProvider, Hang, Permanent, Reply

from .conftest import MarkerValidator, MemorySink, go, plan_of, tiny_plan, unit


def test_concurrency_limit_is_respected():
    plan = plan_of([unit(f"m{i}") for i in range(20)])
    out = go(plan, FakeProvider(default=Reply(latency=10)), EngineOptions(concurrency=3))
    assert out.provider.peak_in_flight == 3
    assert out.report.duration == pytest.approx(70.0)  # ceil(20 / 3) rounds of 10 s
    assert out.report.success


def test_default_concurrency_is_eight():
    plan = plan_of([unit(f"m{i}") for i in range(20)])
    out = go(plan, FakeProvider(default=Reply(latency=10)))
    assert out.provider.peak_in_flight == 8


def test_units_waiting_for_retry_do_not_hold_a_slot():
    plan = plan_of([unit("slow"), unit("other")])
    provider = FakeProvider({"slow": [Fail(retry_after=50), Reply()]},
                            default=Reply(latency=1))
    out = go(plan, provider, EngineOptions(concurrency=1))
    assert out.starts("other") == [0.0]  # ran while "slow" waited its 50 s
    assert out.starts("slow") == [0.0, 50.0]
    assert out.report.duration == pytest.approx(50.0)


def test_per_table_pipelining_with_a_built_plan():
    plan = tiny_plan("tasks", "users")
    provider = FakeProvider({"models/users": Reply(latency=30)}, default=Reply(latency=1))
    out = go(plan, provider)
    # services/tasks starts the moment models/tasks validates, long before models/users.
    assert out.time_of(EventKind.UNIT_VALIDATED, "models/tasks") == 2.0
    assert out.starts("services/tasks") == [2.0]
    assert out.starts("routes/tasks") == [3.0]
    assert out.time_of(EventKind.UNIT_VALIDATED, "models/users") == 31.0
    # the shared routes unit waits for every table's routes
    assert out.starts("routes") == [33.0]
    assert out.report.duration == pytest.approx(34.0)  # the critical path: 1 + 30 + 1 + 1 + 1
    assert out.report.success


def test_blocked_dependents_name_the_unit_that_blocked_them():
    plan = plan_of([unit("a"), unit("b", "a"), unit("c", "b"), unit("d")])
    out = go(plan, FakeProvider({"a": Permanent()}))
    report = out.report
    assert report.unit("a").status is UnitStatus.FAILED
    assert report.unit("b").status is UnitStatus.BLOCKED
    assert report.unit("b").reason == "not attempted: dependency a is failed"
    assert report.unit("c").reason == ("not attempted: dependency b is blocked "
                                       "(root cause: a is failed)")
    assert report.unit("d").status is UnitStatus.VALIDATED
    assert [c.unit for c in out.provider.calls] == ["a", "d"]
    blocked = out.events(EventKind.UNIT_BLOCKED)
    assert [(e.unit, e.data["by"], e.data["root"]) for e in blocked] == [
        ("b", "a", "a"), ("c", "b", "a")]


def test_partial_dependency_blocks_and_independent_units_go_on():
    plan = tiny_plan("tasks", "users")
    provider = FakeProvider({"models/users": Reply(broken=("src/models/users.js",))})
    out = go(plan, provider)
    r = out.report
    assert r.unit("models/users").status is UnitStatus.PARTIAL
    assert r.unit("services/users").status is UnitStatus.BLOCKED
    assert r.unit("routes/users").status is UnitStatus.BLOCKED
    # the shared routes unit depends on every services and routes unit; the first is named
    assert r.unit("routes").reason == "not attempted: dependency services/users is blocked " \
                                      "(root cause: models/users is partial)"
    assert r.unit("routes/tasks").status is UnitStatus.VALIDATED
    assert r.module("models").status is UnitStatus.PARTIAL
    assert r.module("services").status is UnitStatus.PARTIAL  # services/tasks has files
    assert r.module("database").status is UnitStatus.VALIDATED
    assert not r.success  # models is critical


def test_module_of_only_blocked_units_is_blocked():
    plan = plan_of([unit("a"), unit("b/x", "a"), unit("b/y", "a")])
    out = go(plan, FakeProvider({"a": Permanent()}))
    assert out.report.module("b").status is UnitStatus.BLOCKED
    assert out.report.module("a").status is UnitStatus.FAILED


def test_critical_path_goes_first_when_calls_queue():
    plan = plan_of([unit("y1"), unit("y2"), unit("x1"), unit("x2", "x1"), unit("x3", "x2")])
    out = go(plan, FakeProvider(default=Reply(latency=1)), EngineOptions(concurrency=1))
    assert [c.unit for c in out.provider.calls] == ["x1", "y1", "x2", "y2", "x3"]
    assert out.report.duration == pytest.approx(5.0)


def test_requests_per_minute_is_a_sliding_window():
    plan = plan_of([unit(f"m{i}") for i in range(5)])
    out = go(plan, FakeProvider(), EngineOptions(requests_per_minute=2))
    starts = sorted(t for c in plan.units for t in out.starts(c))
    assert starts == [0.0, 0.0, 60.0, 60.0, 120.0]


def test_rate_limit_counts_retries_too():
    plan = plan_of([unit("a"), unit("b")])
    provider = FakeProvider({"a": [Reply(broken=("src/a/f0.js",)), Reply()]})
    out = go(plan, provider, EngineOptions(requests_per_minute=2))
    assert sorted(out.starts("a") + out.starts("b")) == [0.0, 0.0, 60.0]


def test_deadline_stops_the_run_and_keeps_validated_files():
    plan = plan_of([unit("fast"), unit("stuck"), unit("after", "stuck"),
                    unit("waiting"), unit("late", "fast")])
    provider = FakeProvider({"stuck": Hang(), "waiting": Fail(retry_after=1000),
                             "late": Reply(latency=400)}, default=Reply(latency=10))
    out = go(plan, provider, EngineOptions(call_timeout=1000))
    r = out.report
    assert r.duration == pytest.approx(300.0)
    assert r.unit("fast").status is UnitStatus.VALIDATED
    assert out.sink.units() == ["fast"]
    assert set(out.result.files) == {"src/fast/f0.js", "src/fast/f1.js"}
    stuck = r.unit("stuck")
    assert stuck.status is UnitStatus.CANCELLED
    assert stuck.reason == "deadline reached (300 s) during attempt 1"
    assert stuck.attempts[-1].outcome is AttemptOutcome.CANCELLED
    assert stuck.attempts[-1].duration == pytest.approx(300.0)
    assert r.unit("waiting").reason == ("deadline reached (300 s) while waiting to retry "
                                        "after attempt 1")
    assert r.unit("late").reason == "deadline reached (300 s) during attempt 1"
    assert r.unit("after").reason == "deadline reached (300 s) before it started " \
                                     "(waiting for stuck)"
    assert not r.success
    assert r.notes[0].startswith("deadline of 300 s reached: 4 unit(s) cancelled")
    assert out.provider.in_flight == 0  # in-flight calls really were cancelled
    cancelled = {e.unit for e in out.events(EventKind.UNIT_CANCELLED)}
    assert cancelled == {"stuck", "waiting", "late", "after"}
    assert out.result.events[-1].kind is EventKind.RUN_FINISHED


def test_deadline_is_configurable_and_keeps_partial_files():
    plan = plan_of([unit("a")])
    provider = FakeProvider({"a": [Reply(broken=("src/a/f0.js",)), Hang()]})
    out = go(plan, provider, EngineOptions(deadline=20, call_timeout=100))
    assert out.report.duration == pytest.approx(20.0)
    assert out.report.unit("a").status is UnitStatus.CANCELLED
    assert set(out.result.partial_files) == {"src/a/f0.js", "src/a/f1.js"}
    assert out.report.module("a").status is UnitStatus.PARTIAL


def test_partial_files_are_kept_but_not_written():
    plan = plan_of([unit("ok"), unit("bad")])
    out = go(plan, FakeProvider({"bad": Reply(broken=("src/bad/f1.js",))}))
    assert out.report.unit("bad").status is UnitStatus.PARTIAL
    assert out.sink.units() == ["ok"]
    assert set(out.result.partial_files) == {"src/bad/f0.js", "src/bad/f1.js"}
    assert "src/bad/f0.js" not in out.result.files
    assert out.report.unit("bad").files == ("src/bad/f0.js", "src/bad/f1.js")


def test_write_partial_option_hands_partial_files_to_the_sink():
    plan = plan_of([unit("bad")])
    out = go(plan, FakeProvider({"bad": Reply(broken=("src/bad/f1.js",))}),
             EngineOptions(write_partial=True))
    assert out.sink.units() == ["bad"]
    assert len(out.events(EventKind.FILE_WRITTEN)) == 2
    assert out.report.unit("bad").status is UnitStatus.PARTIAL


def test_files_stream_to_the_sink_as_each_unit_validates():
    plan = plan_of([unit("a"), unit("b", "a")])
    provider = FakeProvider({"a": Reply(latency=5), "b": Reply(latency=20)})
    out = go(plan, provider)
    assert [(t, uid) for t, uid, _ in out.sink.writes] == [(5.0, "a"), (25.0, "b")]


def test_registry_feeds_later_units():
    plan = plan_of([unit("a"), unit("b"), unit("c", "a", "b")])
    provider = FakeProvider({
        "a": Reply(dependencies={"express": "^5.0.0"}),
        "b": Reply(dev_dependencies={"jest": "^29.7.0"}, latency=1)})
    out = go(plan, provider)
    (call_c,) = out.provider.calls_of("c")
    assert set(call_c.ctx.files) == {f"src/{u}/f{i}.js" for u in "ab" for i in range(2)}
    assert dict(call_c.ctx.dependencies) == {"express": "^5.0.0", "jest": "^29.7.0"}
    (call_a,) = out.provider.calls_of("a")
    assert dict(call_a.ctx.files) == {}  # a snapshot: a's context never changed under it
    assert out.result.dependencies == {"express": "^5.0.0"}
    assert out.result.dev_dependencies == {"jest": "^29.7.0"}


def test_a_file_already_written_by_another_unit_is_a_conflict():
    plan = plan_of([unit("a"), unit("b", "a")])
    out = go(plan, FakeProvider({"b": Reply(extra={"src/a/f0.js": "mine"})}),
             EngineOptions(max_retries=0))
    issues = out.report.unit("b").attempts[0].issues
    assert [i.rule for i in issues] == ["file-conflict"]
    assert out.sink.files["src/a/f0.js"] != "mine"


class FullDisk(MemorySink):
    def write(self, unit, files):
        raise OSError(28, "No space left on device")


def test_sink_failure_fails_the_unit_and_blocks_dependents():
    plan = plan_of([unit("a"), unit("b", "a")])
    out = go(plan, sink=FullDisk())
    a = out.report.unit("a")
    assert a.status is UnitStatus.PARTIAL  # its files are still in the result
    assert a.attempts[0].outcome is AttemptOutcome.WRITE_FAILED
    assert "No space left" in a.attempts[0].error
    assert len(a.attempts) == 1
    assert out.report.unit("b").status is UnitStatus.BLOCKED
    assert set(out.result.partial_files) == {"src/a/f0.js", "src/a/f1.js"}


def _modules(n: int, failing: int = 0, critical_failing: bool = False):
    units = [unit(f"m{i}") for i in range(n)]
    critical = ["m0"] if critical_failing else []
    script = {f"m{i}": Permanent() for i in range(failing)}
    return go(plan_of(units, critical=critical), FakeProvider(script)).report


def test_success_rule_one_noncritical_failure_among_20_is_success():
    report = _modules(20, failing=1)
    assert report.success and report.success_rate == 0.95


def test_success_rule_one_noncritical_failure_among_10_is_failure():
    report = _modules(10, failing=1)
    assert not report.success and report.success_rate == 0.9


def test_success_rule_any_critical_failure_is_failure():
    report = _modules(20, failing=1, critical_failing=True)
    assert report.success_rate == 0.95 and not report.success


def test_success_ratio_is_configurable():
    units = [unit(f"m{i}") for i in range(10)]
    out = go(plan_of(units), FakeProvider({"m0": Permanent()}), EngineOptions(success_ratio=0.9))
    assert out.report.success


def test_plan_checks_reject_unknown_deps_and_cycles():
    with pytest.raises(BackforgeError, match="unknown unit"):
        check_plan(plan_of([unit("a", "ghost")]))
    with pytest.raises(BackforgeError, match="cycle"):
        check_plan(plan_of([unit("a", "b"), unit("b", "a")]))


def test_empty_deps_plan_with_many_units_runs_in_real_time_fast():
    plan = plan_of([unit(f"m{i}") for i in range(300)])
    out = go(plan, FakeProvider(default=Reply(latency=3)), EngineOptions(concurrency=8))
    assert len(out.sink.writes) == 300
    assert out.report.duration == pytest.approx(3 * 38)  # ceil(300 / 8) = 38 rounds


def test_sink_is_optional_memory_sink_records_everything():
    sink = MemorySink()
    plan = plan_of([unit("a")])
    go(plan, sink=sink)
    assert sink.files == {"src/a/f0.js": "// src/a/f0.js, written for unit a\n",
                          "src/a/f1.js": "// src/a/f1.js, written for unit a\n"}


class StubbornProvider(FakeProvider):
    """Swallows the first cancellation and keeps working, like a badly written client."""

    async def generate(self, unit, ctx):
        if unit.id != "stubborn":
            return await super().generate(unit, ctx)
        self.calls.append(None)
        try:
            await asyncio.sleep(1e6)
        except asyncio.CancelledError:
            await asyncio.sleep(1e6)
        raise AssertionError("unreachable in this test")


def test_a_call_that_ignores_cancellation_is_abandoned_after_the_grace():
    plan = plan_of([unit("ok"), unit("stubborn")])
    out = go(plan, StubbornProvider(), EngineOptions(deadline=60, call_timeout=1000,
                                                     cancel_grace=5))
    r = out.report
    assert r.duration == pytest.approx(65.0)  # deadline plus the grace, then the run ends
    assert r.unit("stubborn").status is UnitStatus.CANCELLED
    assert r.unit("ok").status is UnitStatus.VALIDATED
    assert r.notes[-1] == ("provider calls ignored cancellation for 5 s and were abandoned: "
                           "stubborn")


def test_cancelling_the_run_cancels_in_flight_calls():
    provider = FakeProvider({"a": Hang()})
    plan = plan_of([unit("a"), unit("b", "a")])

    async def main():
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(run(plan, provider, MarkerValidator(), MemorySink()), 10)
        return provider.in_flight

    assert run_virtual(main()) == 0
    assert [c.unit for c in provider.calls] == ["a"]


def test_context_is_taken_when_the_call_starts_not_when_the_unit_queued():
    plan = plan_of([unit("a"), unit("b")])
    provider = FakeProvider({"a": Reply(latency=5)})
    out = go(plan, provider, EngineOptions(concurrency=1))
    (call_b,) = out.provider.calls_of("b")
    assert call_b.started == 5.0
    assert set(call_b.ctx.files) == {"src/a/f0.js", "src/a/f1.js"}


def test_cancel_event_stops_the_run_like_the_deadline_and_keeps_validated_units():
    """The service's cancel: set from another thread, it stops the run the deadline's way."""
    cancel = threading.Event()
    plan = plan_of([unit("fast"), unit("slow"), unit("after", "slow")])
    provider = FakeProvider({"slow": Reply(latency=400)}, default=Reply(latency=10))

    def on_event(event):
        if event.kind is EventKind.UNIT_VALIDATED and event.unit == "fast":
            cancel.set()

    out = go(plan, provider, EngineOptions(call_timeout=1000, seed=1, cancel=cancel),
             on_event=on_event)
    r = out.report
    assert r.stopped_by is StopReason.CANCELLED and not r.success
    assert r.duration == pytest.approx(10.05, abs=0.06)  # within one poll of the request
    assert out.sink.units() == ["fast"]
    assert r.unit("slow").reason == "cancelled on request during attempt 1"
    assert r.unit("after").reason == ("cancelled on request before it started "
                                      "(waiting for slow)")
    assert r.notes[0] == "cancelled on request: 2 unit(s) cancelled; validated files were kept"
    assert out.provider.in_flight == 0
    assert out.result.events[-1].data["stopped_by"] == "cancelled"


def test_no_cancel_event_changes_nothing():
    out = go(plan_of([unit("a")]), FakeProvider(default=Reply(latency=10)))
    assert out.report.success and out.report.stopped_by is None
