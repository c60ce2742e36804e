"""Events (order, JSON lines, a failing callback) and the report (JSON, determinism, missing)."""

from __future__ import annotations

import json

import pytest

from backforge.engine import EngineOptions, EventKind, UnitStatus
from backforge.engine.report import RunReport
from backforge.providers.fake import Fail, FakeProvider, Hang, Permanent, Reply, Usage

from .conftest import go, plan_of, tiny_plan, unit


def _eventful_run(seed: int = 3):
    plan = tiny_plan("tasks", "order items")
    provider = FakeProvider({
        "models/tasks": [Fail(), Reply(broken=("src/models/tasks.js",), latency=2), Reply()],
        "services/order-items": [Hang(), Reply(usage=Usage(100, 40))],
        "routes/tasks": Permanent("no key"),
    }, default=Reply(latency=1.5, usage=Usage(10, 5)))
    return go(plan, provider, EngineOptions(seed=seed, call_timeout=20))


def test_events_come_in_a_sane_order():
    out = _eventful_run()
    events = out.result.events
    assert events[0].kind is EventKind.RUN_STARTED
    assert events[-1].kind is EventKind.RUN_FINISHED
    assert [e.kind for e in events].count(EventKind.RUN_FINISHED) == 1
    times = [e.time for e in events]
    assert times == sorted(times)
    for uid in out.result.report.units:
        kinds = [e.kind for e in out.events(unit=uid.id)]
        starts = [i for i, k in enumerate(kinds) if k is EventKind.UNIT_STARTED]
        retries = [i for i, k in enumerate(kinds) if k is EventKind.UNIT_RETRIED]
        # every retry sits between two starts
        assert len(retries) == max(0, len(starts) - 1)
        assert all(starts[n] < r < starts[n + 1] for n, r in enumerate(retries))
        final = {UnitStatus.VALIDATED: EventKind.UNIT_VALIDATED,
                 UnitStatus.PARTIAL: EventKind.UNIT_PARTIAL, UnitStatus.FAILED:
                 EventKind.UNIT_FAILED, UnitStatus.BLOCKED: EventKind.UNIT_BLOCKED}[uid.status]
        assert kinds.count(final) == 1
        written = [i for i, k in enumerate(kinds) if k is EventKind.FILE_WRITTEN]
        if uid.status is UnitStatus.VALIDATED:
            assert written and min(written) > kinds.index(EventKind.UNIT_VALIDATED)
            assert [out.events(unit=uid.id)[i].data["path"] for i in written] == list(uid.files)
        else:
            assert not written


def test_event_attempts_and_retry_reasons():
    out = _eventful_run()
    retried = out.events(EventKind.UNIT_RETRIED, "models/tasks")
    assert [(e.attempt, e.data["outcome"]) for e in retried] == [(1, "error"), (2, "invalid")]
    assert "broken" in retried[1].data["reason"] and retried[1].data["delay"] == 0.0
    assert out.starts("services/order-items")[1] - out.starts("services/order-items")[0] == 20.0


def test_event_to_dict_is_one_json_line_each():
    out = _eventful_run()
    lines = [json.dumps(e.to_dict()) for e in out.result.events]
    first = json.loads(lines[0])
    assert list(first) == ["event", "time", "unit", "attempt", "message", "data"]
    assert first["event"] == "run_started" and first["data"]["stack"] == "tiny"
    finished = json.loads(lines[-1])
    assert finished["data"]["success"] is False
    assert finished["data"]["counts"]["validated"] == sum(
        u.status is UnitStatus.VALIDATED for u in out.report.units)


def test_on_event_receives_every_event_in_order():
    seen = []
    out = go(plan_of([unit("a"), unit("b", "a")]), on_event=seen.append)
    assert seen == list(out.result.events)
    assert [e.kind for e in seen] == [
        EventKind.RUN_STARTED, EventKind.UNIT_STARTED, EventKind.UNIT_VALIDATED,
        EventKind.FILE_WRITTEN, EventKind.FILE_WRITTEN, EventKind.UNIT_STARTED,
        EventKind.UNIT_VALIDATED, EventKind.FILE_WRITTEN, EventKind.FILE_WRITTEN,
        EventKind.RUN_FINISHED]


def test_a_failing_callback_does_not_kill_the_run_and_is_reported():
    calls = []

    def flaky(event):
        calls.append(event.kind)
        if event.kind is EventKind.UNIT_STARTED:
            raise BrokenPipeError("stdout closed")

    out = go(plan_of([unit("a"), unit("b", "a")]), on_event=flaky)
    assert out.report.success
    assert len(calls) == len(out.result.events)  # later events were still offered
    assert out.report.notes == (
        ("the on_event callback raised 2 time(s), first BrokenPipeError: stdout closed "
        "(on unit_started); the run went on"),)


def test_report_to_dict_is_json_and_deterministic():
    first = json.dumps(_eventful_run(seed=5).report.to_dict())
    second = json.dumps(_eventful_run(seed=5).report.to_dict())
    assert first == second
    data = json.loads(first)
    assert list(data) == ["success", "success_rate", "duration", "counts", "usage",
                          "stopped_by", "modules", "units", "missing", "notes", "extra"]
    assert list(data["units"][0]) == ["id", "module", "table", "status", "reason", "files",
                                      "attempts"]
    assert list(data["units"][0]["attempts"][0]) == [
        "attempt", "started", "duration", "outcome", "error", "retry_delay", "issues", "files",
        "usage", "cached", "hedged"]
    jittered = [a["retry_delay"] for u in data["units"] for a in u["attempts"]
                if a["outcome"] == "error"]
    assert jittered and all(round(d, 3) == d for d in jittered)


def test_report_contents_for_an_eventful_run():
    report = _eventful_run().report
    assert [m.name for m in report.modules] == ["database", "models", "services", "routes"]
    assert [u.id for u in report.units][:3] == ["database", "models/tasks", "models/order-items"]
    assert report.unit("models/tasks").status is UnitStatus.VALIDATED
    assert len(report.unit("models/tasks").attempts) == 3
    assert report.unit("routes/tasks").status is UnitStatus.FAILED
    assert report.unit("routes").status is UnitStatus.BLOCKED
    assert report.module("routes").status is UnitStatus.PARTIAL  # routes/order-items has files
    # tokens: only calls that answered count
    answered = [a for u in report.units for a in u.attempts if a.files]
    assert report.usage.prompt_tokens == sum(a.usage.prompt_tokens for a in answered) > 100
    assert report.success_rate == 0.75 and not report.success


def test_missing_lists_what_is_not_validated_and_why():
    report = _eventful_run().report
    assert report.missing() == [
        ("routes/tasks (routes): failed: nothing usable after 1 attempt(s); last "
        "permanent-error: no key"),
        "routes (routes): blocked: not attempted: dependency routes/tasks is failed",
    ]


def test_with_extra_and_notes_keep_the_report_frozen():
    report = go(plan_of([unit("a")])).report
    more = report.with_extra(renames=["x -> y"]).with_extra(verify={"ok": True})
    assert dict(more.extra) == {"renames": ["x -> y"], "verify": {"ok": True}}
    assert dict(report.extra) == {}
    assert more.with_notes("n").notes == ("n",)
    assert json.loads(json.dumps(more.to_dict()))["extra"]["verify"] == {"ok": True}


def test_counts_list_every_status():
    report = go(plan_of([unit("a"), unit("b", "a")]), FakeProvider({"a": Permanent()})).report
    assert report.counts() == {"pending": 0, "running": 0, "validated": 0, "partial": 0,
                               "failed": 1, "blocked": 1, "cancelled": 0}


def test_unit_status_terminal():
    assert not UnitStatus.PENDING.is_terminal() and not UnitStatus.RUNNING.is_terminal()
    assert all(s.is_terminal() for s in UnitStatus if s.value not in ("pending", "running"))


def test_empty_module_list_is_vacuous_success():
    report = RunReport(True, 1.0, 0.0, (), ())
    assert report.to_dict()["success_rate"] == 1.0
    assert report.missing() == []


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_same_seed_same_event_stream(seed):
    a = [e.to_dict() for e in _eventful_run(seed).result.events]
    b = [e.to_dict() for e in _eventful_run(seed).result.events]
    assert a == b
