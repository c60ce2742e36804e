"""One parser for field type spellings, shared by every loader.

Accepts the native names (`string`, `datetime`, ...) and common SQL spellings
(`VARCHAR(120)`, `int4`, `SERIAL`, `NUMERIC(10,2)`, `timestamp with time zone`,
`jsonb`, `enum('a','b')`), case-insensitively, and says what they mean in the
spec's vocabulary. Unknown spellings raise `UnknownTypeError` whose message
lists what is known, so the user can fix the file without reading docs.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from backforge.spec.model import FieldType


class Args(Enum):
    """What the parenthesised part of a spelling means."""

    NONE = "none"  # no arguments allowed
    LENGTH = "length"  # varchar(n) -> max_length
    PRECISION = "precision"  # numeric(p[,s])
    VALUES = "values"  # enum('a','b')
    IGNORED = "ignored"  # int(11), timestamp(3), float(24): display width or precision


@dataclass(frozen=True)
class ParsedType:
    type: FieldType
    max_length: int | None = None
    precision: int | None = None
    scale: int | None = None
    values: tuple[str, ...] | None = None
    auto_increment: bool = False


class UnknownTypeError(ValueError):
    """A type spelling that no rule understands; `hint` lists the known ones."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


_T = FieldType
# spelling -> (type, auto_increment, what its arguments mean)
_SPELLINGS: dict[str, tuple[FieldType, bool, Args]] = {
    **{s: (_T.STRING, False, Args.LENGTH) for s in (
        "string", "varchar", "character varying", "char", "character", "nvarchar", "nchar")},
    **{s: (_T.TEXT, False, Args.NONE) for s in (
        "text", "tinytext", "mediumtext", "longtext", "citext", "clob")},
    **{s: (_T.INTEGER, False, Args.IGNORED) for s in (
        "integer", "int", "int4", "int2", "smallint", "tinyint", "mediumint")},
    **{s: (_T.BIGINT, False, Args.IGNORED) for s in ("bigint", "int8")},
    **{s: (_T.INTEGER, True, Args.NONE) for s in ("serial", "serial4", "smallserial", "serial2")},
    **{s: (_T.BIGINT, True, Args.NONE) for s in ("bigserial", "serial8")},
    **{s: (_T.DECIMAL, False, Args.PRECISION) for s in ("decimal", "numeric")},
    **{s: (_T.FLOAT, False, Args.IGNORED) for s in (
        "float", "float4", "float8", "real", "double", "double precision")},
    **{s: (_T.BOOLEAN, False, Args.NONE) for s in ("boolean", "bool")},
    "date": (_T.DATE, False, Args.NONE),
    **{s: (_T.DATETIME, False, Args.IGNORED) for s in (
        "datetime", "timestamp", "timestamptz", "timestamp with time zone",
        "timestamp without time zone")},
    "uuid": (_T.UUID, False, Args.NONE),
    **{s: (_T.JSON, False, Args.NONE) for s in ("json", "jsonb")},
    "enum": (_T.ENUM, False, Args.VALUES),
}

KNOWN_TYPES_HELP = (
    "string (varchar(n), char(n)), text, integer (int, int4, smallint), bigint (int8), "
    "serial, bigserial, decimal (numeric(p,s), decimal(p,s)), float (real, double precision), "
    "boolean (bool), date, datetime (timestamp, timestamptz), uuid, json (jsonb), "
    "enum (with 'values', or enum('a','b'))"
)

# base, optional "(args)", optional "with[out] time zone" after the arguments
_SHAPE = re.compile(
    r"^(?P<base>[a-z][a-z0-9 ]*?)\s*(?:\((?P<args>.*)\))?"
    r"(?P<tz>\s+with(?:out)?\s+time\s+zone)?$", re.DOTALL)
_QUOTED = re.compile(r"\s*'((?:[^']|'')*)'\s*(?:,|$)")


def parse_type(spelling: object) -> ParsedType:
    """Parse a type spelling; raise UnknownTypeError (a ValueError) when not understood."""
    if not isinstance(spelling, str):
        raise UnknownTypeError(f"type must be text, not {type(spelling).__name__}",
                               f"use one of: {KNOWN_TYPES_HELP}")
    text = " ".join(spelling.split())
    return _parse(_lower_outside_quotes(text), text)


@lru_cache(maxsize=1024)
def _parse(text: str, original: str) -> ParsedType:
    """`text` is the lower-cased spelling; `original` is only used in messages."""
    m = _SHAPE.match(text)
    rule = None
    if m:
        base = m.group("base").strip()
        if m.group("tz"):  # timestamp(3) with time zone: the zone part follows the args
            base = f"{base} {m.group('tz').strip()}"
        rule = _SPELLINGS.get(base)
    if rule is None:
        raise UnknownTypeError(_unknown_message(original), f"use one of: {KNOWN_TYPES_HELP}")
    ftype, auto, kind = rule
    args = m.group("args")
    if args is None:
        return ParsedType(ftype, auto_increment=auto)
    return _with_args(original, ftype, auto, kind, args)


def _with_args(text: str, ftype: FieldType, auto: bool, kind: Args, args: str) -> ParsedType:
    if kind is Args.VALUES:
        return ParsedType(ftype, values=_enum_values(text, args))
    if kind is Args.IGNORED:
        _numbers(text, args, 1, 1)
        return ParsedType(ftype, auto_increment=auto)
    if kind is Args.LENGTH:
        (length,) = _numbers(text, args, 1, 1)
        if length < 1:
            raise UnknownTypeError(f"type '{text}': the length must be at least 1")
        return ParsedType(ftype, max_length=length)
    if kind is Args.PRECISION:
        nums = _numbers(text, args, 1, 2)
        scale = nums[1] if len(nums) == 2 else 0
        if nums[0] < 1 or scale > nums[0]:
            raise UnknownTypeError(f"type '{text}': need 1 <= scale <= precision")
        return ParsedType(ftype, precision=nums[0], scale=scale)
    raise UnknownTypeError(f"type '{text}' takes no arguments in parentheses")


def _numbers(text: str, args: str, least: int, most: int) -> list[int]:
    parts = [p.strip() for p in args.split(",")]
    if not least <= len(parts) <= most or not all(p.isdigit() for p in parts):
        want = "one number" if most == 1 else f"{least} to {most} numbers"
        raise UnknownTypeError(f"type '{text}': expected {want} in parentheses")
    return [int(p) for p in parts]


def _enum_values(text: str, args: str) -> tuple[str, ...]:
    values, pos = [], 0
    while pos < len(args):
        m = _QUOTED.match(args, pos)
        if not m:
            raise UnknownTypeError(f"type '{text}': enum values must be quoted, "
                                   "e.g. enum('draft','published')")
        values.append(m.group(1).replace("''", "'"))
        pos = m.end()
    if not values:
        raise UnknownTypeError(f"type '{text}': an enum needs at least one value")
    return tuple(values)


def _lower_outside_quotes(text: str) -> str:
    """Lower-case a spelling but keep enum('Draft') values as written."""
    if "'" not in text:
        return text.lower()
    head, sep, tail = text.partition("(")
    return head.lower() + sep + tail


def _unknown_message(text: str) -> str:
    close = difflib.get_close_matches(text.split("(")[0].strip().lower(), list(_SPELLINGS), n=1)
    guess = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown type '{text}'{guess}"
