"""What a unit's prompt is built from, apart from the prompt builder (prompts.py): the
prompt version and the unit's slice of the spec.

regenerate.py fingerprints every unit's inputs with these on the up-to-date path of
`generate`, which must not pay for the prompt builder's imports (jinja2, the validator's
registry with tree-sitter: ~80 ms of start-up).
"""

from __future__ import annotations

from backforge.plan.model import Plan, Unit
from backforge.spec.model import Project
from backforge.spec.policy import resolve as resolve_policy

__all__ = ["PROMPT_VERSION", "spec_slice"]

# 2: the spec slice once (in the header), and only the dependency files the unit uses.
PROMPT_VERSION = "2"


def spec_slice(plan: Plan, unit: Unit) -> Project:
    """A table unit sees its table and the tables it references (transitively, so the
    slice is itself a valid project) and their endpoints; other units see everything.
    With auth on, the users table (and what it references) too: every table's access
    policy is resolved against it."""
    project = plan.project
    if unit.table is None:
        return project
    by_name = {t.name: t for t in project.tables}
    keep: set[str] = set()
    users = _users_table(project)
    todo = [unit.table] + ([users] if users is not None else [])
    while todo:
        name = todo.pop()
        if name in keep or name not in by_name:
            continue
        keep.add(name)
        table = by_name[name]
        todo += [f.references.split(".")[0] for f in table.fields if f.references]
        todo += [k.references for k in table.foreign_keys]
    tables = tuple(t for t in project.tables if t.name in keep)
    endpoints = tuple(e for e in project.endpoints if e.table in keep)
    return project.model_copy(update={"tables": tables, "endpoints": endpoints})


# The last project asked about, by identity: an lru_cache would hash the whole frozen
# project (every table and field) on each call, once per unit: quadratic in tables.
_users_last: list[tuple[Project, str | None]] = []


def _users_table(project: Project) -> str | None:
    for known, table in _users_last:
        if known is project:
            return table
    table = None
    if project.options.auth:
        accounts = resolve_policy(project).accounts
        table = accounts.table if accounts is not None else None
    _users_last[:] = [(project, table)]
    return table

