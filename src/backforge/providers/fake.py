"""A scripted in-process provider: a first-class transport, like httpx's MockTransport.

Script it per unit id and attempt with steps:

    FakeProvider({
        "models/tasks": [Fail(retry_after=7), Reply(broken=("src/models/tasks.js",)), Reply()],
        "routes": Hang(),                       # one step = every attempt
    }, default=Reply(latency=2.0))

Attempt n of a unit uses its n-th step, or its last step once the script runs
out. Units without a script use `default` (a `Reply()` with every required
file unless told otherwise). All waiting goes through the given clock (the
running loop's clock by default), so under virtual time nothing really sleeps.
Every call is recorded (`calls`), with the context it got and when it ran, and
`peak_in_flight` says how many calls ever overlapped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from backforge.engine.clock import Clock, LoopClock
from backforge.engine.protocols import (
    GeneratedFile,
    Generation,
    PermanentError,
    ProviderTimeout,
    RetryableError,
    UnitContext,
    Usage,
)
from backforge.plan.model import Unit

BROKEN = "BROKEN"  # the marker `broken` files carry; test validators look for it


@dataclass(frozen=True)
class Reply:
    """Return files: by default every required file of the unit, with placeholder content."""

    files: Mapping[str, str] | None = None  # exact files instead of the unit's required ones
    missing: tuple[str, ...] = ()  # required paths to leave out
    broken: tuple[str, ...] = ()  # paths whose content carries the BROKEN marker
    extra: Mapping[str, str] = field(default_factory=dict)  # more files on top
    dependencies: Mapping[str, str] = field(default_factory=dict)
    dev_dependencies: Mapping[str, str] = field(default_factory=dict)
    usage: Usage = field(default_factory=Usage)
    latency: float = 0.0


@dataclass(frozen=True)
class Fail:
    """A retryable failure (429, 5xx, dropped connection), optionally with Retry-After."""

    retry_after: float | None = None
    message: str = "fake: service unavailable"
    latency: float = 0.0


@dataclass(frozen=True)
class Permanent:
    """A failure retrying cannot fix (bad key, bad request)."""

    message: str = "fake: invalid API key"
    latency: float = 0.0


@dataclass(frozen=True)
class TimedOut:
    """The provider's own transport timed out (it raises ProviderTimeout itself)."""

    message: str = "fake: read timeout"
    latency: float = 0.0


@dataclass(frozen=True)
class Hang:
    """Never answer (until cancelled): the engine's call timeout must fire."""

    seconds: float = 1e9


@dataclass(frozen=True)
class Crash:
    """Raise something that is not a ProviderError: a bug in a provider."""

    error: Exception = field(default_factory=lambda: RuntimeError("fake: provider bug"))
    latency: float = 0.0


Step = Reply | Fail | Permanent | TimedOut | Hang | Crash
Script = Mapping[str, Step | Sequence[Step]]


@dataclass(frozen=True)
class Call:
    unit: str
    attempt: int
    started: float  # clock time
    step: Step
    ctx: UnitContext


def placeholder(unit: Unit, path: str) -> str:
    return f"// {path}, written for unit {unit.id}\n"


def build_generation(unit: Unit, reply: Reply) -> Generation:
    files = dict(reply.files) if reply.files is not None else {
        p: placeholder(unit, p) for p in unit.required}
    for path in reply.missing:
        files.pop(path, None)
    for path in reply.broken:
        files[path] = f"{files.get(path, '')}{BROKEN}\n"
    files.update(reply.extra)
    return Generation(tuple(GeneratedFile(p, c) for p, c in files.items()),
                      dict(reply.dependencies), dict(reply.dev_dependencies), reply.usage)


class FakeProvider:
    name = "fake"

    def __init__(self, script: Script | None = None, *, default: Step | None = None,
                 choose: Callable[[Unit, int], Step | None] | None = None,
                 clock: Clock | None = None) -> None:
        self._script = {uid: (s,) if not isinstance(s, Sequence) else tuple(s)
                        for uid, s in (script or {}).items()}
        self._default = default or Reply()
        self._choose = choose  # a function of (unit, attempt), asked before the script
        self._clock = clock or LoopClock()
        self.calls: list[Call] = []
        self.in_flight = 0
        self.peak_in_flight = 0

    def step_for(self, unit: Unit, attempt: int) -> Step:
        chosen = self._choose(unit, attempt) if self._choose else None
        if chosen is not None:
            return chosen
        steps = self._script.get(unit.id)
        if not steps:
            return self._default
        return steps[min(attempt, len(steps)) - 1]

    def calls_of(self, uid: str) -> list[Call]:
        return [c for c in self.calls if c.unit == uid]

    async def generate(self, unit: Unit, ctx: UnitContext) -> Generation:
        step = self.step_for(unit, ctx.attempt)
        self.calls.append(Call(unit.id, ctx.attempt, self._clock.now(), step, ctx))
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            return await self._perform(unit, step)
        finally:
            self.in_flight -= 1

    async def _perform(self, unit: Unit, step: Step) -> Generation:
        if isinstance(step, Hang):
            await self._clock.sleep(step.seconds)
            raise ProviderTimeout("fake: hung until the end of time")
        if step.latency:
            await self._clock.sleep(step.latency)
        if isinstance(step, Reply):
            return build_generation(unit, step)
        if isinstance(step, Fail):
            raise RetryableError(step.message, retry_after=step.retry_after)
        if isinstance(step, Permanent):
            raise PermanentError(step.message)
        if isinstance(step, TimedOut):
            raise ProviderTimeout(step.message)
        raise step.error
