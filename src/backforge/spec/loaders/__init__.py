"""Loaders: one per input format, each turning a parsed document into native-shaped data.

`choose(data, fmt)` picks one: by name when `fmt` is given, else the first
loader whose `detect` accepts the document, with the native format as the
fallback. Formats read from text rather than a mapping (SQL DDL in three
dialects, DBML) have a `convert_text` entry instead, chosen by `text_loader`
from the file extension or the format name; the pipeline after conversion
(validation, normalization, checks) stays the same for every format.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

from backforge.errors import InputError
from backforge.spec.loaders.common import Converted, LoadedSpec, Loader, TextLoader
from backforge.spec.loaders.designtool import LOADER as DESIGNTOOL
from backforge.spec.loaders.native import LOADER as NATIVE

LOADERS: dict[str, Loader] = {NATIVE.name: NATIVE, DESIGNTOOL.name: DESIGNTOOL}
_DETECTED: tuple[Loader, ...] = (DESIGNTOOL,)  # specific formats first; native is the fallback


class _TextLoaders(Mapping[str, TextLoader]):
    """name -> text loader, each module imported on first use: sqlglot, pydbml and
    pyparsing are a measured ~0.2 s of start-up that YAML/JSON specs never need.
    tests/spec/test_lazy_loaders.py pins these names and suffixes to the loaders'."""

    # name -> (module under backforge.spec.loaders, its attribute, key in it or None)
    WHERE: ClassVar[dict[str, tuple[str, str, str | None]]] = {
        "sql": ("sql", "LOADER", None), "postgres": ("sql", "DIALECT_LOADERS", "postgres"),
        "mysql": ("sql", "DIALECT_LOADERS", "mysql"),
        "sqlite": ("sql", "DIALECT_LOADERS", "sqlite"), "dbml": ("dbml", "LOADER", None)}
    SUFFIXES: ClassVar[dict[str, str]] = {".sql": "sql", ".ddl": "sql", ".dbml": "dbml"}

    def __getitem__(self, name: str) -> TextLoader:
        module, attr, key = self.WHERE[name]
        found = getattr(importlib.import_module(f"{__name__}.{module}"), attr)
        return found[key] if key is not None else found

    def __iter__(self) -> Iterator[str]:
        return iter(self.WHERE)

    def __len__(self) -> int:
        return len(self.WHERE)


# "sql" guesses the dialect from the file name (x.mysql.sql) or its syntax.
TEXT_LOADERS: Mapping[str, TextLoader] = _TextLoaders()
# Every extension a text loader reads (for the unsupported-extension error).
TEXT_SUFFIXES = tuple(_TextLoaders.SUFFIXES)


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
    name = _TextLoaders.SUFFIXES.get(path.suffix.lower())
    return TEXT_LOADERS[name] if name is not None else None


def choose(data: dict[str, Any], fmt: str | None = None) -> Loader:
    if fmt is not None:
        loader = LOADERS.get(fmt)
        if loader is None:
            raise UnknownFormatError(fmt)
        return loader
    return next((loader for loader in _DETECTED if loader.detect(data)), NATIVE)


__all__ = ["LOADERS", "TEXT_LOADERS", "TEXT_SUFFIXES", "Converted", "LoadedSpec", "Loader",
           "TextLoader",
           "UnknownFormatError", "choose", "text_loader"]
