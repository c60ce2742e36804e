"""Helpers for validation tests: the clean mini project, units and contexts."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from backforge.engine.protocols import GeneratedFile, Generation, UnitContext
from backforge.plan import ModuleDef, Plan, Unit
from backforge.spec.model import Field, FieldType, Project, Table
from backforge.spec.names import resolve

CLEAN = Path(__file__).resolve().parents[1] / "data" / "validate" / "clean"


def clean_files() -> dict[str, str]:
    """The clean mini project: relative POSIX path -> content."""
    return {p.relative_to(CLEAN).as_posix(): p.read_text() for p in sorted(CLEAN.rglob("*"))
            if p.is_file()}


@pytest.fixture
def clean() -> dict[str, str]:
    return clean_files()


def unit(uid: str = "services/tasks", required: tuple[str, ...] = (),
         critical: tuple[str, ...] = ()) -> Unit:
    module, _, table = uid.partition("/")
    return Unit(uid, module, table or None, (), required, critical)


def plan() -> Plan:
    p = Project(name="demo", tables=(
        Table(name="tasks", fields=(Field(name="id", type=FieldType.INTEGER,
                                          primary_key=True),)),))
    return Plan(p, resolve(p), "test", (ModuleDef("services"),), {})


def generation(files: Mapping[str, str], deps: Mapping[str, str] | None = None,
               dev: Mapping[str, str] | None = None) -> Generation:
    return Generation(tuple(GeneratedFile(p, c) for p, c in files.items()), deps or {},
                      dev or {})


def context(files: Mapping[str, str] | None = None,
            deps: Mapping[str, str] | None = None) -> UnitContext:
    return UnitContext(plan=plan(), attempt=1, files=dict(files or {}),
                       dependencies=dict(deps or {}))
