"""SQL DDL (PostgreSQL, MySQL, SQLite) -> a `Schema`, statement by statement, with sqlglot.

The file is tokenized once and split at top-level semicolons, so each statement
is parsed on its own and keeps its line number: one that sqlglot cannot parse
is reported (`schema.sql:162 (table film): ...`) and skipped while the rest
imports. For a CREATE TABLE, the columns that do parse are kept and only the
failing column definitions are dropped (and named). Statements the spec does
not model (functions, triggers, views, grants, data) are counted into one
summary line.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import Token

from backforge.spec.loaders import sqltext
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
from backforge.spec.loaders.sqlmap import (
    Domain,
    map_default,
    map_type,
    type_key,
    value_to_column,
)
from backforge.spec.naming import snake

_ATTACH = re.compile(r"ALTER\s+TABLE\s+(?:ONLY\s+)?(?P<parent>\S+)\s+ATTACH\s+PARTITION\s+"
                     r"(?P<child>\S+)", re.IGNORECASE)
_DOMAIN = re.compile(r"^\s*DOMAIN\s+(?P<name>\S+)\s+AS\s+(?P<rest>.*)$",
                     re.IGNORECASE | re.DOTALL)
_EXTENSION = re.compile(r"^\s*EXTENSION\s+(?:IF\s+NOT\s+EXISTS\s+)?(?P<name>\"[^\"]+\"|\S+)",
                        re.IGNORECASE)
_QUIET_COMMANDS = ("ALTER SEQUENCE",)  # ownership of a sequence: implied by nextval


class SqlLoader:
    suffixes = (".sql", ".ddl")

    def __init__(self, dialect: str | None = None) -> None:
        self.dialect = dialect
        self.name = "sql" if dialect is None else dialect

    def detect(self, data: dict[str, Any]) -> bool:
        return False  # text formats are chosen by file extension or by name

    def convert(self, data: dict[str, Any]) -> Converted:
        raise TypeError("SQL is read from text: use convert_text")

    def convert_text(self, text: str, where: str) -> Converted:
        dialect = self.dialect or sqltext.guess_dialect(text, where)
        source = Path(where).name
        reader = _Reader(text, source, dialect)
        with sqltext.quiet_sqlglot():
            reader.read()
        return to_converted(reader.schema, _project_name(where))


def _project_name(where: str) -> str:
    stem = Path(where).name.split(".")[0]
    return snake(stem) or "imported"


def _ident(node: Any) -> str:
    if isinstance(node, exp.Identifier):
        return node.name
    if isinstance(node, (exp.Column, exp.Table, exp.Ordered)):
        return _ident(node.this)
    return node.name if isinstance(node, exp.Expression) else str(node)


class _Reader:
    def __init__(self, text: str, source: str, dialect: str) -> None:
        self.text = text
        self.source = source
        self.postgres = dialect == "postgres"
        self.dialect = Dialect.get_or_raise(dialect)
        # PostgreSQL names are folded by _name() already (quoted ones keep their case).
        self.schema = Schema(source, fold=str if self.postgres else str.lower)
        self.skipped: Counter[str] = Counter()
        self.line = 0

    def _name(self, node: Any) -> str:
        """A table or column name as PostgreSQL resolves it: unquoted names fold to lower."""
        ident = node
        while isinstance(ident, (exp.Column, exp.Table, exp.Ordered, exp.Schema)):
            ident = ident.this
        if isinstance(ident, exp.Identifier):
            return ident.name if ident.quoted or not self.postgres else ident.name.lower()
        return _ident(ident)

    # --- statements -------------------------------------------------------------------

    def read(self) -> None:
        for line, body in sqltext.version_comments(self.text):
            self.schema.report.add("comment", f"{self.source}:{line} MySQL version comment "
                                              f"/*!...{body}*/")
        for chunk in sqltext.statements(self.dialect, self.text, self.source):
            self.line = chunk[0].line
            try:
                parsed = self.dialect.parser().parse(chunk, self.text)
            except ParseError as exc:
                self._unparsable(chunk, exc)
                continue
            for statement in parsed:
                if statement is not None:
                    self._statement(statement, chunk)
        if self.skipped:
            kinds = ", ".join(f"{kind} x{n}" for kind, n in sorted(self.skipped.items()))
            total = sum(self.skipped.values())
            self.schema.report.line(f"{self.source}: skipped {total} statements the spec does "
                                    f"not model: {kinds}")

    def _statement(self, node: exp.Expression, chunk: list[Token]) -> None:
        if isinstance(node, exp.Create):
            self._create(node, chunk)
        elif isinstance(node, exp.Alter) and str(node.args.get("kind", "")).upper() == "TABLE":
            self._alter(node)
        elif isinstance(node, exp.Command):
            self._command(node, chunk)
        elif isinstance(node, exp.Comment):
            self._comment(node)
        else:
            self.skipped[sqltext.kind_label(chunk)] += 1

    def _create(self, node: exp.Create, chunk: list[Token]) -> None:
        kind = str(node.args.get("kind", "")).upper()
        if kind == "TABLE" and node.args.get("expression") is None:
            self._create_table(node)
        elif kind == "INDEX":
            self._create_index(node)
        elif kind == "TYPE" and isinstance(node.args.get("expression"), exp.DataType) \
                and node.expression.this is exp.DataType.Type.ENUM:
            name = self._name(node.this)
            self.schema.catalog.enums[name] = tuple(str(v.this) for v in
                                                    node.expression.expressions)
        elif kind == "SEQUENCE":
            pass  # used through nextval defaults, which become auto-increment
        else:
            self.skipped[sqltext.kind_label(chunk)] += 1

    def _command(self, node: exp.Command, chunk: list[Token]) -> None:
        head = str(node.this).upper()
        body = str(node.expression or "")
        label = sqltext.kind_label(chunk)
        if head == "CREATE" and _DOMAIN.match(body):
            self._domain(body)
        elif head == "CREATE" and _EXTENSION.match(body):
            name = _EXTENSION.match(body).group("name").strip('"')  # type: ignore[union-attr]
            if name != "plpgsql":
                self.schema.need_extension(name)
        elif head == "ALTER" and _ATTACH.search(f"ALTER {body}"):
            m = _ATTACH.search(f"ALTER {body}")
            assert m is not None
            child = self.schema.table(self._plain_name(m.group("child")))
            if child is not None:
                child.parent = self._plain_name(m.group("parent"))
        elif label in _QUIET_COMMANDS:
            pass
        else:
            self.skipped[label] += 1

    def _plain_name(self, text: str) -> str:
        """The last part of a possibly qualified, possibly quoted name from raw text."""
        parsed = exp.to_table(text, dialect=self.dialect)
        return self._name(parsed)

    def _comment(self, node: exp.Comment) -> None:
        kind = str(node.args.get("kind", "")).upper()
        text = node.expression.this if isinstance(node.expression, exp.Literal) else None
        target = node.this
        if kind == "TABLE":
            table = self.schema.table(self._name(target))
            if table is not None and text:
                table.description = text
        elif kind == "COLUMN" and isinstance(target, exp.Column):
            table = self.schema.table(self._name(target.args.get("table")))
            col = self.schema.column(table, self._name(target)) if table else None
            if col is not None and text:
                col.description = text
        else:
            self.skipped[f"COMMENT ON {kind}"] += 1

    def _domain(self, body: str) -> None:
        m = _DOMAIN.match(body)
        assert m is not None
        probe = f"CREATE TABLE _d (value {m.group('rest')})"
        try:
            parsed = self.dialect.parse(probe)[0]
        except (ParseError, TokenError):
            self.schema.report.line(f"{self.source}:{self.line}: domain {m.group('name')} "
                                    "cannot be parsed; its columns are opaque")
            return
        coldef = parsed.this.expressions[0]
        checks = tuple(c.kind.this for c in coldef.constraints
                       if isinstance(c.kind, exp.CheckColumnConstraint))
        not_null = any(isinstance(c.kind, exp.NotNullColumnConstraint)
                       and not c.kind.args.get("allow_null") for c in coldef.constraints)
        name = self._plain_name(m.group("name"))
        self.schema.catalog.domains[name] = Domain(coldef.args["kind"], checks, not_null)

    def _unparsable(self, chunk: list[Token], exc: ParseError) -> None:
        table = sqltext.table_name(chunk)
        saved = sqltext.salvage(self.dialect, self.text, chunk) if table else None
        if saved is not None:
            for dropped in saved[1]:
                self.schema.report.line(
                    f"{self.source}:{dropped.line} (table {table}): cannot parse column "
                    f"{dropped.column} ({dropped.reason}); the column is skipped, the rest of "
                    "the table imported")
            for statement in saved[0]:
                if isinstance(statement, exp.Create):
                    self._create_table(statement, line=chunk[0].line)
            return
        where = f"{self.source}:{chunk[0].line}" + (f" (table {table})" if table else "")
        self.schema.report.line(f"{where}: cannot parse ({sqltext.reason(exc)}); skipped")

    # --- CREATE TABLE ---------------------------------------------------------------------

    def _create_table(self, node: exp.Create, line: int | None = None) -> None:
        target = node.this
        table_node = target.this if isinstance(target, exp.Schema) else target
        name = self._name(table_node)
        if self.schema.table(name) is not None:
            self.schema.report.line(f"{self.source}:{line or self.line}: table {name} is "
                                    "created twice: the second definition is skipped")
            return
        table = self.schema.add_table(TableDef(name, line or self.line))
        props = node.args.get("properties")
        for prop in props.expressions if props else []:
            if isinstance(prop, exp.PartitionedByProperty):
                table.partitioned = True
            elif isinstance(prop, exp.PartitionedOfProperty):
                table.parent = self._name(prop.this)
        if not isinstance(target, exp.Schema):
            return
        for item in target.expressions:
            if isinstance(item, exp.ColumnDef):
                self._column(table, item)
            else:
                self._table_constraint(table, item)

    def _column(self, table: TableDef, node: exp.ColumnDef) -> None:
        name = self._name(node.this)
        dt = node.args.get("kind")
        label = f"{table.name}.{name}"
        if dt is None:
            mapped_data: dict[str, Any] = {"type": "text"}
            mapped = None
        else:
            mapped = map_type(dt, self.schema.catalog, postgres=self.postgres)
            mapped_data = dict(mapped.data)
            self._type_report(label, dt, mapped)
        col = Column(name, mapped_data, line=_line_of(node) or table.line)
        table.columns[self.schema.fold(name)] = col
        if mapped is not None:
            self.schema.need_extension(mapped.extension)
            for check in mapped.checks:
                table.checks.append(value_to_column(check, name))
            domain = self.schema.catalog.domains.get(type_key(dt)) \
                if dt.this is exp.DataType.Type.USERDEFINED else None
            if domain is not None and domain.not_null:
                col.required = True
        for constraint in node.constraints:
            self._column_constraint(table, col, constraint.kind)

    def _type_report(self, label: str, dt: exp.DataType, mapped: Any) -> None:
        spelled = dt.sql("postgres")
        if mapped.kind == "opaque":
            self.schema.report.add("opaque", f"{label} ({mapped.data['db_type']})")
        elif mapped.kind == "enum_type":
            self.schema.report.add("enum_type", f"{label} ({spelled})")
        elif mapped.kind in ("unsigned", "year", "set"):
            self.schema.report.add(mapped.kind, label)
        if dt.this is exp.DataType.Type.USERDEFINED and mapped.kind != "enum_type" \
                and mapped.kind != "opaque":
            self.schema.report.add("domain", f"{label} ({spelled} -> {mapped.data['type']})")

    def _column_constraint(self, table: TableDef, col: Column, kind: exp.Expression) -> None:
        label = f"{table.name}.{col.name}"
        if isinstance(kind, exp.NotNullColumnConstraint):
            col.required = not kind.args.get("allow_null")
        elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
            table.primary_key = [col.name]
        elif isinstance(kind, exp.UniqueColumnConstraint):
            col.unique = True
        elif isinstance(kind, exp.DefaultColumnConstraint):
            self._default(label, col, kind.this)
        elif isinstance(kind, exp.AutoIncrementColumnConstraint):
            self._auto_increment(label, col)
        elif isinstance(kind, exp.GeneratedAsIdentityColumnConstraint):
            if kind.args.get("expression") is not None:
                self.schema.report.add("generated", label)
            else:
                self._auto_increment(label, col)
                if kind.this:
                    self.schema.report.add("identity_always", label)
        elif isinstance(kind, exp.ComputedColumnConstraint):
            self.schema.report.add("generated", label)
        elif isinstance(kind, exp.CheckColumnConstraint):
            table.checks.append(kind.this)
        elif isinstance(kind, exp.Reference):
            self._reference(table, [col.name], kind, None)
        elif isinstance(kind, exp.OnUpdateColumnConstraint):
            self.schema.report.add("on_update_now", label)
        elif isinstance(kind, (exp.CharacterSetColumnConstraint, exp.CollateColumnConstraint)):
            self.schema.report.add("charset", label)
        elif isinstance(kind, exp.CommentColumnConstraint):
            col.description = str(kind.this.this) if isinstance(kind.this, exp.Literal) \
                else kind.this.sql()
        else:
            self.schema.report.add("comment", f"{label}: column option {kind.sql(self.dialect)}")

    def _default(self, label: str, col: Column, expr: exp.Expression) -> None:
        found = map_default(expr)
        if found.sequence:
            self._auto_increment(label, col, sequence=True)
        elif found.dropped:
            self.schema.report.add("default_dropped", f"{label} ({found.dropped})")
        else:
            if found.replaced:
                self.schema.report.add("default_replaced", f"{label} ({found.replaced})")
            col.default = _typed_default(col, found.value)

    def _auto_increment(self, label: str, col: Column, *, sequence: bool = False) -> None:
        if col.data.get("type") not in ("integer", "bigint"):
            self.schema.report.add("default_dropped", f"{label} (auto increment on a "
                                   f"{col.data.get('type')} column)")
            return
        col.data["auto_increment"] = True
        if sequence:
            self.schema.report.add("sequence", label)

    # --- table constraints ------------------------------------------------------------------

    def _table_constraint(self, table: TableDef, item: exp.Expression) -> None:
        name = None
        if isinstance(item, exp.Constraint):
            name = item.name or None
            for inner in item.expressions:
                self._table_constraint_kind(table, inner, name)
            return
        self._table_constraint_kind(table, item, name)

    def _table_constraint_kind(self, table: TableDef, item: exp.Expression,
                               name: str | None) -> None:
        if isinstance(item, (exp.PrimaryKey, exp.PrimaryKeyColumnConstraint)):
            table.primary_key = [self._name(e) for e in item.expressions]
        elif isinstance(item, exp.UniqueColumnConstraint):
            cols = item.this.expressions if isinstance(item.this, exp.Schema) else []
            if cols:
                table.unique.append([self._name(c) for c in cols])
        elif isinstance(item, exp.ForeignKey):
            self._reference(table, [self._name(e) for e in item.expressions],
                            item.args.get("reference"), name)
        elif isinstance(item, exp.CheckColumnConstraint):
            table.checks.append(item.this)
        elif isinstance(item, exp.IndexColumnConstraint):
            self._inline_index(table, item)
        else:
            self.schema.report.add("comment", f"{table.name}: table option "
                                              f"{item.sql(self.dialect)[:60]}")

    def _inline_index(self, table: TableDef, item: exp.IndexColumnConstraint) -> None:
        index_kind = str(item.args.get("kind") or "").upper()
        name = self._name(item.this) if item.this else None
        cols = [self._name(c) for c in item.expressions]
        if index_kind in ("FULLTEXT", "SPATIAL"):
            self.schema.report.add("index_skipped", f"{table.name}.{name} ({index_kind} KEY)")
            return
        table.indexes.append(IndexDef(name, cols, index_kind == "UNIQUE"))

    def _reference(self, table: TableDef, cols: list[str], ref: Any, name: str | None) -> None:
        if ref is None:
            return
        target = ref.this
        if isinstance(target, exp.Schema):
            target_name = self._name(target.this)
            ref_cols = [self._name(e) for e in target.expressions] or None
        else:
            target_name, ref_cols = self._name(target), None
        on_delete, on_update = None, None
        for option in ref.args.get("options") or []:
            text = " ".join(str(option).upper().split())
            if text.startswith("ON DELETE "):
                on_delete = fk_action(text.removeprefix("ON DELETE "))
            elif text.startswith("ON UPDATE "):
                on_update = fk_action(text.removeprefix("ON UPDATE "))
        table.foreign_keys.append(ForeignKeyDef(cols, target_name, ref_cols, on_delete,
                                                on_update, name))

    # --- CREATE INDEX / ALTER TABLE -------------------------------------------------------------

    def _create_index(self, node: exp.Create) -> None:
        index = node.this
        table = self.schema.table(self._name(index.args.get("table")))
        params = index.args.get("params")
        name = self._name(index.this) if index.this else None
        if table is None or params is None:
            self.schema.report.add("index_skipped", f"{name} (its table is not imported)")
            return
        using = params.args.get("using")
        using_name = str(using.this if isinstance(using, exp.Var) else using or "").lower() \
            or None
        cols = []
        for item in params.args.get("columns") or []:
            inner = item.this if isinstance(item, exp.Ordered) else item
            if not isinstance(inner, exp.Column) or inner.table:
                self.schema.report.add("index_skipped",
                                       f"{name} ({node.sql('postgres', comments=False)})")
                return
            cols.append(self._name(inner))
        where = params.args.get("where")
        table.indexes.append(IndexDef(name, cols, bool(node.args.get("unique")), using_name,
                                      where.this if isinstance(where, exp.Where) else None))

    def _alter(self, node: exp.Alter) -> None:
        table = self.schema.table(self._name(node.this))
        if table is None:
            self.skipped["ALTER TABLE (of a table not imported)"] += 1
            return
        for action in node.args.get("actions") or []:
            if isinstance(action, exp.AddConstraint):
                for item in action.expressions:
                    self._table_constraint(table, item)
            elif isinstance(action, exp.AlterColumn):
                self._alter_column(table, action)
            elif isinstance(action, exp.ColumnDef):
                self._column(table, action)
            else:
                self.skipped["ALTER TABLE " + type(action).__name__.upper()] += 1

    def _alter_column(self, table: TableDef, action: exp.AlterColumn) -> None:
        col = self.schema.column(table, self._name(action.this))
        if col is None:
            return
        label = f"{table.name}.{col.name}"
        if action.args.get("default") is not None:
            self._default(label, col, action.args["default"])
        elif action.args.get("drop") and action.args.get("allow_null") is not None:
            col.required = False
        elif action.args.get("allow_null") is False:
            col.required = True
        else:
            self.skipped["ALTER TABLE ALTER COLUMN"] += 1


def _typed_default(col: Column, value: Any) -> Any:
    kind = col.data.get("type")
    if kind == "boolean" and isinstance(value, int) and not isinstance(value, bool):
        return bool(value)
    if kind == "boolean" and isinstance(value, str) and value.lower() in ("true", "false",
                                                                           "1", "0", "t", "f"):
        return value.lower() in ("true", "1", "t")
    if kind in ("string", "text", "enum", "date", "datetime", "uuid") \
            and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if kind in ("integer", "bigint") and isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return value
    return value


def _line_of(node: exp.Expression) -> int | None:
    ident = node.this if isinstance(node.this, exp.Identifier) else None
    meta = getattr(ident, "meta", None) or {}
    return meta.get("line")


LOADER = SqlLoader()
DIALECT_LOADERS = {name: SqlLoader(name) for name in sqltext.DIALECTS}
