"""The shared type parser: SQL-ish spellings -> spec field types."""

from __future__ import annotations

import pytest

from backforge.spec import FieldType, ParsedType, UnknownTypeError, load, parse_type

T = FieldType


@pytest.mark.parametrize(("spelling", "expected"), [
    ("VARCHAR(120)", ParsedType(T.STRING, max_length=120)),
    ("varchar", ParsedType(T.STRING)),
    ("character varying(40)", ParsedType(T.STRING, max_length=40)),
    ("char(2)", ParsedType(T.STRING, max_length=2)),
    ("string", ParsedType(T.STRING)),
    ("TEXT", ParsedType(T.TEXT)),
    ("int", ParsedType(T.INTEGER)),
    ("int4", ParsedType(T.INTEGER)),
    ("Integer", ParsedType(T.INTEGER)),
    ("smallint", ParsedType(T.INTEGER)),
    ("int(11)", ParsedType(T.INTEGER)),
    ("bigint", ParsedType(T.BIGINT)),
    ("INT8", ParsedType(T.BIGINT)),
    ("serial", ParsedType(T.INTEGER, auto_increment=True)),
    ("BIGSERIAL", ParsedType(T.BIGINT, auto_increment=True)),
    ("numeric(10,2)", ParsedType(T.DECIMAL, precision=10, scale=2)),
    ("DECIMAL(12, 4)", ParsedType(T.DECIMAL, precision=12, scale=4)),
    ("numeric(5)", ParsedType(T.DECIMAL, precision=5, scale=0)),
    ("decimal", ParsedType(T.DECIMAL)),
    ("real", ParsedType(T.FLOAT)),
    ("double precision", ParsedType(T.FLOAT)),
    ("float", ParsedType(T.FLOAT)),
    ("bool", ParsedType(T.BOOLEAN)),
    ("BOOLEAN", ParsedType(T.BOOLEAN)),
    ("date", ParsedType(T.DATE)),
    ("timestamp", ParsedType(T.DATETIME)),
    ("timestamptz", ParsedType(T.DATETIME)),
    ("datetime", ParsedType(T.DATETIME)),
    ("timestamp with time zone", ParsedType(T.DATETIME)),
    ("TIMESTAMP(3)   WITHOUT  TIME ZONE", ParsedType(T.DATETIME)),
    ("uuid", ParsedType(T.UUID)),
    ("json", ParsedType(T.JSON)),
    ("JSONB", ParsedType(T.JSON)),
    ("enum", ParsedType(T.ENUM)),
    ("ENUM('Draft', 'it''s')", ParsedType(T.ENUM, values=("Draft", "it's"))),
])
def test_spellings(spelling, expected):
    assert parse_type(spelling) == expected


@pytest.mark.parametrize(("spelling", "message"), [
    ("strng", "unknown type 'strng' (did you mean 'string'?)"),
    ("VARCHR(10)", "unknown type 'VARCHR(10)' (did you mean 'varchar'?)"),
    ("geometry", "unknown type 'geometry'"),
    ("int[]", "unknown type 'int[]'"),
    ("varchar(a)", "type 'varchar(a)': expected one number in parentheses"),
    ("varchar(0)", "type 'varchar(0)': the length must be at least 1"),
    ("numeric(2,5)", "type 'numeric(2,5)': need 1 <= scale <= precision"),
    ("bool(1)", "type 'bool(1)' takes no arguments in parentheses"),
    ("enum(a, b)", "enum values must be quoted"),
    (42, "type must be text, not int"),
])
def test_bad_spellings(spelling, message):
    with pytest.raises(UnknownTypeError) as info:
        parse_type(spelling)
    assert message in str(info.value)


def test_unknown_type_hint_lists_every_spec_type():
    with pytest.raises(UnknownTypeError) as info:
        parse_type("blob")
    for ftype in FieldType:
        assert ftype.value in info.value.hint


def _one_field(field: dict) -> dict:
    return {"name": "x", "tables": [{"name": "t", "fields": [
        {"name": "id", "type": "uuid", "primary_key": True}, field]}]}


def test_native_spec_accepts_sql_spellings():
    spec = load(_one_field({"name": "price", "type": "NUMERIC(10,2)", "min": 0}))
    price = spec.project.tables[0].field("price")
    assert (price.type, price.precision, price.scale, price.min) == (T.DECIMAL, 10, 2, 0)


def test_enum_spelling_fills_values():
    spec = load(_one_field({"name": "state", "type": "enum('open','closed')", "default": "open"}))
    assert spec.project.tables[0].field("state").values == ("open", "closed")


def test_serial_becomes_the_primary_key_of_a_table_without_one():
    spec = load({"name": "x", "tables": [{"name": "t", "fields": [
        {"name": "code", "type": "text"}, {"name": "n", "type": "serial"}]}]})
    n = spec.project.tables[0].field("n")
    assert n.primary_key and n.auto_increment and n.type is T.INTEGER
    assert spec.notes == (("tables[0] (t) has no primary key: made its auto-increment field 'n' "
                          "the primary key"),)
