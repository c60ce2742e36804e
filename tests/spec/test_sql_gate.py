"""The raw SQL gate (spec/sqlgate.py): every place a spec carries PostgreSQL text, in every
input format, is one expression (or type / method) re-rendered from its parse tree, and
anything else is exit 2 naming the place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backforge import api
from backforge.errors import SpecError
from backforge.spec import limits, load, sqlgate

PWN = "true; CREATE TABLE pwned(x int); --"


def _spec(**table: object) -> dict:
    fields = table.pop("fields", None) or [
        {"name": "id", "type": "integer", "primary_key": True},
        {"name": "Price", "type": "integer"},
        {"name": "name", "type": "string", "max_length": 40},
        {"name": "seen", "type": "datetime"},
    ]
    return {"name": "gate", "tables": [
        {"name": "other", "fields": [{"name": "id", "type": "integer", "primary_key": True}]},
        {"name": "items", "fields": fields, **table}]}


def _refused(source: object) -> str:
    with pytest.raises(SpecError) as exc:
        load(source)
    return str(exc.value)


# --- what passes, and how it is rendered -------------------------------------------------


def test_a_legitimate_check_and_partial_index_are_rerendered_over_sql_names():
    spec = load(_spec(checks=["price > 0 AND lower(name) <> ''", '"Price" BETWEEN 1 AND 9'],
                      indexes=[{"fields": ["name"], "using": "GIN",
                                "where": "seen IS NOT NULL and price::text like '1%'"}]))
    items = spec.project.table("items")
    assert items.checks == ("\"price\" > 0 AND LOWER(\"name\") <> ''",
                            '"price" BETWEEN 1 AND 9')
    assert items.indexes[0].using == "gin"
    assert items.indexes[0].where == "\"seen\" IS NOT NULL AND CAST(\"price\" AS TEXT) LIKE '1%'"
    up = api.generate(spec).files["migrations/0001_initial.up.sql"]
    assert "CHECK (\"price\" > 0 AND LOWER(\"name\") <> '')" in up
    assert ('USING gin ("name") WHERE "seen" IS NOT NULL AND CAST("price" AS TEXT) '
            "LIKE '1%';") in up


def test_the_gate_is_idempotent_on_its_own_output():
    once = sqlgate.expression("a = ANY (ARRAY['x', 'y']) or coalesce(b, 0) >= abs(c)",
                              {"a": "a", "b": "b", "c": "c"})
    assert sqlgate.expression(once) == once
    assert once == "\"a\" = ANY(ARRAY['x', 'y']) OR COALESCE(\"b\", 0) >= ABS(\"c\")"


@pytest.mark.parametrize(("written", "canonical"), [
    ("SMALLINT", "smallint"), ("int2", "int2"), ("text[]", "text[]"),
    ("bit varying(5)", "bit varying(5)"), ("timestamp(3) with time zone",
                                           "timestamp(3) with time zone"),
    ("public.geometry(Polygon, 4326)", "public.geometry(polygon, 4326)"),
    ('"My Type"', '"My Type"'), ("numeric( 10 ,2 )", "numeric(10, 2)"),
    ("double   precision", "double precision"), ("char(4)[3]", "char(4)[3]"),
])
def test_db_types_are_rerendered_from_their_tokens(written, canonical):
    assert sqlgate.column_type(written) == canonical


# --- refused: every raw SQL place of the native spec ------------------------------------------


CHECK_PAYLOADS = [
    (PWN, "found 2 statements"),
    ("price > 0); DROP TABLE items; --", "found 2 statements"),
    ("price > 0) OR (true -- ", "comments are not allowed"),
    ("price > 0); DROP TABLE items; SELECT (1", "found 3 statements"),
    ("price > 0;", "found a ';'"),
    ("price > 0 /* ); DROP TABLE items; */", "comments are not allowed"),
    ("price > 0 -- ); DROP TABLE items", "comments are not allowed"),
    ("price > (SELECT max(id) FROM other)", "a SELECT"),
    ("EXISTS (SELECT 1)", "found Exists"),
    ("price IN (SELECT id FROM other)", "a statement (a SELECT) is not allowed"),
    ("CREATE TABLE pwned(x int)", "found a statement (CREATE TABLE)"),
    ("pg_sleep(10) IS NULL", "function 'pg_sleep' is not allowed"),
    ("name <> $$x$$", "dollar-quoted string is not allowed"),
    ("name <> $t$x$t$", "dollar-quoted string is not allowed"),
    ("name <> E'\\x27) OR (true'", "E'...' string is not allowed"),
    ("name <> U&'\\0027); DROP TABLE items; --'", "U&'...' string is not allowed"),
    ("other.id > 0", "is qualified"),
    ("nope > 0", "no column 'nope'"),
    ("1 + 2", "found Add"),
    ("'x'", "found a string"),
    ("", "found nothing"),
]


@pytest.mark.parametrize(("payload", "message"), CHECK_PAYLOADS)
def test_a_check_that_is_not_one_boolean_expression_is_refused(payload, message):
    text = _refused(_spec(checks=["price > 0", payload]))
    assert "tables[1].checks[1]: " in text and message in text, text


@pytest.mark.parametrize(("payload", "message"), CHECK_PAYLOADS[:17])
def test_a_partial_index_predicate_goes_through_the_same_gate(payload, message):
    text = _refused(_spec(indexes=[{"fields": ["name"], "where": payload}]))
    assert "tables[1].indexes[0].where: " in text and message in text, text


@pytest.mark.parametrize("method", ["btree (name); CREATE TABLE pwned(x int); --", "evil",
                                    "btree(name)", "rtree", ""])
def test_an_unknown_index_method_is_refused(method):
    text = _refused(_spec(indexes=[{"fields": ["name"], "using": method}]))
    assert "tables[1].indexes[0].using: unknown index method" in text, text
    assert "btree, hash, gist, spgist, gin, brin" in text


@pytest.mark.parametrize(("db_type", "message"), [
    ("text; CREATE TABLE pwned(x int); --", "comments are not allowed"),
    ("text; CREATE TABLE pwned(x int)", "unexpected ';'"),
    ("integer references other(id)", "'integer references other' is not one PostgreSQL type"),
    ("int primary key", "not one PostgreSQL type name"),
    ("text CHECK (pg_sleep(1) IS NULL)", "not one PostgreSQL type name"),
    ("text COLLATE \"C\"", "not one PostgreSQL type name"),
    ("varchar('x')", "numbers or words"),
    ("varchar(10485761)", "exceeds PostgreSQL's limit of 10,485,760"),
    ("numeric(1001, 2)", "exceeds PostgreSQL's limit of 1,000"),
    ("numeric(5, 7)", "scale exceeds the precision"),
    ("text /* x */", "comments are not allowed"),
    ("timestamp(3) with time zone default now()", "after the arguments"),
])
def test_a_db_type_that_is_not_one_type_name_is_refused(db_type, message):
    fields = [{"name": "id", "type": "integer", "primary_key": True},
              {"name": "v", "type": "text", "db_type": db_type}]
    text = _refused(_spec(fields=fields))
    assert "tables[1].fields[1].db_type: " in text and message in text, text


@pytest.mark.parametrize(("kind", "default"), [
    ("datetime", "now()); CREATE TABLE pwned(x int); --"),
    ("date", "current_date; DROP TABLE items"),
    ("uuid", "gen_random_uuid(); DROP TABLE items"),
    ("datetime", "clock_timestamp()"),
])
def test_a_function_default_that_is_not_a_known_one_is_refused(kind, default):
    fields = [{"name": "id", "type": "integer", "primary_key": True},
              {"name": "v", "type": kind, "default": default}]
    text = _refused(_spec(fields=fields))
    assert "tables[1].fields[1].default: " in text and "is neither a" in text, text


@pytest.mark.parametrize(("kind", "default"), [
    ("datetime", "now"), ("datetime", "2024-01-31 10:00:00"), ("date", "2024-01-31"),
    ("date", "CURRENT_DATE"), ("uuid", "gen_random_uuid()"),
    ("uuid", "0b7d5e0c-5e0a-4f5e-9a2b-0c6d2b1a7f00"), ("string", "now(); DROP TABLE x"),
])
def test_known_defaults_still_load(kind, default):
    fields = [{"name": "id", "type": "integer", "primary_key": True},
              {"name": "v", "type": kind, "default": default}]
    assert load(_spec(fields=fields)).project.table("items").field("v").default == default


# --- size and depth ---------------------------------------------------------------------


def test_a_check_of_5000_ands_is_a_clean_exit_2():
    check = " AND ".join(["price > 0"] * 5000)
    text = _refused(_spec(checks=[check]))
    assert "tables[1].checks[0]: " in text and "exceed the limit" in text


def test_a_long_chain_within_the_token_limit_is_refused_by_depth():
    check = " AND ".join(["price > 0"] * 450)  # 1,799 tokens, a tree 450 levels deep
    text = _refused(_spec(checks=[check]))
    assert f"nests deeper than {limits.MAX_SQL_TREE_DEPTH} levels" in text, text


def test_deep_parentheses_are_refused_before_parsing():
    text = _refused(_spec(indexes=[{"fields": ["name"],
                                    "where": "(" * 500 + "price > 0" + ")" * 500}]))
    assert "tables[1].indexes[0].where: parentheses nest 500 deep" in text


def test_a_recursion_error_inside_sqlglot_is_a_located_refusal(monkeypatch):
    monkeypatch.setattr(limits, "MAX_SQL_TREE_DEPTH", 100_000)  # let sqlglot recurse
    monkeypatch.setattr(limits, "MAX_SQL_TOKENS", 100_000)
    monkeypatch.setattr(limits, "MAX_SQL_CHARS", 1_000_000)
    monkeypatch.setattr(limits, "MAX_SQL_PAREN_DEPTH", 100_000)
    with pytest.raises(sqlgate.SqlRejected, match="nests deeper"):
        sqlgate.expression("(" * 3000 + "a > 0" + ")" * 3000)


def test_a_huge_expression_is_refused_by_length():
    text = _refused(_spec(checks=["price > 0 AND name <> '" + "x" * 20_000 + "'"]))
    assert "characters exceed the limit of 10,000" in text


# --- the importers go through the same gate ------------------------------------------------


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("ddl", "where", "message"), [
    ("CREATE TABLE items (id int PRIMARY KEY, price int CHECK (price > (SELECT 1)));",
     "checks[0]", "a SELECT"),
    (("CREATE TABLE items (id int PRIMARY KEY, name text, "
     "CONSTRAINT c CHECK (pg_read_file('/etc/passwd') IS NOT NULL));"),
     "checks[0]", "function 'pg_read_file'"),
    (("CREATE TABLE items (id int PRIMARY KEY, name text);\n"
     "CREATE INDEX i ON items (name) WHERE pg_sleep(1) IS NULL;"),
     "indexes[0].where", "function 'pg_sleep'"),
    (("CREATE TABLE items (id int PRIMARY KEY, name text);\n"
     "CREATE INDEX i ON items USING rtree (name);"), "indexes[0].using", "unknown index method"),
])
def test_the_sql_importer_goes_through_the_gate(tmp_path, ddl, where, message):
    text = _refused(_file(tmp_path, "shop.sql", ddl))
    assert f"shop.sql:1.{where}: " in text and message in text, text


def test_a_legitimate_imported_check_and_partial_index_pass(tmp_path):
    path = _file(tmp_path, "shop.sql", (
        "CREATE TABLE items (id int PRIMARY KEY, name text, price int, "
        "CONSTRAINT c CHECK (price > 0 OR name IS NULL), CHECK (name <> $$x$$));\n"
        "CREATE INDEX i ON items USING HASH (name) WHERE (price > 10);"))
    items = load(path).project.table("items")
    # the importer re-renders from sqlglot's tree: the dollar quotes become a plain literal
    assert items.checks == ('"price" > 0 OR "name" IS NULL', "\"name\" <> 'x'")
    assert (items.indexes[0].using, items.indexes[0].where) == ("hash", '"price" > 10')


def test_a_dbml_type_that_is_not_a_type_is_refused(tmp_path):
    path = _file(tmp_path, "shop.dbml", 'Table items {\n  id integer [pk]\n'
                                        f'  name "varchar(10); {PWN}"\n}}\n')
    text = _refused(path)
    assert "items.name.db_type: " in text, text


def test_a_design_tool_default_that_is_sql_is_refused(tmp_path):
    data = {"name": "t", "schema": [{"name": "items", "fields": [
        {"name": "id", "type": "uuid", "required": True, "unique": True},
        {"name": "seen", "type": "timestamp", "default": "now()); " + PWN}]}]}
    text = _refused(_file(tmp_path, "t.project.json", json.dumps(data)))
    assert ".default: " in text and "is neither a datetime literal" in text, text


# --- a Project built by hand cannot bypass the gate ----------------------------------------


def test_the_migration_renderer_refuses_ungated_text():
    spec = load(_spec(checks=["price > 0"]))
    items = spec.project.table("items")
    bad = items.model_copy(update={"checks": (PWN,)})
    project = spec.project.model_copy(update={"tables": (spec.project.tables[0], bad)})
    hand_made = type(spec)(project, spec.names, spec.notes, spec.source, spec.format)
    result = api.generate(hand_made)
    assert not result.success
    assert "migrations/0001_initial.up.sql" not in result.files
    assert "items.checks[0]: expected one SQL boolean expression, found 2 statements" in \
        str(result.report)
