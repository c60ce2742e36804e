"""What a language front-end extracts from one file: the typed seam between
parsing (languages/) and checking (registry, rules).

Everything is a frozen dataclass so parsed files can be cached by content and
shared between registries and threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ImportKind(StrEnum):
    REQUIRE = "require"  # CommonJS require('x')
    IMPORT = "import"  # ES import ... from 'x' (or bare import 'x')
    DYNAMIC = "dynamic"  # import('x')
    REEXPORT = "reexport"  # ES export ... from 'x'


@dataclass(frozen=True)
class Import:
    specifier: str
    names: tuple[str, ...]  # destructured / named imports; () means the whole module
    line: int  # 1-based
    is_relative: bool  # './x', '../x' or '/x': a file of the project, not a package
    kind: ImportKind = ImportKind.REQUIRE
    default: bool = False  # an ES default import (`import x from 'y'`)


@dataclass(frozen=True)
class Function:
    """A top-level or exported function: what another file may call and how."""

    name: str
    params: tuple[str, ...]  # source text of each parameter, whitespace collapsed
    is_async: bool
    line: int


@dataclass(frozen=True)
class DefaultExport:
    """`module.exports = <thing>` or ES `export default <thing>`."""

    kind: str  # "function", "class" or "value"
    name: str | None = None  # the declared name when there is one


@dataclass(frozen=True)
class SyntaxProblem:
    line: int  # 1-based
    column: int  # 1-based, in bytes of the UTF-8 source
    message: str


@dataclass(frozen=True)
class ParsedFile:
    path: str
    language: str  # Language.name, e.g. "javascript"
    syntax_errors: tuple[SyntaxProblem, ...] = ()  # the first problem only: later ones cascade
    exports: tuple[str, ...] = ()  # names another module can pick off this one
    default_export: DefaultExport | None = None
    reexports: tuple[str, ...] = ()  # specifiers whose exports this file passes on
    opaque_exports: bool = False  # the export set cannot be known statically
    is_esm: bool = False  # uses ES import/export syntax
    functions: tuple[Function, ...] = ()
    imports: tuple[Import, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.syntax_errors


@dataclass(frozen=True)
class Exports:
    """A file's exports with its re-exports followed (what the registry answers)."""

    names: frozenset[str]
    default: bool = False  # the module value itself is a function, class or value
    opaque: bool = False  # some export could not be known: do not flag missing names
    is_esm: bool = False
