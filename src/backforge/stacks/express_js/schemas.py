"""JSON Schemas of a table (row, create, update, replace, list query, key
params, custom endpoint params) and the SQL fragments of its model file."""

from __future__ import annotations

from typing import Any

from backforge.spec.naming import singular, snake
from backforge.stacks.express_js.columns import Column
from backforge.stacks.express_js.context import DEFAULT_LIMIT, ProjectContext, TableContext
from backforge.stacks.express_js.endpoints import CustomEndpoint

Schema = dict[str, Any]


def _property(col: Column, *, nullable: bool | None = None, default: bool = False) -> Schema:
    schema = col.value_schema(nullable=nullable)
    if default and col.has_default and col.default_json is not None:
        schema["default"] = col.default_json
    return schema


def _object(props: dict[str, Schema], required: list[str], **extra: Any) -> Schema:
    schema: Schema = {"type": "object", "additionalProperties": False}
    if required:
        schema["required"] = required
    schema.update(extra)
    schema["properties"] = props
    return schema


def row_schema(t: TableContext) -> Schema:
    props = {}
    for col in t.columns:
        prop = _property(col)
        if col.generated:
            prop["readOnly"] = True
        props[col.prop] = prop
    extra = {"description": t.table.description} if t.table.description else {}
    return _object(props, [c.prop for c in t.columns], **extra)


def create_schema(t: TableContext) -> Schema:
    props = {c.prop: _property(c, default=True) for c in t.writable}
    return _object(props, [c.prop for c in t.writable if c.required_on_create])


def update_schema(t: TableContext) -> Schema:
    props = {c.prop: _property(c) for c in t.updatable}
    return _object(props, [], minProperties=1)


def replace_schema(t: TableContext) -> Schema:
    props = {c.prop: _property(c, default=True) for c in t.updatable}
    required = [c.prop for c in t.updatable if not c.nullable and not c.has_default]
    return _object(props, required)


def list_query_schema(t: TableContext) -> Schema:
    props: dict[str, Schema] = {
        "limit": {"type": "integer", "minimum": 1, "default": DEFAULT_LIMIT,
                  "description": "page size (at most 100)"},
        "offset": {"type": "integer", "minimum": 0, "default": 0,
                   "description": "rows to skip"},
    }
    sortable = [c.prop for c in t.filterable]
    if sortable:
        props["sort"] = {"type": "string", "enum": sortable, "description": "property to sort by"}
    props["order"] = {"type": "string", "enum": ["asc", "desc"], "default": "asc",
                      "description": "sort direction"}
    for col in t.filterable:
        prop = _property(col, nullable=False)
        prop["description"] = f"only rows whose {col.prop} equals this value"
        props[col.prop] = prop
    return _object(props, [])


def params_schema(t: TableContext) -> Schema:
    props = {c.prop: _property(c, nullable=False) for c in t.pk}
    return _object(props, list(props))


def _param_schema(ctx: ProjectContext, ep: CustomEndpoint, param: str) -> Schema:
    """A path parameter's schema: a table key when its name says so, else a string."""
    if ep.table is not None:
        t = ctx.table(ep.table)
        if len(t.pk) == 1 and param in (t.pk[0].prop, t.pk[0].field.name, "id"):
            return _property(t.pk[0], nullable=False)
    base = snake(param)
    if base.endswith("_id"):
        for t in ctx.tables:
            if len(t.pk) == 1 and base[:-3] in (snake(singular(t.name)), t.sql):
                return _property(t.pk[0], nullable=False)
    return {"type": "string", "minLength": 1}


def endpoint_schemas(ctx: ProjectContext, endpoints: tuple[CustomEndpoint, ...]) -> \
        dict[str, Schema]:
    return {ep.name: {"params": _object({p: _param_schema(ctx, ep, p) for p in ep.params},
                                        list(ep.params))}
            for ep in endpoints}


def table_schemas(ctx: ProjectContext, t: TableContext) -> dict[str, Schema]:
    out = {"row": row_schema(t), "create": create_schema(t)}
    if t.can_update:
        out["update"] = update_schema(t)
        out["replace"] = replace_schema(t)
    out["listQuery"] = list_query_schema(t)
    out["params"] = params_schema(t)
    out["endpoints"] = endpoint_schemas(ctx, t.endpoints)
    return out


# --- model SQL fragments ---------------------------------------------------------------


def select_list(t: TableContext) -> str:
    # Opaque database types travel as their text form (node-postgres would hand over a
    # Buffer for bytea, an array for text[], an object for interval).
    return ", ".join(f'{c.quoted}{"::text" if c.opaque else ""} AS "{c.prop}"'
                     for c in t.columns)


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
