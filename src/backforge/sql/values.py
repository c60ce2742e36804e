"""What PostgreSQL accepts for a column's value, as a JSON Schema: the one place every
stack's request validation and OpenAPI document take their value rules from.

The rule is exactness: a value the schema accepts is stored as sent and read back
equal, and anything PostgreSQL would reject (or silently round) is refused before it
gets there, with the field named.

- text: no NUL (PostgreSQL cannot store U+0000);
- `numeric(p, s)` and `bigint` travel as JSON strings (a JS number holds 15-17 digits
  and 2^53): a decimal string that fits the precision and scale, or a safe integer
  JSON number that fits; never rounded, never an exponent;
- integers within their type's range; floats finite;
- dates and date-times with 4-digit years from 0001 (PostgreSQL has no year 0), UTC
  offsets up to ±15:59 (PostgreSQL's limit) and at most microseconds;
- json: depth and NUL are checked by the `x-json` keyword (JSON Schema cannot say
  "depth" and a deep document crashes serializers); stacks implement it.
"""

from __future__ import annotations

import re
from typing import Any

from backforge.spec.model import Field, FieldType

T = FieldType
INT16 = (-32768, 32767)  # an imported `smallint` column (db_type)
INT32 = (-2147483648, 2147483647)
INT64 = (-9223372036854775808, 9223372036854775807)
SAFE_INT = 2 ** 53 - 1  # the largest integer a JSON number carries exactly in JS
FLOAT8_MAX = 1.7976931348623157e308
# The largest `real`, as PostgreSQL prints it (shortest exact form): 3.4028235e+38 reads
# back as a double above the exact float32 maximum 3.4028234663852886e38, so that bound
# would make the stored maximum violate its own response schema. PostgreSQL rounds any
# input up to this value to the float32 maximum (not infinity), so it also bounds input.
FLOAT4_MAX = 3.4028235e38
JSON_MAX_DEPTH = 32
NUMERIC_MAX_LENGTH = 1000  # characters of an unconstrained numeric's decimal string
TEXT_PATTERN = "^[^\\u0000]*$"
_YEAR = "(?!0000)\\d{4}"
_DATE = f"{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])"
DATE_PATTERN = f"^{_DATE}$"
_TIME = "[Tt](?:[01]\\d|2[0-3]):[0-5]\\d:(?:[0-5]\\d|60)(?:\\.\\d{1,6})?"
DATETIME_PATTERN = f"^{_DATE}{_TIME}(?:[Zz]|[+-](?:0\\d|1[0-5]):[0-5]\\d)$"
# `timestamp without time zone` drops any offset it is given: the API reads and writes
# such a column as UTC, so only Z (or +00:00) is exact.
UTC_DATETIME_PATTERN = f"^{_DATE}{_TIME}(?:[Zz]|[+-]00:00)$"
_NO_ZONE = re.compile(r"^\s*timestamp\s*(?:\(\s*\d+\s*\))?\s*(?:without\s+time\s+zone)?\s*$",
                      re.IGNORECASE)


_INT_DB_TYPES = {"smallint": INT16, "int2": INT16, "integer": INT32, "int": INT32,
                 "int4": INT32, "bigint": INT64, "int8": INT64}


def _int_type_range(f: Field, own: Field) -> tuple[int, int]:
    """The range of the value type (`f`, the referenced key for a foreign key), narrowed
    by the column's own database type: an `integer` column referencing a `bigint` key
    (openstreetmap's reports.user_id) stores only 32-bit values."""
    lo, hi = INT64 if f.type is T.BIGINT else \
        _INT_DB_TYPES.get((f.db_type or "").strip().lower(), INT32)
    own_range = _INT_DB_TYPES.get((own.db_type or "").strip().lower())
    if own_range is not None:
        lo, hi = max(lo, own_range[0]), min(hi, own_range[1])
    return lo, hi


def int_range(f: Field, own: Field) -> tuple[int, int]:
    """The integers a column accepts: its type's range narrowed by the spec's min/max."""
    lo, hi = _int_type_range(f, own)
    if own.min is not None:
        lo = max(lo, -int(-own.min // 1))  # ceil
    if own.max is not None:
        hi = min(hi, int(own.max // 1))
    return lo, hi


def _fill_nines(n: int, count: int) -> int:
    text = str(n)
    return int(text[:-count] + "9" * count) if count < len(text) else int("9" * count)


def _split(lo: int, hi: int) -> list[int]:
    """Stops that cut [lo, hi] into runs with one digit pattern each (to-regex-range)."""
    stops = {hi}
    nines = 1
    while lo <= (stop := _fill_nines(lo, nines)) < hi:
        stops.add(stop)
        nines += 1
    zeros = 1
    while lo < (stop := (hi + 1) - (hi + 1) % 10 ** zeros - 1) <= hi:
        stops.add(stop)
        zeros += 1
    return sorted(stops)


def _run(start: int, stop: int) -> str:
    a, b = str(start), str(stop)
    out, any_digits = "", 0
    for x, y in zip(a, b, strict=True):
        if x == y:
            out += x
        elif x == "0" and y == "9":
            any_digits += 1
        else:
            out += f"[{x}-{y}]" if int(y) > int(x) + 1 else f"[{x}{y}]"
    if any_digits:
        out += "\\d" if any_digits == 1 else f"\\d{{{any_digits}}}"
    return out


def _natural_range(lo: int, hi: int) -> list[str]:
    """Alternatives matching exactly the decimal strings of lo..hi (0 <= lo <= hi)."""
    out, start = [], lo
    for stop in _split(lo, hi):
        out.append(_run(start, stop))
        start = stop + 1
    return out


def integer_pattern(lo: int, hi: int) -> str:
    """A regex matching exactly the canonical decimal strings of the integers lo..hi."""
    alts: list[str] = []
    if lo < 0:
        alts += ["-(?:" + "|".join(_natural_range(max(1, -hi), -lo)) + ")"]
    if hi >= 0:
        alts += _natural_range(max(0, lo), hi)
    return "^(?:" + "|".join(alts) + ")$"


def decimal_pattern(precision: int | None, scale: int | None, *, negative: bool) -> str:
    """A canonical decimal string that numeric(precision, scale) stores without rounding."""
    sign = "-?" if negative else ""
    if precision is None:
        return f"^{sign}(?:0|[1-9]\\d*)(?:\\.\\d+)?$"
    scale = scale or 0
    whole = "0" if precision == scale else f"(?:0|[1-9]\\d{{0,{precision - scale - 1}}})"
    frac = f"(?:\\.\\d{{1,{scale}}})?" if scale else ""
    return f"^{sign}{whole}{frac}$"


def _decimal_schema(f: Field, own: Field) -> dict[str, Any]:
    negative = own.min is None or own.min < 0
    schema: dict[str, Any] = {"type": ["string", "integer"],
                              "pattern": decimal_pattern(f.precision, f.scale,
                                                         negative=negative)}
    if f.precision is None:
        schema["maxLength"] = NUMERIC_MAX_LENGTH
        lo, hi = -SAFE_INT, SAFE_INT
    else:
        limit = min(10 ** (f.precision - (f.scale or 0)) - 1, SAFE_INT)
        lo, hi = -limit, limit
    if own.min is not None:
        lo = max(lo, -int(-own.min // 1))
    if own.max is not None:
        hi = min(hi, int(own.max // 1))
    schema["minimum"], schema["maximum"] = lo, hi
    if f.precision is None:
        digits = "a decimal string"
    else:
        scale = f.scale or 0
        digits = (f"a decimal string with at most {f.precision - scale} digits before the "
                  f"point and {scale} after it")
    schema["x-expected"] = (f"must be {digits} (e.g. \"{_example(f)}\", sent as a JSON "
                            "string so that no digit is lost) or an integer")
    return schema


def _example(f: Field) -> str:
    scale = f.scale or 0
    if f.precision is None:
        return "19.99"
    if f.precision == scale:
        return "0." + "5" * min(scale, 2) if scale else "0"
    return "19." + "9" * min(scale, 2) if scale or f.precision is None else "19"


def _bigint_schema(f: Field, own: Field) -> dict[str, Any]:
    lo, hi = int_range(f, own)
    return {"type": ["string", "integer"], "pattern": integer_pattern(lo, hi),
            "minimum": max(lo, -SAFE_INT), "maximum": min(hi, SAFE_INT),
            "x-expected": f"must be an integer from {lo} to {hi}, as a string of digits "
                          f"(exact beyond 2^53) or a JSON integer of at most 2^53 - 1"}


def _float_schema(f: Field, own: Field) -> dict[str, Any]:
    db = (own.db_type or f.db_type or "").strip().lower()
    limit = FLOAT4_MAX if db in ("real", "float4") else FLOAT8_MAX
    lo = -limit if own.min is None else own.min
    hi = limit if own.max is None else own.max
    return {"type": "number", "minimum": _num(lo), "maximum": _num(hi)}


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() and abs(value) < 2 ** 63 else value


def _string_schema(f: Field, own: Field, default_length: int) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    limit = f.max_length or (default_length if f.type is T.STRING else None)
    if own.max is not None:
        limit = min(limit or int(own.max), int(own.max))
    if limit is not None:
        schema["maxLength"] = limit
    if own.min is not None and own.min > 0:
        schema["minLength"] = int(own.min)
    schema["pattern"] = TEXT_PATTERN
    schema["x-expected"] = "must be text without NUL (\\u0000) characters"
    return schema


def value_schema(f: Field, own: Field, *, default_length: int) -> dict[str, Any]:
    """JSON Schema of a non-null value. `f` gives the type, `own` the constraints."""
    kind = f.type
    if kind in (T.STRING, T.TEXT):
        schema = _string_schema(f, own, default_length)
    elif kind is T.INTEGER:
        lo, hi = int_range(f, own)
        schema = {"type": "integer", "minimum": lo, "maximum": hi}
    elif kind is T.BIGINT:
        schema = _bigint_schema(f, own)
    elif kind is T.DECIMAL:
        schema = _decimal_schema(f, own)
    elif kind is T.FLOAT:
        schema = _float_schema(f, own)
    elif kind is T.BOOLEAN:
        schema = {"type": "boolean"}
    elif kind is T.ENUM:
        schema = {"type": "string", "enum": list(f.values or ())}
    elif kind is T.JSON:
        types = ["object", "array", "string", "number", "boolean"]
        schema = {"type": types if own.required or own.primary_key else [*types, "null"],
                  "x-json": {"maxDepth": JSON_MAX_DEPTH}}
    elif kind is T.DATE:
        schema = {"type": "string", "format": "date", "pattern": DATE_PATTERN,
                  "x-expected": "must be a date YYYY-MM-DD from year 0001 to 9999"}
    elif kind is T.DATETIME and _NO_ZONE.match(own.db_type or f.db_type or ""):
        schema = {"type": "string", "format": "date-time", "pattern": UTC_DATETIME_PATTERN,
                  "x-expected": "must be an RFC 3339 date-time in UTC (Z) from year 0001 to "
                                "9999 with at most 6 fractional digits (the column stores no "
                                "time zone)"}
    elif kind is T.DATETIME:
        schema = {"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN,
                  "x-expected": "must be an RFC 3339 date-time from year 0001 to 9999 with at "
                                "most 6 fractional digits and a UTC offset (Z or at most "
                                "±15:59, PostgreSQL's limit)"}
    else:
        schema = {"type": "string", "format": "uuid"}
    if own.description:
        schema["description"] = own.description
    return schema


def with_null(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema that also accepts null."""
    out = dict(schema)
    kinds = out["type"] if isinstance(out["type"], list) else [out["type"]]
    if "null" not in kinds:
        out["type"] = [*kinds, "null"]
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    return out


__all__ = ["DATETIME_PATTERN", "DATE_PATTERN", "FLOAT8_MAX", "INT16", "INT32", "INT64",
           "JSON_MAX_DEPTH", "SAFE_INT", "TEXT_PATTERN", "decimal_pattern", "int_range",
           "integer_pattern", "value_schema", "with_null"]
