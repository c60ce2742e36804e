"""sql/values.py: the JSON Schema of a column's value says exactly what PostgreSQL
stores unchanged (checked with Python's jsonschema, the same rules ajv applies)."""

from __future__ import annotations

import random
import re
import struct

import jsonschema
import pytest

from backforge import load
from backforge.express.testgen import MAIN, ParentRef, body_for
from backforge.plan import build
from backforge.rest.schemas import create_schema
from backforge.spec.model import Field
from backforge.sql.values import (
    INT64,
    JSON_VALUE,
    JSON_VALUE_REF,
    SAFE_INT,
    integer_pattern,
    value_schema,
)
from backforge.stacks import get_stack
from backforge.stacks.express_js.render import project_context


def _schema(**kind) -> dict:
    f = Field(name="x", **kind)
    return value_schema(f, f, default_length=255)


def _ok(schema: dict, value) -> bool:
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.FormatChecker()).is_valid(value)


@pytest.mark.parametrize(("lo", "hi"), [(0, 5), (-3, 17), (7, 7), (-50, -3), (1, 2147483647),
                                        INT64])
def test_integer_pattern_matches_exactly_the_range(lo: int, hi: int) -> None:
    pattern = re.compile(integer_pattern(lo, hi))
    rng = random.Random(14)
    for n in [lo - 1, lo, hi, hi + 1, 0, -1, 1] + [rng.randint(lo - 10**6, hi + 10**6)
                                                  for _ in range(3000)]:
        assert bool(pattern.match(str(n))) == (lo <= n <= hi), n
    for text in ("01", "-0", "+1", "1e3", " 1", ""):
        assert not pattern.match(text)


def test_numeric_is_a_string_that_fits_or_a_safe_integer() -> None:
    money = _schema(type="decimal", precision=6, scale=2)
    for good in ("19.99", "9999.99", "-0.5", "0", 12, -9999):
        assert _ok(money, good), good
    for bad in ("19.999", "10000", "9999.999999999998", 19.99, "1e3", "00.1", 10000, "NaN"):
        assert not _ok(money, bad), bad
    assert "19.99" in money["x-expected"]
    unsigned = Field(name="x", type="decimal", precision=10, scale=2, min=0)
    assert not _ok(value_schema(unsigned, unsigned, default_length=255), "-1.00")


def test_bigint_is_a_string_in_range_or_a_safe_integer() -> None:
    big = _schema(type="bigint")
    for good in (str(2**53 + 1), str(INT64[1]), str(INT64[0]), SAFE_INT, -SAFE_INT):
        assert _ok(big, good), good
    for bad in (str(INT64[1] + 1), SAFE_INT + 1, 1.5, "12a"):
        assert not _ok(big, bad), bad


def test_text_date_and_datetime_follow_postgresql() -> None:
    text = _schema(type="text")
    assert _ok(text, "ok") and not _ok(text, "a\u0000b")
    ts = _schema(type="datetime")
    assert _ok(ts, "2024-05-01T10:00:00.123456+15:59")
    for bad in ("2024-05-01T10:00:00+16:00", "2024-05-01T10:00:00.1234567Z",
                "0000-01-01T00:00:00Z", "2024-05-01 10:00:00Z"):
        assert not _ok(ts, bad), bad
    day = _schema(type="date")
    assert _ok(day, "0001-01-01") and not _ok(day, "0000-01-01")
    assert _schema(type="json")["x-json"] == {"maxDepth": 32}


def test_a_timestamp_without_time_zone_takes_utc_only() -> None:
    f = Field(name="x", type="datetime", db_type="timestamp(3) without time zone")
    schema = value_schema(f, f, default_length=255)
    assert _ok(schema, "2024-05-01T10:00:00Z") and _ok(schema, "2024-05-01T10:00:00+00:00")
    assert not _ok(schema, "2024-05-01T10:00:00+02:00")  # PostgreSQL would drop the offset


def test_an_int4_column_referencing_a_bigint_key_reads_and_writes_json_integers() -> None:
    """Imported schemas keep narrower FK columns (OpenStreetMap: issues.reported_user_id
    integer -> users.id bigint): the column's values are int4, so its schema is an integer
    and the tests turn the parent's bigint-string key into a number before sending it."""
    loaded = load({"name": "narrow", "tables": [
        {"name": "users", "fields": [{"name": "id", "type": "bigint", "primary_key": True,
                                      "auto_increment": True}]},
        {"name": "issues", "fields": [
            {"name": "id", "type": "integer", "primary_key": True, "auto_increment": True},
            {"name": "reported_user_id", "type": "integer", "db_type": "integer",
             "references": "users.id"}]}]})
    ctx = project_context(build(loaded.project, get_stack("express-js"), loaded.names))
    issues = ctx.table("issues")
    column = next(c for c in issues.columns if c.prop == "reported_user_id")
    assert column.sql_type == "integer"
    assert column.value_schema(nullable=False)["type"] == "integer"
    body = body_for(ctx, issues, MAIN)
    assert body["reported_user_id"] == ParentRef(ctx.table("users").var, "id", as_integer=True)


def test_the_largest_real_as_postgresql_prints_it_is_valid() -> None:
    """PostgreSQL prints the float32 maximum as 3.4028235e+38 (shortest exact form), a
    double above 3.4028234663852886e38: the response of a stored maximum must still
    match the schema (schemathesis found the opposite on northwind's `freight real`)."""
    real = _schema(type="float", db_type="real")
    for stored in (3.4028235e38, -3.4028235e38, 3.4028234663852886e38, 1.5, 0):
        assert _ok(real, stored), stored
    for beyond in (3.5e38, -3.5e38, 1e39):
        assert not _ok(real, beyond), beyond
    # every accepted value rounds to a finite float32 (PostgreSQL stores, never overflows)
    assert struct.unpack("<f", struct.pack("<f", real["maximum"]))[0] < float("inf")


def test_a_column_keeps_its_own_narrower_integer_type() -> None:
    """openstreetmap's reports.user_id is `integer` referencing users.id `bigint`:
    9007199254740990 passed the schema and PostgreSQL answered out of range (400)."""
    key = Field(name="id", type="bigint", db_type="bigint")
    own = Field(name="user_id", type="bigint", db_type="integer")
    schema = value_schema(key, own, default_length=255)
    assert _ok(schema, "2147483647") and _ok(schema, -2147483648)
    for beyond in ("2147483648", 9007199254740990, -2147483649):
        assert not _ok(schema, beyond), beyond
    assert _ok(value_schema(key, key, default_length=255), "9223372036854775807")



def _opaque(db_type: str) -> dict:
    f = Field(name="x", type="text", db_type=db_type)
    return value_schema(f, f, default_length=255)


@pytest.mark.parametrize(("db_type", "good", "bad"), [
    ("inet", ["192.0.2.1", "192.0.2.1/24", "0.0.0.0/0", "2001:db8::1", "::", "::1/128",
              "::ffff:1.2.3.4", "1:2:3:4:5:6:7::", "fe80::1:2/64", "1:2:3:4:5:6:1.2.3.4"],
     ["256.0.0.1", "1.2.3", "1.2.3.4/33", "1.2.3.4/", "2001:db8::1/129", "1:2:3:4:5:6:7:8:9",
      "1::2::3", "fe80::1%eth0", "١.2.3.4", "junk", ""]),
    ("cidr", ["192.0.2.0/24", "10.0.0.0/8", "0.0.0.0/0", "192.0.2.1/32", "192.0.2.128/25",
              "2001:db8::1", "2001:db8::1/128"],
     ["192.0.2.1/24", "192.0.2.64/25", "10.1.0.0/8", "192.0.2.1", "2001:db8::/32"]),
    ("macaddr", ["08:00:2b:01:02:03", "08:00:2B:01:02:0A"], ["08:00:2b:01:02", "08-00-2b"]),
    ("bytea", ["\\x", "\\x0a1B"], ["\\x0", "abc", "\\\\x00"]),
    ("tsvector", ["", "'a'", "'fat':2A 'rat':3,16383B", "'it''s' 'back\\\\slash'", "'a b'"],
     ["fat", "'a':0", "'a':16384", "''", "'a'  'b'", "'a\\'", "'a\u0000'", "'a':1E"]),
])
def test_opaque_string_types_admit_only_what_postgresql_parses(db_type, good, bad) -> None:
    schema = _opaque(db_type)
    assert schema["type"] == "string" and schema["x-expected"]
    for value in good:
        assert _ok(schema, value), value
    for value in bad:
        assert not _ok(schema, value), value


def test_arrays_of_scalars_are_json_arrays_of_the_element_schema() -> None:
    tags = _opaque("text[]")
    assert _ok(tags, ["a", None, ""]) and not _ok(tags, "{a}") and not _ok(tags, ["a\u0000"])
    assert not _ok(_opaque("varchar(3)[]"), ["abcd"])
    ints = _opaque("int4[]")
    assert _ok(ints, [1, -2147483648]) and not _ok(ints, [2147483648]) and not _ok(ints, [1.5])
    reals = _opaque("real[]")
    # float4 underflow is an error in PostgreSQL; 1e-45 is its smallest denormal as printed
    for good in ([0, 1.5, 1e-45, -1e-40, 3.4028235e38], [None]):
        assert _ok(reals, good), good
    for bad in ([1e-46], [-1e-50], [3.5e38]):
        assert not _ok(reals, bad), bad
    assert _ok(_opaque("boolean[]"), [True]) and not _ok(_opaque("boolean[]"), ["t"])
    for unknown in ("uuid[]", "numeric[]", "text[][]", "time", "interval", "xml"):
        schema = _opaque(unknown)  # no exact form: the text form, without NUL
        assert schema["type"] == "string" and schema["pattern"] == "^[^\\u0000]*$", unknown


def test_a_real_column_refuses_underflow_too() -> None:
    f = Field(name="x", type="float", db_type="real")
    schema = value_schema(f, f, default_length=255)
    assert _ok(schema, 0) and _ok(schema, 1e-45) and not _ok(schema, 1e-300)


def test_json_values_refer_to_a_json_value_without_nul_anywhere() -> None:
    doc = _schema(type="json")
    root = {**doc, "components": {"schemas": {"JsonValue": JSON_VALUE}}}
    assert doc["then"] == {"$ref": JSON_VALUE_REF} and doc["if"] == {"x-json": doc["x-json"]}
    for good in ({"a": [1, "b", None, {"c": True}]}, "text", 1.5, None):
        assert _ok(root, good), good
    for bad in ({"a": ["x\u0000"]}, {"k\u0000": 1}, "\u0000", [[[{"a": "\u0000"}]]]):
        assert not _ok(root, bad), bad


def test_a_text_key_defaulting_to_empty_must_be_given_on_create() -> None:
    """OpenStreetMap's changeset_tags.k: NOT NULL DEFAULT '' in a composite key. The
    default would create a row keyed "" that no item path can address."""
    loaded = load({"name": "osm", "tables": [{"name": "tags", "fields": [
        {"name": "cid", "type": "integer", "primary_key": True},
        {"name": "k", "type": "string", "max_length": 255, "primary_key": True, "default": ""},
        {"name": "v", "type": "string", "max_length": 255, "required": True, "default": ""},
    ]}]})
    ctx = project_context(build(loaded.project, get_stack("express-js"), loaded.names))
    create = create_schema(ctx.tables[0])
    assert create["required"] == ["cid", "k"]
    assert "default" not in create["properties"]["k"] and create["properties"]["k"]["minLength"] == 1
    assert create["properties"]["v"]["default"] == ""  # not a key: its default is fine
