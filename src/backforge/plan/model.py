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


@dataclass(frozen=True)
class OutputPolicy:
    """What a stack's units may write and what their code may use (DESIGN.md, "Trust
    boundaries"). The validator enforces it for every provider; the defaults are the
    strictest (no extra files, no allowances), so a stack states only what it needs."""

    # The one module that reads the environment: allowed `unsafe-env-read`.
    config_module: str | None = None
    # Code rule id -> path globs (fnmatch) also allowed to use it, e.g. a test helper
    # that points the config at the test database.
    code_allowances: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Module -> globs of files its units may write besides the declared ones, uncapped
    # (a glob's `*` stays within one folder), e.g. the migrations a regeneration appends.
    declared_patterns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Module -> folders where its units may add files beyond the declared ones.
    extra_folders: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # False: a unit may write any path that is not reserved or forbidden (tests of other
    # rules, tools that validate loose files); every real stack bounds its units.
    bounded: bool = True
    max_extra_files: int = 10  # per unit
    max_extra_bytes: int = 200_000  # per extra file (declared files have no size cap here)
    # Path globs no unit may write (besides .backforge/ and .git/, which no stack may).
    forbidden_paths: tuple[str, ...] = ()
    manifest: str | None = None  # the package manifest file name, e.g. "package.json"
    manifest_module: str | None = None  # the only module that may write it (at the root)
    packages: frozenset[str] = frozenset()  # every package a unit may declare
    scripts: Mapping[str, str] = field(default_factory=dict)  # manifest scripts: name -> command


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
