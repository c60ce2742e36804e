"""Validate native-shaped data into a Project; pydantic errors become Problems.

Pydantic locations are tuples that mix the user's keys with internal union
member tags (`('tables', 0, 'fields', 1, 'default', 'str')`). We walk them
against the user's own data so each problem names a place the user can find
(`tables[0].fields[1].default`), and rewrite the messages in plain words.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from backforge.spec.access import Access, Accounts, TableAccess
from backforge.spec.model import Database, Endpoint, Field, Options, Project, Table
from backforge.spec.problems import Problem

_MODELS: tuple[type[BaseModel], ...] = (Project, Table, Field, Endpoint, Options, Database,
                                        Access, Accounts, TableAccess)
_MODEL_KEYS = frozenset(k for m in _MODELS for k in m.model_fields)
# Which model a native path's mapping is: used to list the keys it allows.
_SHAPES: tuple[tuple[re.Pattern[str], type[BaseModel]], ...] = (
    (re.compile(r"^$"), Project),
    (re.compile(r"^tables\[\d+\]$"), Table),
    (re.compile(r"^tables\[\d+\]\.fields\[\d+\]$"), Field),
    (re.compile(r"^endpoints\[\d+\]$"), Endpoint),
    (re.compile(r"^options$"), Options),
    (re.compile(r"^database$"), Database),
    (re.compile(r"^access$"), Access),
    (re.compile(r"^access\.users$"), Accounts),
    (re.compile(r"^access\.tables\.[^.]+$"), TableAccess),
)
# Field._consistent reports on the whole field; these message starts say which key is wrong.
_VALIDATOR_KEYS = (("an enum field needs", "values"), ("'values' only applies", "values"),
                   ("enum 'values'", "values"), ("auto_increment", "auto_increment"),
                   ("scale", "scale"), ("min must", "min"), ("on_delete", "on_delete"),
                   ("references", "references"), ("default", "default"))
_EMPTY_LISTS = {"tables": ("the project has no tables", "add at least one table"),
                "fields": ("the table has no fields", "add at least one field")}


def validate_model(data: dict[str, Any]) -> tuple[Project | None, list[Problem]]:
    """The Project, or None and one Problem per place pydantic rejected."""
    try:
        return Project.model_validate(data), []
    except ValidationError as exc:
        return None, _problems(exc, data)


def _problems(exc: ValidationError, data: Any) -> list[Problem]:
    by_path: dict[str, list[dict[str, Any]]] = {}
    for err in exc.errors(include_url=False):
        by_path.setdefault(_path(err["loc"], data), []).append(err)
    for path in [p for p, errs in by_path.items() if errs[0]["type"] == "too_short"]:
        if any(other.startswith(f"{path}[") for other in by_path):
            del by_path[path]  # empty only because its items failed: those errors say why
    out = []
    for path, errs in by_path.items():
        if len(errs) == 1:
            out.append(_one(path, errs[0]))
        else:  # a union: every member rejected the value
            texts = list(dict.fromkeys(_plain(e["msg"]) for e in errs))
            out.append(Problem(path, " or ".join(texts) + _got(errs[0])))
    return out


def _path(loc: tuple[Any, ...], data: Any) -> str:
    path, node = "", data
    for item in loc:
        if isinstance(node, dict) and isinstance(item, str) and (item in node
                                                                 or item in _MODEL_KEYS):
            path = f"{path}.{item}" if path else item
            node = node.get(item)
        elif isinstance(node, (list, tuple)) and isinstance(item, int):
            path = f"{path}[{item}]"
            node = node[item] if 0 <= item < len(node) else None
        # anything else is a pydantic union tag: not a place in the user's file
    return path


def _one(path: str, err: dict[str, Any]) -> Problem:
    kind = err["type"]
    parent, _, key = path.rpartition(".")
    if kind == "missing":
        # no hint naming the key: the location already does, in the input's own spelling
        return Problem(path, "required key is missing")
    if kind == "extra_forbidden":
        return _unknown_key(parent, key)
    if kind == "too_short" and (key or path) in _EMPTY_LISTS:
        message, hint = _EMPTY_LISTS[key or path]
        return Problem(path, message, hint)
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return Problem(path, "must be a mapping (key: value pairs)" + _got(err))
    if kind in ("tuple_type", "list_type"):
        return Problem(path, "must be a list" + _got(err))
    message = _plain(err["msg"])
    if kind == "value_error":
        key = next((k for start, k in _VALIDATOR_KEYS if message.startswith(start)), None)
        path = f"{path}.{key}" if key else path
    return Problem(path, message + _got(err))


def _unknown_key(parent: str, key: str) -> Problem:
    model = next((m for rx, m in _SHAPES if rx.match(parent)), None)
    if model is None:
        return Problem(_join(parent, key), f"unknown key '{key}'", "remove it")
    allowed = sorted(model.model_fields)
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(allowed)}"
    return Problem(_join(parent, key), f"unknown key '{key}'", hint)


def _join(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key


def _plain(msg: str) -> str:
    msg = msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if msg.startswith("Input should be"):
        msg = "must be" + msg[len("Input should be"):]
    return msg


def _got(err: dict[str, Any]) -> str:
    value = err.get("input")
    if isinstance(value, (str, int, float, bool)) and err["type"] != "value_error":
        text = repr(value)
        return f" (got {text[:40]}{'...' if len(text) > 40 else ''})"
    return ""
