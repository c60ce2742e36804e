"""Names in SQL against the schema the migrations create.

- sql-reference-unknown: a migration or seed names a table or column that no
  migration creates (a foreign key to "taks", an index on "ownr_id", an INSERT
  into a misspelled column, a DROP of a table that does not exist).
- sql-type-unknown: a column type that is neither PostgreSQL's nor created by a
  migration (`timestampz`, `varchr(255)`).
- query-column-unknown: SQL in a source file's strings quotes an identifier that is
  no table, column, constraint or index of the schema (a model selecting "titel").

The schema is built once per registry change from every SQL file (plus CREATE
TABLE statements held in source strings, e.g. a migration runner's bookkeeping
table) in two forms. `known`: the union of everything any file creates; names
in migrations (up and down) are checked against it, since a migration runs
before later ones drop what it names. `tables`: the schema after all
migrations, applying the files in path order (migrations/0001 before 0003,
seeds after), each file's drops and renames (DROP TABLE, DROP COLUMN, RENAME)
before its definitions; `.down.sql` files are left out. Source-code queries and
seeds are checked against it, so a column that 0003 drops is unknown there.
"""

from __future__ import annotations

import difflib
import re
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from backforge.engine.protocols import Issue, Severity
from backforge.validate.checks import Scope
from backforge.validate.model import SqlFragment, SqlRef, SqlSchemaFacts
from backforge.validate.registry import Registry

# PostgreSQL's built-in types (and common extension types) that sqlglot does not map
# to a type of its own; the ones it knows never reach this check.
PG_TYPES = frozenset({
    "bigint", "int8", "bigserial", "serial8", "bit", "varbit", "boolean", "bool", "box", "bytea",
    "char", "character", "varchar", "cidr", "circle", "date", "float8", "float4", "inet",
    "integer", "int", "int4", "int2", "interval", "json", "jsonb", "line", "lseg", "macaddr",
    "macaddr8", "money", "numeric", "decimal", "path", "pg_lsn", "pg_snapshot", "point", "polygon",
    "real", "smallint", "smallserial", "serial2", "serial", "serial4", "text", "time", "timetz",
    "timestamp", "timestamptz", "tsquery", "tsvector", "txid_snapshot", "uuid", "xml", "int4range",
    "int8range", "numrange", "tsrange", "tstzrange", "daterange", "int4multirange",
    "int8multirange", "nummultirange", "tsmultirange", "tstzmultirange", "datemultirange", "oid",
    "regclass", "regtype", "regproc", "regprocedure", "regoper", "regoperator", "regconfig",
    "regdictionary", "regnamespace", "regrole", "regcollation", "name", "record", "void",
    "trigger", "anyelement", "anyarray", "cstring", "citext", "hstore", "ltree", "lquery",
    "ltxtquery", "geometry", "geography", "vector", "halfvec", "sparsevec", "cube", "isbn", "issn",
    "ean13", "upc"
})
_TABLE_AFTER = re.compile(
    r'(?i)\b(?:FROM|INTO|UPDATE|JOIN|TABLE(?:\s+IF\s+(?:NOT\s+)?EXISTS)?)\s+"([^"]+)"')
_QUOTED = re.compile(r'"([^"\n]*)"')
_ALIAS_BEFORE = re.compile(r"(?i)\bAS\s*$")
_TABLE_ALIAS = re.compile(r'(?i)\b(?:FROM|JOIN|UPDATE|INTO)\s+"[^"]+"\s+(?:AS\s+)?"([^"]+)"')
_CREATE_TABLE = re.compile(r"(?i)\bCREATE\s+TABLE\b")
_MAX_LISTED = 12


@dataclass(frozen=True)
class SchemaIndex:
    tables: Mapping[str, frozenset[str]]  # table -> its columns, after every migration
    names: frozenset[str]  # constraint and index names
    types: frozenset[str]  # types created by CREATE TYPE / CREATE DOMAIN
    columns: frozenset[str]  # every column of every table
    # False when a SQL file does not parse: names it would define are unknown, so
    # nothing is judged against the schema until that syntax error is fixed.
    complete: bool = True
    known: Mapping[str, frozenset[str]] | None = None  # every table and column ever created

    def created(self) -> Mapping[str, frozenset[str]]:
        return self.tables if self.known is None else self.known


def _is_migration(path: str) -> bool:
    return path.endswith(".down.sql") or "migrations/" in f"/{path}"


def _apply(tables: dict[str, set[str]], one: SqlSchemaFacts) -> None:
    """One file's effect on the schema: removals first (DROP ... IF EXISTS, then CREATE)."""
    for ref in one.dropped:
        if ref.column is None:
            tables.pop(ref.table, None)
        elif ref.table in tables:
            tables[ref.table].discard(ref.column)
    for old, new in one.renamed_tables:
        if old in tables:
            tables.setdefault(new, set()).update(tables.pop(old))
    for table in one.tables:
        tables.setdefault(table.name, set()).update(table.columns)


def _build(facts: list[tuple[str, SqlSchemaFacts]]) -> SchemaIndex:
    tables: dict[str, set[str]] = {}
    known: dict[str, set[str]] = {}
    names: set[str] = set()
    types: set[str] = set()
    for path, one in sorted(facts, key=lambda f: f[0]):
        for table in one.tables:
            known.setdefault(table.name, set()).update(table.columns)
        for old, new in one.renamed_tables:
            known.setdefault(new, set()).update(known.get(old, ()))
        if not path.endswith(".down.sql"):
            _apply(tables, one)
        names.update(one.names)
        types.update(one.types_defined)
    index = {t: frozenset(c) for t, c in tables.items()}
    return SchemaIndex(index, frozenset(names), frozenset(types),
                       frozenset(c for cols in index.values() for c in cols),
                       known={t: frozenset(c) for t, c in known.items()})


# The last index per registry: inside a run most units change no SQL, so the schema
# is rebuilt only when a file with schema facts changed (same facts objects: same index).
# The facts are kept with the index (alive, so compared by identity safely).
_last: weakref.WeakKeyDictionary[Registry, tuple[list[tuple[str, SqlSchemaFacts]],
                                                 SchemaIndex]] = weakref.WeakKeyDictionary()


def _current(registry: Registry) -> SchemaIndex:
    facts = [(p.path, p.schema) for p in registry.parsed_files() if p.schema is not None]
    if any(p.language == "sql" and not p.ok for p in registry.parsed_files()):
        return SchemaIndex({}, frozenset(), frozenset(), frozenset(), complete=False)
    last = _last.get(registry)
    if last is not None and len(last[0]) == len(facts) \
            and all(a[0] == b[0] and a[1] is b[1] for a, b in zip(last[0], facts, strict=True)):
        return last[1]
    index = _build(facts)
    _last[registry] = (facts, index)
    return index


def schema_of(registry: Registry) -> SchemaIndex:
    return registry.derived("sql-schema", _current)


def _listed(names: Iterable[str]) -> str:
    ordered = sorted(names)
    more = ", ..." if len(ordered) > _MAX_LISTED else ""
    return ", ".join(f'"{n}"' for n in ordered[:_MAX_LISTED]) + more


def _did_you_mean(name: str, candidates: Iterable[str], cutoff: float = 0.6) -> str:
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=cutoff)
    return f'did you mean "{close[0]}"? ' if close else ""


def _ref_issue(path: str, ref: SqlRef, schema: SchemaIndex) -> Issue | None:
    tables = schema.created() if _is_migration(path) else schema.tables
    columns = tables.get(ref.table)
    if columns is None:
        gone = " (a migration drops it)" if ref.table in schema.created() else ""
        return Issue("sql-reference-unknown",
                     f'{ref.context} names table "{ref.table}", which no migration creates'
                     f"{gone}", path, ref.line, Severity.ERROR,
                     f"{_did_you_mean(ref.table, tables)}create the table in a "
                     "migration or correct the name")
    if ref.column is None or ref.column in columns:
        return None
    return Issue("sql-reference-unknown",
                 f'{ref.context} names column "{ref.column}" of "{ref.table}", '
                 "which has no such column", path, ref.line, Severity.ERROR,
                 f"{_did_you_mean(ref.column, columns)}columns of \"{ref.table}\": "
                 f"{_listed(columns)}")


class SqlSchemaCheck:
    name = "sql-schema"
    rules = ("sql-reference-unknown", "sql-type-unknown")

    def check(self, scope: Scope) -> list[Issue]:
        registry = scope.registry
        own = [(p, parsed.schema) for p in scope.paths
               if (parsed := registry.get(p)) is not None and parsed.schema is not None]
        if not own:
            return []
        schema = schema_of(registry)
        if not schema.complete:
            return []
        issues: list[Issue] = []
        for path, facts in own:
            found = (_ref_issue(path, ref, schema) for ref in facts.refs)
            # A missing table is named by the table and by each of its columns: once.
            issues.extend(dict.fromkeys(i for i in found if i is not None))
            for type_name, line in facts.types_used:
                if type_name.lower() in PG_TYPES or type_name in schema.types:
                    continue
                close = _did_you_mean(type_name.lower(), (*PG_TYPES, *schema.types), 0.75)
                issues.append(Issue(
                    "sql-type-unknown", f"type {type_name} is not a PostgreSQL type and no "
                    "migration creates it", path, line, Severity.ERROR,
                    f"{close}use a built-in type or CREATE TYPE it first"))
        return issues


def _fragment_issues(path: str, fragment: SqlFragment, schema: SchemaIndex,
                     every_column: frozenset[str]) -> list[Issue]:
    text = fragment.text
    named_tables = _TABLE_AFTER.findall(text)
    aliases = {m.group(1) for m in _QUOTED.finditer(text)
               if _ALIAS_BEFORE.search(text, max(0, m.start() - 8), m.start())}
    aliases.update(_TABLE_ALIAS.findall(text))
    # A table quoted outside FROM/JOIN ("tasks"."project_id" in a subquery over
    # "projects") is an outer query's: its columns are fair too, so hold to the schema.
    quoted_tables = {m.group(1) for m in _QUOTED.finditer(text)} & set(schema.tables)
    single = schema.tables.get(named_tables[0]) \
        if len(set(named_tables)) == 1 and quoted_tables <= set(named_tables) else None
    allowed = single if single is not None and "JOIN" not in text.upper() else every_column
    issues: list[Issue] = []
    for match in _QUOTED.finditer(text):
        name = match.group(1)
        if not name or "?" in name or name in aliases or name in schema.tables \
                or name in allowed or name in schema.names:
            continue
        line = fragment.line + text.count("\n", 0, match.start())
        where = f'table "{named_tables[0]}"' if single is not None else "the schema"
        issues.append(Issue(
            "query-column-unknown",
            f'SQL names "{name}", which is no table or column of {where} (migrations)',
            path, line, Severity.ERROR,
            f"{_did_you_mean(name, (*allowed, *schema.tables))}use a column the migrations "
            "create, or add it in a migration"))
    return issues


class QueryColumnCheck:
    name = "sql-queries"
    rules = ("query-column-unknown",)

    def check(self, scope: Scope) -> list[Issue]:
        registry = scope.registry
        own = [(p, parsed.sql) for p in scope.paths
               if (parsed := registry.get(p)) is not None and parsed.sql]
        if not own:
            return []
        schema = schema_of(registry)
        if not schema.tables or not schema.complete:
            return []  # no (parsable) migration known yet: nothing to hold names against
        every_column = schema.columns
        return [issue for path, fragments in own for fragment in fragments
                if not _CREATE_TABLE.search(fragment.text)
                for issue in _fragment_issues(path, fragment, schema, every_column)]
