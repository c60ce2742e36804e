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
  "depth" and a deep document crashes serializers); stacks implement it. Only a value
  that passed it is checked against the recursive `JsonValue` component (no NUL in any
  string or key), so a hostile nesting never reaches a recursive validator;
- opaque database types (an imported column with no spec type): arrays of a scalar
  element type are JSON arrays of that element's schema; inet, cidr, macaddr, bytea and
  tsvector are strings with a pattern admitting only values PostgreSQL parses (read
  back in its text form). Any other opaque type stays plain text.
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


# The smallest nonzero `real` PostgreSQL stores: below it float4 input underflows (an
# error, not zero). The float4 denormal minimum is 1.4e-45; 1e-45 is how PostgreSQL
# prints it, so a stored value always meets its own response schema.
FLOAT4_MIN = 1e-45
JSON_VALUE_REF = "#/components/schemas/JsonValue"
# Any JSON value PostgreSQL's jsonb stores: no NUL in a string or an object key. The
# stacks register it under JSON_VALUE_REF for request validation and the OpenAPI
# document alike.
JSON_VALUE: dict[str, Any] = {
    "description": "any JSON value without NUL (\\u0000) in a string or key",
    "type": ["object", "array", "string", "number", "boolean", "null"],
    "pattern": TEXT_PATTERN,
    "propertyNames": {"type": "string", "pattern": TEXT_PATTERN},
    "additionalProperties": {"$ref": JSON_VALUE_REF},
    "items": {"$ref": JSON_VALUE_REF},
}

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
    return float_schema(single=db in ("real", "float4"), lo=own.min, hi=own.max)


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


# --- opaque database types -------------------------------------------------------------

_OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"  # ASCII digits: Python's \d is Unicode
_IPV4 = rf"{_OCTET}(?:\.{_OCTET}){{3}}"
_HEX = "[0-9a-fA-F]{1,4}"


def _groups(n: int) -> str:
    """Exactly n colon-separated hex groups."""
    return "" if n == 0 else _HEX if n == 1 else f"{_HEX}(?::{_HEX}){{{n - 1}}}"


def _ipv6() -> str:
    """Every RFC 4291 text form PostgreSQL parses: 8 groups, 6 and an IPv4 tail, or
    `::` standing for at least one zero group (no zone id)."""
    alts = [f"(?:{_HEX}:){{7}}{_HEX}", f"(?:{_HEX}:){{6}}{_IPV4}"]
    for left in range(8):
        room = 7 - left
        right = f"(?:{_HEX}(?::{_HEX}){{0,{room - 1}}})?" if room else ""
        alts.append(f"{_groups(left)}::{right}")
        if left <= 5:
            tail = f"(?:{_HEX}:){{0,{5 - left}}}" if left < 5 else ""
            alts.append(f"{_groups(left)}::{tail}{_IPV4}")
    return "(?:" + "|".join(alts) + ")"


_IPV6 = _ipv6()
INET_PATTERN = (f"^(?:{_IPV4}(?:/(?:3[0-2]|[12]?[0-9]))?"
                f"|{_IPV6}(?:/(?:12[0-8]|1[01][0-9]|[1-9]?[0-9]))?)$")


def _cidr_v4(prefix: int) -> str:
    """The IPv4 networks /prefix whose host bits are zero (PostgreSQL refuses others)."""
    full, rest = divmod(prefix, 8)
    octets = [_OCTET] * full
    if full < 4:
        step = 2 ** (8 - rest)
        octets.append("(?:" + "|".join(str(v) for v in range(0, 256, step)) + ")")
        octets += ["0"] * (3 - full)
    return "\\.".join(octets) + f"/{prefix}"


# IPv6 networks only as single hosts: which host bits a compressed IPv6 form leaves
# set is beyond a regular expression of sensible size.
CIDR_PATTERN = ("^(?:" + "|".join(_cidr_v4(p) for p in range(33))
                + f"|{_IPV6}(?:/128)?)$")
_POSITION = integer_pattern(1, 16383)[1:-1].replace("\\d", "[0-9]") + "[A-Da-d]?"
# A quoted lexeme: '' for a quote, \\ for a backslash, at most 511 characters (2 KB).
_LEXEME = (r"'(?:[^'\\\u0000]|''|\\\\){1,511}'"
           f"(?::{_POSITION}(?:,{_POSITION}){{0,255}})?")
TSVECTOR_PATTERN = f"^(?:{_LEXEME}(?: {_LEXEME})*)?$"

_OPAQUE_STRINGS: dict[str, tuple[str, str]] = {
    "inet": (INET_PATTERN, ("must be an IPv4 or IPv6 address with an optional /prefix "
                            "length (e.g. 192.0.2.1/32)")),
    "cidr": (CIDR_PATTERN, ("must be an IPv4 network with its prefix length and no bits "
                            "set right of it (e.g. 192.0.2.0/24), or an IPv6 address")),
    "macaddr": ("^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}$",
                "must be a MAC address of 6 hex pairs (e.g. 08:00:2b:01:02:03)"),
    "macaddr8": ("^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}(?:(?::[0-9a-fA-F]{2}){2})?$",
                 "must be a MAC address of 6 or 8 hex pairs (e.g. 08:00:2b:01:02:03:04:05)"),
    "bytea": (r"^\\x(?:[0-9a-fA-F]{2})*$",
              "must be bytes in hex: \\x followed by hex pairs (e.g. \\x0a1b)"),
    "tsvector": (TSVECTOR_PATTERN,
                 ("must be a tsvector: space-separated quoted lexemes ('' for a quote) with "
                  "optional positions 1-16383 and weights A-D (e.g. 'fat':2A 'rat':3)")),
}
_TEXT_ELEMENT = re.compile(r"^(?:text|citext|(?:varchar|character varying)(?:\((\d+)\))?)$")
_NUMBER_ELEMENTS = {"smallint": INT16, "int2": INT16, "integer": INT32, "int": INT32,
                    "int4": INT32}
_FLOAT_ELEMENTS = {"real": "real", "float4": "real", "double precision": "double",
                   "float8": "double", "float": "double"}


def float_schema(*, single: bool, lo: float | None = None,
                 hi: float | None = None) -> dict[str, Any]:
    """A finite float; a `real` also refuses nonzero magnitudes that underflow."""
    limit = FLOAT4_MAX if single else FLOAT8_MAX
    schema: dict[str, Any] = {"type": "number", "minimum": _num(-limit if lo is None else lo),
                              "maximum": _num(limit if hi is None else hi)}
    if single:
        schema["not"] = {"type": "number", "exclusiveMinimum": -FLOAT4_MIN,
                         "exclusiveMaximum": FLOAT4_MIN, "not": {"const": 0}}
    return schema


def _element_schema(element: str) -> dict[str, Any] | None:
    """The schema of one element of an array column, when node-postgres reads the array
    back as a JSON array of exactly those values; None otherwise."""
    text = _TEXT_ELEMENT.match(element)
    if text:
        out: dict[str, Any] = {"type": "string", "pattern": TEXT_PATTERN}
        if text.group(1):
            out["maxLength"] = int(text.group(1))
        return out
    if element in _NUMBER_ELEMENTS:
        lo, hi = _NUMBER_ELEMENTS[element]
        return {"type": "integer", "minimum": lo, "maximum": hi}
    if element in _FLOAT_ELEMENTS:
        return float_schema(single=_FLOAT_ELEMENTS[element] == "real")
    if element in ("boolean", "bool"):
        return {"type": "boolean"}
    return None


def opaque_schema(db_type: str) -> dict[str, Any] | None:
    """The exact schema of a column of a database type the spec has no type for (in the
    form the API reads and writes); None for a type without one (plain text then)."""
    db = " ".join(db_type.lower().split())
    base = db.rsplit(".", 1)[-1] if "(" not in db else db
    if base.endswith("[]"):
        element = _element_schema(base[:-2].strip())
        if element is None:
            return None
        return {"type": "array", "items": with_null(element),
                "x-expected": f"must be a JSON array of {base[:-2].strip()} values (or null)"}
    found = _OPAQUE_STRINGS.get(base)
    if found is None:
        return None
    pattern, expected = found
    # No maxLength (as for text): the request body limit (100 kB by default) is lower
    # than any of these types' own (a tsvector holds 1 MB).
    return {"type": "string", "pattern": pattern, "x-expected": expected}


def is_native_array(schema: dict[str, Any]) -> bool:
    """An opaque column read and written as a JSON array (not its text form)."""
    return schema.get("type") == "array"


def value_schema(f: Field, own: Field, *, default_length: int) -> dict[str, Any]:
    """JSON Schema of a non-null value. `f` gives the type, `own` the constraints."""
    kind = f.type
    db_type = own.db_type or f.db_type
    if kind in (T.STRING, T.TEXT):
        schema = (opaque_schema(db_type) if db_type else None) \
            or _string_schema(f, own, default_length)
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
        limits = {"maxDepth": JSON_MAX_DEPTH}
        schema = {"type": types if own.required or own.primary_key else [*types, "null"],
                  "x-json": limits, "if": {"x-json": limits}, "then": {"$ref": JSON_VALUE_REF}}
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


__all__ = ["CIDR_PATTERN", "DATETIME_PATTERN", "DATE_PATTERN", "FLOAT4_MIN", "FLOAT8_MAX",
           "INET_PATTERN", "INT16", "INT32", "INT64", "JSON_MAX_DEPTH", "JSON_VALUE",
           "JSON_VALUE_REF", "SAFE_INT", "TEXT_PATTERN", "TSVECTOR_PATTERN",
           "decimal_pattern", "float_schema", "int_range", "integer_pattern",
           "is_native_array", "opaque_schema", "value_schema", "with_null"]
