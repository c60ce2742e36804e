"""Python values as JavaScript source: object literals with bare keys and
single-quoted strings, on one line when short and indented when long."""

from __future__ import annotations

import json
import math
import re
from typing import Any

_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_WIDTH = 96


def js_string(value: str) -> str:
    body = json.dumps(value, ensure_ascii=False)[1:-1]  # escapes \ " and control chars
    return "'" + body.replace('\\"', '"').replace("'", "\\'") + "'"


def js_key(key: str) -> str:
    return key if _IDENT.match(key) and key != "__proto__" else js_string(key)


def js_value(value: Any, indent: int = 0) -> str:
    """`value` as a JS expression; nested lines are indented relative to `indent` spaces."""
    flat = _flat(value)
    if len(flat) + indent <= _WIDTH or not isinstance(value, (dict, list, tuple)) or not value:
        return flat
    pad = " " * (indent + 2)
    if isinstance(value, dict):
        items = [f"{pad}{js_key(str(k))}: {js_value(v, indent + 2)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + "\n" + " " * indent + "}"
    items = [f"{pad}{js_value(v, indent + 2)}," for v in value]
    return "[\n" + "\n".join(items) + "\n" + " " * indent + "]"


def _flat(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"no JavaScript literal for {value}")
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, str):
        return js_string(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{js_key(str(k))}: {_flat(v)}" for k, v in value.items()) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flat(v) for v in value) + "]"
    if isinstance(value, JsExpr):
        return value.source
    raise TypeError(f"no JavaScript literal for {type(value).__name__}")


class JsExpr:
    """Raw JavaScript source (e.g. `parents.users.id`) embedded in a literal."""

    __slots__ = ("source",)

    def __init__(self, source: str) -> None:
        self.source = source

    def __repr__(self) -> str:
        return f"JsExpr({self.source!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JsExpr) and other.source == self.source

    def __hash__(self) -> int:
        return hash(self.source)
