"""Shared helpers of the evolution tests: plans from spec dicts and their migrations."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from backforge import plan as planner
from backforge.plan.model import Plan
from backforge.spec import load
from backforge.sql.evolution import Evolution
from backforge.stacks import get_stack

STACK = get_stack("express-js")
BASE: dict[str, Any] = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "data" / "taskmanager.yaml").read_text())


def base() -> dict[str, Any]:
    return copy.deepcopy(BASE)


def plan_of(spec: dict[str, Any]) -> Plan:
    loaded = load(spec)
    return planner.build(loaded.project, STACK, loaded.names)


def table(spec: dict[str, Any], name: str) -> dict[str, Any]:
    return next(t for t in spec["tables"] if t["name"] == name)


def field(spec: dict[str, Any], tname: str, fname: str) -> dict[str, Any]:
    return next(f for f in table(spec, tname)["fields"] if f["name"] == fname)


def drop_field(spec: dict[str, Any], tname: str, fname: str) -> None:
    t = table(spec, tname)
    t["fields"] = [f for f in t["fields"] if f["name"] != fname]


def migrations(plan: Plan) -> dict[str, str]:
    """The migration files a fresh generation of `plan` writes (0001, and 0002 with auth)."""
    out: dict[str, str] = {}
    for unit in plan.units.values():
        if unit.module in ("migrations", "auth"):
            out.update(STACK.render(unit, plan).file_map())
    return {p: c for p, c in sorted(out.items()) if p.startswith("migrations/")}


def evolve(old: dict[str, Any], new: dict[str, Any],
           existing: tuple[str, ...] = ()) -> Evolution:
    old_plan = plan_of(old)
    return STACK.evolve(old_plan, plan_of(new), existing or tuple(migrations(old_plan)))


def up_sql(ev: Evolution) -> str:
    return next(f.content for f in ev.files if f.path.endswith(".up.sql"))


def down_sql(ev: Evolution) -> str:
    return next(f.content for f in ev.files if f.path.endswith(".down.sql"))
