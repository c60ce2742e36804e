"""Deterministic sample values that satisfy a column's constraints.

Used for seed rows and for the generated tests' request bodies. `variant`
makes values of unique columns differ between rows; the same (column,
variant) always gives the same value.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from backforge.spec.model import FieldType
from backforge.spec.naming import words
from backforge.sql.columns import DEFAULT_STRING_LENGTH, Column
from backforge.sql.values import INT16, INT32, INT64, int_range, is_native_array

T = FieldType
_NAMESPACE = uuid.UUID("8d5f3a8e-6f0b-4c6e-9a57-2f7c1f0b7e11")
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def sample_uuid(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(str(p) for p in parts)))


def _code(n: int) -> str:
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = _DIGITS[r] + out
        if n == 0:
            return out


def _letters(n: int, width: int) -> str:
    out = ""
    for _ in range(width):
        n, r = divmod(n, 26)
        out = chr(ord("A") + r) + out
    return out


def _string(col: Column, variant: int) -> str:
    limit = col.schema.get("maxLength", DEFAULT_STRING_LENGTH)
    low = col.schema.get("minLength", 0)
    label = " ".join(words(col.field.name)) or "value"
    if "email" in label.split() or label.endswith("email"):
        text = f"user{variant}@example.com"
    elif col.kind is T.TEXT:
        text = f"Sample {label} {variant}."
    else:
        text = f"{label.capitalize()} {variant}"
    if len(text) > limit:
        if limit < 6:  # country codes and the like: AA, AB, ...
            text = _letters(variant, limit)
        else:
            text = (_code(variant) + "-" + label.replace(" ", "-"))[:limit]
    if len(text) < low:
        text = text + "x" * (low - len(text))
    return text


def _integer(col: Column, variant: int) -> int:
    lo, hi = int_range(col.type, col.field)
    if lo in (INT64[0], INT32[0], INT16[0]):
        lo = 1 if hi >= 1 else hi - 1000
    span = hi - lo + 1
    return lo + variant % span


def _decimal(col: Column, variant: int) -> float | int | str:
    """A float for a float column; for a numeric one the API's exact decimal string,
    written with the column's scale so that it reads back unchanged."""
    scale = col.type.scale or 0
    frac = 0.5 if col.kind is T.FLOAT else {0: 0.0, 1: 0.5}.get(scale, 0.25)
    own = col.field
    lo = own.min if own.min is not None else 0
    precision = col.type.precision if col.kind is T.DECIMAL else None
    hi = own.max
    if precision is not None:
        limit = 10 ** (precision - scale)
        hi = limit if hi is None else min(hi, limit)
    base = max(lo, 0) if hi is None or hi > max(lo, 0) + 1 else lo
    value = base + (variant % 1000) + 1 + frac
    if hi is not None and value >= hi:
        value = base + frac if base + frac < hi else base
    if col.kind is T.DECIMAL:
        return f"{round(value, scale):.{scale}f}" if precision is not None \
            else f"{value:g}" if float(value).is_integer() else repr(float(value))
    return int(value) if float(value).is_integer() else value


_NUMBER_ELEMENT = re.compile(r"^(?:smallint|integer|int|int2|int4|int8|bigint|real|float4|"
                             r"float8|double precision|numeric(?:\(.*\))?|decimal(?:\(.*\))?)$")


def _array(items: dict[str, Any], n: int) -> list[Any]:
    """A one-element JSON array for an array column the API reads as JSON."""
    kinds = items["type"] if isinstance(items["type"], list) else [items["type"]]
    if "string" in kinds:
        return [f"s{n}"[:items.get("maxLength", 20)]]
    if "boolean" in kinds:
        return [n % 2 == 0]
    return [n]


def _opaque(col: Column, variant: int) -> Any:
    """A value the API reads back unchanged: a JSON array for an array column of a
    scalar element type, else the PostgreSQL text form; None when unknown."""
    db = " ".join((col.db_type or "").lower().split())
    base = db.rsplit(".", 1)[-1]
    n = variant % 200 + 1
    if is_native_array(col.schema):
        return _array(col.schema["items"], n)
    if db.endswith("[]"):
        return f"{{{n}}}" if _NUMBER_ELEMENT.match(db[:-2].strip()) else f"{{s{n}}}"
    found = re.match(r"^vector\((\d+)\)$", base)
    if found:
        return "[" + ",".join([str(n)] * int(found.group(1))) + "]"
    simple = {"bytea": f"\\x{n:04x}", "tsvector": f"'s{n}'", "inet": f"192.0.2.{n}/32",  # the ::text form the API reads back
              "cidr": f"192.0.2.{n}/32", "macaddr": f"08:00:2b:01:02:{n % 256:02x}",
              "time": f"10:{n % 60:02d}:00", "time without time zone": f"10:{n % 60:02d}:00",
              "interval": f"{n % 24:02d}:00:00", "xml": f"<v>{n}</v>"}
    return simple.get(base)


def _fixed_width(col: Column, text: str) -> str:
    """char(n) pads with blanks: a sample of exactly n characters reads back the same."""
    db = (col.db_type or "").lower()
    limit = col.schema.get("maxLength")
    if limit and re.match(r"^\s*(?:char|character|bpchar)\s*\(", db):
        return (text + "x" * limit)[:limit]
    return text


def sample_value(col: Column, variant: int, *, salt: str = "") -> Any:
    """A valid value for `col` (ignoring its foreign key, which callers fill)."""
    kind = col.kind
    if col.opaque:
        return _opaque(col, variant)
    if kind in (T.STRING, T.TEXT):
        return _fixed_width(col, _string(col, variant))
    if kind is T.INTEGER:
        return _integer(col, variant)
    if kind is T.BIGINT:
        return str(_integer(col, variant))  # the API's exact string form
    if kind in (T.DECIMAL, T.FLOAT):
        return _decimal(col, variant)
    if kind is T.BOOLEAN:
        return variant % 2 == 0
    if kind is T.DATE:
        return f"2024-{variant % 12 + 1:02d}-{variant % 28 + 1:02d}"
    if kind is T.DATETIME:
        return f"2024-{variant % 12 + 1:02d}-{variant % 28 + 1:02d}T10:30:00Z"
    if kind is T.UUID:
        return sample_uuid(salt, col.sql, variant)
    if kind is T.JSON:
        return {"label": f"sample {variant}", "rank": variant}
    values = col.type.values or ("",)
    return values[variant % len(values)]


def different_value(col: Column, variant: int, avoid: Any, *, salt: str = "") -> Any:
    """A valid value for `col` that differs from `avoid` when the column allows one."""
    for step in range(1, 50):
        value = sample_value(col, variant + step, salt=salt)
        if value != avoid:
            return value
    return avoid
