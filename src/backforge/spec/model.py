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
    """A column of a table and a property of its API resource."""

    name: str = PField(min_length=1, description=(
        "The field's name as you want it; each stack derives safe identifiers from it "
        "(the report lists every rename)."))
    type: FieldType = PField(description=(
        "One of the spec's types; loaders also accept common SQL spellings "
        "(VARCHAR(120), int4, serial, NUMERIC(10,2), timestamptz, jsonb)."))
    description: str | None = PField(default=None, description=(
        "Shown in the OpenAPI document and the generated README."))
    max_length: int | None = PField(default=None, gt=0, le=PG_MAX_VARCHAR_LENGTH, description=(
        "string: the longest accepted value, in characters (varchar(n))."))
    precision: int | None = PField(default=None, gt=0, le=PG_MAX_NUMERIC_PRECISION,
                                   description=(
        "decimal: total number of digits (numeric(precision, scale))."))
    scale: int | None = PField(default=None, ge=0, description=(
        "decimal: digits after the decimal point; at most `precision`."))
    values: tuple[str, ...] | None = PField(default=None, description=(
        "enum: the allowed values (required for enum, unique, not allowed for other types)."))
    primary_key: bool = PField(default=False, description=(
        "Part of the primary key; several fields make a composite key. A table without "
        "one gets an `id` (and the report says so)."))
    auto_increment: bool = PField(default=False, description=(
        "integer/bigint: the database assigns the value (an identity column)."))
    required: bool = PField(default=False, description=(
        "NOT NULL in the database; the API rejects a missing or null value on create."))
    unique: bool = PField(default=False, description=(
        "A unique constraint; the API answers 409 on a duplicate."))
    default: Scalar | None = PField(default=None, description=(
        "The column default, checked against the type (an enum default must be one of "
        "`values`)."))
    min: float | None = PField(default=None, description=(
        "Numbers: the smallest accepted value (a CHECK and the JSON Schema minimum)."))
    max: float | None = PField(default=None, description=(
        "Numbers: the largest accepted value; not below `min`."))
    references: str | None = PField(default=None, description=(
        "A foreign key as `table.field`; the target must be that table's primary key or "
        "unique, of the same type."))
    on_delete: OnDelete | None = PField(default=None, description=(
        "What deleting the referenced row does (needs `references`; set_null needs a field "
        "that is not required). Default: the database's (no action)."))
    # Set by importers so a schema survives a round trip; a type with no spec equivalent
    # keeps its value opaque (its text form).
    db_type: str | None = PField(default=None, description=(
        "The database's own column type (e.g. smallint, tsvector, text[]), used verbatim in "
        "the migration; the API still sees `type`. Parsed as exactly one SQL type and "
        "re-rendered (spec/sqlgate.py)."))

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

    name: str | None = PField(default=None, description=(
        "The index name (default: derived from the table and columns, with an _idx suffix)."))
    fields: tuple[str, ...] = PField(min_length=1, description=(
        "The indexed fields of this table, in order, each named once."))
    unique: bool = PField(default=False, description="A unique index.")
    using: str | None = PField(default=None, description=(
        "The access method: btree (the default), gin, gist, hash or brin."))
    where: str | None = PField(default=None, description=(
        "A partial index's PostgreSQL condition, parsed as one expression and re-rendered."))


class ForeignKey(_Model):
    """A multi-column foreign key; a single column says `references` on its field."""

    name: str | None = PField(default=None, description=(
        "The constraint name (default: derived from the table and columns, _fkey suffix)."))
    fields: tuple[str, ...] = PField(min_length=2, description=(
        "The referencing fields of this table (two or more)."))
    references: str = PField(min_length=1, description="The target table.")
    ref_fields: tuple[str, ...] = PField(min_length=2, description=(
        "The target table's fields, as many as `fields`, in the same order."))
    on_delete: OnDelete | None = PField(default=None, description=(
        "What deleting the referenced row does."))

    @model_validator(mode="after")
    def _same_arity(self) -> ForeignKey:
        if len(self.fields) != len(self.ref_fields):
            raise ValueError("a foreign key needs as many 'ref_fields' as 'fields'")
        return self


class Table(_Model):
    """A database table and its REST resource (list, read, create, update, delete)."""

    name: str = PField(min_length=1, description=(
        "The table's name as you want it; the SQL name and URL path are derived from it."))
    description: str | None = PField(default=None, description=(
        "Shown in the OpenAPI document and the generated README."))
    timestamps: bool = PField(default=False, description=(
        "Add created_at and updated_at (timestamptz, default now(); updates set updated_at)."))
    fields: tuple[Field, ...] = PField(min_length=1, description="The columns (at least one).")
    # Database-level structure the API does not need but the migration keeps.
    unique: tuple[tuple[str, ...], ...] = PField(default=(), description=(
        "Unique groups of fields (multi-column unique constraints)."))
    indexes: tuple[Index, ...] = PField(default=(), description=(
        "Extra indexes (keys and foreign keys get theirs automatically)."))
    checks: tuple[str, ...] = PField(default=(), description=(
        "CHECK constraints: PostgreSQL boolean expressions over the columns, each parsed as "
        "one expression and re-rendered."))
    foreign_keys: tuple[ForeignKey, ...] = PField(default=(), description=(
        "Multi-column foreign keys; a single column says `references` on its field."))

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
    """A custom endpoint: wired (route, validation, handler, service, OpenAPI entry); its
    logic answers 501 until written, or comes from the model in hybrid mode."""

    method: HttpMethod = PField(description="GET, POST, PUT, PATCH or DELETE (any case).")
    path: str = PField(min_length=1, description=(
        "The URL path below the API prefix; `{param}` segments become path parameters."))
    table: str | None = PField(default=None, description=(
        "The table whose service hosts the endpoint's function (must exist)."))
    summary: str | None = PField(default=None, description=(
        "One line for the OpenAPI document, the README and the hybrid prompt."))
    auth: bool = PField(default=False, description="Needs a bearer token (with options.auth).")
    name: str | None = PField(default=None, description=(
        "The function name (default: derived from the method and path)."))


class Options(_Model):
    """Which optional modules the generated project gets."""

    auth: bool = PField(default=False, description=(
        "JWT authentication and access control: accounts are rows of the users table "
        "(register, login, bearer tokens); who may do what per table comes from `access`."))
    tests: bool = PField(default=True, description="A jest + supertest suite per table.")
    docker: bool = PField(default=True, description=(
        "Dockerfile, docker-compose.yml (the API and PostgreSQL), .dockerignore."))
    terraform: bool = PField(default=False, description=(
        "Terraform for AWS (VPC, RDS, ECR, ECS) and a deploy script."))
    api_prefix: str = PField(default="/api/v1", description=(
        "The path every table and custom endpoint is served under."))


class Database(_Model):
    """The database the project runs on."""

    engine: Literal["postgresql"] = PField(default="postgresql", description=(
        "The database engine (only postgresql today)."))
    name: str | None = PField(default=None, description=(
        "The database name in .env.example and docker-compose (default: from the project "
        "name)."))
    extensions: tuple[str, ...] = PField(default=(), description=(
        "PostgreSQL extensions the first migration creates, e.g. postgis, pg_trgm."))


class Project(_Model):
    """The whole spec: the top level of a native YAML/JSON file."""

    name: str = PField(min_length=1, description=(
        "The project name; the default output folder and package name derive from it."))
    description: str | None = PField(default=None, description=(
        "Shown in the OpenAPI document and the generated README."))
    stack: str = PField(default="express-js", description=(
        "The target stack: express-js (Node 22, Express 5, node-postgres, JavaScript) or "
        "express-ts (the same in strict TypeScript); --stack on the command line wins."))
    database: Database = PField(default=Database(), description="The database settings.")
    options: Options = PField(default=Options(), description="Optional modules.")
    tables: tuple[Table, ...] = PField(min_length=1, description="The tables (at least one).")
    endpoints: tuple[Endpoint, ...] = PField(default=(), description=(
        "Custom endpoints beyond the CRUD routes every table gets."))
    access: Access | None = PField(default=None, description=(
        "Who may list, read, create, update and delete each table (turns auth on); "
        "without it, auth gets the secure defaults (see the access guide)."))

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
