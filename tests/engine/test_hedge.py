"""Hedged calls (EngineOptions.hedge_factor): a contract-first call running well past the
time its size should take gets a second request, and the first answer wins. On the
virtual clock, so times are exact.

The warm-up units answer in 2 s for 200 expected characters: 0.01 s per character, so a
100-character unit should take 1 s and is hedged 2 x 1 + 5 = 7 s into its call."""

from __future__ import annotations

from collections import defaultdict

import pytest

from backforge.engine import AttemptOutcome, EngineOptions, EventKind, UnitStatus, run, run_virtual
from backforge.engine.options import Schedule
from backforge.engine.protocols import Usage
from backforge.errors import InputError
from backforge.providers.fake import Fail, FakeProvider, Hang, Reply

from .conftest import MarkerValidator, MemorySink, Outcome, plan_of, unit

USAGE = Usage(prompt_tokens=10, completion_tokens=100)
WARM = Reply(latency=2.0, usage=USAGE)
FAST = Reply(latency=1.0, usage=USAGE)
WEIGHTS = {"w1": 200.0, "w2": 200.0, "w3": 200.0, "slow": 100.0}


def calls_in_order(steps: dict[str, list]) -> FakeProvider:
    """Each unit's calls take its steps in order (a hedge is a call of the same attempt)."""
    made: defaultdict[str, int] = defaultdict(int)

    def choose(u, attempt):
        todo = steps.get(u.id, [WARM])
        made[u.id] += 1
        return todo[min(made[u.id], len(todo)) - 1]

    return FakeProvider(choose=choose)


def go(steps: dict[str, list], weights=WEIGHTS, **options) -> Outcome:
    plan = plan_of([unit(uid) for uid in weights])
    provider, sink = calls_in_order(steps), MemorySink()
    opts = EngineOptions(**{"seed": 1, "concurrency": 3, "schedule": Schedule.CONTRACTS,
                            **options})
    result = run_virtual(run(plan, provider, MarkerValidator(), sink, opts, weights=weights))
    return Outcome(result, sink, provider)


def test_a_hung_call_is_hedged_and_the_hedge_answers():
    out = go({"slow": [Hang(), FAST]})
    assert out.report.success
    (attempt,) = out.report.unit("slow").attempts  # one attempt, not a timeout and a retry
    assert attempt.outcome is AttemptOutcome.VALIDATED
    assert attempt.started == 2.0 and attempt.hedged == 7.0 and attempt.duration == 8.0
    (hedged,) = out.events(EventKind.UNIT_HEDGED, "slow")
    assert hedged.time == 9.0 and hedged.data["after"] == 7.0 and hedged.attempt == 1
    assert "past its hedge point (7.0 s: 2 x the time its size should take + 5 s)" \
        in hedged.message
    assert [c.started for c in out.provider.calls_of("slow")] == [2.0, 9.0]
    assert out.report.duration == 10.0
    # Only the answer that won is counted; the hung request was cancelled.
    assert out.report.usage.completion_tokens == 4 * 100
    assert out.provider.in_flight == 0


def test_without_hedging_the_timeout_is_waited_out():
    out = go({"slow": [Hang(), FAST]}, hedge_factor=None)
    attempts = out.report.unit("slow").attempts
    assert [a.outcome for a in attempts] == [AttemptOutcome.TIMEOUT, AttemptOutcome.VALIDATED]
    assert [a.started for a in attempts] == [2.0, 47.0]
    assert not out.events(EventKind.UNIT_HEDGED)
    assert out.report.duration == 48.0


def test_the_original_still_wins_when_it_answers_first():
    out = go({"slow": [Reply(latency=8.0, usage=USAGE), Hang()]})
    (attempt,) = out.report.unit("slow").attempts
    assert attempt.outcome is AttemptOutcome.VALIDATED and attempt.hedged == 7.0
    assert out.report.duration == 10.0  # the original's 8 s; the hedge was cancelled
    assert out.provider.in_flight == 0


def test_a_failure_before_the_hedge_point_is_retried_as_usual():
    out = go({"slow": [Fail(latency=1.0), FAST]}, backoff_base=1.0, jitter=0.0)
    attempts = out.report.unit("slow").attempts
    assert [a.outcome for a in attempts] == [AttemptOutcome.ERROR, AttemptOutcome.VALIDATED]
    assert [a.hedged for a in attempts] == [None, None]
    assert len(out.provider.calls_of("slow")) == 2  # no hedge went out


def test_when_both_requests_fail_the_attempt_fails_after_the_last():
    out = go({"slow": [Hang(), Fail(latency=1.0), FAST]})
    attempts = out.report.unit("slow").attempts
    assert [a.outcome for a in attempts] == [AttemptOutcome.TIMEOUT, AttemptOutcome.VALIDATED]
    # The hedge failed at 10 s; the original was still awaited, to its timeout at 47 s.
    assert attempts[0].hedged == 7.0 and attempts[1].started == 47.0
    assert out.report.unit("slow").status is UnitStatus.VALIDATED


def test_no_hedge_before_the_run_has_seen_three_answers():
    out = go({"slow": [Hang(), FAST]}, weights={"w1": 200.0, "w2": 200.0, "slow": 100.0},
             concurrency=2)
    assert not out.events(EventKind.UNIT_HEDGED)
    assert [a.started for a in out.report.unit("slow").attempts] == [2.0, 47.0]


def test_no_hedge_when_its_point_comes_after_the_call_timeout():
    # Its hedge point (7 s) is the call timeout itself: the timeout ends the call first.
    out = go({"slow": [Hang(), FAST]}, call_timeout=7.0)
    assert not out.events(EventKind.UNIT_HEDGED)
    assert [a.started for a in out.report.unit("slow").attempts] == [2.0, 9.0]


def test_the_hedge_waits_for_a_slot_like_any_call():
    # Two slots. "long" starts at 2 s, before three answers were seen (never hedged), and
    # holds its slot until 22 s; "slow" starts at 4 s and is due a hedge at 11 s, which
    # waits for long's slot: it goes out 18 s in and answers at 23 s.
    out = go({"slow": [Hang(), FAST], "long": [Reply(latency=20.0, usage=USAGE)]},
             weights={**WEIGHTS, "long": 150.0}, concurrency=2)
    assert out.provider.peak_in_flight == 2
    (attempt,) = out.report.unit("slow").attempts
    assert attempt.started == 4.0 and attempt.hedged == 18.0 and attempt.duration == 19.0


def test_with_one_slot_the_hedge_never_gets_one():
    out = go({"slow": [Hang(), FAST]}, concurrency=1)
    assert out.provider.peak_in_flight == 1
    assert not out.events(EventKind.UNIT_HEDGED)
    first = out.report.unit("slow").attempts[0]
    assert first.outcome is AttemptOutcome.TIMEOUT and first.hedged is None


def test_samples_come_only_from_model_answers():
    # Answers without tokens (a template unit, a cache hit) teach nothing: no hedge.
    free = Reply(latency=2.0)
    out = go({"w1": [free], "w2": [free], "w3": [free], "slow": [Hang(), FAST]})
    assert not out.events(EventKind.UNIT_HEDGED)


@pytest.mark.parametrize("factor", [0.5, 0.0, -1.0])
def test_a_hedge_factor_below_one_is_refused(factor):
    with pytest.raises(InputError, match="hedge_factor must be at least 1"):
        EngineOptions(hedge_factor=factor)


def test_a_negative_hedge_floor_is_refused():
    with pytest.raises(InputError, match="hedge_floor must not be negative"):
        EngineOptions(hedge_floor=-1.0)
