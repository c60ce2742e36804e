"""The SQL the express-js policy modules scope rows with: nested subqueries along the
owner path, identifiers quoted (hostile table and field names included), the owner a
$OWNER placeholder the model sends as a parameter."""

from __future__ import annotations

import re

from backforge import plan as planner
from backforge.express import access
from backforge.spec import load
from backforge.stacks import get_stack
from backforge.stacks.express_js.render import project_context
from tests.conftest import DATA

STACK = get_stack("express-js")


def _ctx(spec):
    loaded = load(spec)
    return project_context(planner.build(loaded.project, STACK, loaded.names))


def test_owner_chain_is_one_nested_condition() -> None:
    ctx = _ctx(DATA / "taskmanager.yaml")
    tasks = ctx.policy.table("tasks")
    assert access.owner_condition(ctx, tasks.owner_path) == (
        '"tasks"."project_id" IN (SELECT "projects"."id" FROM "projects" '
        'WHERE "projects"."owner_id" = $OWNER)')
    projects = ctx.policy.table("projects")
    assert access.owner_condition(ctx, projects.owner_path) == '"projects"."owner_id" = $OWNER'


def test_hostile_names_stay_quoted_identifiers() -> None:
    spec = {"name": "h", "options": {"auth": True}, "tables": [
        {"name": "users", "fields": [{"name": "email", "type": "string", "required": True,
                                      "unique": True}]},
        {"name": 'x"; DROP TABLE users; --', "fields": [
            {"name": 'o"wner', "type": "bigint", "required": True, "references": "users.id"}]}]}
    ctx = _ctx(spec)
    owned = next(t for t in ctx.policy.tables if t.owner_path)
    condition = access.owner_condition(ctx, owned.owner_path)
    # Two quoted identifiers (a quote inside one doubled), then the placeholder: nothing else.
    assert re.fullmatch(r'"(?:[^"]|"")+"\."(?:[^"]|"")+" = \$OWNER', condition), condition
