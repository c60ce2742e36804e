"""One unit's life: attempts, per-call timeout, validation, retries, and the final verdict.

The scheduler decides *when* a unit runs; this module decides what one run of
it does. Unit state is mutable here (the engine's own bookkeeping) and turns
into a frozen `UnitReport` at the end.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import math
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from backforge.engine.budget import Budget, StopSignal
from backforge.engine.checks import Registry, errors_in, path_issues, presence_issues
from backforge.engine.clock import Clock
from backforge.engine.events import Emitter, EventKind
from backforge.engine.limits import (
    LatencyModel,
    PriorityGate,
    RateLimiter,
    RetryPolicy,
    TokenLimiter,
)
from backforge.engine.options import EngineOptions, Schedule
from backforge.engine.protocols import (
    Generation,
    Issue,
    PermanentError,
    Provider,
    ProviderError,
    ProviderTimeout,
    Sink,
    UnitContext,
    Usage,
    Validator,
)
from backforge.engine.report import AttemptOutcome, AttemptRecord, UnitReport, UnitStatus
from backforge.plan.model import Plan, Unit

log = logging.getLogger("backforge.engine")

# Outcomes after which another attempt cannot help.
_FINAL = (AttemptOutcome.VALIDATED, AttemptOutcome.PERMANENT, AttemptOutcome.CRASHED,
          AttemptOutcome.WRITE_FAILED)
# A hedge waits for a slot ahead of every first request: it is already late.
HEDGE_PRIORITY = (-math.inf,)


@dataclass
class _Race:
    """One attempt's call: when it started (run time), when to hedge it (s into the call,
    None: never) and when the hedge went out (None: it did not)."""

    started: float
    after: float | None
    sent: float | None = None


@dataclass
class UnitState:
    unit: Unit
    status: UnitStatus = UnitStatus.PENDING
    reason: str | None = None
    attempts: list[AttemptRecord] = field(default_factory=list)
    previous: Generation | None = None  # the last generation, handed to the next attempt
    issues: tuple[Issue, ...] = ()  # its issues
    kept: Generation | None = None  # the written generation, or the last one with files
    kept_issues: tuple[Issue, ...] = ()
    root_cause: str | None = None  # for a blocked unit: the unit that did not validate
    landed: Generation | None = None  # contract-first: valid by contract, not yet confirmed

    def finish(self, status: UnitStatus, reason: str | None) -> None:
        self.status, self.reason = status, reason

    def report(self) -> UnitReport:
        files = tuple(f.path for f in self.kept.files) if self.kept else ()
        u = self.unit
        return UnitReport(u.id, u.module, u.table, self.status, self.reason,
                          tuple(self.attempts), files)


@dataclass(frozen=True)
class RunEnv:
    """Everything a unit run needs, shared by all units of one engine run."""

    plan: Plan
    provider: Provider
    validator: Validator
    sink: Sink
    options: EngineOptions
    clock: Clock
    emitter: Emitter
    registry: Registry
    gate: PriorityGate
    limiter: RateLimiter
    tokens: TokenLimiter
    policy: RetryPolicy
    priority: Mapping[str, tuple[float, ...]]
    budget: Budget
    stop: StopSignal
    latency: LatencyModel
    abandoned: list[str] = field(default_factory=list)  # units whose call ignored cancellation


async def settle(tasks: Iterable[asyncio.Future], clock: Clock, grace: float) -> set[asyncio.Future]:
    """Wait until `tasks` are done or `grace` seconds passed; return those still pending."""
    pending = {t for t in tasks if not t.done()}
    if not pending:
        return pending
    timer = asyncio.ensure_future(clock.sleep(grace))
    try:
        while pending and not timer.done():
            done, _ = await asyncio.wait(pending | {timer}, return_when=asyncio.FIRST_COMPLETED)
            pending -= done
    finally:
        timer.cancel()
    return pending


def _outcome_of(exc: BaseException) -> AttemptOutcome:
    if isinstance(exc, (ProviderTimeout, TimeoutError)):
        return AttemptOutcome.TIMEOUT
    if isinstance(exc, PermanentError) or (isinstance(exc, ProviderError) and not exc.retryable):
        return AttemptOutcome.PERMANENT
    if isinstance(exc, ProviderError):
        return AttemptOutcome.ERROR
    return AttemptOutcome.CRASHED


def _issue_summary(issues: tuple[Issue, ...]) -> str:
    errors = errors_in(issues)
    if not errors:
        return "no errors"
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{len(errors)} error(s), first {errors[0]}{more}"


def unproductive_repair(attempts: list[AttemptRecord]) -> str | None:
    """Why to stop retrying when the last attempt was a repair that did not help, else None.

    A repair is a retry after an INVALID attempt. It helped when it reduced the error
    count, or when none of the errors it was shown are left (new errors in place of
    fixed ones are progress, not a loop). Transport failures never count here.
    """
    if len(attempts) < 2:
        return None
    before, after = attempts[-2], attempts[-1]
    if before.outcome is not AttemptOutcome.INVALID or after.outcome is not AttemptOutcome.INVALID:
        return None
    old, new = errors_in(before.issues), errors_in(after.issues)
    if len(new) < len(old):
        return None
    if not {(i.rule, i.file) for i in old} & {(i.rule, i.file) for i in new}:
        return None
    return (f"repair did not reduce the issues ({len(old)} -> {len(new)}); "
            "stopped retrying")


class UnitRunner:
    def __init__(self, env: RunEnv) -> None:
        self.env = env

    async def run(self, state: UnitState) -> None:
        """Attempt the unit until it validates, fails for good, or attempts run out."""
        state.status = UnitStatus.RUNNING
        stuck = await self._attempts(state, landing=False)
        if state.status is not UnitStatus.VALIDATED and self.env.stop.reason is None:
            self._give_up(state, stuck)

    async def land(self, state: UnitState, doomed: Callable[[], bool]) -> bool:
        """Contract-first, before the unit's dependencies landed: attempt it until an
        answer holds against its own and its dependencies' contracts (True), or it fails
        for good (False, the unit is finished). `doomed()` true: a dependency already
        failed, so no further call is made (False, the unit is left for the caller)."""
        state.status = UnitStatus.RUNNING
        stuck = await self._attempts(state, landing=True, doomed=doomed)
        if state.landed is not None:
            return True
        if not doomed() and state.attempts and self.env.stop.reason is None:
            self._give_up(state, stuck)
        return False

    async def confirm(self, state: UnitState) -> None:
        """Contract-first, once every dependency validated: the landed answer is validated
        against the real files; if they disagree (a contract did not hold), the usual
        repair attempts follow, shown the issues."""
        env, unit, generation = self.env, state.unit, state.landed
        assert generation is not None
        state.landed = None
        attempt = len(state.attempts)
        ctx = self._context(state, attempt, landing=False)
        issues = tuple(self._validate(unit, generation, ctx))
        state.previous, state.issues = generation, issues
        state.kept, state.kept_issues = generation, issues

        def relabel(outcome: AttemptOutcome, error: str | None = None) -> AttemptOutcome:
            """The landed attempt's record, now judged on the real files."""
            state.attempts[-1] = dataclasses.replace(state.attempts[-1], outcome=outcome,
                                                     error=error, issues=issues)
            return outcome

        if not errors_in(issues):
            if self._accept(state, attempt, generation, issues, relabel) \
                    is AttemptOutcome.WRITE_FAILED:
                self._give_up(state)
            return
        relabel(AttemptOutcome.INVALID)
        if attempt >= env.options.max_attempts:
            self._give_up(state)
            return
        state.attempts[-1] = dataclasses.replace(state.attempts[-1], retry_delay=0.0)
        env.emitter.emit(EventKind.UNIT_RETRIED, unit.id, attempt,
                         f"attempt {attempt} broke a contract once its dependencies landed: "
                         f"{_issue_summary(issues)}; retrying in 0.0 s",
                         outcome=AttemptOutcome.INVALID.value,
                         reason=_issue_summary(issues), delay=0.0)
        await self.run(state)

    async def _attempts(self, state: UnitState, *, landing: bool,
                        doomed: Callable[[], bool] | None = None) -> str | None:
        """Attempts from the unit's next one on; the loop breaker's reason when it stopped."""
        env = self.env
        stuck: str | None = None
        for attempt in range(len(state.attempts) + 1, env.options.max_attempts + 1):
            if doomed is not None and doomed():
                return None
            outcome, error = await self._attempt(state, attempt, landing)
            if outcome in _FINAL or outcome is AttemptOutcome.LANDED \
                    or attempt == env.options.max_attempts:
                break
            if env.stop.reason is not None:
                return None  # the run is stopping: the scheduler cancels this unit
            stuck = unproductive_repair(state.attempts) if env.options.loop_breaker else None
            if stuck:
                break
            delay = env.policy.delay(attempt, error)
            state.attempts[-1] = dataclasses.replace(state.attempts[-1], retry_delay=delay)
            why = f"{outcome.value}: {error}" if error else \
                f"{outcome.value}: {_issue_summary(state.issues)}"
            env.emitter.emit(EventKind.UNIT_RETRIED, state.unit.id, attempt,
                             f"attempt {attempt} {why}; retrying in {delay:.1f} s",
                             outcome=outcome.value, reason=why, delay=round(delay, 3))
            if delay > 0:
                await env.clock.sleep(delay)
        return stuck

    def _context(self, state: UnitState, attempt: int, landing: bool) -> UnitContext:
        env = self.env
        contract_first = env.options.schedule is Schedule.CONTRACTS
        return UnitContext(env.plan, attempt, env.registry.files, env.registry.all_dependencies,
                           state.previous, state.issues, contract_first=contract_first,
                           dependencies_ready=not landing)

    async def _attempt(self, state: UnitState, attempt: int,
                       landing: bool = False) -> tuple[AttemptOutcome, BaseException | None]:
        env, unit = self.env, state.unit
        async with self._slot(env.priority[unit.id]):
            # Built only now, so it holds every file validated while this unit queued.
            ctx = self._context(state, attempt, landing)
            started = env.emitter.elapsed()
            race = _Race(started, env.latency.hedge_after(unit.id))
            env.emitter.emit(EventKind.UNIT_STARTED, unit.id, attempt,
                             f"attempt {attempt} of {unit.id}")
            try:
                generation = await self._call(unit, ctx, race)
            except asyncio.CancelledError:
                state.attempts.append(AttemptRecord(attempt, started, env.emitter.elapsed()
                                                    - started, AttemptOutcome.CANCELLED,
                                                    hedged=race.sent))
                raise
            except Exception as exc:  # every provider failure is recorded, none kills the run
                outcome = _outcome_of(exc)
                if outcome is AttemptOutcome.CRASHED:
                    log.error("provider crashed on %s", unit.id, exc_info=exc)
                error = f"{type(exc).__name__}: {exc}" if outcome is AttemptOutcome.CRASHED \
                    else str(exc)
                spent = getattr(exc, "usage", None) or Usage()
                state.attempts.append(AttemptRecord(attempt, started, env.emitter.elapsed()
                                                    - started, outcome, error, usage=spent,
                                                    hedged=race.sent))
                self._spend(unit, attempt, Generation((), usage=spent))
                return outcome, exc
        if race.sent is None:  # a hedged call's time says nothing clean about the model
            env.latency.observe(unit.id, env.emitter.elapsed() - started, generation.usage,
                                generation.cached)
        self._spend(unit, attempt, generation)
        return self._judge(state, attempt, started, generation, ctx, landing, race.sent), None

    async def _call(self, unit: Unit, ctx: UnitContext, race: _Race) -> Generation:
        """The provider call; past `race.after` s a second request (a hedge) races it and
        the first answer wins. A failure before the hedge went out ends the attempt; after,
        the other request is still awaited (each is bounded by call_timeout)."""
        first = asyncio.ensure_future(self._timed_call(unit, ctx))
        if race.after is None:
            return await first
        second = asyncio.ensure_future(self._hedge(unit, ctx, race))
        pending: set[asyncio.Future[Generation]] = {first, second}
        error: BaseException | None = None
        try:
            while pending:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    if task.exception() is None:
                        return task.result()
                    error = task.exception()
                if race.sent is None:
                    break
            assert error is not None
            raise error
        finally:
            for task in (first, second):
                task.cancel()
            await settle({first, second}, self.env.clock, self.env.options.cancel_grace + 1.0)

    async def _hedge(self, unit: Unit, ctx: UnitContext, race: _Race) -> Generation:
        """The second request: `race.after` s in, through the gate (ahead of every first
        call) and the rate limits like any call."""
        env = self.env
        assert race.after is not None
        await env.clock.sleep(race.after)
        async with self._slot(HEDGE_PRIORITY):
            race.sent = env.emitter.elapsed() - race.started
            env.emitter.emit(EventKind.UNIT_HEDGED, unit.id, ctx.attempt,
                             f"attempt {ctx.attempt} of {unit.id} has run {race.sent:.1f} s, "
                             f"past its hedge point ({race.after:.1f} s: "
                             f"{env.options.hedge_factor:g} x the time its size should take "
                             f"+ {env.options.hedge_floor:g} s): a second request races it",
                             after=round(race.sent, 3))
            return await self._timed_call(unit, ctx)

    @asynccontextmanager
    async def _slot(self, key: tuple[float, ...]) -> AsyncIterator[None]:
        """What every request waits for: a concurrency slot (lowest `key` first), then the
        requests-per-minute and tokens-per-minute windows; the slot is held until exit."""
        env = self.env
        await env.gate.acquire(key)
        try:
            await env.limiter.acquire()
            await env.tokens.acquire()
            yield
        finally:
            env.gate.release()

    async def _timed_call(self, unit: Unit, ctx: UnitContext) -> Generation:
        """One provider request, bounded by call_timeout on the engine's clock."""
        env = self.env
        call = asyncio.ensure_future(env.provider.generate(unit, ctx))
        timer = asyncio.ensure_future(env.clock.sleep(env.options.call_timeout))
        timed_out = False
        try:
            await asyncio.wait({call, timer}, return_when=asyncio.FIRST_COMPLETED)
            timed_out = not call.done()
        finally:
            timer.cancel()
            if not call.done():
                call.cancel()
                if await settle({call}, env.clock, env.options.cancel_grace):
                    log.warning("the provider call for %s ignored cancellation", unit.id)
                    env.abandoned.append(unit.id)
        if timed_out:
            raise ProviderTimeout(f"no answer within {env.options.call_timeout:g} s")
        generation = call.result()
        if not isinstance(generation, Generation):
            raise TypeError(f"provider returned {type(generation).__name__}, not a Generation")
        return generation

    def _validate(self, unit: Unit, generation: Generation, ctx: UnitContext) -> list[Issue]:
        env = self.env
        issues = path_issues(generation.files, env.registry.owners, unit.id)
        issues += presence_issues(unit, generation.files, env.options.required_ratio)
        try:
            issues += env.validator.validate(unit, generation, ctx)
        except Exception as exc:  # a validator bug must show up as an issue, not end the run
            log.error("validator crashed on %s", unit.id, exc_info=exc)
            issues.append(Issue("validator-crashed", f"{type(exc).__name__}: {exc}"))
        return issues

    def _judge(self, state: UnitState, attempt: int, started: float, generation: Generation,
               ctx: UnitContext, landing: bool = False,
               hedged: float | None = None) -> AttemptOutcome:
        env, unit = self.env, state.unit
        issues = tuple(self._validate(unit, generation, ctx))
        state.previous, state.issues = generation, issues
        if generation.files:
            state.kept, state.kept_issues = generation, issues
        paths = tuple(f.path for f in generation.files)

        def record(outcome: AttemptOutcome, error: str | None = None) -> AttemptOutcome:
            state.attempts.append(AttemptRecord(attempt, started, env.emitter.elapsed() - started,
                                                outcome, error, issues, paths, generation.usage,
                                                cached=generation.cached, hedged=hedged))
            return outcome

        if errors_in(issues):
            return record(AttemptOutcome.INVALID)
        if landing:
            state.landed = generation
            return record(AttemptOutcome.LANDED)
        return self._accept(state, attempt, generation, issues, record)

    def _accept(self, state: UnitState, attempt: int, generation: Generation,
                issues: tuple[Issue, ...],
                record: Callable[..., AttemptOutcome]) -> AttemptOutcome:
        """Write a validated answer and register it (`record` notes the attempt)."""
        env, unit = self.env, state.unit
        paths = tuple(f.path for f in generation.files)
        try:
            env.sink.write(unit, generation.files)
        except Exception as exc:  # e.g. OutputError: disk full, permission denied
            log.error("could not write the files of %s", unit.id, exc_info=exc)
            return record(AttemptOutcome.WRITE_FAILED, f"{type(exc).__name__}: {exc}")
        record(AttemptOutcome.VALIDATED)
        env.registry.add(unit, generation)
        state.finish(UnitStatus.VALIDATED, None)
        env.emitter.emit(EventKind.UNIT_VALIDATED, unit.id, attempt,
                         f"{unit.id} validated on attempt {attempt}", files=len(paths),
                         warnings=len(issues), cached=generation.cached,
                         tokens=generation.usage.prompt_tokens
                         + generation.usage.completion_tokens)
        self._announce_written(unit, generation)
        return AttemptOutcome.VALIDATED

    def _announce_written(self, unit: Unit, generation: Generation) -> None:
        for f in generation.files:
            self.env.emitter.emit(EventKind.FILE_WRITTEN, unit.id, None, f.path, path=f.path,
                                  bytes=len(f.content.encode()))

    def _spend(self, unit: Unit, attempt: int, generation: Generation) -> None:
        """Count the answer against the budget; the first limit reached stops the run."""
        env = self.env
        if not generation.cached:
            env.tokens.record(generation.usage.prompt_tokens + generation.usage.completion_tokens)
        reached = env.budget.add(generation.usage, cached=generation.cached)
        if reached is None:
            return
        used = env.budget.usage()
        env.emitter.emit(EventKind.BUDGET_REACHED, unit.id, attempt,
                         f"{env.budget.describe(reached)} after attempt {attempt} of {unit.id}; "
                         "stopping the run", limit=reached.value, **used.to_dict())
        env.stop.set(reached)

    def _give_up(self, state: UnitState, stuck: str | None = None) -> None:
        env, unit = self.env, state.unit
        n = len(state.attempts)
        last = state.attempts[-1]
        if last.outcome is AttemptOutcome.INVALID:
            cause = _issue_summary(last.issues)
        else:
            cause = f"{last.outcome.value}: {last.error}"
        if stuck:
            cause += f"; {stuck}"
        if state.kept is None:
            state.finish(UnitStatus.FAILED, f"nothing usable after {n} attempt(s); last {cause}")
            env.emitter.emit(EventKind.UNIT_FAILED, unit.id, n, state.reason or "")
            return
        if last.outcome is not AttemptOutcome.INVALID:
            cause += f"; the kept files had {_issue_summary(state.kept_issues)}"
        state.finish(UnitStatus.PARTIAL, f"not validated after {n} attempt(s): {cause}")
        env.emitter.emit(EventKind.UNIT_PARTIAL, unit.id, n, state.reason or "",
                         files=len(state.kept.files))
        if env.options.write_partial:
            self._write_partial(state)

    def _write_partial(self, state: UnitState) -> None:
        assert state.kept is not None
        try:
            self.env.sink.write(state.unit, state.kept.files)
        except Exception as exc:
            log.error("could not write partial files of %s", state.unit.id, exc_info=exc)
            state.reason = f"{state.reason}; writing its partial files failed: {exc}"
            return
        self._announce_written(state.unit, state.kept)
