"""The authorisation matrix derived from the effective policy (backforge.rest.matrix):
the statuses of every cell on the examples (asserted per table), a hand-written section
with every rule kind, and auth off. The live checks are in tests/verify and tests/stack."""

from __future__ import annotations

from backforge.rest.matrix import Cell, Principal, derive, summary
from backforge.spec import load
from backforge.spec.policy import resolve
from backforge.spec.policy_model import Operation
from tests.conftest import DATA


def _grid(cells: tuple[Cell, ...]) -> dict[str, dict[str, tuple[int, ...]]]:
    """table -> operation -> the statuses of anonymous, owner, other, admin."""
    out: dict[str, dict[str, tuple[int, ...]]] = {}
    for c in cells:
        row = out.setdefault(c.table, {})
        row[c.operation.value] = (*row.get(c.operation.value, ()), c.expected)
    return out


def _matrix(source, updatable: dict[str, bool] | None = None) -> tuple[Cell, ...]:
    project = load(source).project
    return derive(resolve(project), updatable or {t.name: True for t in project.tables})


OWNED = {"list": (401, 200, 200, 200), "read": (401, 200, 404, 200),
         "create": (401, 201, 403, 201), "update": (401, 200, 404, 200),
         "delete": (401, 204, 404, 204)}


def test_taskmanager_matrix_exactly():
    cells = _matrix(DATA / "taskmanager.yaml")
    assert summary(cells) == ("80 cells (4 principals x 4 tables x 5 operations): "
                              "40 allowed, 40 refused")
    assert _grid(cells) == {
        "users": {"list": (401, 403, 403, 200), "read": (401, 200, 404, 200),
                  "create": (405, 405, 405, 405), "update": (401, 200, 404, 200),
                  "delete": (401, 204, 404, 204)},
        "projects": OWNED, "tasks": OWNED, "comments": OWNED}
    lists = {(c.table, c.principal): c.visible for c in cells if c.operation is Operation.LIST}
    assert lists[("tasks", Principal.OWNER)] is True
    assert lists[("tasks", Principal.OTHER)] is False  # scoped in SQL to its own rows
    assert lists[("tasks", Principal.ADMIN)] is True
    assert lists[("users", Principal.OTHER)] is None  # refused: no list at all


def test_blog_lookup_table_is_read_by_accounts_and_written_by_admin():
    grid = _grid(_matrix(DATA / "blog.project.json"))
    assert grid["tags"] == {"list": (401, 200, 200, 200), "read": (401, 200, 200, 200),
                            "create": (401, 403, 403, 201), "update": (401, 403, 403, 200),
                            "delete": (401, 403, 403, 204)}
    assert grid["posts"] == OWNED


def test_every_rule_kind_gives_its_status():
    spec = {"name": "M", "options": {"auth": True}, "tables": [
        {"name": "users", "fields": [
            {"name": "id", "type": "integer", "primary_key": True, "auto_increment": True},
            {"name": "email", "type": "string", "required": True, "unique": True},
            {"name": "role", "type": "enum", "values": ["reader", "editor", "admin"],
             "default": "reader"}]},
        {"name": "notes", "fields": [
            {"name": "id", "type": "integer", "primary_key": True, "auto_increment": True},
            {"name": "owner_id", "type": "integer", "required": True,
             "references": "users.id"},
            {"name": "text", "type": "text"}]},
        {"name": "tags", "fields": [
            {"name": "id", "type": "integer", "primary_key": True, "auto_increment": True}]}],
        "access": {"tables": {
            "notes": {"list": "public", "read": "authenticated", "update": "owner",
                      "delete": ["editor"]},
            "tags": {"create": "none", "update": "none", "delete": "none", "list": "none",
                     "read": "none"}}}}
    cells = _matrix(spec, {"users": True, "notes": True, "tags": False})
    grid = _grid(cells)
    assert grid["notes"] == {
        "list": (200, 200, 200, 200), "read": (401, 200, 200, 200),
        "create": (401, 201, 403, 201),
        "update": (401, 200, 403, 200),  # may read it (authenticated) but not change it
        "delete": (401, 403, 403, 204)}  # reader is not in [editor, admin]
    # nothing served on either path: 404, not 405
    assert set(grid["tags"].values()) == {(404, 404, 404, 404)}
    reasons = {(c.operation, c.principal): c.reason for c in cells if c.table == "notes"}
    assert reasons[(Operation.UPDATE, Principal.OTHER)] == \
        "update: owner|admin: not the owner, may read it"


def test_auth_off_has_only_the_anonymous_principal():
    cells = _matrix(DATA / "shop.yaml", None)
    assert {c.principal for c in cells} == {Principal.ANONYMOUS}
    project = load(DATA / "shop.yaml").project
    assert len(cells) == 5 * len(project.tables)
    assert all(c.allowed for c in cells)
    no_update = derive(resolve(project), {t.name: t.name != project.tables[0].name
                                          for t in project.tables})
    first = project.tables[0].name
    assert [c.expected for c in no_update if c.table == first] == [200, 200, 201, 405, 204]
