"""Primary keys as the generated code sees them.

A spec table normally has a primary key (loaders add an `id` when the input
had none). A Project built by hand may still lack one; the generated code then
gets a uuid `id` key of its own, so every table has an addressable item route.
"""

from __future__ import annotations

from functools import lru_cache

from backforge.spec.model import Field, FieldType, Table
from backforge.spec.names import FieldNames, Names


@lru_cache(maxsize=1024)
def effective_fields(table: Table) -> tuple[Field, ...]:
    """The table's fields, with a generated uuid key first when it declares none."""
    if table.primary_key:
        return table.fields
    taken = {f.name for f in table.fields}
    name = next(n for n in ("id", "row_id", "_row_id") if n not in taken)
    return (Field(name=name, type=FieldType.UUID, primary_key=True), *table.fields)


def primary_key_fields(table: Table) -> tuple[Field, ...]:
    return tuple(f for f in effective_fields(table) if f.primary_key)


def field_names(names: Names, table: str, field: Field) -> FieldNames:
    known = names.tables[table].fields.get(field.name)
    return known if known is not None else FieldNames(field.name, field.name, field.name)


def is_identity(field: Field) -> bool:
    return field.auto_increment and field.type in (FieldType.INTEGER, FieldType.BIGINT) \
        and field.references is None


def has_updatable(table: Table) -> bool:
    """True when a client may change some column (keys and identities stay fixed)."""
    return any(not f.primary_key and not is_identity(f) for f in effective_fields(table))
