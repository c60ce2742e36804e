"""Parse facts as data: a `ParsedFile` (exports, imports, functions, SQL, env reads,
hazards, schema) to JSON and back, so a regeneration seeds its registry from what the
last run parsed instead of parsing every replayed file again.

Facts are recorded per path with the sha256 of the content they were parsed from and
used only for exactly that content (`Registry.seed` keys them by the content itself);
they are as good as the parser that made them, so a file of facts from another
backforge version is ignored (the version covers the grammars and the extraction).
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from backforge import __version__
from backforge.validate.model import ParsedFile

__all__ = ["FORMAT", "Facts", "decode", "dumps", "encode", "loads"]

FORMAT = 1


Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]


def _same(v: Any) -> Any:
    return v


@cache
def _codec(tp: Any) -> Codec:
    """(encode, decode) for values of type `tp`, built once per type: a dataclass is a
    list of its fields in order, a tuple a list, an enum its value."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in typing.get_args(tp) if a is not type(None)]
        enc, dec = _codec(inner)
        return ((lambda v: None if v is None else enc(v)),
                (lambda d: None if d is None else dec(d)))
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            enc, dec = _codec(args[0])
            if enc is _same:
                return list, tuple
            return (lambda v: [enc(x) for x in v]), (lambda d: tuple(dec(x) for x in d))
        codecs = [_codec(a) for a in args]
        return ((lambda v: [c[0](x) for c, x in zip(codecs, v, strict=True)]),
                (lambda d: tuple(c[1](x) for c, x in zip(codecs, d, strict=True))))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        names = [f.name for f in dataclasses.fields(tp)]
        codecs = [_codec(hints[n]) for n in names]
        return ((lambda v: [c[0](getattr(v, n)) for c, n in zip(codecs, names, strict=True)]),
                (lambda d: tp(*[c[1](x) for c, x in zip(codecs, d, strict=True)])))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return (lambda v: v.value), tp
    if tp in (str, int, bool):
        return _same, _same
    raise TypeError(f"no codec for {tp}")


def encode(parsed: ParsedFile) -> Any:
    return _codec(ParsedFile)[0](parsed)


def decode(data: Any) -> ParsedFile:
    """The ParsedFile `encode` turned into `data` (TypeError or ValueError when it does
    not fit)."""
    return _codec(ParsedFile)[1](data)


@dataclass(frozen=True)
class Facts:
    """One file as the last run parsed it."""

    sha: str  # sha256 of the content parsed
    parsed: ParsedFile
    resolved: Mapping[str, str | None]  # relative import / re-export -> the file it loaded


def dumps(files: Mapping[str, str], parsed: Iterable[ParsedFile],
          resolve: Callable[[str, str], str | None]) -> str:
    """The facts of every parsed file in `files` (path -> content), as JSON text;
    `resolve(path, specifier)` answers where a relative import landed (Registry.resolve)."""
    out = {}
    for p in parsed:
        content = files.get(p.path)
        if content is None:
            continue
        specifiers = sorted({i.specifier for i in p.imports if i.is_relative}
                            | set(p.reexports))
        out[p.path] = [hashlib.sha256(content.encode()).hexdigest(), encode(p),
                       {s: resolve(p.path, s) for s in specifiers}]
    return json.dumps({"format": FORMAT, "backforge": __version__, "files": out},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def loads(text: str) -> dict[str, Facts]:
    """path -> its Facts; {} for facts of another backforge version, another format, or
    anything unreadable (then every file is parsed and validated)."""
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT or data.get("backforge") != __version__:
            return {}
        return {path: Facts(str(sha), decode(facts), dict(resolved))
                for path, (sha, facts, resolved) in data["files"].items()}
    except (ValueError, TypeError, KeyError, AttributeError, IndexError):
        return {}
