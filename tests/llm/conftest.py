"""Shared helpers: a plan of the task manager example and template files for its units."""

from __future__ import annotations

import pytest

from backforge import api
from backforge import plan as planner
from backforge.engine.protocols import UnitContext
from backforge.stacks import get_stack
from tests.conftest import DATA

# Two tables, one foreign key, no tests/docker: small enough for many real-HTTP runs.
SMALL_SPEC = {
    "name": "mini",
    "options": {"tests": False, "docker": False, "auth": False},
    "tables": [
        {"name": "authors", "fields": [
            {"name": "id", "type": "integer", "primary_key": True, "auto_increment": True},
            {"name": "name", "type": "string", "required": True}]},
        {"name": "books", "fields": [
            {"name": "id", "type": "integer", "primary_key": True, "auto_increment": True},
            {"name": "title", "type": "string", "required": True},
            {"name": "author_id", "type": "integer", "references": "authors.id"}]},
    ],
}


@pytest.fixture(scope="session")
def task_plan():
    loaded = api.load(DATA / "taskmanager.yaml")
    stack = get_stack("express-js")
    return planner.build(loaded.project, stack, loaded.names)


def template_context(plan, unit_id: str, attempt: int = 1, **extra) -> UnitContext:
    """The context a unit gets after every unit before it validated with template output."""
    stack = get_stack(plan.stack)
    files: dict[str, str] = {}
    deps: dict[str, str] = {}
    dev: dict[str, str] = {}
    for uid, unit in plan.units.items():
        if uid == unit_id:
            break
        gen = stack.render(unit, plan)
        files.update(gen.file_map())
        deps.update(gen.dependencies)
        dev.update(gen.dev_dependencies)
    # As the engine's registry hands them on: dev dependencies too, runtime ones winning.
    return UnitContext(plan, attempt, files, {**dev, **deps}, **extra)
