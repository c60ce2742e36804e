"""The scheduler: runs the unit DAG with `graphlib.TopologicalSorter` and `asyncio.wait`.

A unit starts the moment every unit it depends on is validated; a unit whose
dependency did not validate is marked blocked (and `done` in the sorter, so the
loop still terminates). One `StopSignal` waits in the same `asyncio.wait`; the
overall deadline or a token/cost budget sets it, and either way the same stop
path runs: in-flight units are cancelled, validated files stay where the sink
put them, and every unfinished unit gets a reason naming the limit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter

from backforge.engine.budget import Budget, StopReason, StopSignal
from backforge.engine.checks import Registry
from backforge.engine.clock import Clock, LoopClock
from backforge.engine.events import Emitter, Event, EventCallback, EventKind
from backforge.engine.limits import (
    LatencyModel,
    PriorityGate,
    RateLimiter,
    RetryPolicy,
    TokenLimiter,
)
from backforge.engine.options import EngineOptions, Schedule
from backforge.engine.protocols import Provider, Sink, Validator
from backforge.engine.report import (
    AttemptOutcome,
    ModuleReport,
    RunReport,
    UnitStatus,
    module_status,
    run_success,
)
from backforge.engine.runner import RunEnv, UnitRunner, UnitState, settle
from backforge.errors import BackforgeError
from backforge.plan.model import Plan


@dataclass(frozen=True)
class RunResult:
    report: RunReport
    files: Mapping[str, str]  # every validated file, path -> content (all written to the sink)
    partial_files: Mapping[str, str] = field(default_factory=dict)  # kept, not written by default
    dependencies: Mapping[str, str] = field(default_factory=dict)  # npm deps of validated units
    dev_dependencies: Mapping[str, str] = field(default_factory=dict)
    events: tuple[Event, ...] = ()

    @property
    def success(self) -> bool:
        return self.report.success


def check_plan(plan: Plan) -> None:
    """A plan built by hand (or by a buggy stack) must name real units and have no cycle."""
    for uid, unit in plan.units.items():
        unknown = [d for d in unit.deps if d not in plan.units]
        if unknown:
            raise BackforgeError(f"plan: unit {uid} depends on unknown unit(s) {unknown}")
    try:
        TopologicalSorter(plan.graph()).prepare()
    except CycleError as exc:
        raise BackforgeError(f"plan: dependency cycle {exc.args[1]}") from exc


def priorities(plan: Plan, weights: Mapping[str, float] | None = None,
               schedule: Schedule = Schedule.DEPENDENCIES) -> dict[str, tuple[float, int]]:
    """Key per unit (lowest first). Dependency order: the longest chain of units still
    waiting on it, then plan order. Contract-first with `weights` (each unit's expected
    call cost): the heaviest first, so the long calls do not start last (longest-first
    list scheduling: the run ends near max(slowest unit, total / concurrency))."""
    if schedule is Schedule.CONTRACTS and weights:
        return {uid: (-float(weights.get(uid, 0.0)), i) for i, uid in enumerate(plan.units)}
    children: dict[str, list[str]] = {uid: [] for uid in plan.units}
    for uid, unit in plan.units.items():
        for dep in unit.deps:
            children[dep].append(uid)
    height: dict[str, int] = {}
    for uid in reversed(list(TopologicalSorter(plan.graph()).static_order())):
        height[uid] = 1 + max((height[c] for c in children[uid]), default=0)
    return {uid: (-height[uid], i) for i, uid in enumerate(plan.units)}


def _cancelled_when(state: UnitState) -> str:
    if not state.attempts:
        return "before it started"
    last = state.attempts[-1]
    if last.outcome is AttemptOutcome.CANCELLED:
        return f"during attempt {last.attempt}"
    if last.outcome is AttemptOutcome.LANDED:
        return (f"after attempt {last.attempt} held its contracts, before the check "
                "against its dependencies' files")
    return f"while waiting to retry after attempt {last.attempt}"


class _Engine:
    def __init__(self, plan: Plan, provider: Provider, validator: Validator, sink: Sink,
                 options: EngineOptions, on_event: EventCallback | None, clock: Clock,
                 weights: Mapping[str, float] | None = None) -> None:
        self.plan, self.options, self.clock = plan, options, clock
        self.emitter = Emitter(on_event, clock, clock.now())
        self.registry = Registry()
        self.states = {uid: UnitState(u) for uid, u in plan.units.items()}
        self.budget = Budget(options.max_tokens_total, options.max_cost, options.cost_of)
        self.stop = StopSignal()
        self.env = RunEnv(plan, provider, validator, sink, options, clock, self.emitter,
                          self.registry, PriorityGate(options.concurrency),
                          RateLimiter(options.requests_per_minute, clock),
                          TokenLimiter(options.tokens_per_minute, clock), RetryPolicy(options),
                          priorities(plan, weights, options.schedule), self.budget, self.stop,
                          LatencyModel(weights, options))
        self.runner = UnitRunner(self.env)
        self.stopped_by: StopReason | None = None  # set when the stop path ran

    async def execute(self) -> RunResult:
        provider = getattr(self.env.provider, "name", type(self.env.provider).__name__)
        self.emitter.emit(EventKind.RUN_STARTED, None, None,
                          f"{len(self.plan.units)} units in {len(self.plan.modules)} modules",
                          units=len(self.plan.units), modules=len(self.plan.modules),
                          stack=self.plan.stack, provider=provider,
                          # unit -> its dependencies, in a topological order: a client
                          # (the service's web UI) draws the DAG before any unit starts.
                          graph={u: list(deps) for u, deps in self.plan.graph().items()})
        sorter = TopologicalSorter(self.plan.graph())
        sorter.prepare()
        deadline = asyncio.ensure_future(self._deadline())
        watcher = asyncio.ensure_future(self._watch_cancel())
        stopper = asyncio.ensure_future(self.stop.wait())
        tasks: dict[asyncio.Future[None], str] = {}
        try:
            if self.options.schedule is Schedule.CONTRACTS:
                await self._loop_contracts(tasks, stopper)
            else:
                await self._loop(sorter, tasks, stopper)
        finally:
            deadline.cancel()
            watcher.cancel()
            stopper.cancel()
            if tasks:  # only when the run itself is cancelled or an engine bug surfaced
                for task in tasks:
                    task.cancel()
                await settle(tasks, self.clock, self.options.cancel_grace)
        return self._finish()

    async def _deadline(self) -> None:
        await self.clock.sleep(self.options.deadline)
        self.stop.set(StopReason.DEADLINE)

    # How often the cancel event (set from another thread) is looked at, s.
    CANCEL_POLL = 0.05

    async def _watch_cancel(self) -> None:
        cancel = self.options.cancel
        if cancel is None:
            return
        # Polled, not awaited: threading.Event has no awaitable form and the setter may be
        # on any thread; 50 ms is far below a unit's duration.
        while not cancel.is_set():
            await self.clock.sleep(self.CANCEL_POLL)
        self.stop.set(StopReason.CANCELLED)

    async def _loop(self, sorter: TopologicalSorter, tasks: dict[asyncio.Future[None], str],
                    stopper: asyncio.Future[StopReason]) -> None:
        while sorter.is_active():
            self._start_ready(sorter, tasks)
            if not tasks:
                return  # cannot happen for a checked plan; unfinished units are reported
            done, _ = await asyncio.wait({*tasks, stopper}, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task is not stopper:
                    uid = tasks.pop(task)
                    task.result()  # an engine bug must surface, not hide in a task
                    sorter.done(uid)
            if self.stop.reason is not None:
                await self._stop_run(self.stop.reason, tasks)
                return

    async def _loop_contracts(self, tasks: dict[asyncio.Future[None], str],
                              stopper: asyncio.Future[StopReason]) -> None:
        """Contract-first: every unit is asked at once (the gate and the rate limits bound
        the calls); a unit is confirmed on the real files once its dependencies are."""
        finished = {uid: asyncio.Event() for uid in self.plan.units}
        for uid in sorted(self.plan.units, key=self.env.priority.__getitem__):
            tasks[asyncio.ensure_future(self._contract_unit(uid, finished))] = uid
        while tasks:
            done, _ = await asyncio.wait({*tasks, stopper}, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task is not stopper:
                    tasks.pop(task)
                    task.result()  # an engine bug must surface, not hide in a task
            if self.stop.reason is not None:
                await self._stop_run(self.stop.reason, tasks)
                return

    def _failed_dependency(self, state: UnitState) -> str | None:
        return next((d for d in state.unit.deps if self.states[d].status.is_terminal()
                     and self.states[d].status is not UnitStatus.VALIDATED), None)

    async def _contract_unit(self, uid: str, finished: Mapping[str, asyncio.Event]) -> None:
        state = self.states[uid]
        try:
            landed = await self.runner.land(state,
                                            lambda: self._failed_dependency(state) is not None)
            if state.status.is_terminal():
                return  # it failed by itself: its dependents need not wait for more
            for dep in state.unit.deps:
                await finished[dep].wait()
            failed = self._failed_dependency(state)
            if failed is not None and not state.status.is_terminal():
                self._block(state, failed, answered=landed or bool(state.attempts))
            elif landed:
                await self.runner.confirm(state)
        finally:
            finished[uid].set()

    def _start_ready(self, sorter: TopologicalSorter,
                     tasks: dict[asyncio.Future[None], str]) -> None:
        while ready := sorter.get_ready():
            # Start in priority order: a free slot goes to the longest remaining chain.
            for uid in sorted(ready, key=self.env.priority.__getitem__):
                state = self.states[uid]
                failed = [d for d in state.unit.deps
                          if self.states[d].status is not UnitStatus.VALIDATED]
                if failed:
                    self._block(state, failed[0])
                    sorter.done(uid)  # so its own dependents become ready (and get blocked)
                else:
                    tasks[asyncio.ensure_future(self.runner.run(state))] = uid

    def _block(self, state: UnitState, dep: str, answered: bool = False) -> None:
        dep_state = self.states[dep]
        root = dep_state.root_cause or dep
        # Contract-first, a unit may have been asked before its dependency failed; its
        # answer was written against a contract nothing fulfils, so it is not kept.
        head = "its answer is not kept" if answered else "not attempted"
        reason = f"{head}: dependency {dep} is {dep_state.status.value}"
        if root != dep:
            reason += f" (root cause: {root} is {self.states[root].status.value})"
        state.root_cause = root
        state.finish(UnitStatus.BLOCKED, reason)
        self.emitter.emit(EventKind.UNIT_BLOCKED, state.unit.id, None, reason, by=dep, root=root)

    def _limit(self, reason: StopReason) -> str:
        if reason is StopReason.DEADLINE:
            return f"deadline reached ({self.options.deadline:g} s)"
        if reason is StopReason.CANCELLED:
            return "cancelled on request"
        return self.budget.describe(reason)

    async def _stop_run(self, reason: StopReason, tasks: dict[asyncio.Future[None], str]) -> None:
        """The one stop path (deadline or budget): cancel in-flight units, keep validated ones."""
        self.stopped_by = reason
        for task in tasks:
            task.cancel()
        # Each unit gives its provider call cancel_grace; allow a little more on top.
        await settle(tasks, self.clock, 2 * self.options.cancel_grace)
        tasks.clear()
        limit = self._limit(reason)
        for state in self.states.values():
            if state.status.is_terminal():
                continue
            waiting = [d for d in state.unit.deps
                       if self.states[d].status is not UnitStatus.VALIDATED]
            more = f" (waiting for {', '.join(waiting)})" if waiting and not state.attempts else ""
            self._cancel(state, f"{limit} {_cancelled_when(state)}{more}")

    def _cancel(self, state: UnitState, reason: str) -> None:
        state.finish(UnitStatus.CANCELLED, reason)
        self.emitter.emit(EventKind.UNIT_CANCELLED, state.unit.id, len(state.attempts) or None,
                          reason)

    def _cancel_unreached(self) -> None:
        """Units left over without a stop (only when the loop ended early): say so."""
        for state in self.states.values():
            if state.status.is_terminal():
                continue
            waiting = [d for d in state.unit.deps
                       if self.states[d].status is not UnitStatus.VALIDATED]
            self._cancel(state, "not reached"
                         + (f" (waiting for {', '.join(waiting)})" if waiting else ""))

    def _finish(self) -> RunResult:
        self._cancel_unreached()
        report = self._report()
        self.emitter.emit(EventKind.RUN_FINISHED, None, None,
                          "run succeeded" if report.success else "run failed",
                          success=report.success, success_rate=round(report.success_rate, 4),
                          duration=round(report.duration, 3), counts=report.counts(),
                          usage=report.usage.to_dict(),
                          stopped_by=self.stopped_by.value if self.stopped_by else None)
        report = report.with_notes(*self.emitter.notes())
        partial: dict[str, str] = {}
        for state in self.states.values():
            if state.status is not UnitStatus.VALIDATED and state.kept is not None:
                partial.update(state.kept.file_map())
        return RunResult(report, dict(self.registry.files), partial,
                         self.registry.dependencies(), self.registry.dev_dependencies(),
                         tuple(self.emitter.events))

    def _report(self) -> RunReport:
        units = {uid: s.report() for uid, s in self.states.items()}
        modules = tuple(
            ModuleReport(m.name, module_status(units[u.id] for u in self.plan.units_of(m.name)),
                         m.critical, tuple(u.id for u in self.plan.units_of(m.name)))
            for m in self.plan.modules)
        success, rate = run_success(modules, self.options.success_ratio)
        notes: list[str] = []
        if self.env.abandoned:
            notes.append(f"provider calls ignored cancellation for {self.options.cancel_grace:g} s "
                         f"and were abandoned: {', '.join(self.env.abandoned)}")
        usage = self.budget.usage()
        if self.stopped_by is not None:
            unfinished = sum(s.status is UnitStatus.CANCELLED for s in self.states.values())
            head = (f"deadline of {self.options.deadline:g} s reached"
                    if self.stopped_by is StopReason.DEADLINE
                    else "cancelled on request" if self.stopped_by is StopReason.CANCELLED
                    else f"{self._limit(self.stopped_by)} ({usage.total_tokens} tokens"
                         + (f", ${usage.cost:.4f}" if usage.cost is not None else "") + ")")
            notes.insert(0, f"{head}: {unfinished} unit(s) cancelled; validated files were kept")
        return RunReport(success, rate, self.emitter.elapsed(), modules, tuple(units.values()),
                         tuple(notes), usage=usage, stopped_by=self.stopped_by)


async def run(plan: Plan, provider: Provider, validator: Validator, sink: Sink,
              options: EngineOptions | None = None, on_event: EventCallback | None = None,
              clock: Clock | None = None,
              weights: Mapping[str, float] | None = None) -> RunResult:
    """Generate every unit of `plan`: validated files go to `sink` as they validate.
    `weights`: each unit's expected call cost (contract-first asks the heaviest first)."""
    check_plan(plan)
    engine = _Engine(plan, provider, validator, sink, options or EngineOptions(), on_event,
                     clock or LoopClock(), weights)
    return await engine.execute()


def run_sync(plan: Plan, provider: Provider, validator: Validator, sink: Sink,
             options: EngineOptions | None = None, on_event: EventCallback | None = None,
             clock: Clock | None = None,
             weights: Mapping[str, float] | None = None) -> RunResult:
    """`run` on a fresh event loop (asyncio.run): for callers that are not async."""
    return asyncio.run(run(plan, provider, validator, sink, options, on_event, clock,
                           weights))

