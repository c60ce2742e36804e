"""One spec field as a PostgreSQL column and a JSON Schema property.

Everything the templates need about a column is computed here, once: the SQL
type, NOT NULL / DEFAULT / CHECK parts, the JSON Schema of its value and how
it is referenced. A foreign key takes its type from the column it references,
so `owner_id: integer` pointing at a uuid key still migrates.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

# The render layer's SQL quoting, under the names the DDL writers import from here.
from backforge.render.quoting import sql_ident as quote
from backforge.render.quoting import sql_literal as sql_string
from backforge.spec import sqlgate
from backforge.spec.model import Field, FieldType, OnDelete, Project, Table
from backforge.spec.names import Names
from backforge.spec.naming import sql_identifier
from backforge.sql import values
from backforge.sql.keys import effective_fields, field_names, is_identity

T = FieldType
_CHARACTER_TYPE = re.compile(r"^\s*(?:varchar|character|char|bpchar|text|name|citext)\b(?!\s*\[)"
                             r"(?!.*\[\])", re.IGNORECASE)
DEFAULT_STRING_LENGTH = 255
_NOW = sqlgate.NOW_DEFAULTS
_ON_DELETE = {OnDelete.CASCADE: "CASCADE", OnDelete.SET_NULL: "SET NULL",
              OnDelete.RESTRICT: "RESTRICT", OnDelete.NO_ACTION: "NO ACTION"}


@dataclass(frozen=True)
class Ref:
    table: str  # spec table name
    field: str  # spec field name
    sql_table: str
    sql_column: str
    on_delete: str | None  # "CASCADE", ...
    constraint: str


@dataclass(frozen=True)
class Column:
    field: Field  # the spec field as written
    type: Field  # the field that defines the value type (the referenced one for a FK)
    sql: str
    prop: str
    sql_type: str
    nullable: bool
    primary_key: bool
    identity: bool
    generated: bool  # the database fills it (identity, uuid key)
    default_sql: str | None
    default_json: Any
    unique: bool
    unique_constraint: str | None
    check: str | None  # CHECK expression
    check_constraint: str | None
    ref: Ref | None
    schema: dict[str, Any]  # JSON Schema of a non-null value

    @property
    def kind(self) -> FieldType:
        return self.type.type

    @property
    def quoted(self) -> str:
        return quote(self.sql)

    @property
    def has_default(self) -> bool:
        return self.default_sql is not None

    @property
    def is_json(self) -> bool:
        return self.kind is T.JSON

    @property
    def db_type(self) -> str | None:
        """The spec's own database type (an imported schema's), else None."""
        return self.field.db_type or self.type.db_type

    @property
    def opaque(self) -> bool:
        """A database type with no spec equivalent (tsvector, bytea, text[], inet, ...): the
        API reads and writes its PostgreSQL text form, so selects cast it to text."""
        return self.kind in (T.TEXT, T.STRING) and self.db_type is not None \
            and not _CHARACTER_TYPE.match(self.db_type)

    @property
    def native_array(self) -> bool:
        """An opaque array column of a scalar element type: the API reads and writes it
        as a JSON array (node-postgres converts both ways), not as its text form."""
        return self.opaque and values.is_native_array(self.schema)

    @property
    def required_on_create(self) -> bool:
        # A text key defaulting to "" (OpenStreetMap's changeset_tags.k) must be given:
        # the default would create a row no item path (at least 1 character) addresses.
        empty_key = self.primary_key and self.default_json == "" \
            and self.kind in (T.STRING, T.TEXT)
        return (not self.nullable and not self.has_default and not self.generated) or empty_key

    def value_schema(self, *, nullable: bool | None = None) -> dict[str, Any]:
        """The property schema; `nullable` defaults to the column's nullability."""
        allow_null = self.nullable if nullable is None else nullable
        if allow_null and self.kind is not T.JSON:
            return values.with_null(self.schema)
        return dict(self.schema)


def constraint_name(table_sql: str, *parts: str) -> str:
    return sql_identifier("_".join((table_sql, *parts)))


def sql_type(f: Field) -> str:
    kind = f.type
    if kind is T.STRING:
        return f"varchar({f.max_length or DEFAULT_STRING_LENGTH})"
    if kind is T.DECIMAL:
        if f.precision is None:
            return "numeric"
        return f"numeric({f.precision}, {f.scale or 0})"
    return {T.TEXT: "text", T.INTEGER: "integer", T.BIGINT: "bigint", T.FLOAT: "double precision",
            T.BOOLEAN: "boolean", T.DATE: "date", T.DATETIME: "timestamptz", T.UUID: "uuid",
            T.JSON: "jsonb", T.ENUM: "text"}[kind]


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def value_schema(f: Field, own: Field) -> dict[str, Any]:
    """JSON Schema of a non-null value. `f` gives the type, `own` the constraints."""
    return values.value_schema(f, own, default_length=DEFAULT_STRING_LENGTH)


def _check(col_sql: str, f: Field, own: Field) -> str | None:
    q = quote(col_sql)
    parts: list[str] = []
    if f.type is T.ENUM and f.values:
        parts.append(f"{q} IN ({', '.join(sql_string(v) for v in f.values)})")
    elif f.type in (T.INTEGER, T.BIGINT, T.DECIMAL, T.FLOAT):
        if own.min is not None:
            parts.append(f"{q} >= {_num(own.min)}")
        if own.max is not None:
            parts.append(f"{q} <= {_num(own.max)}")
    elif f.type in (T.STRING, T.TEXT):
        if own.min is not None and own.min > 0:
            parts.append(f"char_length({q}) >= {int(own.min)}")
        if own.max is not None:
            parts.append(f"char_length({q}) <= {int(own.max)}")
    return " AND ".join(parts) or None


def _default(f: Field, value: Any) -> tuple[str, Any] | None:
    """(SQL default expression, JSON value) for a spec default; None when it does not fit."""
    if value is None:
        return None
    kind = f.type
    text = str(value).strip()
    try:
        if kind is T.BOOLEAN:
            truth = value if isinstance(value, bool) else text.lower() in ("true", "1", "yes")
            return ("TRUE" if truth else "FALSE"), truth
        if kind in (T.INTEGER, T.BIGINT):
            number = int(Decimal(text))
            return str(number), number
        if kind in (T.DECIMAL, T.FLOAT):
            number = Decimal(text)
            return str(number), _num(float(number))
    except (InvalidOperation, ValueError):
        return None
    if kind in (T.DATE, T.DATETIME) and text.lower() in _NOW:
        return ("CURRENT_DATE" if kind is T.DATE else "now()"), None
    if kind is T.UUID and text.lower() in sqlgate.UUID_DEFAULTS:
        return "gen_random_uuid()", None
    if kind is T.JSON:
        try:
            parsed = json.loads(text) if isinstance(value, str) else value
        except json.JSONDecodeError:
            parsed = value
        return f"{sql_string(json.dumps(parsed, sort_keys=True))}::jsonb", parsed
    if kind is T.ENUM and text not in (f.values or ()):
        return None
    return sql_string(text), text


def _ref(project: Project, names: Names, table_sql: str, col_sql: str, own: Field) -> \
        tuple[Ref, Field] | None:
    if own.references is None:
        return None
    target = project.table(own.ref_table or "")
    if target is None:
        return None
    fields = {f.name: f for f in effective_fields(target)}
    ref_field = fields.get(own.ref_field or "")
    if ref_field is None:
        return None
    fn = field_names(names, target.name, ref_field)
    on_delete = _ON_DELETE.get(own.on_delete) if own.on_delete else None
    ref = Ref(target.name, ref_field.name, names.table(target.name).sql, fn.sql, on_delete,
              constraint_name(table_sql, col_sql, "fkey"))
    return ref, ref_field


def build_column(project: Project, names: Names, table: Table, own: Field) -> Column:
    table_sql = names.table(table.name).sql
    fn = field_names(names, table.name, own)
    found = _ref(project, names, table_sql, fn.sql, own)
    ref, type_field = found if found else (None, own)
    if found and own.db_type and own.type is T.INTEGER and type_field.type is T.BIGINT:
        # An imported int4 column referencing a bigint key (OpenStreetMap's issues ->
        # users.id): the column holds int4 values, so the API reads and writes them as
        # JSON integers, not as the target's bigint strings.
        type_field = type_field.model_copy(update={"type": T.INTEGER, "db_type": own.db_type})
    type_field = type_field.model_copy(update={"auto_increment": False, "primary_key": False,
                                               "description": own.description})
    identity = is_identity(own) and ref is None
    generated = identity or (own.primary_key and own.type is T.UUID and ref is None)
    default = _default(type_field, own.default) if not identity else None
    if default is None and generated and not identity:
        default = ("gen_random_uuid()", None)
    check = _check(fn.sql, type_field, own)
    # An imported schema keeps its own column types (smallint, timestamp, tsvector, ...).
    db_type = own.db_type or type_field.db_type
    stype = sqlgate.column_type(db_type) if db_type else sql_type(type_field)
    if identity:
        stype = f"{stype} GENERATED BY DEFAULT AS IDENTITY"
    unique = own.unique and not own.primary_key
    return Column(
        field=own, type=type_field, sql=fn.sql, prop=fn.prop, sql_type=stype,
        nullable=not (own.required or own.primary_key or identity), primary_key=own.primary_key,
        identity=identity, generated=generated,
        default_sql=default[0] if default else None,
        default_json=default[1] if default else None,
        unique=unique, unique_constraint=constraint_name(table_sql, fn.sql, "key") if unique
        else None,
        check=check, check_constraint=constraint_name(table_sql, fn.sql, "check") if check
        else None,
        ref=ref, schema=value_schema(type_field, own))


def build_columns(project: Project, names: Names, table: Table) -> tuple[Column, ...]:
    return tuple(build_column(project, names, table, f) for f in effective_fields(table))
