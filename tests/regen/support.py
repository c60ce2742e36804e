"""Spec mutations and folder helpers shared by the regeneration tests."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import DATA

SPECS = DATA  # tests/data/taskmanager.yaml: the bundled example
Spec = dict[str, Any]


def taskmanager() -> Spec:
    return yaml.safe_load((SPECS / "taskmanager.yaml").read_text(encoding="utf-8"))


def _table(spec: Spec, name: str) -> Spec:
    return next(t for t in spec["tables"] if t["name"] == name)


def add_table(spec: Spec) -> None:
    spec["tables"].append({"name": "labels", "timestamps": True, "fields": [
        {"name": "id", "type": "uuid", "primary_key": True},
        {"name": "task_id", "type": "uuid", "required": True, "references": "tasks.id",
         "on_delete": "cascade"},
        {"name": "text", "type": "string", "max_length": 40, "required": True}]})


def drop_table(spec: Spec) -> None:
    spec["tables"] = [t for t in spec["tables"] if t["name"] != "comments"]


def add_column(spec: Spec) -> None:
    _table(spec, "tasks")["fields"].append({"name": "notes", "type": "text"})


def drop_column(spec: Spec) -> None:
    t = _table(spec, "tasks")
    t["fields"] = [f for f in t["fields"] if f["name"] != "estimate_hours"]


def rename_column(spec: Spec) -> None:
    """A rename is a drop plus an add: the spec has no rename."""
    for f in _table(spec, "tasks")["fields"]:
        if f["name"] == "due_date":
            f["name"] = "deadline"


def change_type(spec: Spec) -> None:
    """A widening type change: tasks.title from varchar(200) to text."""
    for f in _table(spec, "tasks")["fields"]:
        if f["name"] == "title":
            f.update(type="text")
            f.pop("max_length", None)


def change_checked_type(spec: Spec) -> None:
    """A type change on a column with a CHECK constraint (min/max)."""
    for f in _table(spec, "tasks")["fields"]:
        if f["name"] == "priority":
            f.update(type="bigint")


def toggle_auth(spec: Spec) -> None:
    spec["options"]["auth"] = False
    for e in spec["endpoints"]:
        e["auth"] = False


def toggle_tests(spec: Spec) -> None:
    spec["options"]["tests"] = False


def change_prefix(spec: Spec) -> None:
    spec["options"]["api_prefix"] = "/api/v2"


def add_endpoint(spec: Spec) -> None:
    spec["endpoints"].append({"method": "POST", "path": "/comments/{id}/flag",
                              "table": "comments", "summary": "Flag a comment."})


def add_users_column(spec: Spec) -> None:
    """A column on a table many others reference."""
    _table(spec, "users")["fields"].append({"name": "timezone", "type": "string",
                                            "max_length": 60})


def drop_endpoints(spec: Spec) -> None:
    """From some custom endpoints to none (the error classes and README change)."""
    spec["endpoints"] = []


def add_tableless_endpoint(spec: Spec) -> None:
    spec["endpoints"].append({"method": "GET", "path": "/reports/weekly",
                              "summary": "A weekly report."})


def add_clashing_table(spec: Spec) -> None:
    """A table named like the stack's own accounts and migrations tables: they move."""
    for name in ("auth_accounts", "schema_migrations"):
        spec["tables"].append({"name": name, "fields": [
            {"name": "id", "type": "integer", "primary_key": True, "auto_increment": True}]})


def rename_project(spec: Spec) -> None:
    spec["name"] = "Task Tracker Pro"


MUTATIONS: dict[str, Callable[[Spec], None]] = {
    f.__name__: f for f in (add_table, drop_table, add_column, drop_column, rename_column,
                            change_type, change_checked_type, toggle_auth, toggle_tests,
                            change_prefix, add_endpoint, add_users_column, drop_endpoints,
                            add_tableless_endpoint, add_clashing_table, rename_project)}


def mutated(name: str, base: Spec | None = None) -> Spec:
    spec = copy.deepcopy(base or taskmanager())
    MUTATIONS[name](spec)
    return spec


def write_spec(path: Path, spec: Spec) -> Path:
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def snapshot(root: Path) -> dict[str, int]:
    """mtime (ns) of every file outside .backforge/."""
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*")
            if p.is_file() and ".backforge" not in p.relative_to(root).parts}
