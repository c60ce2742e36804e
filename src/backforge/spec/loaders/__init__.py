"""Loaders: one per input format, each turning a parsed document into native-shaped data.

`choose(data, fmt)` picks one: by name when `fmt` is given, else the first
loader whose `detect` accepts the document, with the native format as the
fallback. Formats read from text rather than a mapping (SQL DDL, DBML) will
add a `convert_text` entry next to these; the pipeline after conversion
(validation, normalization, checks) stays the same for every format.
"""

from __future__ import annotations

from typing import Any

from backforge.errors import InputError
from backforge.spec.loaders.common import Converted, LoadedSpec, Loader
from backforge.spec.loaders.designtool import LOADER as DESIGNTOOL
from backforge.spec.loaders.native import LOADER as NATIVE

LOADERS: dict[str, Loader] = {NATIVE.name: NATIVE, DESIGNTOOL.name: DESIGNTOOL}
_DETECTED: tuple[Loader, ...] = (DESIGNTOOL,)  # specific formats first; native is the fallback


class UnknownFormatError(InputError):
    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        super().__init__(f"format: unknown spec format '{fmt}'; known formats: "
                         f"{', '.join(LOADERS)}")


def choose(data: dict[str, Any], fmt: str | None = None) -> Loader:
    if fmt is not None:
        loader = LOADERS.get(fmt)
        if loader is None:
            raise UnknownFormatError(fmt)
        return loader
    return next((loader for loader in _DETECTED if loader.detect(data)), NATIVE)


__all__ = ["LOADERS", "Converted", "LoadedSpec", "Loader", "UnknownFormatError", "choose"]
