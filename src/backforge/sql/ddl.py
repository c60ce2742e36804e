"""SQL the database module writes: the initial migration (up and down) and
the sample seed rows.

Tables are created in foreign-key order; a reference that closes a cycle is
added afterwards with ALTER TABLE (DEFERRABLE, so seeds can fill both sides
in one transaction).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from backforge.spec.model import FieldType
from backforge.sql import ddl_extras
from backforge.sql.columns import Column, constraint_name, quote, sql_string
from backforge.sql.samples import sample_uuid, sample_value
from backforge.sql.tables import SqlProject, SqlTable

SEED_ROWS = 3
# Seed rows use their own sample variants, so rows a client (or a test) creates with
# the low variants never collide with seeded unique values.
SEED_VARIANT = 10


@dataclass(frozen=True)
class TableOrder:
    tables: tuple[SqlTable, ...]  # parents before children
    deferred: frozenset[tuple[str, str]]  # (table name, column sql) added by ALTER TABLE


def fk_order(ctx: SqlProject) -> TableOrder:
    state: dict[str, bool] = {}  # False while visiting, True when done
    order: list[SqlTable] = []
    deferred: set[tuple[str, str]] = set()

    def visit(t: SqlTable) -> None:
        state[t.name] = False
        for col in t.columns:
            if col.ref is None or col.ref.table == t.name:
                continue
            seen = state.get(col.ref.table)
            if seen is False:
                deferred.add((t.name, col.sql))  # closes a cycle
            elif seen is None:
                visit(ctx.table(col.ref.table))
        for key in t.table.foreign_keys:  # added after all tables; only seeds need the order
            if state.get(key.references) is None:
                visit(ctx.table(key.references))
        state[t.name] = True
        order.append(t)

    for table in ctx.tables:
        if table.name not in state:
            visit(table)
    return TableOrder(tuple(order), frozenset(deferred))


def _references(col: Column, *, deferrable: bool = False) -> str:
    assert col.ref is not None
    out = f"REFERENCES {quote(col.ref.sql_table)} ({quote(col.ref.sql_column)})"
    action = col.ref.on_delete
    if deferrable and action == "RESTRICT":
        # PostgreSQL checks RESTRICT at once even in a deferrable constraint; NO ACTION
        # refuses the same deletes, but at the end of the transaction.
        action = "NO ACTION"
    return f"{out} ON DELETE {action}" if action else out


def _column_sql(t: SqlTable, col: Column, deferred: bool) -> str:
    parts = [col.quoted, col.sql_type]
    if not col.nullable:
        parts.append("NOT NULL")
    if col.default_sql is not None:
        parts.append(f"DEFAULT {col.default_sql}")
    if col.unique_constraint:
        parts.append(f"CONSTRAINT {quote(col.unique_constraint)} UNIQUE")
    if col.check and col.check_constraint:
        parts.append(f"CONSTRAINT {quote(col.check_constraint)} CHECK ({col.check})")
    if col.ref is not None and not deferred:
        parts.append(f"CONSTRAINT {quote(col.ref.constraint)} {_references(col)}")
    return " ".join(parts)


def _indexes(t: SqlTable) -> list[str]:
    """Foreign key columns get an index unless a key or unique index already leads with them."""
    covered = {t.pk[0].sql} if t.pk else set()
    covered |= {c.sql for c in t.unique_columns} | ddl_extras.indexed_first(t)
    out = []
    for col in t.columns:
        if col.ref is not None and col.sql not in covered:
            name = quote(constraint_name(t.sql, col.sql, "idx"))
            out.append(f"CREATE INDEX {name} ON {t.quoted} ({col.quoted});")
    return out + ddl_extras.indexes(t)


def _comments(t: SqlTable) -> list[str]:
    out = []
    if t.table.description:
        out.append(f"COMMENT ON TABLE {t.quoted} IS {sql_string(t.table.description)};")
    for col in t.columns:
        if col.field.description:
            out.append(f"COMMENT ON COLUMN {t.quoted}.{col.quoted} IS "
                       f"{sql_string(col.field.description)};")
    return out


def create_table(t: SqlTable, deferred: frozenset[tuple[str, str]]) -> str:
    lines = [_column_sql(t, c, (t.name, c.sql) in deferred) for c in t.columns]
    keys = ", ".join(c.quoted for c in t.pk)
    lines.append(f"CONSTRAINT {quote(constraint_name(t.sql, 'pkey'))} PRIMARY KEY ({keys})")
    lines += ddl_extras.table_constraints(t)
    body = ",\n".join(f"  {line}" for line in lines)
    return "\n".join([f"CREATE TABLE {t.quoted} (\n{body}\n);", *_indexes(t), *_comments(t)])


def deferred_constraints(ctx: SqlProject, order: TableOrder) -> list[tuple[SqlTable,
                                                                               Column]]:
    out = []
    for t in order.tables:
        for col in t.columns:
            if (t.name, col.sql) in order.deferred:
                out.append((t, col))
    return out


def migration_up(ctx: SqlProject) -> str:
    order = fk_order(ctx)
    parts = ddl_extras.extensions(ctx) + [create_table(t, order.deferred) for t in order.tables]
    for t, col in deferred_constraints(ctx, order):
        assert col.ref is not None
        parts.append(f"ALTER TABLE {t.quoted} ADD CONSTRAINT {quote(col.ref.constraint)} "
                     f"FOREIGN KEY ({col.quoted}) {_references(col, deferrable=True)} "
                     "DEFERRABLE INITIALLY IMMEDIATE;")
    parts += ddl_extras.foreign_keys(ctx, order.tables)
    return "\n\n".join(parts) + "\n"


def migration_down(ctx: SqlProject) -> str:
    """Drops in reverse creation order. A table that a cycle-closing reference points
    to is dropped with CASCADE, which removes that one foreign key constraint."""
    order = fk_order(ctx)
    targets = {col.ref.table for _, col in deferred_constraints(ctx, order)
               if col.ref is not None} | ddl_extras.composite_targets(ctx)
    parts = [f"DROP TABLE IF EXISTS {t.quoted}{' CASCADE' if t.name in targets else ''};"
             for t in reversed(order.tables)]
    return "\n".join(parts) + "\n"


# --- seeds ------------------------------------------------------------------------------


def _own_value(t: SqlTable, col: Column, row: int) -> Any:
    if col.identity:
        return row + 1
    if col.generated:
        return sample_uuid(t.sql, "seed", row)
    return sample_value(col, SEED_VARIANT + row, salt=t.sql)


def seed_value(ctx: SqlProject, t: SqlTable, col: Column, row: int,
               depth: int = 0) -> Any:
    """The value of `col` in seed row `row`, following references to the parent's row."""
    tied = ddl_extras.composite_parent(ctx, t, col) if col.ref is None else None
    if tied is not None and depth <= len(ctx.tables):
        return seed_value(ctx, tied[0], tied[1], row, depth + 1)
    if col.ref is None or depth > len(ctx.tables):
        return _own_value(t, col, row)
    parent = ctx.table(col.ref.table)
    target = next(c for c in parent.columns if c.sql == col.ref.sql_column)
    if parent.name == t.name:
        if col.nullable:
            return None if row == 0 else seed_value(ctx, t, target, 0, depth + 1)
        return seed_value(ctx, t, target, row, depth + 1)
    return seed_value(ctx, parent, target, row, depth + 1)


def sql_literal(col: Column, value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return str(value)
    if col.kind in (FieldType.DECIMAL, FieldType.BIGINT) and re.fullmatch(r"-?\d+(\.\d+)?",
                                                                            str(value)):
        return str(value)  # the API's exact string form of a number
    if col.kind is FieldType.JSON:
        return f"{sql_string(json.dumps(value, sort_keys=True))}::jsonb"
    if isinstance(value, list):
        return sql_string(_array_text(value))
    return sql_string(str(value))


def _array_text(items: list[Any]) -> str:
    """A JSON array as PostgreSQL's array input text ({"a b",NULL,1})."""
    def element(item: Any) -> str:
        if item is None:
            return "NULL"
        if isinstance(item, bool):
            return "true" if item else "false"
        if isinstance(item, (int, float)):
            return repr(item)
        return '"' + str(item).replace("\\", "\\\\").replace('"', '\\"') + '"'
    return "{" + ",".join(element(i) for i in items) + "}"


def _seed_insert(ctx: SqlProject, t: SqlTable) -> list[str]:
    cols = [c for c in t.columns if c not in (t.created, t.updated)]
    names = ", ".join(c.quoted for c in cols)
    rows = []
    for row in range(SEED_ROWS):
        values = ", ".join(sql_literal(c, seed_value(ctx, t, c, row)) for c in cols)
        rows.append(f"  ({values})")
    out = [f"INSERT INTO {t.quoted} ({names}) VALUES\n" + ",\n".join(rows)
           + "\nON CONFLICT DO NOTHING;"]
    for col in cols:
        if col.identity:
            # Explicit ids do not advance the identity sequence: move it past them.
            out.append(f"SELECT setval(pg_get_serial_sequence({sql_string(t.quoted)}, "
                       f"{sql_string(col.sql)}), (SELECT max({col.quoted}) FROM {t.quoted}));")
    return out


def seed_sql(ctx: SqlProject) -> str:
    order = fk_order(ctx)
    parts: list[str] = []
    for t in order.tables:
        parts.append("\n".join(_seed_insert(ctx, t)))
    return "\n\n".join(parts) + "\n"
