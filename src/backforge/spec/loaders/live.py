"""A running PostgreSQL database -> a `Schema`, through SQLAlchemy's inspector.

Tables, columns (with enum and domain types), primary keys, foreign keys,
unique constraints, CHECK constraints and indexes of one schema (`public` by
default). Partitions (tables that inherit a partitioned parent) fold into the
parent as with SQL input. Needs the optional `db` extra (SQLAlchemy, psycopg).
"""

from __future__ import annotations

from typing import Any

from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from backforge.errors import InputError
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
from backforge.spec.loaders.sqlmap import Domain, map_default, map_type, value_to_column
from backforge.spec.naming import snake

_FORMAT_TYPE = ("SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
                "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON "
                "n.oid = c.relnamespace WHERE n.nspname = :schema AND c.relname = :table "
                "AND a.attnum > 0 AND NOT a.attisdropped")


class DatabaseError(InputError):
    """The database cannot be reached or read (exit code 2: the input is unusable)."""

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        self.reason = reason
        super().__init__(f"{where}: {reason}")


def _engine_url(url: str) -> str:
    """SQLAlchemy's driver prefix for psycopg 3 (postgres:// and postgresql:// as given)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def safe_url(url: str) -> str:
    """The URL without its password, for messages and reports."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except (ImportError, ValueError):
        return url.split("@")[-1]


def convert_database(url: str, schema_name: str = "public") -> Converted:
    try:
        from sqlalchemy import create_engine, inspect, text
        from sqlalchemy.exc import SQLAlchemyError
    except ImportError:
        raise InputError("--from-db needs SQLAlchemy and psycopg: pip install "
                         "'backforge[db]'") from None
    where = safe_url(url)
    try:
        engine = create_engine(_engine_url(url))
        with engine.connect() as conn:
            reader = _Reader(inspect(conn), lambda t: dict(conn.execute(
                text(_FORMAT_TYPE), {"schema": schema_name, "table": t}).all()),
                Schema(where, fold=str), schema_name)
            reader.read()
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise DatabaseError(where, f"cannot read the database: {reason}") from None
    finally:
        if "engine" in locals():
            engine.dispose()
    database = url.rsplit("/", 1)[-1].split("?")[0]
    return to_converted(reader.schema, snake(database) or "imported")


class _Reader:
    def __init__(self, insp: Any, format_types: Any, schema: Schema, name: str) -> None:
        self.insp = insp
        self.format_types = format_types
        self.schema = schema
        self.name = name

    def read(self) -> None:
        for enum in self.insp.get_enums(schema=self.name):
            self.schema.catalog.enums[enum["name"]] = tuple(enum["labels"])
        for domain in self.insp.get_domains(schema=self.name):
            self._domain(domain)
        for table in self.insp.get_table_names(schema=self.name):
            self._table(table)

    def _domain(self, raw: dict[str, Any]) -> None:
        try:
            base = exp.DataType.build(raw["type"], dialect="postgres", udt=True)
            checks = tuple(exp.maybe_parse(c["check"], dialect="postgres")
                           for c in raw.get("constraints") or ())
        except (ParseError, TokenError, ValueError, TypeError):
            self.schema.report.line(f"domain {raw['name']}: cannot read its type or checks; "
                                    "its columns are opaque")
            return
        self.schema.catalog.domains[raw["name"]] = Domain(base, checks,
                                                          not raw.get("nullable", True))

    def _table(self, name: str) -> None:
        table = self.schema.add_table(TableDef(name))
        options = self.insp.get_table_options(name, schema=self.name)
        parents = options.get("postgresql_inherits") or ()
        table.parent = parents[0] if parents else None
        comment = self.insp.get_table_comment(name, schema=self.name).get("text")
        table.description = comment or None
        spelled: dict[str, str] | None = None
        for raw in self.insp.get_columns(name, schema=self.name):
            if type(raw["type"]).__name__ == "NullType" and spelled is None:
                spelled = self.format_types(name)
            self._column(table, raw, (spelled or {}).get(raw["name"]))
        pk = self.insp.get_pk_constraint(name, schema=self.name)
        table.primary_key = list(pk.get("constrained_columns") or [])
        for unique in self.insp.get_unique_constraints(name, schema=self.name):
            table.unique.append(list(unique["column_names"]))
        for fk in self.insp.get_foreign_keys(name, schema=self.name):
            opts = fk.get("options") or {}
            table.foreign_keys.append(ForeignKeyDef(
                list(fk["constrained_columns"]), fk["referred_table"],
                list(fk["referred_columns"]) or None, fk_action(opts.get("ondelete")),
                fk_action(opts.get("onupdate")), fk.get("name")))
        for check in self.insp.get_check_constraints(name, schema=self.name):
            parsed = self._parse(check["sqltext"], f"{name}: check {check['name']}")
            if parsed is not None:
                table.checks.append(parsed)
        for index in self.insp.get_indexes(name, schema=self.name):
            self._index(table, index)

    def _parse(self, text: str, label: str) -> exp.Expression | None:
        try:
            return exp.maybe_parse(text, dialect="postgres")
        except (ParseError, TokenError):
            self.schema.report.add("check_db", f"{label}: cannot be read, not kept ({text})")
            return None

    def _column(self, table: TableDef, raw: dict[str, Any], spelled: str | None) -> None:
        label = f"{table.name}.{raw['name']}"
        data = self._type(table, raw["name"], raw["type"], spelled)
        col = Column(raw["name"], data, required=not raw["nullable"],
                     description=raw.get("comment") or None)
        table.columns[raw["name"]] = col
        if raw.get("computed"):
            self.schema.report.add("generated", label)
        if raw.get("identity"):
            col.data["auto_increment"] = True
            if raw["identity"].get("always"):
                self.schema.report.add("identity_always", label)
        elif raw.get("default") is not None:
            self._default(label, col, raw["default"])

    def _type(self, table: TableDef, column: str, sa_type: Any,
              spelled: str | None) -> dict[str, Any]:
        label = f"{table.name}.{column}"
        kind = type(sa_type).__name__
        if kind == "ENUM":
            self.schema.report.add("enum_type", f"{label} ({sa_type.name})")
            return {"type": "enum", "values": list(sa_type.enums)}
        if kind == "DOMAIN":
            text = sa_type.name
        elif kind == "NullType":
            text = spelled or "text"
        else:
            from sqlalchemy.dialects import postgresql

            text = sa_type.compile(dialect=postgresql.dialect())
        try:
            dt = exp.DataType.build(text, dialect="postgres", udt=True)
        except (ParseError, TokenError, ValueError, TypeError):
            self.schema.report.add("opaque", f"{label} ({text})")
            return {"type": "text", "db_type": text}
        mapped = map_type(dt, self.schema.catalog)
        self.schema.need_extension(mapped.extension)
        if mapped.kind == "opaque":
            self.schema.report.add("opaque", f"{label} ({mapped.data['db_type']})")
        elif kind == "DOMAIN":
            self.schema.report.add("domain", f"{label} ({text} -> {mapped.data['type']})")
        for check in mapped.checks:
            table.checks.append(value_to_column(check, column))
        return dict(mapped.data)

    def _default(self, label: str, col: Column, text: str) -> None:
        try:
            found = map_default(exp.maybe_parse(text, dialect="postgres"))
        except (ParseError, TokenError):
            self.schema.report.add("default_dropped", f"{label} ({text})")
            return
        if found.sequence and col.data["type"] in ("integer", "bigint"):
            col.data["auto_increment"] = True
            self.schema.report.add("sequence", label)
        elif found.dropped or found.sequence:
            self.schema.report.add("default_dropped", f"{label} ({text})")
        else:
            if found.replaced:
                self.schema.report.add("default_replaced", f"{label} ({found.replaced})")
            col.default = found.value

    def _index(self, table: TableDef, raw: dict[str, Any]) -> None:
        if raw.get("duplicates_constraint"):
            return  # the index behind a primary key or unique constraint
        cols = raw.get("column_names") or []
        opts = raw.get("dialect_options") or {}
        if not cols or any(c is None for c in cols) or opts.get("postgresql_ops"):
            shown = ", ".join(raw.get("expressions") or [str(c) for c in cols])
            self.schema.report.add("index_skipped", f"{raw['name']} ({shown})")
            return
        where = opts.get("postgresql_where")
        parsed = self._parse(where, f"{table.name}: index {raw['name']}") if where else None
        if where and parsed is None:
            return
        table.indexes.append(IndexDef(raw["name"], list(cols), bool(raw.get("unique")),
                                      opts.get("postgresql_using"), parsed))
