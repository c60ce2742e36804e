"""The contract-first schedule (EngineOptions.schedule): every unit asked at once, each
answer confirmed once its dependencies validated, a broken contract repaired, and the
tokens-per-minute limit. On the virtual clock, so times are exact."""

from __future__ import annotations

import pytest

from backforge.engine import AttemptOutcome, EngineOptions, EventKind, UnitStatus
from backforge.engine.options import Schedule
from backforge.engine.protocols import Issue, Usage
from backforge.errors import InputError
from backforge.providers.fake import Fail, Reply
from tests.engine.conftest import FakeProvider, MarkerValidator, go, plan_of, tiny_plan, unit

CONTRACTS = EngineOptions(seed=1, schedule=Schedule.CONTRACTS)
SLOW = Reply(latency=10.0)


def chain():
    return plan_of([unit("a"), unit("b", "a"), unit("c", "b"), unit("d")])


def test_every_unit_is_asked_at_once_and_written_in_dependency_order():
    out = go(chain(), FakeProvider(default=SLOW), CONTRACTS)
    assert out.report.success
    # All four calls start together: nobody waits for a dependency's answer ...
    assert {uid: out.starts(uid) for uid in "abcd"} == {uid: [0.0] for uid in "abcd"}
    assert out.provider.peak_in_flight == 4
    assert out.report.duration == 10.0  # the slowest unit, not the 30 s chain a > b > c
    # ... and each was asked knowing that: its dependencies' files were not there yet.
    for call in out.provider.calls:
        assert call.ctx.contract_first and not call.ctx.dependencies_ready
    # Files reach the sink only once a unit's dependencies validated, in their order.
    written = out.sink.units()
    assert written.index("a") < written.index("b") < written.index("c")
    assert all([a.outcome for a in u.attempts] == [AttemptOutcome.VALIDATED]
               for u in out.report.units)


def test_the_dependency_schedule_waits_for_each_dependency():
    out = go(chain(), FakeProvider(default=SLOW), EngineOptions(seed=1))
    assert out.starts("b") == [10.0] and out.starts("c") == [20.0]
    assert out.report.duration == 30.0
    assert all(not c.ctx.contract_first and c.ctx.dependencies_ready
               for c in out.provider.calls)


def test_concurrency_still_bounds_the_calls():
    plan = tiny_plan("a", "b", "c")  # 10 units
    out = go(plan, FakeProvider(default=SLOW), EngineOptions(seed=1, concurrency=3,
                                                             schedule=Schedule.CONTRACTS))
    assert out.report.success
    assert out.provider.peak_in_flight == 3
    assert out.report.duration == 40.0  # ceil(10 / 3) rounds of 10 s


class ConfirmValidator(MarkerValidator):
    """Like MarkerValidator; besides, `b`'s first answer contradicts its dependencies' real
    files (what a broken contract looks like once they landed)."""

    def validate(self, unit, generation, ctx):
        issues = super().validate(unit, generation, ctx)
        if unit.id == "b" and ctx.dependencies_ready and ctx.attempt == 1:
            issues.append(Issue("import-name-missing", "src/a/f0.js does not export x",
                                file="src/b/f0.js"))
        return issues


def test_an_answer_that_fails_on_the_real_files_gets_a_repair_attempt():
    out = go(chain(), FakeProvider(default=SLOW), CONTRACTS, validator=ConfirmValidator())
    assert out.report.success
    b = out.report.unit("b")
    assert [a.outcome for a in b.attempts] == [AttemptOutcome.INVALID, AttemptOutcome.VALIDATED]
    assert b.attempts[0].issues[0].rule == "import-name-missing"
    # The repair was asked with the issue, on the real files of its dependency.
    repair = out.provider.calls_of("b")[1]
    assert repair.ctx.dependencies_ready and repair.ctx.issues[0].rule == "import-name-missing"
    assert "src/a/f0.js" in repair.ctx.files
    assert out.starts("b") == [0.0, 10.0]
    # c landed against b's contract and is confirmed once b's repair validated.
    assert out.time_of(EventKind.UNIT_VALIDATED, "c") == 20.0
    assert out.provider.calls_of("c")[0].ctx.attempt == 1 and len(out.provider.calls_of("c")) == 1
    retried = out.events(EventKind.UNIT_RETRIED, "b")
    assert "broke a contract once its dependencies landed" in retried[0].message


def test_a_failed_dependency_blocks_answers_written_against_its_contract():
    broken = Reply(latency=10.0, broken=("src/a/f0.js",))
    provider = FakeProvider({"a": [broken] * 4, "c": [Fail(), SLOW]}, default=SLOW)
    out = go(chain(), provider, EngineOptions(seed=1, schedule=Schedule.CONTRACTS,
                                              backoff_base=100.0, jitter=0.0))
    a, b, c = (out.report.unit(u) for u in "abc")
    assert a.status is UnitStatus.PARTIAL
    assert b.status is UnitStatus.BLOCKED and b.reason.startswith("its answer is not kept: ")
    # c's first call failed and it waited to retry; by then its dependency was blocked,
    # so it was not asked again.
    assert c.status is UnitStatus.BLOCKED and len(provider.calls_of("c")) == 1
    assert out.report.unit("d").status is UnitStatus.VALIDATED
    assert "b" not in out.sink.units() and "c" not in out.sink.units()


def test_the_deadline_cancels_landed_answers_with_a_reason():
    plan = plan_of([unit("a"), unit("b", "a")])
    provider = FakeProvider({"a": Reply(latency=50.0), "b": Reply(latency=1.0)})
    out = go(plan, provider, EngineOptions(seed=1, schedule=Schedule.CONTRACTS, deadline=20.0))
    b = out.report.unit("b")
    assert b.status is UnitStatus.CANCELLED
    assert [x.outcome for x in b.attempts] == [AttemptOutcome.LANDED]
    assert "held its contracts" in b.reason


def test_tokens_per_minute_hold_back_calls_until_the_window_frees():
    plan = plan_of([unit("a"), unit("b"), unit("c")])
    spend = Reply(latency=1.0, usage=Usage(400, 200))
    out = go(plan, FakeProvider(default=spend),
             EngineOptions(seed=1, tokens_per_minute=1000, schedule=Schedule.CONTRACTS))
    starts = sorted(out.starts(u)[0] for u in "abc")
    # All three start at once (nothing spent yet); had a, b spent their 1200 tokens first,
    # c would wait for the window: shown below with one slot.
    assert starts == [0.0, 0.0, 0.0]
    out = go(plan, FakeProvider(default=spend),
             EngineOptions(seed=1, tokens_per_minute=1000, concurrency=1))
    assert sorted(out.starts(u)[0] for u in "abc") == [0.0, 1.0, 61.0]


def test_schedule_option_is_checked():
    assert EngineOptions(schedule="contracts").schedule is Schedule.CONTRACTS
    with pytest.raises(InputError, match="schedule must be one of"):
        EngineOptions(schedule="whenever")
    with pytest.raises(InputError, match="tokens_per_minute"):
        EngineOptions(tokens_per_minute=0)
