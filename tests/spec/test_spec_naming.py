"""Name sanitizing: every hard case gets a safe, unique identifier and a recorded rename."""

from __future__ import annotations

import re

import pytest

from backforge.errors import SpecError
from backforge.spec import load, resolve
from backforge.spec.naming import (
    SQL_MAX_BYTES,
    js_identifier,
    kebab,
    singular,
    sql_identifier,
)

_SQL_SAFE = re.compile(r"^[a-z_][a-z0-9_]*$")
_JS_SAFE = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def _project(*tables: tuple[str, list[str]]) -> dict:
    return {"name": "Naming", "tables": [
        {"name": t, "fields": [{"name": "id", "type": "uuid", "primary_key": True}]
         + [{"name": f, "type": "text"} for f in fields]} for t, fields in tables]}


def test_reserved_words_keep_their_sql_name():
    spec = load(_project(("user", ["select", "order", "group"]), ("order", []), ("group", [])))
    names = spec.names
    assert [names.table(t).sql for t in ("user", "order", "group")] == ["user", "order", "group"]
    assert names.field("user", "select").sql == "select"
    assert names.field("user", "order").prop == "order"  # a fine JS property name
    assert not [r for r in names.renames if r.target == "sql"]


@pytest.mark.parametrize(("name", "sql", "prop"), [
    ("Display Name", "display_name", "displayName"),
    ("authorId", "author_id", "authorId"),
    ("HTTPStatus", "http_status", "HTTPStatus"),
    ("Café Crème", "cafe_creme", "cafeCreme"),
    ("Straße", "strasse", "strasse"),
    ("ılık", "ilik", "ilik"),
    ("用户名", "u7528_u6237_u540d", "u7528U6237U540d"),
    ("2fa code", "t_2fa_code", "_2faCode"),
    ("constructor", "constructor", "constructorValue"),
    ("__proto__", "proto", "protoValue"),
    ("toString", "to_string", "toStringValue"),
    ("hasOwnProperty", "has_own_property", "hasOwnPropertyValue"),
    ("default", "default", "defaultValue"),
    ("class", "class", "classValue"),
])
def test_hard_field_names(name, sql, prop):
    spec = load(_project(("things", [name])))
    fn = spec.names.field("things", name)
    assert (fn.sql, fn.prop) == (sql, prop)
    assert _SQL_SAFE.match(fn.sql) and _JS_SAFE.match(fn.prop)
    recorded = {(r.target, r.renamed) for r in spec.names.renames if r.original == name}
    if sql != name:
        assert ("sql", sql) in recorded
    if prop != name:
        assert ("js", prop) in recorded


def test_rename_reasons_and_places():
    spec = load(_project(("things", ["constructor", "Café", "Display Name"])))
    by_name = {(r.original, r.target): r for r in spec.names.renames}
    assert str(by_name[("constructor", "js")]) == (
        "tables[0].fields[1]: 'constructor' -> 'constructorValue' "
        "(js: JavaScript reserved word or prototype key)")
    assert by_name[("Café", "sql")].reason == "non-ASCII letters"
    assert by_name[("Display Name", "sql")].reason == "spaces or punctuation"


def test_long_identifiers_are_truncated_with_a_hash_and_stay_unique():
    a = "customer_" + "very_long_segment_" * 5 + "alpha"
    b = "customer_" + "very_long_segment_" * 5 + "beta"
    spec = load(_project((a, [a + "_column"]), (b, [])))
    sa, sb = spec.names.table(a).sql, spec.names.table(b).sql
    assert len(sa.encode()) <= SQL_MAX_BYTES and len(sb.encode()) <= SQL_MAX_BYTES
    assert sa != sb and sa[:40] == sb[:40]
    assert re.search(r"_[0-9a-f]{8}$", sa)
    assert len(spec.names.field(a, a + "_column").sql.encode()) <= SQL_MAX_BYTES
    reasons = {r.reason for r in spec.names.renames if r.original == a and r.target == "sql"}
    assert reasons == {"longer than 63 bytes: truncated with a hash suffix"}


def test_multibyte_names_are_bounded_in_bytes():
    name = "数据" * 40
    ident = sql_identifier(name)
    assert len(ident.encode()) <= SQL_MAX_BYTES and _SQL_SAFE.match(ident)
    assert sql_identifier(name) == ident  # deterministic


def test_table_names_with_spaces_capitals_and_unicode():
    spec = load(_project(("Order Items", []), ("Équipes", []), ("用户", [])))
    oi = spec.names.table("Order Items")
    assert (oi.sql, oi.url, oi.file, oi.singular, oi.plural) == \
        ("order_items", "order-items", "order-items", "OrderItem", "OrderItems")
    eq = spec.names.table("Équipes")
    assert (eq.sql, eq.url, eq.singular) == ("equipes", "equipes", "Equipe")
    cjk = spec.names.table("用户")
    assert _SQL_SAFE.match(cjk.sql) and _JS_SAFE.match(cjk.singular)


def test_table_collision_names_both():
    with pytest.raises(SpecError) as info:
        load(_project(("Order Items", []), ("orders", []), ("order_items", [])))
    (problem,) = info.value.problems
    assert problem.startswith("tables[2].name: 'Order Items' (tables[0]) and 'order_items' "
                              "(tables[2]) both become the SQL table name 'order_items'")


def test_url_and_js_name_collisions():
    with pytest.raises(SpecError) as info:
        load(_project(("user", []), ("users", [])))
    assert "'user' (tables[0]) and 'users' (tables[1]) both become the JavaScript name 'User'" \
        in str(info.value)


def test_js_property_collision_after_suffixing():
    with pytest.raises(SpecError) as info:
        load(_project(("t", ["constructor", "constructorValue"])))
    assert "both become the API property name 'constructorValue'" in str(info.value)


def test_resolve_still_raises_for_direct_callers():
    from backforge.spec import Project
    project = Project.model_validate(_project(("a b", []), ("a_b", [])))
    with pytest.raises(SpecError) as info:
        resolve(project)
    assert info.value.exit_code == 2
    assert "both become the SQL table name 'a_b'" in str(info.value)


def test_table_starting_with_a_digit_gets_valid_js_names():
    spec = load(_project(("2024 results", [])))
    t = spec.names.table("2024 results")
    assert t.sql == "t_2024_results"
    assert _JS_SAFE.match(t.singular) and _JS_SAFE.match(t.plural)


@pytest.mark.parametrize(("plural", "single"), [
    ("users", "user"), ("categories", "category"), ("addresses", "address"),
    ("statuses", "status"), ("houses", "house"), ("courses", "course"), ("boxes", "box"),
    ("quizzes", "quiz"), ("movies", "movie"), ("people", "person"), ("news", "news"),
    ("order_items", "order_item"), ("analysis", "analysis"),
])
def test_singular(plural, single):
    assert singular(plural) == single


def test_js_identifier_and_kebab():
    assert js_identifier("order items", style="camel") == "orderItems"
    assert js_identifier("2x") == "_2x"
    assert kebab("OrderItems") == "order-items"
