"""The SQL fragments of an express-js model file: its select list, key condition and
the TABLE constant its dynamic SQL is built from (node-postgres `$n` placeholders)."""

from __future__ import annotations

from typing import Any

from backforge.express.context import TableContext


def select_list(t: TableContext) -> str:
    # Opaque database types travel as their text form (node-postgres would hand over a
    # Buffer for bytea, an object for interval); arrays of a scalar element type are
    # JSON arrays, which node-postgres parses (and sends) itself.
    return ", ".join(f'{c.quoted}{"::text" if c.opaque and not c.native_array else ""} '
                     f'AS "{c.prop}"' for c in t.columns)


def key_condition(t: TableContext) -> str:
    return " AND ".join(f"{c.quoted} = ${i}" for i, c in enumerate(t.pk, start=1))


def default_order(t: TableContext) -> list[str]:
    first = [t.created.quoted] if t.created is not None else []
    return [*first, *(c.quoted for c in t.pk)]


def table_definition(t: TableContext) -> dict[str, Any]:
    """The model's TABLE constant: every identifier its dynamic SQL may use."""
    return {
        "name": t.quoted,
        "select": select_list(t),
        "keyProps": [c.prop for c in t.pk],
        "keyCondition": key_condition(t),
        "filterable": {c.prop: c.quoted for c in t.filterable},
        "writable": {c.prop: c.quoted for c in t.writable},
        "updatable": {c.prop: c.quoted for c in t.updatable},
        "json": [c.prop for c in t.json_columns],
        "defaultOrder": default_order(t),
        "keyOrder": [c.quoted for c in t.pk],
        "updatedAt": t.updated.quoted if t.updated is not None else None,
    }


def field_names(t: TableContext) -> dict[str, str]:
    """Column and constraint names -> API property, so database errors name the field."""
    out: dict[str, str] = {}
    for col in t.columns:
        out[col.sql] = col.prop
        for constraint in (col.unique_constraint, col.check_constraint,
                           col.ref.constraint if col.ref else None):
            if constraint:
                out[constraint] = col.prop
    return out


def select_by_key(t: TableContext) -> str:
    return f"SELECT {select_list(t)} FROM {t.quoted} WHERE {key_condition(t)}"


def delete_by_key(t: TableContext) -> str:
    return f"DELETE FROM {t.quoted} WHERE {key_condition(t)}"
