"""Plan vocabulary: module definitions, units and the unit DAG.

A stack describes its modules as data (`ModuleDef`) and says which files each
unit must produce (`StackLayout`); `plan.build` turns a Project into a Plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from backforge.spec.model import Project
from backforge.spec.names import Names


class Shared(StrEnum):
    """Where a per-table module's shared unit (index files, helpers) runs."""

    NONE = "none"
    BEFORE = "before"  # e.g. test helpers the table suites import
    AFTER = "after"  # e.g. a routes index that mounts every table's router


@dataclass(frozen=True)
class ModuleDef:
    name: str
    depends_on: tuple[str, ...] = ()
    critical: bool = False
    per_table: bool = False
    shared: Shared = Shared.NONE
    option: str | None = None  # an Options flag that must be true, e.g. "auth"


@dataclass(frozen=True)
class UnitFiles:
    required: tuple[str, ...]
    critical: tuple[str, ...] = ()  # a subset of required


class StackLayout(Protocol):
    """What the planner needs from a stack: its modules and each unit's files."""

    name: str
    modules: tuple[ModuleDef, ...]

    def unit_files(self, module: str, table: str | None, project: Project,
                   names: Names) -> UnitFiles: ...


@dataclass(frozen=True)
class Unit:
    id: str  # "utils", "models/order-items", "routes" (the shared unit of routes)
    module: str
    table: str | None  # the spec's table name for a table unit
    deps: tuple[str, ...]
    required: tuple[str, ...]
    critical: tuple[str, ...]
    module_critical: bool = False


@dataclass(frozen=True)
class Plan:
    project: Project
    names: Names
    stack: str
    modules: tuple[ModuleDef, ...]  # enabled modules, in the stack's order
    units: Mapping[str, Unit] = field(default_factory=dict)  # in a topological order

    def graph(self) -> dict[str, tuple[str, ...]]:
        return {uid: u.deps for uid, u in self.units.items()}

    def units_of(self, module: str) -> list[Unit]:
        return [u for u in self.units.values() if u.module == module]

    def module(self, name: str) -> ModuleDef:
        return next(m for m in self.modules if m.name == name)
