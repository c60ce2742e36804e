"""Schema evolution on PostgreSQL: the next append-only migration.

`evolve(old, new, existing, api)` compares the schemas the two contexts' initial
migrations create (see schema_snapshot) and writes `migrations/000N_<slug>.up.sql`,
which moves a database built by the old migrations to the new schema, and the
`.down.sql` that moves it back (the same diff, the other way round). The
generated runner applies each file in one transaction, so a failing statement
leaves the database as it was.

Statement order of a migration: extensions; drop removed or changed foreign
keys, then other constraints and indexes; drop tables; drop columns; add and
alter columns; create tables; add constraints and indexes, foreign keys last.

Decisions:
- A rename is a drop plus an add: the dropped column's or table's data is lost.
- A NOT NULL column without a default added to an existing table is written as
  such and reported as a warning: the migration fails (and rolls back) when the
  table has rows, because there is no value to fill them with. The fix is a
  default in the spec. The same holds for a column that becomes NOT NULL.
- A type change casts (`USING "c"::new`); only widening casts are safe, any
  other is reported as data loss (values may be truncated, rounded or refused).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from backforge.engine.protocols import GeneratedFile
from backforge.spec.naming import sql_identifier
from backforge.sql.columns import quote
from backforge.sql.evolution import ApiChange, DataLoss, Evolution
from backforge.sql.schema_snapshot import (
    ColumnSpec,
    Kind,
    SchemaObject,
    Snapshot,
    TableSpec,
    snapshot,
)
from backforge.sql.tables import SqlProject

RESERVED = 2  # 0001_initial and 0002_auth
_MIGRATION = re.compile(r"^migrations/(\d+)_[\w-]+\.(?:up|down)\.sql$")
_NUMBERS = re.compile(r"^(?:smallint|integer|bigint|numeric|double precision|real)")
_VARCHAR = re.compile(r"^(?:varchar|character varying)\((\d+)\)$")
_NUMERIC = re.compile(r"^numeric\((\d+), (\d+)\)$")
_INT_RANK = {"smallint": 1, "integer": 2, "bigint": 3}
_SLUG_LENGTH = 60


@dataclass
class Diff:
    """The statements of one direction, with what they mean."""

    statements: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    headlines: list[str] = field(default_factory=list)  # slugs of table/column changes
    data_loss: list[DataLoss] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    recreated: list[str] = field(default_factory=list)  # "table x" / "column x.y" created
    # Fill NOT NULL columns added without a default with a placeholder (down files: the
    # rows the up migration kept need some value); else warn (up files).
    placeholders: bool = False

    def add(self, statement: str, change: str | None = None, slug: str | None = None) -> None:
        self.statements.append(statement)
        if change is not None:
            self.changes.append(change)
        if slug is not None:
            self.headlines.append(slug)


# --- type changes -----------------------------------------------------------------------


def widening(old: str, new: str) -> bool:
    """True when every value of type `old` converts to `new` unchanged."""
    if old == new or new == "text" and not old.endswith("[]"):
        return True
    if old in _INT_RANK and new in _INT_RANK:
        return _INT_RANK[new] >= _INT_RANK[old]
    if old in _INT_RANK and new == "numeric":
        return True
    if old in ("smallint", "integer", "real") and new == "double precision":
        return True
    old_len, new_len = _VARCHAR.match(old), _VARCHAR.match(new)
    if old_len and new_len:
        return int(new_len.group(1)) >= int(old_len.group(1))
    old_num, new_num = _NUMERIC.match(old), _NUMERIC.match(new)
    if old_num and (new == "numeric" or new_num):
        if new_num is None:
            return True
        p0, s0 = int(old_num.group(1)), int(old_num.group(2))
        p1, s1 = int(new_num.group(1)), int(new_num.group(2))
        return s1 >= s0 and p1 - s1 >= p0 - s0
    if old in _INT_RANK and new_num:
        digits = {"smallint": 5, "integer": 10, "bigint": 19}[old]
        return int(new_num.group(1)) - int(new_num.group(2)) >= digits
    return old == "date" and new in ("timestamptz", "timestamp")


def _type_loss(table: str, old: ColumnSpec, new: ColumnSpec) -> DataLoss:
    where = f"{table}.{old.name}"
    if _NUMBERS.match(old.type) and _NUMBERS.match(new.type):
        what = "values out of range are refused and fractions may be rounded"
    elif _VARCHAR.match(new.type):
        what = f"values longer than {_VARCHAR.match(new.type).group(1)} characters " \
               "are truncated"
    else:
        what = f"values that do not convert to {new.type} are refused or changed"
    return DataLoss(f"change type of column {where} from {old.type} to {new.type}",
                    f"{what}: the cast {old.type} -> {new.type} is not lossless")


# --- columns ----------------------------------------------------------------------------


def _alter_column(diff: Diff, t: TableSpec, old: ColumnSpec, new: ColumnSpec) -> None:
    col, where = quote(new.name), f"{t.sql}.{new.name}"

    def alter(action: str) -> None:
        diff.add(f"ALTER TABLE {t.quoted} ALTER COLUMN {col} {action};")

    retyped = old.type != new.type
    if old.default is not None and (new.default is None or retyped):
        alter("DROP DEFAULT")  # before the cast: the old default may not convert
    if old.identity and not new.identity:
        alter("DROP IDENTITY")
        diff.changes.append(f"stop column {where} being an identity")
    if retyped:
        alter(f"TYPE {new.type} USING {col}::{new.type}")
        diff.changes.append(f"change type of column {where} from {old.type} to {new.type}")
        if not widening(old.type, new.type):
            diff.data_loss.append(_type_loss(t.sql, old, new))
    if new.identity and not old.identity:
        alter("ADD GENERATED BY DEFAULT AS IDENTITY")
        # The new sequence starts at 1: move it past the values the rows already have.
        diff.add(f"SELECT setval(pg_get_serial_sequence('{t.quoted}', '{new.name}'), "
                 f"COALESCE(max({col}), 0) + 1, false) FROM {t.quoted};",
                 f"make column {where} an identity")
    if new.default is not None and (old.default != new.default or retyped):
        alter(f"SET DEFAULT {new.default}")
        if old.default != new.default:
            diff.changes.append(f"set default of column {where} to {new.default}")
    elif old.default is not None and new.default is None:
        diff.changes.append(f"drop default of column {where}")
    if old.nullable and not new.nullable:
        alter("SET NOT NULL")
        diff.changes.append(f"make column {where} NOT NULL")
        diff.warnings.append(f"column {where} becomes NOT NULL: the migration fails if a row "
                             "holds NULL there; fill those rows first")
    elif new.nullable and not old.nullable:
        alter("DROP NOT NULL")
        diff.changes.append(f"allow NULL in column {where}")
    diff.headlines.append(f"alter_{t.sql}_{new.name}")


def _columns(diff: Diff, old_t: TableSpec, new_t: TableSpec) -> None:
    """Add and alter the columns of a table both schemas have (drops come earlier)."""
    for name, new in new_t.columns.items():
        old = old_t.columns.get(name)
        where = f"{new_t.sql}.{name}"
        if old is None:
            diff.add(f"ALTER TABLE {new_t.quoted} ADD COLUMN {new.definition()};",
                     f"add column {where} ({new.type})", f"add_{new_t.sql}_{name}")
            diff.recreated.append(f"column {where}")
            if not new.nullable and new.default is None and not new.identity:
                _unfilled(diff, new_t, new)
        elif old != new:
            _alter_column(diff, new_t, old, new)


def _unfilled(diff: Diff, t: TableSpec, col: ColumnSpec) -> None:
    """A NOT NULL column without a default was just added (see the module docstring)."""
    where = f"{t.sql}.{col.name}"
    if not diff.placeholders:
        diff.warnings.append(f"column {where} is NOT NULL without a default: the migration "
                             f"fails if {t.sql} has rows; give the field a default in the spec")
        return
    last = diff.statements.pop()
    diff.statements.append(last.removesuffix(";") + f" DEFAULT {col.fill};")
    diff.statements.append(f"ALTER TABLE {t.quoted} ALTER COLUMN {quote(col.name)} "
                           "DROP DEFAULT;")
    diff.warnings.append(f"rows kept in {t.sql} get the placeholder {col.fill} in {where}")


def _drop_columns(diff: Diff, old_t: TableSpec, new_t: TableSpec) -> None:
    for name, old in old_t.columns.items():
        if name not in new_t.columns:
            where = f"{old_t.sql}.{name}"
            diff.add(f"ALTER TABLE {old_t.quoted} DROP COLUMN {quote(name)};",
                     f"drop column {where}", f"drop_{old_t.sql}_{name}")
            diff.data_loss.append(DataLoss(f"drop column {where}",
                                           f"every value of {where} ({old.type}) is deleted"))


def _comments(diff: Diff, old_t: TableSpec, new_t: TableSpec) -> None:
    def text(value: str | None) -> str:
        return "NULL" if value is None else "'" + value.replace("'", "''") + "'"

    if old_t.comment != new_t.comment:
        diff.add(f"COMMENT ON TABLE {new_t.quoted} IS {text(new_t.comment)};",
                 f"comment on table {new_t.sql}")
    for name, new in new_t.columns.items():
        old = old_t.columns.get(name)
        if old is not None and old.comment != new.comment or old is None and new.comment:
            diff.add(f"COMMENT ON COLUMN {new_t.quoted}.{quote(name)} IS {text(new.comment)};",
                     f"comment on column {new_t.sql}.{name}")


# --- objects and tables -----------------------------------------------------------------


def _objects(snap: Snapshot, only: Collection[str]) -> dict[tuple[str, str], SchemaObject]:
    return {k: o for t in only for k, o in snap.tables[t].objects.items()}


def _object_change(verb: str, obj: SchemaObject) -> str:
    return f"{verb} {obj.kind.value} {obj.name.strip(chr(34))} on {obj.table}"


def _drop_objects(diff: Diff, old_objs: dict, new_objs: dict) -> None:
    gone = [o for k, o in old_objs.items()
            if k not in new_objs or new_objs[k].signature != o.signature]
    # Foreign keys first: a key or unique constraint they rely on may go next.
    for obj in sorted(gone, key=lambda o: o.kind is not Kind.FKEY):
        diff.add(obj.drop, _object_change("drop", obj))


def _add_objects(diff: Diff, old_objs: dict, new_objs: dict) -> None:
    fresh = [o for k, o in new_objs.items()
             if k not in old_objs or old_objs[k].signature != o.signature]
    order = list(Kind)
    for obj in sorted(fresh, key=lambda o: order.index(o.kind)):
        diff.add(obj.add, _object_change("add", obj))


def _drop_tables(diff: Diff, old: Snapshot, gone: list[str]) -> None:
    for name in reversed(gone):  # children before parents
        t = old.tables[name]
        cascade = " CASCADE" if t.cycle_target else ""
        diff.add(f"DROP TABLE {t.quoted}{cascade};", f"drop table {name}", f"drop_{name}")
        diff.data_loss.append(DataLoss(f"drop table {name}",
                                       f"every row of {name} is deleted "
                                       f"({len(t.columns)} columns)"))


def _create_tables(diff: Diff, new: Snapshot, added: list[str]) -> None:
    for name in added:
        diff.add(new.tables[name].create, f"create table {name}", f"create_{name}")
        diff.recreated.append(f"table {name}")
    for name in added:  # cycle-closing and multi-column keys: once every table exists
        for obj in new.tables[name].objects.values():
            if obj.deferred:
                diff.add(obj.add, _object_change("add", obj))


def diff_schemas(old: Snapshot, new: Snapshot, *, placeholders: bool = False) -> Diff:
    """The statements that turn a database with schema `old` into one with `new`."""
    diff = Diff(placeholders=placeholders)
    for ext in new.extensions:
        if ext not in old.extensions:
            diff.add(f"CREATE EXTENSION IF NOT EXISTS {quote(ext)};", f"create extension {ext}")
    kept = [t for t in new.tables if t in old.tables]
    old_objs, new_objs = _objects(old, kept), _objects(new, kept)
    _drop_objects(diff, old_objs, new_objs)
    _drop_tables(diff, old, [t for t in old.tables if t not in new.tables])
    for name in kept:
        _drop_columns(diff, old.tables[name], new.tables[name])
    for name in kept:
        _columns(diff, old.tables[name], new.tables[name])
    _create_tables(diff, new, [t for t in new.tables if t not in old.tables])
    _add_objects(diff, old_objs, new_objs)
    for name in kept:
        _comments(diff, old.tables[name], new.tables[name])
    for ext in old.extensions:
        if ext not in new.extensions:
            diff.add(f"DROP EXTENSION IF EXISTS {quote(ext)};", f"drop extension {ext}")
    return diff


# --- files ------------------------------------------------------------------------------


def next_number(existing: Collection[str]) -> int:
    """One past the highest migration number in `existing` (at least past 0002)."""
    numbers = [int(m.group(1)) for p in existing if (m := _MIGRATION.match(p))]
    return max([RESERVED, *numbers]) + 1


def slug(diff: Diff) -> str:
    """`add_tasks_due_at` for one table or column change, else `schema_change`."""
    heads = list(dict.fromkeys(diff.headlines))
    if len(heads) == 1:
        return sql_identifier(heads[0])[:_SLUG_LENGTH].rstrip("_")
    return "schema_change"


def _header(name: str, what: str, lines: list[str]) -> str:
    body = "".join(f"--   {line}\n" for line in lines)
    return f"-- {name}: {what} (generated by backforge; append-only, do not edit once applied)\n" \
           f"{body}"


def _up_file(name: str, up: Diff) -> str:
    notes = [f"DATA LOSS: {d.change}: {d.detail}" for d in up.data_loss]
    notes += [f"WARNING: {w}" for w in up.warnings]
    header = _header(name, "schema change", up.changes)
    if notes:
        header += "".join(f"-- {n}\n" for n in notes)
    return header + "\n" + "\n\n".join(up.statements) + "\n"


def _down_file(name: str, down: Diff) -> str:
    header = _header(name, "reverts the up migration", down.changes)
    if down.recreated:
        header += ("-- Re-created without their old data (the up migration deleted it): "
                   + ", ".join(down.recreated) + "\n")
    header += "".join(f"-- NOTE: {w}\n" for w in down.warnings)
    return header + "\n" + "\n\n".join(down.statements) + "\n"


def evolve(old: SqlProject, new: SqlProject, existing: Collection[str],
           api: tuple[ApiChange, ...]) -> Evolution:
    """The migration from `old` to `new` after the `existing` migration files; `api` is
    what the stack's API diff says the change does to clients (see `Stack.evolve`)."""
    before, after = snapshot(old), snapshot(new)
    up = diff_schemas(before, after)
    if not up.statements:
        return Evolution((), (), (), api)
    down = diff_schemas(after, before, placeholders=True)
    number = next_number(existing)
    name = f"{number:04d}_{slug(up)}"
    files = (GeneratedFile(f"migrations/{name}.up.sql", _up_file(name, up)),
             GeneratedFile(f"migrations/{name}.down.sql", _down_file(name, down)))
    return Evolution(tuple(up.changes), files, tuple(up.data_loss), api,
                     tuple(dict.fromkeys(up.warnings)))
