"""The validated input: a Project with tables, fields, endpoints and options.

These pydantic models are the contract between the loaders (which turn any
input format into a Project) and everything downstream. Cross-field rules that
need the whole project (references, duplicates, cycles) live in `checks.py`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic import Field as PField

from backforge.spec.access import Access
from backforge.spec.limits import PG_MAX_NUMERIC_PRECISION, PG_MAX_VARCHAR_LENGTH


class FieldType(StrEnum):
    STRING = "string"
    TEXT = "text"
    INTEGER = "integer"
    BIGINT = "bigint"
    DECIMAL = "decimal"
    FLOAT = "float"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    UUID = "uuid"
    JSON = "json"
    ENUM = "enum"


class OnDelete(StrEnum):
    CASCADE = "cascade"
    SET_NULL = "set_null"
    RESTRICT = "restrict"
    NO_ACTION = "no_action"


HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
Scalar = str | int | float | bool


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Field(_Model):
    name: str = PField(min_length=1)
    type: FieldType
    description: str | None = None
    max_length: int | None = PField(default=None, gt=0, le=PG_MAX_VARCHAR_LENGTH)
    precision: int | None = PField(default=None, gt=0, le=PG_MAX_NUMERIC_PRECISION)
    scale: int | None = PField(default=None, ge=0)
    values: tuple[str, ...] | None = None
    primary_key: bool = False
    auto_increment: bool = False
    required: bool = False
    unique: bool = False
    default: Scalar | None = None
    min: float | None = None
    max: float | None = None
    references: str | None = None
    on_delete: OnDelete | None = None
    # The database's own column type (e.g. `smallint`, `tsvector`, `text[]`), checked and
    # re-rendered by spec/sqlgate.py at load; the API still sees `type`. Set by importers
    # so a schema survives a round trip; a type with no spec equivalent keeps its value
    # opaque (its text form).
    db_type: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Field:
        if self.type is FieldType.ENUM and not self.values:
            raise ValueError("an enum field needs 'values' (a non-empty list)")
        if self.values is not None and self.type is not FieldType.ENUM:
            raise ValueError(f"'values' only applies to enum fields, not {self.type.value}")
        if self.values is not None and len(set(self.values)) != len(self.values):
            raise ValueError("enum 'values' contain a duplicate")
        if self.auto_increment and self.type not in (FieldType.INTEGER, FieldType.BIGINT):
            raise ValueError("auto_increment needs type integer or bigint")
        if self.scale is not None and self.precision is not None and self.scale > self.precision:
            raise ValueError("scale must not exceed precision")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min must not exceed max")
        if self.on_delete is not None and self.references is None:
            raise ValueError("on_delete needs 'references'")
        if self.references is not None and self.references.count(".") != 1:
            raise ValueError("references must look like 'table.field'")
        if (self.type is FieldType.ENUM and self.default is not None
                and self.default not in self.values):
            raise ValueError(f"default {self.default!r} is not one of the enum values")
        return self

    @property
    def ref_table(self) -> str | None:
        return self.references.split(".", 1)[0] if self.references else None

    @property
    def ref_field(self) -> str | None:
        return self.references.split(".", 1)[1] if self.references else None

    @property
    def generated(self) -> bool:
        """True when the database fills the value (auto increment, uuid primary key)."""
        return self.auto_increment or (self.primary_key and self.type is FieldType.UUID)


class Index(_Model):
    """An index the migration creates (beyond the ones keys and foreign keys get)."""

    name: str | None = None
    fields: tuple[str, ...] = PField(min_length=1)
    unique: bool = False
    using: str | None = None  # access method: btree (the default), gin, gist, hash, brin
    where: str | None = None  # partial index: a PostgreSQL condition (spec/sqlgate.py)


class ForeignKey(_Model):
    """A multi-column foreign key; a single column says `references` on its field."""

    name: str | None = None
    fields: tuple[str, ...] = PField(min_length=2)
    references: str = PField(min_length=1)  # the target table
    ref_fields: tuple[str, ...] = PField(min_length=2)
    on_delete: OnDelete | None = None

    @model_validator(mode="after")
    def _same_arity(self) -> ForeignKey:
        if len(self.fields) != len(self.ref_fields):
            raise ValueError("a foreign key needs as many 'ref_fields' as 'fields'")
        return self


class Table(_Model):
    name: str = PField(min_length=1)
    description: str | None = None
    timestamps: bool = False
    fields: tuple[Field, ...] = PField(min_length=1)
    # Database-level structure the API does not need but the migration keeps: unique
    # column groups, extra indexes, CHECK expressions (PostgreSQL, over column names)
    # and multi-column foreign keys.
    unique: tuple[tuple[str, ...], ...] = ()
    indexes: tuple[Index, ...] = ()
    checks: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()

    @model_validator(mode="after")
    def _known_fields(self) -> Table:
        known = {f.name for f in self.fields}
        groups = [("unique", g) for g in self.unique]
        groups += [("indexes", i.fields) for i in self.indexes]
        groups += [("foreign_keys", k.fields) for k in self.foreign_keys]
        for key, names in groups:
            missing = [n for n in names if n not in known]
            if missing:
                raise ValueError(f"{key}: table '{self.name}' has no field "
                                 f"'{missing[0]}'")
            if not names or len(set(names)) != len(names):
                raise ValueError(f"{key}: a field list must be non-empty and name each "
                                 "field once")
        return self

    @property
    def primary_key(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.primary_key)

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


class Endpoint(_Model):
    method: HttpMethod
    path: str = PField(min_length=1)
    table: str | None = None
    summary: str | None = None
    auth: bool = False
    name: str | None = None


class Options(_Model):
    auth: bool = False
    tests: bool = True
    docker: bool = True
    terraform: bool = False
    api_prefix: str = "/api/v1"


class Database(_Model):
    engine: Literal["postgresql"] = "postgresql"
    name: str | None = None
    extensions: tuple[str, ...] = ()  # created first by the migration, e.g. postgis


class Project(_Model):
    name: str = PField(min_length=1)
    description: str | None = None
    stack: str = "express-js"
    database: Database = Database()
    options: Options = Options()
    tables: tuple[Table, ...] = PField(min_length=1)
    endpoints: tuple[Endpoint, ...] = ()
    # Who may do what (backforge.spec.access); None: the secure defaults when auth is on.
    access: Access | None = None

    @model_validator(mode="before")
    @classmethod
    def _access_means_auth(cls, data: object) -> object:
        """An access section turns auth on unless options.auth says otherwise (then the
        policy check reports the contradiction)."""
        if not isinstance(data, dict) or data.get("access") is None:
            return data
        options = data.get("options", {})
        if isinstance(options, dict) and "auth" not in options:
            return {**data, "options": {**options, "auth": True}}
        if isinstance(options, Options) and "auth" not in options.model_fields_set:
            return {**data, "options": options.model_copy(update={"auth": True})}
        return data

    def table(self, name: str) -> Table | None:
        return next((t for t in self.tables if t.name == name), None)

    @model_validator(mode="after")
    def _foreign_key_targets(self) -> Project:
        tables = {t.name: t for t in self.tables}
        for ti, table in enumerate(self.tables):
            for ki, key in enumerate(table.foreign_keys):
                where = f"tables[{ti}].foreign_keys[{ki}]"
                target = tables.get(key.references)
                if target is None:
                    raise ValueError(f"{where}: table '{key.references}' does not exist")
                known = {f.name for f in target.fields}
                missing = [n for n in key.ref_fields if n not in known]
                if missing:
                    raise ValueError(f"{where}: table '{key.references}' has no field "
                                     f"'{missing[0]}'")
        return self
