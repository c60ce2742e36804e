"""bench/llm_schedule.py: the baseline schedules as Plan transforms, the critical-path
bound, and one short run of each schedule against the fake server over real HTTP.
No timing thresholds: only properties that hold on any machine."""

from __future__ import annotations

from graphlib import TopologicalSorter

import pytest
from bench import llm_schedule as bench
from bench.synth import synth_spec

from backforge.engine import EngineOptions
from backforge.engine.protocols import Generation
from backforge.engine.report import AttemptOutcome, AttemptRecord, RunReport, UnitReport, UnitStatus
from backforge.providers.fake_server import FakeLLMConfig
from backforge.providers.template import TemplateProvider
from backforge.stacks import get_stack
from tests.conftest import DATA
from tests.llm.conftest import SMALL_SPEC

TEMPLATE_MODULES = get_stack("express-js").template_modules  # written by templates


@pytest.fixture(scope="module")
def task_plan():
    return bench.load_plan(DATA / "taskmanager.yaml")


@pytest.fixture(scope="module")
def synth_plan():
    return bench.load_plan(synth_spec(10))


def waves(graph) -> list[list[str]]:
    """The sets of units an unlimited scheduler starts together, in order."""
    sorter = TopologicalSorter(graph)
    sorter.prepare()
    out = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        out.append(ready)
        sorter.done(*ready)
    return out


def is_topological(plan, order) -> bool:
    seen: set[str] = set()
    for uid in order:
        if not set(plan.units[uid].deps) <= seen:
            return False
        seen.add(uid)
    return True


@pytest.mark.parametrize("which", ["task_plan", "synth_plan"])
def test_module_order_is_a_topological_order_by_module(which, request):
    plan = request.getfixturevalue(which)
    order = bench.module_order(plan)
    assert sorted(order) == sorted(plan.units)
    assert is_topological(plan, order)
    rank = {m.name: i for i, m in enumerate(plan.modules)}
    ranks = [rank[plan.units[uid].module] for uid in order]
    assert ranks == sorted(ranks)  # module by module, in the stack's order
    # A per-table module's AFTER unit follows its table units, a BEFORE unit precedes them.
    assert order.index("routes") > max(order.index(u) for u in order if u.startswith("routes/"))
    assert order.index("tests") < min(order.index(u) for u in order if u.startswith("tests/"))


@pytest.mark.parametrize("which", ["task_plan", "synth_plan"])
def test_one_by_one_runs_a_single_unit_at_a_time(which, request):
    plan = request.getfixturevalue(which)
    chained = bench.one_by_one(plan)
    assert list(chained.units) == list(plan.units)  # same units, same files, more edges
    for uid, unit in chained.units.items():
        assert set(plan.units[uid].deps) <= set(unit.deps)
        assert unit.required == plan.units[uid].required
    assert all(len(w) == 1 for w in waves(chained.graph()))
    assert [w[0] for w in waves(chained.graph())] == bench.module_order(plan)


def test_two_phase_runs_independent_modules_first_then_one_at_a_time(task_plan):
    staged = bench.two_phase(task_plan)
    order = waves(staged.graph())
    assert order[0] == sorted(["config", "docker", "terraform", "utils", "migrations"])
    assert all(len(w) == 1 for w in order[1:])
    rest = [w[0] for w in order[1:]]
    assert rest == [u for u in bench.module_order(task_plan) if u not in order[0]]
    for uid, unit in staged.units.items():
        assert set(task_plan.units[uid].deps) <= set(unit.deps)


def test_backforge_schedules_are_the_real_plan(task_plan):
    assert bench.TRANSFORMS["dependencies"](task_plan) is task_plan
    assert bench.TRANSFORMS["contracts"](task_plan) is task_plan
    # The real plan starts models of every table together: per-table pipelining.
    assert any(len([u for u in w if u.startswith("models/")]) == 4
               for w in waves(task_plan.graph()))


def test_critical_path_takes_the_heaviest_chain():
    graph = {"a": (), "b": ("a",), "c": ("a",), "d": ("b", "c"), "e": ()}
    weights = {"a": 1.0, "b": 5.0, "c": 2.0, "d": 1.0, "e": 6.5}
    assert bench.critical_path(graph, weights) == (7.0, ("a", "b", "d"))
    # A lone heavy unit wins over a lighter chain.
    assert bench.critical_path(graph, {**weights, "e": 9.0}) == (9.0, ("e",))
    assert bench.critical_path({}, {}) == (0.0, ())


def _attempt(n: int, duration: float, outcome: AttemptOutcome,
             delay: float | None = None) -> AttemptRecord:
    return AttemptRecord(n, 0.0, duration, outcome, retry_delay=delay)


def test_unit_times_count_retries_and_their_waits():
    units = (
        UnitReport("utils", "utils", None, UnitStatus.VALIDATED, None,
                   (_attempt(1, 0.5, AttemptOutcome.ERROR, 0.25),
                    _attempt(2, 0.75, AttemptOutcome.VALIDATED)), ()),
        UnitReport("config", "config", None, UnitStatus.VALIDATED, None,
                   (_attempt(1, 0.125, AttemptOutcome.VALIDATED),), ()),
        UnitReport("app", "app", None, UnitStatus.BLOCKED, "blocked", (), ()),
    )
    report = RunReport(True, 1.0, 2.0, (), units)
    assert bench.unit_times(report) == {"utils": 1.5, "config": 0.125, "app": 0.0}


class _Recorder:
    """The template provider, noting which deps each unit it was given has."""

    name = "template"

    def __init__(self, stack) -> None:
        self.inner = TemplateProvider(stack)
        self.seen: dict[str, tuple[str, ...]] = {}

    async def generate(self, unit, ctx) -> Generation:
        self.seen[unit.id] = unit.deps
        assert ctx.plan.units[unit.id] is unit
        return await self.inner.generate(unit, ctx)


def test_real_plan_provider_hides_the_schedule_edges(task_plan):
    from backforge.engine import run_sync
    from backforge.output.writer import MemorySink
    from backforge.validate import UnitValidator

    recorder = _Recorder(get_stack(task_plan.stack))
    provider = bench.RealPlanProvider(recorder, task_plan)
    result = run_sync(bench.one_by_one(task_plan), provider, UnitValidator(), MemorySink())
    assert result.success
    assert recorder.seen == {uid: u.deps for uid, u in task_plan.units.items()}


@pytest.mark.parametrize("schedule", bench.SCHEDULES)
def test_each_schedule_runs_over_real_http(schedule):
    plan = bench.load_plan(SMALL_SPEC)
    config = FakeLLMConfig(latency_ms=5, per_token_ms=0.01, seed=3)
    stats = bench.run_once(plan, schedule, config, EngineOptions(concurrency=8, seed=3))
    assert stats.validated and not stats.missing
    assert stats.calls == sum(u.module not in TEMPLATE_MODULES
                              for u in plan.units.values())
    assert stats.completion_tokens > 0 and stats.attempts == {"validated": len(plan.units)}
    # Every unit's calls ran in sequence within this run, so the slowest unit can never
    # exceed the wall; nor can the dependency chain unless units are asked by contracts.
    assert 0 < stats.slowest <= stats.wall
    assert stats.slowest <= stats.physical_bound(8) <= stats.wall
    if schedule != "contracts":
        assert 0 < stats.bound <= stats.wall
    assert set(stats.chain) <= set(plan.units)
    assert sum(c for c, _, _ in stats.per_module.values()) == stats.calls
    assert sum(p for _, p, _ in stats.per_module.values()) == stats.prompt_tokens
    if schedule == "one-by-one":
        assert stats.peak_in_flight == 1
    if schedule == "contracts":  # as many at once as the 8 slots allow
        assert stats.peak_in_flight == min(8, stats.calls)


def test_percentile_nearest_rank():
    values = [float(v) for v in range(1, 21)]
    assert bench._percentile(values, 0.5) == 10.0
    assert bench._percentile(values, 0.95) == 19.0
    assert bench._percentile([3.0], 0.95) == 3.0


def test_fault_run_with_keep_alive_recovers_and_counts_faults():
    plan = bench.load_plan(SMALL_SPEC)
    config = FakeLLMConfig(latency_ms=2, fault_rate=1.0, faults=("429", "syntax"),
                           fault_attempts=1, retry_after=0.01, seed=5)
    options = EngineOptions(concurrency=8, seed=5, backoff_base=0.01, call_timeout=5.0)
    stats = bench.run_once(plan, "contracts", config, options, keep_alive=True)
    model_units = sum(u.module not in TEMPLATE_MODULES for u in plan.units.values())
    assert stats.validated
    # Every model unit's first call was faulted, its second one answered.
    assert sum(stats.faults.values()) == model_units and stats.calls == 2 * model_units
    assert stats.attempts["validated"] == len(plan.units)
    assert stats.attempts["error"] + stats.attempts["invalid"] == model_units


def test_root_causes_leave_out_blocked_units():
    from collections import Counter

    stats = bench.RunStats("contracts", False, 1.0, 1.0, (), 1.0, 3, Counter(), Counter(), 0, 0,
                           1, ("utils (utils): partial: not validated after 2 attempt(s)",
                               "database (database): blocked: not attempted: dependency utils"))
    assert bench.root_causes(stats) == ["utils (utils): partial: not validated after 2 attempt(s)"]
