"""Read a spec file into plain Python data, with precise errors.

YAML is read with YAML 1.2 style scalars: only true/false are booleans (so
`values: [yes, no]` or a country code `NO` stay text), dates stay text (a
`default: 2024-01-01` is a string the stacks can quote), numbers with a leading
zero stay text (`01234` is a postal code, not octal), and a repeated key is an
error instead of silently keeping the last value.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, ClassVar

import yaml

from backforge.errors import SpecFileError
from backforge.spec.limits import MAX_SPEC_BYTES

SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


# libyaml's parser when present (10x faster on big specs); the resolver and
# constructor below are Python either way, so the rules are the same.
_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SpecYamlLoader(_BASE):  # type: ignore[misc, valid-type]
    """SafeLoader with YAML 1.2 booleans and integers, no timestamps, no duplicate keys."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {
        first: [(tag, rx) for tag, rx in rules if tag not in (
            "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:timestamp")]
        for first, rules in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = key_node.value  # the key as written; enough to spot a repeat
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key '{key}'", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_SpecYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_SpecYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))


def read_text(path: Path) -> str:
    """The file's text; SpecFileError when it is missing, a folder, unreadable or not UTF-8."""
    where = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_SPEC_BYTES:
            raise SpecFileError(where, f"the file is {size:,} bytes; the limit for a spec is "
                                f"{MAX_SPEC_BYTES:,} bytes")
        data = path.read_bytes()
    except FileNotFoundError:
        raise SpecFileError(where, "file not found") from None
    except IsADirectoryError:
        raise SpecFileError(where, "is a directory, not a spec file") from None
    except PermissionError:
        raise SpecFileError(where, "cannot read the file: permission denied") from None
    except OSError as exc:
        raise SpecFileError(where, f"cannot read the file: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SpecFileError(where, "the file is not UTF-8 text", line=line) from None


def parse_yaml(text: str, where: str) -> Any:
    try:
        return yaml.load(text, Loader=_SpecYamlLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "syntax error"
        if mark is None:
            raise SpecFileError(where, f"malformed YAML: {what}") from None
        line, col = mark.line + 1, mark.column + 1
        raise SpecFileError(where, f"malformed YAML: {what} (line {line}, column {col})",
                            line=line) from None
    except yaml.YAMLError as exc:
        raise SpecFileError(where, f"malformed YAML: {exc}") from None


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        raise _DuplicateKey(next(k for k, _ in pairs if k in seen or seen.add(k)))
    return out


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_json(text: str, where: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise SpecFileError(where, f"malformed JSON: {exc.msg} (line {exc.lineno}, column "
                                   f"{exc.colno})", line=exc.lineno) from None
    except _DuplicateKey as exc:
        raise SpecFileError(where, f"malformed JSON: duplicate key '{exc.args[0]}'") from None
    except (ValueError, RecursionError) as exc:
        raise SpecFileError(where, f"malformed JSON: {exc}") from None


def document_kind(path: Path, text_suffixes: tuple[str, ...] = ()) -> str:
    """"yaml" or "json" by the file's extension; SpecFileError for any other.

    `text_suffixes` are the extensions other loaders read (.sql, .dbml): named in the
    error so it lists every kind of input the caller accepts, not only documents."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        known = ", ".join([*SUFFIXES, *text_suffixes])
        raise SpecFileError(str(path), f"unsupported spec file type '{path.suffix or path.name}'; "
                                       f"use one of: {known}")
    return kind


def parse_document(path: Path, text: str) -> Any:
    """Parse the text of a .yaml/.yml/.json file (the format by its extension)."""
    kind = document_kind(path)
    return parse_yaml(text, str(path)) if kind == "yaml" else parse_json(text, str(path))


def require_mapping(data: Any, where: str) -> dict[str, Any]:
    """The document's top level must be a mapping of keys such as name and tables."""
    if isinstance(data, dict):
        return data
    got = "nothing (the file is empty)" if data is None else f"a {_kind(data)}"
    raise SpecFileError(where, f"the top level must be a mapping with keys such as 'name' and "
                               f"'tables', but it is {got}")


def _kind(data: Any) -> str:
    return {list: "list", str: "text", int: "number", float: "number", bool: "boolean"}.get(
        type(data), type(data).__name__)
