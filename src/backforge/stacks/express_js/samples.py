"""Deterministic sample values that satisfy a column's constraints.

Used for seed rows and for the generated tests' request bodies. `variant`
makes values of unique columns differ between rows; the same (column,
variant) always gives the same value.
"""

from __future__ import annotations

import uuid
from typing import Any

from backforge.spec.model import FieldType
from backforge.spec.naming import words
from backforge.stacks.express_js.columns import DEFAULT_STRING_LENGTH, INT32, Column

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
    lo = col.schema.get("minimum")
    hi = col.schema.get("maximum")
    if lo is None or lo == INT32[0]:
        lo = 1 if hi is None or hi >= 1 else hi - 1000
    lo = int(lo) if float(lo).is_integer() else int(lo) + 1
    span = None if hi is None else int(hi) - lo + 1
    return lo + (variant % span if span else variant)


def _decimal(col: Column, variant: int) -> float | int:
    scale = col.type.scale or 0
    frac = 0.5 if col.kind is T.FLOAT else {0: 0.0, 1: 0.5}.get(scale, 0.25)
    lo = col.schema.get("minimum", col.schema.get("exclusiveMinimum", 0))
    hi = col.schema.get("maximum", col.schema.get("exclusiveMaximum"))
    base = max(lo, 0) if hi is None or hi > max(lo, 0) + 1 else lo
    value = base + (variant % 1000) + 1 + frac
    if hi is not None and value >= hi:
        value = base + frac if base + frac < hi else base
    value = round(value, scale) if col.kind is T.DECIMAL else value
    return int(value) if float(value).is_integer() else value


def sample_value(col: Column, variant: int, *, salt: str = "") -> Any:
    """A valid value for `col` (ignoring its foreign key, which callers fill)."""
    kind = col.kind
    if kind in (T.STRING, T.TEXT):
        return _string(col, variant)
    if kind in (T.INTEGER, T.BIGINT):
        return _integer(col, variant)
    if kind in (T.DECIMAL, T.FLOAT):
        return _decimal(col, variant)
    if kind is T.BOOLEAN:
        return variant % 2 == 0
    if kind is T.DATE:
        return f"2024-{variant % 12 + 1:02d}-{variant % 28 + 1:02d}"
    if kind is T.DATETIME:
        return f"2024-{variant % 12 + 1:02d}-{variant % 28 + 1:02d}T10:30:00.000Z"
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
