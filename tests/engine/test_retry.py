"""Retry policy, call timeout, permanent errors and validation retries, in virtual time."""

from __future__ import annotations

import random

import pytest

from backforge.engine import AttemptOutcome, EngineOptions, EventKind, UnitStatus
from backforge.engine.protocols import Issue, Severity
from backforge.providers.fake import (
    BROKEN,
    Crash,
    Fail,
    FakeProvider,
    Hang,
    Permanent,
    Reply,
    TimedOut,
)

from .conftest import go, plan_of, unit


def single(steps, **options):
    plan = plan_of([unit("utils")])
    return go(plan, FakeProvider({"utils": steps}), EngineOptions(**{"seed": 7, **options}))


def test_backoff_schedule_is_3_6_12_seconds_with_seeded_jitter():
    out = single([Fail(), Fail(), Fail(), Reply()])
    rng = random.Random(7)
    delays = [base * (1 + rng.uniform(-0.1, 0.1)) for base in (3, 6, 12)]
    expected = [0.0, delays[0], delays[0] + delays[1], sum(delays)]
    assert out.starts("utils") == pytest.approx(expected, abs=1e-9)
    for delay, base in zip(delays, (3, 6, 12), strict=True):
        assert base * 0.9 <= delay <= base * 1.1
    retried = out.events(EventKind.UNIT_RETRIED, "utils")
    assert [e.data["delay"] for e in retried] == [round(d, 3) for d in delays]
    report = out.report.unit("utils")
    assert report.status is UnitStatus.VALIDATED
    assert [a.outcome for a in report.attempts] == [AttemptOutcome.ERROR] * 3 + [
        AttemptOutcome.VALIDATED]
    assert [a.retry_delay for a in report.attempts[:3]] == pytest.approx(delays)


def test_no_jitter_gives_exact_doubling():
    out = single([Fail(), Fail(), Fail(), Reply()], jitter=0.0)
    assert out.starts("utils") == [0.0, 3.0, 9.0, 21.0]


def test_retry_after_wins_over_backoff():
    out = single([Fail(retry_after=7), Fail(), Reply()], jitter=0.0)
    # 7 s from the provider, then the backoff for a second failure: 6 s.
    assert out.starts("utils") == [0.0, 7.0, 13.0]


def test_timeout_is_retried_at_once_after_exactly_call_timeout():
    out = single([Hang(), Reply()])
    assert out.starts("utils") == [0.0, 45.0]
    first = out.report.unit("utils").attempts[0]
    assert first.outcome is AttemptOutcome.TIMEOUT
    assert first.duration == pytest.approx(45.0)
    assert "45 s" in first.error
    assert out.events(EventKind.UNIT_RETRIED)[0].data["delay"] == 0.0


def test_provider_side_timeout_is_also_retried_at_once():
    out = single([TimedOut(latency=2.5), Reply()])
    assert out.starts("utils") == [0.0, 2.5]


def test_custom_call_timeout():
    out = single([Hang(), Hang(), Reply()], call_timeout=10)
    assert out.starts("utils") == [0.0, 10.0, 20.0]


def test_at_most_four_attempts_then_failed():
    out = single(Fail())
    assert len(out.provider.calls) == 4
    report = out.report.unit("utils")
    assert report.status is UnitStatus.FAILED
    assert "4 attempt" in report.reason and "service unavailable" in report.reason
    assert not out.sink.writes


def test_max_retries_is_configurable():
    out = single(Fail(), max_retries=1)
    assert len(out.provider.calls) == 2


def test_permanent_error_means_one_attempt():
    out = single([Permanent("bad key"), Reply()])
    assert len(out.provider.calls) == 1
    report = out.report.unit("utils")
    assert report.status is UnitStatus.FAILED
    assert report.attempts[0].outcome is AttemptOutcome.PERMANENT
    assert "bad key" in report.reason
    assert not out.events(EventKind.UNIT_RETRIED)


def test_provider_bug_fails_the_unit_without_retries():
    out = single([Crash(ValueError("oops")), Reply()])
    assert len(out.provider.calls) == 1
    report = out.report.unit("utils")
    assert report.attempts[0].outcome is AttemptOutcome.CRASHED
    assert "ValueError: oops" in report.reason


def test_validation_failure_is_retried_at_once_with_previous_and_issues():
    path = "src/utils/f0.js"
    out = single([Reply(broken=(path,), latency=1), Reply(latency=1)])
    assert out.starts("utils") == [0.0, 1.0]
    first, second = out.provider.calls
    assert first.ctx.previous is None and first.ctx.issues == ()
    assert BROKEN in second.ctx.previous.file_map()[path]
    assert [(i.rule, i.file) for i in second.ctx.issues] == [("broken", path)]
    assert second.ctx.attempt == 2
    assert out.report.unit("utils").status is UnitStatus.VALIDATED
    assert out.sink.files[path].count(BROKEN) == 0


def test_previous_generation_survives_an_error_attempt():
    path = "src/utils/f0.js"
    out = single([Reply(broken=(path,)), Fail(), Reply()], jitter=0)
    third = out.provider.calls[2]
    assert BROKEN in third.ctx.previous.file_map()[path]
    assert third.ctx.issues[0].rule == "broken"


def test_never_valid_unit_is_partial_after_four_attempts():
    # Without the loop breaker (tests/engine/test_budget_loop.py covers it) every retry runs.
    out = single(Reply(broken=("src/utils/f1.js",)), loop_breaker=False)
    assert len(out.provider.calls) == 4
    report = out.report.unit("utils")
    assert report.status is UnitStatus.PARTIAL
    assert "4 attempt" in report.reason and "broken" in report.reason
    assert all(a.outcome is AttemptOutcome.INVALID for a in report.attempts)
    assert all(a.issues for a in report.attempts)  # every attempt's issues are kept


def test_partial_when_files_came_once_and_then_errors():
    out = single([Reply(broken=("src/utils/f1.js",)), Fail(), Fail(), Fail()], jitter=0)
    report = out.report.unit("utils")
    assert report.status is UnitStatus.PARTIAL
    assert report.files == ("src/utils/f0.js", "src/utils/f1.js")
    assert "kept files had 1 error" in report.reason


def test_empty_answers_are_failed_not_partial():
    out = single(Reply(files={}))
    report = out.report.unit("utils")
    assert report.status is UnitStatus.FAILED
    assert report.files == ()
    assert report.attempts[-1].issues[0].rule == "file-missing"


@pytest.mark.parametrize(("missing", "status"), [(1, UnitStatus.VALIDATED),
                                                 (2, UnitStatus.PARTIAL)])
def test_required_ratio_is_90_percent(missing, status):
    plan = plan_of([unit("utils", files=10)])
    gone = tuple(f"src/utils/f{i}.js" for i in range(9, 9 - missing, -1))
    out = go(plan, FakeProvider({"utils": Reply(missing=gone)}))
    report = out.report.unit("utils")
    assert report.status is status
    rules = {(i.rule, i.severity) for i in report.attempts[0].issues}
    expected = Severity.WARNING if missing == 1 else Severity.ERROR
    assert rules == {("file-missing", expected)}


def test_critical_file_must_be_present():
    plan = plan_of([unit("utils", files=10, critical=1)])
    out = go(plan, FakeProvider({"utils": Reply(missing=("src/utils/f0.js",))}))
    report = out.report.unit("utils")
    assert report.status is UnitStatus.PARTIAL
    assert {i.rule for i in report.attempts[0].issues} == {"critical-file-missing"}


def test_warnings_never_block():
    out = single(Reply(extra={"src/utils/notes.js": "WARN"}))
    report = out.report.unit("utils")
    assert report.status is UnitStatus.VALIDATED
    assert [i.rule for i in report.attempts[0].issues] == ["style"]


def test_unsafe_paths_are_errors():
    out = single(Reply(extra={"../etc/passwd": "x"}), max_retries=0)
    report = out.report.unit("utils")
    assert report.status is UnitStatus.PARTIAL
    assert [i.rule for i in report.attempts[0].issues] == ["unsafe-path"]
    assert not out.sink.writes


class CrashingValidator:
    def validate(self, unit, generation, ctx) -> list[Issue]:
        raise KeyError("no registry")


def test_validator_crash_is_an_issue_not_a_crash():
    plan = plan_of([unit("utils")])
    out = go(plan, validator=CrashingValidator(), options=EngineOptions(max_retries=0))
    report = out.report.unit("utils")
    assert report.status is UnitStatus.PARTIAL
    assert report.attempts[0].issues[0].rule == "validator-crashed"
    assert "KeyError" in report.attempts[0].issues[0].message
