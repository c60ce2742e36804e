"""The one gate for raw SQL in a spec: parse, allow-list, re-render from the parse tree.

A spec may carry PostgreSQL text in five places: a table's `checks`, an index's `where`
(partial-index predicate) and `using` (access method), a field's `db_type`, and string
`default`s that name a database function (`now`, `gen_random_uuid()`). Every loader
(native YAML/JSON, design-tool JSON, SQL DDL, DBML, a live database) ends in
`spec/load.py`, which runs `gate()` on the project, so the migration only ever sees
text this module produced. The stacks call the same functions again when they render
(`expression`, `index_method`, `column_type`: idempotent on their own output), so a
Project built by hand cannot bypass the gate either.

The policy, per place:

- **checks and where**: exactly one PostgreSQL boolean expression (parsed by sqlglot,
  dialect postgres). It may contain column references of its own table (a field's name
  as written or its SQL name; unqualified), plain literals ('text', numbers, TRUE,
  FALSE, NULL), comparison, arithmetic, `||`, AND/OR/NOT, IS [NOT] NULL/TRUE/FALSE,
  IS [NOT] DISTINCT FROM, [NOT] IN (list), BETWEEN, LIKE/ILIKE, `~`/`~*`,
  `= ANY (ARRAY[...])`, casts to a type, INTERVAL literals, and these functions only:
  lower, upper, length/char_length, trim/btrim, coalesce, nullif, greatest, least, abs,
  round, floor, ceil, now()/current_timestamp, current_date. Refused: a second
  statement, a `;`, any statement (SELECT, subqueries, DDL), comments (they can hide
  code from a reader), dollar-quoted, E'...', U&'...', N'...', bit and hex strings
  (plain '...' says the same without escape rules a reader must know), any other
  function, qualified or unknown columns, and anything not boolean at the top.
  The text is re-rendered by sqlglot from the tree, with column references replaced
  by the column's quoted SQL name.
- **using**: one of PostgreSQL's index methods btree, hash, gist, spgist, gin, brin.
- **db_type**: one type name: words or quoted identifiers, optionally schema-qualified
  (`public.geometry`), a multi-word name only from PostgreSQL's list (`double
  precision`, `character varying`, `timestamp with time zone`, ...), optional
  arguments that are numbers or words (`numeric(10, 2)`, `geometry(polygon, 4326)`)
  and array brackets. Tokens come from sqlglot's tokenizer; the text is re-rendered from
  them (not by sqlglot's printer, which loses some types: `bit varying(5)` -> `BIT`).
- **default** (string defaults of date, datetime and uuid fields): a literal of that
  type or one of the known function spellings; the stack writes every other default
  as a quoted SQL literal, never as SQL.

The sqlglot parsing of expressions and type names lives in spec/sqlparse.py, imported
only when a spec carries such text. Size limits (spec/limits.py) are checked before
parsing, and a RecursionError from sqlglot still becomes a located error.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping

from backforge.spec.model import Field, FieldType, Project, Table
from backforge.spec.names import Names
from backforge.spec.problems import Problem, SqlRejected

__all__ = ["INDEX_METHODS", "NOW_DEFAULTS", "UUID_DEFAULTS", "SqlRejected", "column_type",
           "expression", "gate", "index_method"]

INDEX_METHODS = ("btree", "hash", "gist", "spgist", "gin", "brin")
# String defaults the stacks turn into SQL functions (everything else is a quoted literal).
NOW_DEFAULTS = frozenset({"now", "now()", "current_timestamp", "current_timestamp()",
                          "today", "current_date"})
UUID_DEFAULTS = frozenset({"gen_random_uuid()", "uuid_generate_v4()"})


def expression(text: str, columns: Mapping[str, str] | None = None) -> str:
    """The canonical text of one boolean expression; SqlRejected when it is not one.

    `columns` maps each name a reference may use (field name and SQL name) to the SQL
    column name; None accepts any unqualified name as written (for re-rendering text
    this function produced)."""
    # Imported here: sqlglot costs ~90 ms of start-up that only raw SQL needs.
    from backforge.spec import sqlparse

    return sqlparse.expression(text, columns)


def column_type(text: str) -> str:
    """The canonical spelling of one PostgreSQL type name; SqlRejected otherwise."""
    from backforge.spec import sqlparse  # sqlglot: ~90 ms of start-up, raw SQL only

    return sqlparse.column_type(text)


# --- index methods ------------------------------------------------------------------------


def index_method(text: str) -> str:
    method = text.strip().lower() if isinstance(text, str) else ""
    if method not in INDEX_METHODS:
        raise SqlRejected(f"unknown index method {str(text)[:60]!r}",
                          f"use one of: {', '.join(INDEX_METHODS)}")
    return method


# --- defaults -------------------------------------------------------------------------------


def _default_problem(field: Field) -> str | None:
    """Why a string default of a date, datetime or uuid field is neither a literal of that
    type nor a known function (None when it is fine)."""
    value = field.default
    if not isinstance(value, str):
        return None
    text = value.strip()
    kind = field.type
    try:
        if kind is FieldType.DATE:
            if text.lower() not in NOW_DEFAULTS:
                dt.date.fromisoformat(text)
        elif kind is FieldType.DATETIME:
            if text.lower() not in NOW_DEFAULTS:
                dt.datetime.fromisoformat(text)
        elif kind is FieldType.UUID and text.lower() not in UUID_DEFAULTS:
            uuid.UUID(text)
    except ValueError:
        known = ("gen_random_uuid()" if kind is FieldType.UUID
                 else "now, current_date or an ISO 8601 value such as 2024-01-31")
        return f"{value[:60]!r} is neither a {kind.value} literal nor one of: {known}"
    return None


# --- the whole project ---------------------------------------------------------------------


def gate(project: Project, names: Names) -> tuple[Project, list[Problem]]:
    """The project with every raw SQL fragment in canonical form, and a Problem per refusal."""
    problems: list[Problem] = []
    tables = []
    for ti, table in enumerate(project.tables):
        tables.append(_gate_table(f"tables[{ti}]", table, names, problems))
    if problems:
        return project, problems
    return project.model_copy(update={"tables": tuple(tables)}), []


def _gate_table(where: str, table: Table, names: Names, problems: list[Problem]) -> Table:
    columns = _columns(table, names)
    fields = []
    for fi, field in enumerate(table.fields):
        update = {}
        if field.db_type is not None:
            update["db_type"] = _try(f"{where}.fields[{fi}].db_type", problems, column_type,
                                     field.db_type)
        why = _default_problem(field)
        if why is not None:
            problems.append(Problem(f"{where}.fields[{fi}].default", why,
                                    "write a literal, or drop the default"))
        fields.append(field.model_copy(update=update) if update else field)
    checks = tuple(_try(f"{where}.checks[{ci}]", problems, expression, check, columns)
                   for ci, check in enumerate(table.checks))
    indexes = []
    for ii, index in enumerate(table.indexes):
        update = {}
        if index.using is not None:
            update["using"] = _try(f"{where}.indexes[{ii}].using", problems, index_method,
                                   index.using)
        if index.where is not None:
            update["where"] = _try(f"{where}.indexes[{ii}].where", problems, expression,
                                   index.where, columns)
        indexes.append(index.model_copy(update=update) if update else index)
    return table.model_copy(update={"fields": tuple(fields), "checks": checks,
                                    "indexes": tuple(indexes)})


def _try(where: str, problems: list[Problem], fn: Callable[..., str], *args: object) -> str:
    try:
        return fn(*args)
    except SqlRejected as exc:
        problems.append(Problem(where, exc.message, exc.hint))
        return str(args[0])


def _columns(table: Table, names: Names) -> dict[str, str]:
    """Every name a reference may use -> the column's SQL name (generated columns too)."""
    known = names.tables.get(table.name)
    out: dict[str, str] = {}
    for field in table.fields:
        fn = known.fields.get(field.name) if known else None
        sql = fn.sql if fn else field.name
        out.setdefault(sql, sql)
        out.setdefault(field.name, sql)
    if table.timestamps:
        out.setdefault("created_at", "created_at")
        out.setdefault("updated_at", "updated_at")
    if not table.primary_key:
        out.setdefault("id", "id")
    return out
