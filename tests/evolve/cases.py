"""Schema changes on taskmanager.yaml, each a function that edits a copy of the spec."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.evolve.helpers import base, drop_field, field, table

Spec = dict[str, Any]


def add_table(spec: Spec) -> None:
    spec["tables"].append({
        "name": "labels", "description": "Labels on tasks.", "timestamps": True,
        "fields": [
            {"name": "id", "type": "integer", "primary_key": True, "auto_increment": True},
            {"name": "task_id", "type": "uuid", "required": True, "references": "tasks.id",
             "on_delete": "cascade"},
            {"name": "name", "type": "string", "max_length": 40, "required": True,
             "unique": True, "description": "Shown on the task card."},
            {"name": "color", "type": "enum", "values": ["red", "green"], "default": "red"},
        ]})


def add_column(spec: Spec) -> None:
    table(spec, "tasks")["fields"].append({"name": "due_at", "type": "datetime"})


def add_required_column_with_default(spec: Spec) -> None:
    table(spec, "projects")["fields"].append(
        {"name": "visibility", "type": "enum", "values": ["private", "team"],
         "default": "private", "required": True})


def drop_column(spec: Spec) -> None:
    drop_field(spec, "tasks", "priority")


def rename_column(spec: Spec) -> None:
    """display_name becomes full_name: a drop plus an add."""
    fields = table(spec, "users")["fields"]
    i = next(i for i, f in enumerate(fields) if f["name"] == "display_name")
    fields[i] = {**fields[i], "name": "full_name", "required": False}


def widen_type(spec: Spec) -> None:
    field(spec, "tasks", "title")["max_length"] = 500
    field(spec, "tasks", "priority")["type"] = "bigint"
    field(spec, "tasks", "estimate_hours").update(precision=10, scale=3)


def narrow_type(spec: Spec) -> None:
    field(spec, "tasks", "title")["max_length"] = 5


def drop_table(spec: Spec) -> None:
    spec["tables"] = [t for t in spec["tables"] if t["name"] != "comments"]


def add_foreign_key(spec: Spec) -> None:
    table(spec, "projects")["fields"].append(
        {"name": "lead_id", "type": "uuid", "references": "users.id", "on_delete": "set_null"})


def drop_foreign_key(spec: Spec) -> None:
    f = field(spec, "tasks", "assignee_id")
    for key in ("references", "on_delete"):
        f.pop(key)


def change_constraints(spec: Spec) -> None:
    """Enum values, bounds, nullability, default, uniqueness and a comment at once."""
    field(spec, "tasks", "status")["values"] = ["todo", "in_progress", "blocked", "done"]
    field(spec, "tasks", "priority").update(default=2, max=9)
    field(spec, "projects", "description")["required"] = True
    field(spec, "tasks", "title")["required"] = False
    field(spec, "projects", "name")["unique"] = True
    field(spec, "users", "role")["default"] = "admin"
    field(spec, "comments", "body")["description"] = "Markdown text."
    table(spec, "tasks")["description"] = "Work to do."


def combined(spec: Spec) -> None:
    """Most of the above in one migration."""
    for change in (change_constraints, widen_type, add_table, add_column, drop_column,
                   rename_column, drop_table, add_foreign_key, drop_foreign_key):
        change(spec)


CASES: dict[str, Callable[[Spec], None]] = {
    f.__name__: f for f in (add_table, add_column, add_required_column_with_default,
                            drop_column, rename_column, widen_type, narrow_type, drop_table,
                            add_foreign_key, drop_foreign_key, change_constraints, combined)}


def changed(name: str) -> Spec:
    spec = base()
    CASES[name](spec)
    return spec
