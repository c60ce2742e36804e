"""Token/cost budgets and the loop breaker, on the virtual clock with a scripted provider."""

from __future__ import annotations

import pytest

from backforge.engine import AttemptOutcome, EngineOptions, EventKind, UnitStatus, run, run_virtual
from backforge.engine.budget import Budget, StopReason
from backforge.engine.protocols import Generation, RetryableError, Usage
from backforge.errors import InputError
from backforge.providers.fake import Fail, FakeProvider, Hang, Reply, build_generation

from .conftest import MarkerValidator, MemorySink, go, plan_of, unit

SPEND = Usage(600, 400)  # 1000 tokens per answer


def _chain_plan():
    """a -> b -> c -> d, plus an independent slow unit."""
    return plan_of([unit("a"), unit("b", "a"), unit("c", "b"), unit("d", "c"), unit("slow")])


def _provider():
    return FakeProvider({"slow": Reply(latency=100, usage=SPEND)},
                        default=Reply(latency=1, usage=SPEND))


def _cost(usage: Usage) -> float:
    """$2 per million input tokens, $10 per million output tokens."""
    return usage.prompt_tokens * 2e-6 + usage.completion_tokens * 10e-6


def test_token_budget_stops_the_run_cleanly():
    out = go(_chain_plan(), _provider(), EngineOptions(seed=1, max_tokens_total=2500))
    report = out.report
    assert report.stopped_by is StopReason.TOKENS
    # a, b, c validated (3000 tokens, the limit reached by c): they are written and kept.
    assert out.sink.units() == ["a", "b", "c"]
    assert [report.unit(u).status for u in "abc"] == [UnitStatus.VALIDATED] * 3
    d, slow = report.unit("d"), report.unit("slow")
    assert d.status is UnitStatus.CANCELLED and slow.status is UnitStatus.CANCELLED
    assert d.reason == "token budget of 2500 reached before it started"
    assert slow.reason == "token budget of 2500 reached during attempt 1"
    assert slow.attempts[0].outcome is AttemptOutcome.CANCELLED
    assert report.usage.total_tokens == 3000 and report.usage.cost is None
    assert report.notes[0] == ("token budget of 2500 reached (3000 tokens): 2 unit(s) "
                               "cancelled; validated files were kept")
    (event,) = out.events(EventKind.BUDGET_REACHED)
    assert event.unit == "c" and event.time == 3.0 and event.data["limit"] == "tokens"
    assert event.data["total_tokens"] == 3000
    # The run stopped at once: it did not wait 100 s for the slow call.
    (finished,) = out.events(EventKind.RUN_FINISHED)
    assert finished.time == 3.0
    assert finished.data["stopped_by"] == "tokens"
    assert finished.data["usage"]["total_tokens"] == 3000
    data = report.to_dict()
    assert data["stopped_by"] == "tokens" and data["usage"]["total_tokens"] == 3000
    assert not report.success


def test_cost_budget_stops_the_run_and_reports_dollars():
    options = EngineOptions(seed=1, max_cost=0.01, cost_of=_cost)
    out = go(_chain_plan(), _provider(), options)
    report = out.report
    # Each answer costs 600 * $2e-6 + 400 * $10e-6 = $0.0052; b's answer makes $0.0104.
    assert report.stopped_by is StopReason.COST
    assert out.sink.units() == ["a", "b"]
    assert report.usage.cost == pytest.approx(0.0104)
    assert report.unit("c").reason == "cost budget of $0.01 reached before it started"
    assert report.notes[0].startswith("cost budget of $0.01 reached (2000 tokens, $0.0104)")
    assert report.to_dict()["usage"]["cost"] == pytest.approx(0.0104)


def test_cost_is_reported_without_a_limit():
    out = go(_chain_plan(), FakeProvider(default=Reply(usage=SPEND)),
             EngineOptions(seed=1, cost_of=_cost))
    assert out.report.success and out.report.stopped_by is None
    assert out.report.usage.cost == pytest.approx(5 * 0.0052)
    assert out.report.usage.to_dict()["total_tokens"] == 5000


def test_budget_reached_by_an_invalid_answer_stops_its_retries_too():
    plan = plan_of([unit("a"), unit("b", "a")])
    provider = FakeProvider({"a": [Reply(broken=("src/a/f0.js",), usage=SPEND), Reply()]})
    out = go(plan, provider, EngineOptions(seed=1, max_tokens_total=1000))
    a = out.report.unit("a")
    assert len(provider.calls) == 1  # no repair attempt after the budget was spent
    assert a.status is UnitStatus.CANCELLED
    assert a.reason == "token budget of 1000 reached while waiting to retry after attempt 1"
    assert a.attempts[0].outcome is AttemptOutcome.INVALID  # the attempt is still recorded
    assert out.report.unit("b").status is UnitStatus.CANCELLED
    assert out.sink.units() == []


def test_failed_calls_spend_nothing_and_the_deadline_is_one_more_stop_reason():
    plan = plan_of([unit("a"), unit("b")])
    provider = FakeProvider({"a": [Fail(), Reply(usage=SPEND)], "b": Hang()})
    out = go(plan, provider, EngineOptions(seed=1, max_tokens_total=5000, deadline=30,
                                           call_timeout=100))
    assert out.report.stopped_by is StopReason.DEADLINE
    assert out.report.usage.total_tokens == 1000
    assert out.report.unit("b").reason == "deadline reached (30 s) during attempt 1"
    assert out.report.notes[0].startswith("deadline of 30 s reached: 1 unit(s) cancelled")


class _Replayed:
    """A provider whose every answer comes from a cache: files, no tokens, cached=True."""

    name = "replayed"

    async def generate(self, unit, ctx) -> Generation:
        gen = build_generation(unit, Reply())
        return Generation(gen.files, usage=Usage(), cached=True)


def test_cache_hits_are_counted_and_never_reach_a_budget():
    plan = plan_of([unit("a"), unit("b", "a")])
    result = run_virtual(run(plan, _Replayed(), MarkerValidator(), MemorySink(),
                             EngineOptions(seed=1, max_tokens_total=1)))
    report = result.report
    assert report.success and report.stopped_by is None
    assert report.usage.cache_hits == 2 and report.usage.total_tokens == 0
    assert all(a.cached for u in report.units for a in u.attempts)
    assert report.to_dict()["units"][0]["attempts"][0]["cached"] is True


def test_budget_counts_only_the_first_limit_reached():
    budget = Budget(max_tokens_total=100, max_cost=0.5, cost_of=lambda u: 1.0)
    assert budget.add(Usage(10, 10)) is StopReason.COST
    assert budget.add(Usage(100, 0)) is None  # already reached: reported once
    assert budget.reached is StopReason.COST
    assert budget.usage().total_tokens == 120 and budget.usage().cost == 2.0
    with pytest.raises(ValueError):
        budget.describe(StopReason.DEADLINE)


@pytest.mark.parametrize(("options", "needle"), [
    ({"max_tokens_total": 0}, "max_tokens_total must be at least 1"),
    ({"max_cost": 1.0}, "max_cost needs cost_of"),
    ({"max_cost": -1.0, "cost_of": _cost}, "max_cost must be positive"),
])
def test_budget_options_are_checked(options, needle):
    with pytest.raises(InputError, match=needle):
        EngineOptions(**options)


# -- the loop breaker -------------------------------------------------------------------

def _single(steps, **options):
    plan = plan_of([unit("utils")])
    return go(plan, FakeProvider({"utils": steps}), EngineOptions(**{"seed": 7, **options}))


def test_a_repair_that_does_not_reduce_the_errors_stops_retrying():
    both = ("src/utils/f0.js", "src/utils/f1.js")
    out = _single(Reply(broken=both))
    assert len(out.provider.calls) == 2  # the first attempt and one repair, not four
    report = out.report.unit("utils")
    assert report.status is UnitStatus.PARTIAL
    assert report.reason.endswith(
        "repair did not reduce the issues (2 -> 2); stopped retrying")
    assert [a.outcome for a in report.attempts] == [AttemptOutcome.INVALID] * 2
    (partial,) = out.events(EventKind.UNIT_PARTIAL)
    assert "repair did not reduce the issues (2 -> 2)" in partial.message


def test_repairs_go_on_while_they_reduce_the_errors():
    f0, f1 = "src/utils/f0.js", "src/utils/f1.js"
    out = _single([Reply(broken=(f0, f1)), Reply(broken=(f1,)), Reply(broken=(f1,)), Reply()])
    assert len(out.provider.calls) == 3  # 2 -> 1 helped, 1 -> 1 did not
    assert "(1 -> 1)" in out.report.unit("utils").reason


def test_new_errors_in_place_of_fixed_ones_are_progress():
    f0, f1 = "src/utils/f0.js", "src/utils/f1.js"
    out = _single([Reply(broken=(f0,)), Reply(broken=(f1,)), Reply()])
    assert out.report.unit("utils").status is UnitStatus.VALIDATED
    assert len(out.provider.calls) == 3


def test_transport_retries_are_not_repairs():
    f0 = "src/utils/f0.js"
    out = _single([Reply(broken=(f0,)), Fail(), Reply(broken=(f0,)), Reply()], jitter=0)
    # invalid, error, invalid, validated: no two invalid attempts in a row.
    assert out.report.unit("utils").status is UnitStatus.VALIDATED
    assert len(out.provider.calls) == 4


def test_loop_breaker_can_be_turned_off():
    out = _single(Reply(broken=("src/utils/f0.js",)), loop_breaker=False)
    assert len(out.provider.calls) == 4
    assert "stopped retrying" not in out.report.unit("utils").reason


class _Unparseable:
    """Answers that cost tokens but do not parse (a truncated answer): a retryable error."""

    name = "unparseable"

    def __init__(self) -> None:
        self.calls = 0

    async def generate(self, unit, ctx) -> Generation:
        self.calls += 1
        raise RetryableError("bad response: cut at max_tokens", usage=SPEND)


def test_tokens_of_answers_that_did_not_parse_count_too():
    provider = _Unparseable()
    plan = plan_of([unit("a")])
    result = run_virtual(run(plan, provider, MarkerValidator(), MemorySink(),
                             EngineOptions(seed=1, max_tokens_total=2000, backoff_base=0)))
    report = result.report
    assert provider.calls == 2  # 1000 + 1000 tokens reach the limit: no third call
    assert report.stopped_by is StopReason.TOKENS
    assert [a.usage for a in report.unit("a").attempts] == [SPEND, SPEND]
    assert report.usage.total_tokens == report.usage.prompt_tokens \
        + report.usage.completion_tokens == 2000
    assert report.unit("a").reason == ("token budget of 2000 reached while waiting to retry "
                                       "after attempt 2")
