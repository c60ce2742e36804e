"""Loaders: one per input format, each turning a parsed document into native-shaped data.

`choose(data, fmt)` picks one: by name when `fmt` is given, else the first
loader whose `detect` accepts the document, with the native format as the
fallback. Formats read from text rather than a mapping (SQL DDL in three
dialects, DBML) have a `convert_text` entry instead, chosen by `text_loader`
from the file extension or the format name; the pipeline after conversion
(validation, normalization, checks) stays the same for every format.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from backforge.errors import InputError
from backforge.spec.loaders.common import Converted, LoadedSpec, Loader, TextLoader
from backforge.spec.loaders.dbml import LOADER as DBML
from backforge.spec.loaders.designtool import LOADER as DESIGNTOOL
from backforge.spec.loaders.native import LOADER as NATIVE
from backforge.spec.loaders.sql import DIALECT_LOADERS
from backforge.spec.loaders.sql import LOADER as SQL

LOADERS: dict[str, Loader] = {NATIVE.name: NATIVE, DESIGNTOOL.name: DESIGNTOOL}
_DETECTED: tuple[Loader, ...] = (DESIGNTOOL,)  # specific formats first; native is the fallback
# "sql" guesses the dialect from the file name (x.mysql.sql) or its syntax.
TEXT_LOADERS: dict[str, TextLoader] = {SQL.name: SQL, **DIALECT_LOADERS, DBML.name: DBML}


class UnknownFormatError(InputError):
    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        super().__init__(f"format: unknown spec format '{fmt}'; known formats: "
                         f"{', '.join([*LOADERS, *TEXT_LOADERS])}")


def text_loader(path: Path, fmt: str | None = None) -> TextLoader | None:
    """The text-format loader for this file (by `fmt`, else by extension), or None."""
    if fmt is not None:
        if fmt in TEXT_LOADERS:
            return TEXT_LOADERS[fmt]
        if fmt not in LOADERS:
            raise UnknownFormatError(fmt)
        return None
    suffix = path.suffix.lower()
    return next((t for t in (SQL, DBML) if suffix in t.suffixes), None)


def choose(data: dict[str, Any], fmt: str | None = None) -> Loader:
    if fmt is not None:
        loader = LOADERS.get(fmt)
        if loader is None:
            raise UnknownFormatError(fmt)
        return loader
    return next((loader for loader in _DETECTED if loader.detect(data)), NATIVE)


__all__ = ["LOADERS", "TEXT_LOADERS", "Converted", "LoadedSpec", "Loader", "TextLoader",
           "UnknownFormatError", "choose", "text_loader"]
