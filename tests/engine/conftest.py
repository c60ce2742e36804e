"""Helpers for engine tests: hand-built plans, a marker validator, an in-memory sink.

Every engine test runs on a VirtualEventLoop (`run_virtual`), so simulated
minutes pass in microseconds and event times are exact.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from backforge.engine import EngineOptions, RunResult, run, run_virtual
from backforge.engine.events import Event, EventKind
from backforge.engine.protocols import GeneratedFile, Generation, Issue, Severity, UnitContext
from backforge.plan import ModuleDef, Plan, Shared, Unit, UnitFiles, build
from backforge.providers.fake import BROKEN, FakeProvider
from backforge.spec.model import Field, FieldType, Project, Table
from backforge.spec.names import Names, resolve

WARN = "WARN"  # content marker the test validator reports as a warning


def project(*tables: str) -> Project:
    tables = tables or ("tasks",)
    return Project(name="demo", tables=tuple(
        Table(name=t, fields=(Field(name="id", type=FieldType.INTEGER, primary_key=True),))
        for t in tables))


def unit(uid: str, *deps: str, files: int = 2, critical: int = 0,
         required: Sequence[str] | None = None) -> Unit:
    """A unit with `files` required files named after it; the first `critical` are critical."""
    module, _, table = uid.partition("/")
    req = tuple(required) if required is not None else tuple(
        f"src/{uid}/f{i}.js" for i in range(files))
    return Unit(uid, module, table or None, tuple(deps), req, req[:critical])


def plan_of(units: Iterable[Unit], critical: Iterable[str] = ()) -> Plan:
    """A Plan over hand-made units; modules in order of first appearance."""
    critical = set(critical)
    units = [dataclasses.replace(u, module_critical=u.module in critical) for u in units]
    modules = tuple(ModuleDef(m, critical=m in critical)
                    for m in dict.fromkeys(u.module for u in units))
    p = project()
    return Plan(p, resolve(p), "test", modules, {u.id: u for u in units})


class MarkerValidator:
    """Flags BROKEN content as an error and WARN content as a warning."""

    def validate(self, unit: Unit, generation: Generation, ctx: UnitContext) -> list[Issue]:
        issues = []
        for f in generation.files:
            if BROKEN in f.content:
                issues.append(Issue("broken", "file is broken", file=f.path, line=1))
            if WARN in f.content:
                issues.append(Issue("style", "looks odd", file=f.path,
                                    severity=Severity.WARNING))
        return issues


@dataclass
class MemorySink:
    writes: list[tuple[float, str, tuple[str, ...]]] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)

    def write(self, unit: Unit, files: Sequence[GeneratedFile]) -> None:
        now = asyncio.get_running_loop().time()
        self.writes.append((now, unit.id, tuple(f.path for f in files)))
        self.files.update({f.path: f.content for f in files})

    def units(self) -> list[str]:
        return [uid for _, uid, _ in self.writes]


@dataclass
class Outcome:
    result: RunResult
    sink: MemorySink
    provider: FakeProvider

    @property
    def report(self):
        return self.result.report

    def events(self, kind: EventKind | None = None, unit: str | None = None) -> list[Event]:
        return [e for e in self.result.events
                if (kind is None or e.kind is kind) and (unit is None or e.unit == unit)]

    def starts(self, uid: str) -> list[float]:
        return [e.time for e in self.events(EventKind.UNIT_STARTED, uid)]

    def time_of(self, kind: EventKind, uid: str) -> float:
        (event,) = self.events(kind, uid)
        return event.time


def go(plan: Plan, provider: FakeProvider | None = None, options: EngineOptions | None = None,
       validator=None, sink: MemorySink | None = None, on_event=None) -> Outcome:
    provider = provider or FakeProvider()
    sink = sink if sink is not None else MemorySink()
    result = run_virtual(run(plan, provider, validator or MarkerValidator(), sink,
                             options or EngineOptions(seed=1), on_event=on_event))
    return Outcome(result, sink, provider)


@dataclass(frozen=True)
class TinyLayout:
    """A four-module stack layout for plan.build: database -> models -> services -> routes."""

    name: str = "tiny"
    modules: tuple[ModuleDef, ...] = (
        ModuleDef("database", critical=True),
        ModuleDef("models", ("database",), critical=True, per_table=True),
        ModuleDef("services", ("models",), per_table=True),
        ModuleDef("routes", ("services",), per_table=True, shared=Shared.AFTER),
    )

    def unit_files(self, module: str, table: str | None, project: Project,
                   names: Names) -> UnitFiles:
        stem = names.table(table).file if table else "index"
        path = f"src/{module}/{stem}.js"
        return UnitFiles((path,), (path,))


def tiny_plan(*tables: str) -> Plan:
    return build(project(*tables), TinyLayout())
