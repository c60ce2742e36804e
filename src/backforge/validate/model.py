"""What a language front-end extracts from one file: the typed seam between
parsing (languages/) and checking (registry, rules).

Everything is a frozen dataclass so parsed files can be cached by content and
shared between registries and threads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ImportKind(StrEnum):
    REQUIRE = "require"  # CommonJS require('x')
    IMPORT = "import"  # ES import ... from 'x' (or bare import 'x')
    DYNAMIC = "dynamic"  # import('x')
    REEXPORT = "reexport"  # ES export ... from 'x'
    MODULE = "module"  # a Terraform module block's local `source = "./modules/x"`


@dataclass(frozen=True)
class Import:
    specifier: str
    names: tuple[str, ...]  # destructured / named imports; () means the whole module
    line: int  # 1-based
    is_relative: bool  # './x', '../x' or '/x': a file of the project, not a package
    kind: ImportKind = ImportKind.REQUIRE
    default: bool = False  # an ES default import (`import x from 'y'`)
    # The line of each name in `names` (a destructuring may span lines); () when unknown.
    name_lines: tuple[int, ...] = field(default=(), compare=False)

    def line_of(self, name: str) -> int:
        if name in self.names and len(self.name_lines) == len(self.names):
            return self.name_lines[self.names.index(name)]
        return self.line


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
    line: int = field(default=0, compare=False)  # where the export is made (0: unknown)


@dataclass(frozen=True)
class SyntaxProblem:
    line: int  # 1-based
    column: int  # 1-based, in bytes of the UTF-8 source
    message: str


@dataclass(frozen=True)
class SqlFragment:
    """Literal SQL text a source file holds in a string (or one piece of a built string).

    Interpolated expressions are replaced by `?`, so the text never holds code."""

    line: int  # where the text starts
    text: str


@dataclass(frozen=True)
class SqlInterpolation:
    """An expression spliced into SQL text (template substitution or concatenation)."""

    line: int
    expression: str  # its source text, whitespace collapsed
    before: str  # the SQL text just before it (the tail of the preceding literal)
    after: str  # the SQL text just after it
    placeholder: bool  # the language knows it yields a bind placeholder ($n) or a number


@dataclass(frozen=True)
class EnvRead:
    """An environment variable the code reads (`process.env.X`, `os.environ['X']`)."""

    name: str
    line: int


@dataclass(frozen=True)
class Hazard:
    """A use of an API the stack's code never needs (child_process, eval, network, ...)."""

    rule: str  # e.g. "unsafe-eval"
    line: int
    message: str  # what was found, e.g. "uses globalThis.eval"


@dataclass(frozen=True)
class TableDef:
    """A table a SQL file creates (or alters), with the columns it gets there."""

    name: str
    columns: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class SqlRef:
    """A table, or a column of a table, that a SQL statement names."""

    table: str
    column: str | None  # None: the table itself
    line: int
    context: str  # what names it, for messages: "foreign key", "index", "insert", ...


@dataclass(frozen=True)
class SqlSchemaFacts:
    """What a SQL file defines and names (migrations, seeds)."""

    tables: tuple[TableDef, ...] = ()
    refs: tuple[SqlRef, ...] = ()
    types_defined: tuple[str, ...] = ()  # CREATE TYPE / CREATE DOMAIN names
    types_used: tuple[tuple[str, int], ...] = ()  # (type name, line) of non-builtin types
    names: tuple[str, ...] = ()  # constraint and index names: legal quoted identifiers
    # What later migrations remove: DROP TABLE (column None), ALTER TABLE DROP COLUMN and
    # the old name of RENAME COLUMN; and ALTER TABLE RENAME TO as (old, new).
    dropped: tuple[SqlRef, ...] = ()
    renamed_tables: tuple[tuple[str, str], ...] = ()


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
    sql: tuple[SqlFragment, ...] = ()  # SQL held in strings of a source file
    sql_interpolations: tuple[SqlInterpolation, ...] = ()
    env_reads: tuple[EnvRead, ...] = ()
    hazards: tuple[Hazard, ...] = ()  # forbidden APIs (see languages/js_safety.py)
    schema: SqlSchemaFacts | None = None  # a SQL file's definitions and references

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
