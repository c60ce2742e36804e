"""Database structure beyond what the API needs, kept by the initial migration.

An imported schema brings extensions, multi-column unique constraints, CHECKs
the API does not model, extra indexes and multi-column foreign keys (the
spec's `database.extensions` and each table's `unique`, `checks`, `indexes`
and `foreign_keys`). Field names become the stack's SQL names here; CHECK and
partial-index conditions are kept verbatim (the importer already wrote them
over those SQL names).
"""

from __future__ import annotations

from collections.abc import Callable

from backforge.errors import SpecError
from backforge.spec import sqlgate
from backforge.spec.model import ForeignKey, OnDelete
from backforge.sql.columns import Column, constraint_name, quote
from backforge.sql.tables import SqlProject, SqlTable

_ON_DELETE = {OnDelete.CASCADE: "CASCADE", OnDelete.SET_NULL: "SET NULL",
              OnDelete.RESTRICT: "RESTRICT", OnDelete.NO_ACTION: "NO ACTION"}


def _columns(t: SqlTable) -> dict[str, Column]:
    return {c.field.name: c for c in t.columns}


def _quoted(t: SqlTable, fields: tuple[str, ...]) -> str:
    cols = _columns(t)
    return ", ".join(cols[f].quoted for f in fields)


def extensions(ctx: SqlProject) -> list[str]:
    return [f"CREATE EXTENSION IF NOT EXISTS {quote(name)};"
            for name in ctx.project.database.extensions]


def table_constraints(t: SqlTable) -> list[str]:
    """Lines inside CREATE TABLE: unique column groups and database-only checks."""
    out = []
    cols = _columns(t)
    for group in t.table.unique:
        name = constraint_name(t.sql, *(cols[f].sql for f in group), "key")
        out.append(f"CONSTRAINT {quote(name)} UNIQUE ({_quoted(t, group)})")
    for i, check in enumerate(t.table.checks, start=1):
        name = constraint_name(t.sql, "check", str(i))
        text = _gated(f"{t.name}.checks[{i - 1}]", sqlgate.expression, check)
        out.append(f"CONSTRAINT {quote(name)} CHECK ({text})")
    return out


def _gated(where: str, gate: Callable[[str], str], text: str) -> str:
    try:
        return gate(text)
    except sqlgate.SqlRejected as exc:
        raise SpecError(f"{where}: {exc.message}; fix: {exc.hint}") from None


def indexed_first(t: SqlTable) -> set[str]:
    """SQL names of columns that lead one of the table's own indexes or unique groups."""
    cols = _columns(t)
    leads = [i.fields[0] for i in t.table.indexes if i.where is None]
    leads += [g[0] for g in t.table.unique]
    return {cols[f].sql for f in leads}


def indexes(t: SqlTable) -> list[str]:
    out = []
    cols = _columns(t)
    for i, index in enumerate(t.table.indexes):
        name = index.name or constraint_name(t.sql, *(cols[f].sql for f in index.fields), "idx")
        place = f"{t.name}.indexes[{i}]"
        using = f" USING {_gated(place, sqlgate.index_method, index.using)}" \
            if index.using else ""
        where = f" WHERE {_gated(place, sqlgate.expression, index.where)}" \
            if index.where else ""
        unique = "UNIQUE " if index.unique else ""
        out.append(f"CREATE {unique}INDEX {quote(name)} ON {t.quoted}{using} "
                   f"({_quoted(t, index.fields)}){where};")
    return out


def _foreign_key(ctx: SqlProject, t: SqlTable, key: ForeignKey) -> str:
    target = ctx.table(key.references)
    cols = _columns(t)
    name = key.name or constraint_name(t.sql, *(cols[f].sql for f in key.fields), "fkey")
    action = f" ON DELETE {_ON_DELETE[key.on_delete]}" if key.on_delete else ""
    return (f"ALTER TABLE {t.quoted} ADD CONSTRAINT {quote(name)} FOREIGN KEY "
            f"({_quoted(t, key.fields)}) REFERENCES {target.quoted} "
            f"({_quoted(target, key.ref_fields)}){action};")


def foreign_keys(ctx: SqlProject, tables: tuple[SqlTable, ...]) -> list[str]:
    """Multi-column foreign keys, added once every table exists."""
    return [_foreign_key(ctx, t, key) for t in tables for key in t.table.foreign_keys]


def composite_parent(ctx: SqlProject, t: SqlTable,
                     col: Column) -> tuple[SqlTable, Column] | None:
    """The parent table and column a multi-column foreign key ties `col` to, if any."""
    for key in t.table.foreign_keys:
        if col.field.name in key.fields:
            parent = ctx.table(key.references)
            ref = key.ref_fields[key.fields.index(col.field.name)]
            return parent, _columns(parent)[ref]
    return None


def composite_targets(ctx: SqlProject) -> set[str]:
    return {key.references for t in ctx.tables for key in t.table.foreign_keys}
