"""Helpers every loader shares: field type spellings and the loader result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from backforge.spec.model import Project
from backforge.spec.names import Names
from backforge.spec.problems import Locator, Note, Problem
from backforge.spec.types import UnknownTypeError, parse_type

# Keys a type spelling can imply, e.g. VARCHAR(120) -> max_length 120, serial -> auto_increment.
_IMPLIED = ("max_length", "precision", "scale", "values", "auto_increment")
# When a type is unknown the field keeps a placeholder type so the rest of the
# spec can still be checked; these keys only make sense for particular types.
_TYPE_BOUND = ("values", "auto_increment")
PLACEHOLDER_TYPE = "text"


@dataclass(frozen=True)
class Converted:
    """A loader's result: native-shaped data plus what it found on the way."""

    data: dict[str, Any]
    locator: Locator = field(default_factory=Locator)
    notes: tuple[Note, ...] = ()
    problems: tuple[Problem, ...] = ()
    untyped: frozenset[tuple[int, int]] = frozenset()  # (table, field) with an unknown type


@dataclass(frozen=True)
class LoadedSpec:
    """What `backforge.spec.load` returns: a checked, normalized project and its names."""

    project: Project
    names: Names
    notes: tuple[str, ...]  # e.g. "tables[3] (post_tags) has no primary key: added an 'id' ..."
    source: str  # the path as given, or "<dict>"
    format: str = "native"  # the loader that read it: native, designtool, sql, dbml, live, ...
    # A file's text and load arguments (backforge.fingerprint); None for a mapping or a
    # live database. The no-op answer recognizes an unchanged spec by it without loading.
    fingerprint: str | None = None


class Loader(Protocol):
    name: str

    def detect(self, data: dict[str, Any]) -> bool:
        """True when the document is in this loader's format."""
        ...

    def convert(self, data: dict[str, Any]) -> Converted: ...


class TextLoader(Protocol):
    """A format read from text (SQL DDL, DBML) rather than parsed into a mapping first."""

    name: str
    suffixes: tuple[str, ...]

    def convert_text(self, text: str, where: str) -> Converted:
        """`where` is the path as given: messages name the file and line."""
        ...


def typed_field(raw: dict[str, Any], path: str) -> tuple[dict[str, Any], Problem | None, bool]:
    """Apply the field's type spelling: (field data, problem or None, type unknown?)."""
    spelling = raw.get("type")
    if spelling is None:
        return raw, None, False  # validation reports the missing key
    try:
        parsed = parse_type(spelling)
    except UnknownTypeError as exc:
        out = {k: v for k, v in raw.items() if k not in _TYPE_BOUND}
        out["type"] = PLACEHOLDER_TYPE
        return out, Problem(f"{path}.type", exc.message, exc.hint), True
    out = dict(raw)
    out["type"] = parsed.type.value
    for key in _IMPLIED:
        implied = getattr(parsed, key)
        if implied is None or implied is False:
            continue
        given = raw.get(key)
        if given is not None and _comparable(given) != _comparable(implied):
            return out, Problem(f"{path}.{key}", f"{given!r} contradicts the type "
                                f"'{spelling}'", f"remove '{key}' or change the type"), False
        out[key] = list(implied) if isinstance(implied, tuple) else implied
    return out, None, False


def _comparable(value: Any) -> Any:
    return tuple(value) if isinstance(value, (list, tuple)) else value


def method(value: Any) -> Any:
    """HTTP methods are matched upper-case; `get` is a harmless spelling of GET."""
    return value.strip().upper() if isinstance(value, str) else value
