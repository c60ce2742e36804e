"""Normalizations after validation: primary keys, endpoint paths, API prefix; all noted."""

from __future__ import annotations

from backforge.spec import FieldType, load


def _spec(fields, endpoints=(), **options) -> dict:
    return {"name": "x", "options": options, "endpoints": list(endpoints),
            "tables": [{"name": "items", "fields": fields}]}


def test_table_without_key_gets_a_bigint_id_first():
    spec = load(_spec([{"name": "label", "type": "text"}]))
    table = spec.project.tables[0]
    assert [f.name for f in table.fields] == ["id", "label"]
    key = table.fields[0]
    assert (key.type, key.primary_key, key.auto_increment, key.generated) == \
        (FieldType.BIGINT, True, True, True)
    assert spec.notes == (("tables[0] (items) has no primary key: added an 'id' column "
                          "(bigint, auto increment)"),)
    assert spec.names.field("items", "id").sql == "id"


def test_existing_id_field_becomes_the_key():
    spec = load(_spec([{"name": "label", "type": "text"},
                       {"name": "ID", "type": "uuid", "unique": True}]))
    table = spec.project.tables[0]
    assert [f.name for f in table.primary_key] == ["ID"]
    assert not table.field("ID").unique
    assert spec.notes == (("tables[0] (items) has no primary key: made its field 'ID' the "
                          "primary key"),)


def test_composite_key_is_kept():
    spec = load(_spec([{"name": "a", "type": "integer", "primary_key": True},
                       {"name": "b", "type": "integer", "primary_key": True}]))
    assert [f.name for f in spec.project.tables[0].primary_key] == ["a", "b"]
    assert spec.notes == ()


def test_database_filled_keys_are_not_required_input():
    spec = load(_spec([{"name": "id", "type": "uuid", "primary_key": True, "required": True},
                       {"name": "n", "type": "serial", "required": True}]))
    table = spec.project.tables[0]
    assert not table.field("id").required and not table.field("n").required


def test_endpoint_paths_are_canonical():
    spec = load(_spec([{"name": "id", "type": "uuid", "primary_key": True}], endpoints=[
        {"method": "post", "path": "items/:id/archive/", "table": "items"},
        {"method": "GET", "path": "/api/v1/items/{id}/history"}]))
    eps = spec.project.endpoints
    assert [(e.method, e.path) for e in eps] == [
        ("POST", "/items/{id}/archive"), ("GET", "/items/{id}/history")]
    assert ("endpoints[1] (/api/v1/items/{id}/history) starts with the API prefix /api/v1: "
            "stored as /items/{id}/history") in spec.notes


def test_api_prefix_is_canonical():
    fields = [{"name": "id", "type": "uuid", "primary_key": True}]
    assert load(_spec(fields, api_prefix="api/v2/")).project.options.api_prefix == "/api/v2"
    assert load(_spec(fields, api_prefix="/")).project.options.api_prefix == ""


def test_custom_endpoint_equal_to_a_crud_route_is_noted():
    spec = load(_spec([{"name": "id", "type": "uuid", "primary_key": True}], endpoints=[
        {"method": "GET", "path": "/items"},
        {"method": "DELETE", "path": "/items/{itemId}"},
        {"method": "GET", "path": "/items/{id}/report"}]))
    assert spec.notes == (
        "endpoints[0] (GET /items) is the generated list route of 'items': served by it",
        ("endpoints[1] (DELETE /items/{itemId}) is the generated delete route of 'items': "
        "served by it"),
    )
