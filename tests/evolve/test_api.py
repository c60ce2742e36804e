"""API impact of a schema change: endpoints and schema properties, breaking or not."""

from __future__ import annotations

from backforge.sql.evolution import ApiChange
from tests.evolve.cases import changed
from tests.evolve.helpers import base, evolve, field, table

P = "/api/v1"


def by_target(api: tuple[ApiChange, ...]) -> dict[str, list[ApiChange]]:
    out: dict[str, list[ApiChange]] = {}
    for change in api:
        out.setdefault(change.target, []).append(change)
    return out


def test_new_table_adds_its_crud_endpoints_and_schema():
    api = evolve(base(), changed("add_table")).api
    added = {a.target for a in api if a.kind == "added"}
    assert added == {f"GET {P}/labels", f"POST {P}/labels", f"GET {P}/labels/{{id}}",
                     f"PUT {P}/labels/{{id}}", f"PATCH {P}/labels/{{id}}",
                     f"DELETE {P}/labels/{{id}}", "Label"}
    assert not any(a.breaking for a in api)


def test_dropped_table_removes_endpoints_breaking():
    api = by_target(evolve(base(), changed("drop_table")).api)
    for target in (f"GET {P}/comments", f"DELETE {P}/comments/{{id}}", "Comment"):
        assert api[target][0].kind == "removed" and api[target][0].breaking


def test_new_optional_property_is_not_breaking_a_required_one_is():
    api = by_target(evolve(base(), changed("add_column")).api)
    assert api == {"Task.due_at": [ApiChange("added", "Task.due_at", "new property", False)]}
    new = base()
    table(new, "tasks")["fields"].append({"name": "weight", "type": "integer", "required": True})
    (change,) = evolve(base(), new).api
    assert change.target == "Task.weight" and change.breaking
    assert "required on create" in change.detail
    defaulted = evolve(base(), changed("add_required_column_with_default")).api
    assert [(a.target, a.breaking) for a in defaulted] == [("Project.visibility", False)]


def test_removed_and_renamed_properties_break_clients():
    (removed,) = evolve(base(), changed("drop_column")).api
    assert (removed.kind, removed.target, removed.breaking) == ("removed", "Task.priority", True)
    api = by_target(evolve(base(), changed("rename_column")).api)
    assert api["User.display_name"][0].breaking
    assert api["User.full_name"][0].kind == "added" and not api["User.full_name"][0].breaking


def test_type_changes():
    (narrow,) = evolve(base(), changed("narrow_type")).api
    assert narrow.target == "Task.title" and narrow.breaking and "narrowed" in narrow.detail
    widened = by_target(evolve(base(), changed("widen_type")).api)
    assert not widened["Task.title"][0].breaking
    new = base()
    field(new, "tasks", "priority").update(type="string", max_length=10, default="3", min=None,
                                           max=None)
    api = by_target(evolve(base(), new).api)
    assert api["Task.priority"][0].detail == "type integer -> string"
    assert api["Task.priority"][0].breaking


def test_nullability_enum_and_default_changes():
    api = by_target(evolve(base(), changed("change_constraints")).api)
    assert [(a.detail, a.breaking) for a in api["Task.title"]] == [
        ("may now be null in responses", True), ("no longer required on create", False)]
    assert [(a.detail, a.breaking) for a in api["Project.description"]] == [
        ("no longer null in responses", False), ("now required on create", True)]
    assert api["Task.status"] == [ApiChange("changed", "Task.status",
                                            "enum values added: blocked", False)]
    assert api["User.role"][0].detail == "default on create 'member' -> 'admin'"
    new = base()
    field(new, "tasks", "status").update(values=["todo", "done"])
    (removed,) = evolve(base(), new).api
    assert removed.detail == "enum values removed: in_progress" and removed.breaking


def test_custom_endpoints_change_the_api_but_not_the_schema():
    new = base()
    new["endpoints"] = [e for e in new["endpoints"] if e["path"] != "/projects/{id}/stats"]
    new["endpoints"].append({"method": "POST", "path": "/tasks/{id}/reopen", "table": "tasks",
                             "summary": "Reopen a task.", "auth": True})
    ev = evolve(base(), new)
    assert ev.files == () and ev.changes == ()
    assert {(a.kind, a.target, a.breaking) for a in ev.api} == {
        ("removed", f"GET {P}/projects/{{id}}/stats", True),
        ("added", f"POST {P}/tasks/{{id}}/reopen", False)}
    assert not ev.empty


def test_turning_auth_on_adds_auth_routes_and_guards_writes():
    old = base()
    old["options"]["auth"] = False
    api = by_target(evolve(old, base()).api)
    assert api[f"POST {P}/auth/login"][0].kind == "added"
    guarded = api[f"POST {P}/tasks"][0]
    assert (guarded.kind, guarded.detail, guarded.breaking) == (
        "changed", "now requires a bearer token", True)
    assert f"GET {P}/tasks" not in api  # reads stay open
