"""Python values as JavaScript source: object literals with bare keys and
single-quoted strings, on one line when short and indented when long.

Strings are quoted by `backforge.render.quoting.js_string` (the one JS string
quoting of every stack)."""

from __future__ import annotations

import math
import re
from typing import Any

from backforge.render.quoting import js_string

_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_WIDTH = 96


def js_key(key: str) -> str:
    if key == "__proto__":
        return "['__proto__']"  # a computed key defines an own property, not the prototype
    return key if _IDENT.match(key) else js_string(key)


def js_value(value: Any, indent: int = 0) -> str:
    """`value` as a JS expression; nested lines are indented relative to `indent` spaces."""
    return _format(value, indent, {})


def _format(value: Any, indent: int, memo: dict[int, str]) -> str:
    flat = _flat(value, memo)
    if len(flat) + indent <= _WIDTH or not isinstance(value, (dict, list, tuple)) or not value:
        return flat
    pad = " " * (indent + 2)
    if isinstance(value, dict):
        items = [f"{pad}{js_key(str(k))}: {_format(v, indent + 2, memo)},"
                 for k, v in value.items()]
        return "{\n" + "\n".join(items) + "\n" + " " * indent + "}"
    items = [f"{pad}{_format(v, indent + 2, memo)}," for v in value]
    return "[\n" + "\n".join(items) + "\n" + " " * indent + "]"


def _flat(value: Any, memo: dict[int, str]) -> str:
    """One-line source; containers are memoized by id (they live through one js_value call)."""
    if isinstance(value, (dict, list, tuple)):
        key = id(value)
        if key not in memo:
            memo[key] = _flat_container(value, memo)
        return memo[key]
    return _flat_scalar(value)


def _flat_container(value: dict[Any, Any] | list[Any] | tuple[Any, ...],
                    memo: dict[int, str]) -> str:
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{js_key(str(k))}: {_flat(v, memo)}"
                                for k, v in value.items()) + " }"
    return "[" + ", ".join(_flat(v, memo) for v in value) + "]"


def _flat_scalar(value: Any) -> str:
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
