"""Design-tool JSON specifics: ids, endpoints, API map, prefix, options."""

from __future__ import annotations

import pytest

from backforge.errors import SpecError
from backforge.spec import FieldType, load


def _doc(fields=None, endpoints=None, nodes=None, **extra) -> dict:
    doc = {
        "id": "prj_1", "name": "Tool", "status": "designed", "createdAt": "2026-01-01",
        "schema": [
            {"id": "t1", "name": "posts", "fields": fields or [
                {"id": "f1", "name": "id", "type": "uuid", "required": True, "unique": True},
                {"id": "f2", "name": "title", "type": "VARCHAR(80)", "required": True}]},
        ],
        "decisions": {"decisions": [{"category": "cache", "tool": "redis"}]},
    }
    if endpoints is not None:
        doc["endpoints"] = endpoints
    if nodes is not None:
        doc["diagrams"] = {"apiMap": {"nodes": nodes}}
    doc.update(extra)
    return doc


def _with_users(doc: dict) -> dict:
    """Auth needs a table of accounts: a `users` table with a unique email."""
    doc["schema"].append({"id": "t2", "name": "users", "fields": [
        {"id": "u1", "name": "id", "type": "uuid", "required": True, "unique": True},
        {"id": "u2", "name": "email", "type": "string", "required": True, "unique": True}]})
    return doc


def _node(*endpoints, kind="api-service") -> dict:
    return {"id": "n", "type": kind, "data": {"name": "Svc", "metadata": {
        "endpoints": list(endpoints)}}}


def test_detected_by_content_and_bookkeeping_ignored_quietly():
    spec = load(_doc())
    assert spec.format == "designtool"
    assert spec.notes == ()
    title = spec.project.tables[0].field("title")
    assert (title.type, title.max_length, title.required) == (FieldType.STRING, 80, True)


def test_id_marked_unique_and_required_is_the_primary_key():
    posts = load(_doc()).project.tables[0]
    assert [f.name for f in posts.primary_key] == ["id"]
    assert not posts.field("id").unique  # the key is unique already: no second constraint


def test_explicit_primary_flag_wins_over_the_id_rule():
    posts = load(_doc(fields=[
        {"name": "id", "type": "uuid", "required": True, "unique": True},
        {"name": "slug", "type": "text", "primary": True}])).project.tables[0]
    assert [f.name for f in posts.primary_key] == ["slug"]
    assert posts.field("id").unique


def test_endpoints_prefix_params_group_and_auth():
    spec = load(_with_users(_doc(endpoints=[
        {"path": "/api/v2/posts/:id/archive", "method": "post", "description": "Archive",
         "auth": True, "group": "posts"},
        {"path": "/api/v2/posts/:postId/likes", "method": "GET", "group": "Social"},
        {"path": "/api/v2/health-report", "method": "GET"}])))
    p = spec.project
    assert p.options.api_prefix == "/api/v2"
    assert [(e.method, e.path, e.table, e.auth, e.summary) for e in p.endpoints] == [
        ("POST", "/posts/{id}/archive", "posts", True, "Archive"),
        ("GET", "/posts/{postId}/likes", "posts", False, None),
        ("GET", "/health-report", None, False, None),
    ]
    assert p.options.auth


def test_api_map_endpoints_and_duplicates_between_lists():
    spec = load(_with_users(_doc(
        endpoints=[{"path": "/api/v1/posts/:id/publish", "method": "POST"}],
        nodes=[_node({"path": "/api/v1/posts/:id/publish", "method": "POST"},
                     {"path": "/api/v1/search", "method": "GET", "requiresAuth": True}),
               _node({"path": "/api/v1/ignored", "method": "GET"}, kind="database")])))
    p = spec.project
    assert [(e.method, e.path, e.auth) for e in p.endpoints] == [
        ("POST", "/posts/{id}/publish", False), ("GET", "/search", True)]
    assert any("diagrams.apiMap.nodes[0].data.metadata.endpoints[0]: same endpoint" in n
               for n in spec.notes)
    assert p.options.auth


def test_auth_endpoint_without_a_users_table_names_the_endpoint():
    with pytest.raises(SpecError) as err:
        load(_doc(nodes=[_node({"path": "/api/v1/search", "method": "GET",
                                "requiresAuth": True})]))
    assert ("diagrams.apiMap.nodes[0].data.metadata.endpoints[0].requiresAuth: auth is on but no "
            "table holds the accounts") in str(err.value)


def test_access_section_passes_through_and_turns_auth_on():
    doc = _with_users(_doc())
    doc["access"] = {"tables": {"posts": {"list": "public", "read": "public"}}}
    spec = load(doc)
    assert spec.project.options.auth
    assert spec.project.access.tables["posts"].list == "public"
    assert not any("access" in n for n in spec.notes)  # not reported as an ignored key


def test_no_endpoints_default_options():
    o = load(_doc()).project.options
    assert (o.auth, o.tests, o.docker, o.terraform, o.api_prefix) == \
        (False, True, True, False, "/api/v1")


def test_paths_without_prefix_are_noted():
    spec = load(_doc(endpoints=[{"path": "/api/v1/posts/:id/x", "method": "GET"},
                                {"path": "/stats", "method": "GET"}]))
    assert spec.project.options.api_prefix == "/api/v1"
    assert [e.path for e in spec.project.endpoints] == ["/posts/{id}/x", "/stats"]
    assert "endpoints[1] (/stats) has no API prefix: it is served under /api/v1" in spec.notes


def test_text_defaults_are_read_as_the_fields_type():
    posts = load(_doc(fields=[
        {"name": "id", "type": "serial"},
        {"name": "views", "type": "int", "default": "0"},
        {"name": "ratio", "type": "real", "default": "0.5"},
        {"name": "draft", "type": "boolean", "default": "TRUE"},
        {"name": "created", "type": "timestamp", "default": "now()"}])).project.tables[0]
    assert posts.field("views").default == 0
    assert posts.field("ratio").default == 0.5
    assert posts.field("draft").default is True
    assert posts.field("created").default == "now()"


def test_camel_case_tool_keys_and_reference_objects():
    spec = load({"name": "x", "schema": [
        {"name": "users", "fields": [{"name": "id", "type": "uuid", "primaryKey": True}]},
        {"name": "posts", "fields": [
            {"name": "id", "type": "bigint", "primaryKey": True, "autoIncrement": True},
            {"name": "ownerId", "type": "uuid", "nullable": False, "onDelete": "CASCADE",
             "references": {"table": "users", "field": "id"}},
            {"name": "code", "type": "string", "maxLength": 12}]}]}, fmt="designtool")
    posts = spec.project.table("posts")
    assert posts.field("id").auto_increment
    assert posts.field("code").max_length == 12
    owner = posts.field("ownerId")
    assert owner.references == "users.id" and owner.required
    assert owner.on_delete.value == "cascade"


def test_errors_point_at_the_tools_key_names():
    with pytest.raises(SpecError) as info:
        load({"name": "x", "schema": [
            {"name": "users", "fields": [{"name": "id", "type": "uuid", "primaryKey": True}]},
            {"name": "posts", "fields": [
                {"name": "id", "type": "uuid", "primaryKey": True},
                {"name": "ownerId", "type": "uuid", "required": True, "onDelete": "SET NULL",
                 "references": "users.id"},
                {"name": "code", "type": "string", "maxLength": -1}]}],
            "endpoints": [{"path": "/api/v1/x", "method": "GET", "group": "nope"},
                          {"path": "/api/v1/y", "method": "TRACE"}]})
    text = str(info.value)
    assert "schema[1].fields[2].maxLength: must be greater than 0 (got -1)" in text
    assert "endpoints[1].method: must be 'GET'" in text
    with pytest.raises(SpecError) as info:
        load({"name": "x", "schema": [
            {"name": "users", "fields": [{"name": "id", "type": "uuid", "primaryKey": True}]},
            {"name": "posts", "fields": [
                {"name": "id", "type": "uuid", "primaryKey": True},
                {"name": "ownerId", "type": "uuid", "required": True, "onDelete": "SET NULL",
                 "references": "users.id"}]}]})
    assert "schema[1].fields[1].onDelete: set_null on a required field" in str(info.value)


def test_unknown_tool_keys_are_noted_not_fatal():
    spec = load(_doc(theme="dark", fields=[
        {"name": "id", "type": "uuid", "required": True, "unique": True, "color": "red"}]))
    assert "ignored top-level keys: theme" in spec.notes
    assert "ignored field keys: color" in spec.notes
