"""DBML (dbdiagram.io) -> a `Schema`, with pydbml.

Tables, columns and their settings (pk, not null, unique, default, increment,
note), enums, indexes (composite, unique, pk, `type:`) and Ref lines in every
form: inline `ref: > t.c`, short `Ref: a.b < c.d`, long `Ref name { ... }`,
composite `a.(x, y) > b.(x, y)`, one-to-one `-` (the key sits on the left
column, as dbdiagram's SQL export puts it) and many-to-many `<>` (a junction
table `a_b`, as that export creates). Column types are SQL spellings, read
with the same rules as SQL DDL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pyparsing import ParseBaseException
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from backforge.errors import SpecFileError
from backforge.spec.loaders.common import Converted
from backforge.spec.loaders.schema import (
    Column,
    ForeignKeyDef,
    IndexDef,
    Schema,
    TableDef,
    fk_action,
    to_converted,
)
from backforge.spec.loaders.sqlmap import NO_DEFAULT, map_default, map_type
from backforge.spec.naming import snake


class DbmlLoader:
    name = "dbml"
    suffixes = (".dbml",)

    def detect(self, data: dict[str, Any]) -> bool:
        return False

    def convert(self, data: dict[str, Any]) -> Converted:
        raise TypeError("DBML is read from text: use convert_text")

    def convert_text(self, text: str, where: str) -> Converted:
        from pydbml import PyDBML

        source = Path(where).name
        try:
            parsed = PyDBML(text)
        except ParseBaseException as exc:
            raise SpecFileError(where, f"malformed DBML: {exc.msg} (line {exc.lineno}, "
                                       f"column {exc.col})", line=exc.lineno) from None
        except (ValueError, KeyError, AttributeError) as exc:
            raise SpecFileError(where, f"invalid DBML: {exc}") from None
        schema = Schema(source, fold=str)
        for enum in parsed.enums:
            schema.catalog.enums[enum.name] = tuple(str(i.name) for i in enum.items)
        for table in parsed.tables:
            _table(schema, table)
        for ref in parsed.refs:
            _ref(schema, ref)
        for group in getattr(parsed, "table_groups", ()) or ():
            schema.report.add("comment", f"TableGroup {group.name}")
        name = snake(getattr(parsed.project, "name", None) or "") if parsed.project else ""
        return to_converted(schema, name or snake(Path(where).name.split(".")[0]) or "imported")


def _note(note: Any) -> str | None:
    text = getattr(note, "text", note)
    return str(text).strip() or None if text else None


def _type(schema: Schema, label: str, spelled: Any) -> dict[str, Any]:
    if not isinstance(spelled, str):  # an Enum object
        values = [str(i.name) for i in spelled.items]
        return {"type": "enum", "values": values}
    try:
        dt = exp.DataType.build(spelled, dialect="postgres", udt=True)
    except (ParseError, TokenError, ValueError, TypeError):  # TypeError: not a type at all
        schema.report.add("opaque", f"{label} ({spelled})")
        return {"type": "text", "db_type": spelled}
    mapped = map_type(dt, schema.catalog)
    schema.need_extension(mapped.extension)
    if mapped.kind == "opaque":
        schema.report.add("opaque", f"{label} ({mapped.data['db_type']})")
    return dict(mapped.data)


def _default(schema: Schema, label: str, col: Column, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, (bool, int, float)):
        col.default = value
        return
    text = getattr(value, "text", None)
    if text is None:  # a quoted string default
        col.default = str(value)
        return
    try:
        found = map_default(exp.maybe_parse(text, dialect="postgres"))
    except (ParseError, TokenError):
        schema.report.add("default_dropped", f"{label} (`{text}`)")
        return
    if found.sequence:
        col.data["auto_increment"] = True
    elif found.dropped:
        schema.report.add("default_dropped", f"{label} (`{text}`)")
    elif found.value is not NO_DEFAULT:
        if found.replaced:
            schema.report.add("default_replaced", f"{label} ({found.replaced})")
        col.default = found.value


def _table(schema: Schema, raw: Any) -> None:
    table = schema.add_table(TableDef(raw.name, description=_note(raw.note)))
    for rc in raw.columns:
        label = f"{raw.name}.{rc.name}"
        col = Column(rc.name, _type(schema, label, rc.type), required=bool(rc.not_null),
                     unique=bool(rc.unique), description=_note(rc.note))
        table.columns[rc.name] = col
        if rc.pk:
            table.primary_key.append(rc.name)
        if rc.autoinc:
            if col.data["type"] in ("integer", "bigint"):
                col.data["auto_increment"] = True
            else:
                schema.report.add("default_dropped", f"{label} (increment on a "
                                                     f"{col.data['type']} column)")
        _default(schema, label, col, rc.default)
    for index in raw.indexes:
        _index(schema, table, index)


def _index(schema: Schema, table: TableDef, index: Any) -> None:
    subjects = list(index.subjects)
    if not all(hasattr(s, "table") for s in subjects):  # an expression index
        shown = ", ".join(str(getattr(s, "text", getattr(s, "name", s))) for s in subjects)
        schema.report.add("index_skipped", f"{table.name} ({shown})")
        return
    names = [s.name for s in subjects]
    if index.pk:
        table.primary_key = names
        return
    table.indexes.append(IndexDef(index.name or None, names, bool(index.unique),
                                  (index.type or None)))


def _ref(schema: Schema, ref: Any) -> None:
    left = ref.col1[0].table.name
    right = ref.col2[0].table.name
    cols1 = [c.name for c in ref.col1]
    cols2 = [c.name for c in ref.col2]
    on_delete, on_update = fk_action(ref.on_delete), fk_action(ref.on_update)
    if ref.type == "<>":
        _junction(schema, left, cols1, right, cols2)
        return
    if ref.type == "<":  # one (left) to many (right): the key sits on the right
        left, right, cols1, cols2 = right, left, cols2, cols1
    table = schema.table(left)
    assert table is not None  # pydbml resolves Ref targets while parsing
    table.foreign_keys.append(ForeignKeyDef(cols1, right, cols2, on_delete, on_update,
                                            ref.name or None))


def _junction(schema: Schema, left: str, cols1: list[str], right: str,
              cols2: list[str]) -> None:
    name = f"{left}_{right}"
    if schema.table(name) is not None:
        schema.report.line(f"many-to-many Ref {left} <> {right}: table {name} already exists; "
                           "not created")
        return
    table = schema.add_table(TableDef(name))
    for target, cols in ((left, cols1), (right, cols2)):
        source = schema.table(target)
        assert source is not None
        names = []
        for c in cols:
            data = {k: v for k, v in source.columns[c].data.items() if k != "auto_increment"}
            col_name = f"{target}_{c}"
            table.columns[col_name] = Column(col_name, data, required=True)
            names.append(col_name)
        table.primary_key += names
        table.foreign_keys.append(ForeignKeyDef(names, target, cols))
    schema.report.line(f"many-to-many Ref {left} <> {right}: created the junction table {name}")


LOADER = DbmlLoader()
