"""JSON Schemas of a table (row, create, update, replace, list query, key
params, custom endpoint params): what request validation and the OpenAPI
document of any REST stack are built from."""

from __future__ import annotations

from typing import Any

from backforge.rest.resources import RestEndpoint, RestProject, RestTable
from backforge.spec.naming import singular, snake
from backforge.sql.columns import Column
from backforge.sql.values import TEXT_PATTERN

Schema = dict[str, Any]
DEFAULT_LIMIT = 20  # page size of a list request that names none
MAX_LIMIT = 100
MAX_OFFSET = 10_000  # deeper pages cost a scan of every skipped row: use the cursor


def _property(col: Column, *, nullable: bool | None = None, default: bool = False) -> Schema:
    schema = col.value_schema(nullable=nullable)
    if col.primary_key and schema.get("pattern") == TEXT_PATTERN \
            and schema.get("minLength", 0) < 1:
        # A key is an item path segment: a row keyed "" could be created, never addressed.
        schema["minLength"] = 1
    if default and col.has_default and col.default_json is not None \
            and not col.required_on_create:
        schema["default"] = col.default_json
    return schema


def _object(props: dict[str, Schema], required: list[str], **extra: Any) -> Schema:
    schema: Schema = {"type": "object", "additionalProperties": False}
    if required:
        schema["required"] = required
    schema.update(extra)
    schema["properties"] = props
    return schema


def row_schema(t: RestTable) -> Schema:
    props = {}
    for col in t.columns:
        prop = _property(col)
        if col.generated:
            prop["readOnly"] = True
        props[col.prop] = prop
    extra = {"description": t.table.description} if t.table.description else {}
    return _object(props, [c.prop for c in t.columns], **extra)


def create_schema(t: RestTable) -> Schema:
    props = {c.prop: _property(c, default=True) for c in t.writable}
    return _object(props, [c.prop for c in t.writable if c.required_on_create])


def update_schema(t: RestTable) -> Schema:
    props = {c.prop: _property(c) for c in t.updatable}
    return _object(props, [], minProperties=1)


def replace_schema(t: RestTable) -> Schema:
    """PUT replaces the whole row: every updatable property must be given (null for an
    empty nullable one), so a missing or truncated body cannot reset the others."""
    props = {c.prop: _property(c) for c in t.updatable}
    return _object(props, list(props))


def list_query_schema(t: RestTable) -> Schema:
    props: dict[str, Schema] = {
        "limit": {"type": "integer", "minimum": 1, "default": DEFAULT_LIMIT,
                  "description": "page size (at most 100)"},
        "offset": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0,
                   "description": f"rows to skip (at most {MAX_OFFSET}; read further with "
                                  "`cursor`)"},
        "cursor": {"type": "string", "minLength": 1, "maxLength": 4096,
                   "pattern": "^[A-Za-z0-9_-]+$",
                   "description": "opaque: `meta.next_cursor` of the previous page, with the "
                                  "same sort and order; continues after that page's last row "
                                  "(keyset pagination, no offset)"},
        "count": {"type": "boolean", "default": True,
                  "description": "false skips counting the matching rows (`meta.total` is "
                                 "null); when true the page and the total come from one "
                                 "snapshot"},
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


def params_schema(t: RestTable) -> Schema:
    props = {c.prop: _property(c, nullable=False) for c in t.pk}
    return _object(props, list(props))


def _pointer(prop: str) -> str:
    """A property name as a JSON Pointer token (RFC 6901)."""
    return prop.replace("~", "~0").replace("/", "~1")


def create_links(t: RestTable, operation_ids: dict[str, str]) -> Schema:
    """OpenAPI links of a create response: the new row's key, read from its body, is the
    item path of get, replace, update and delete. A client (or a fuzzer's stateful
    phase) follows them instead of guessing which value feeds which path."""
    params = {c.prop: f"$response.body#/{_pointer(c.prop)}" for c in t.pk}
    kinds = [("GetById", "get"), ("DeleteById", "delete")]
    if t.can_update:
        kinds[1:1] = [("ReplaceById", "replace"), ("UpdateById", "update")]
    return {link: {"operationId": operation_ids[kind], "parameters": dict(params),
                   "description": f"The new row's key as the {kind} operation's path"}
            for link, kind in kinds}


def _param_schema(ctx: RestProject, ep: RestEndpoint, param: str) -> Schema:
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
    return {"type": "string", "minLength": 1, "pattern": TEXT_PATTERN}


def endpoint_schemas(ctx: RestProject, endpoints: tuple[RestEndpoint, ...]) -> \
        dict[str, Schema]:
    return {ep.name: {"params": _object({p: _param_schema(ctx, ep, p) for p in ep.params},
                                        list(ep.params))}
            for ep in endpoints}


def table_schemas(ctx: RestProject, t: RestTable) -> dict[str, Schema]:
    out = {"row": row_schema(t), "create": create_schema(t)}
    if t.can_update:
        out["update"] = update_schema(t)
        out["replace"] = replace_schema(t)
    out["listQuery"] = list_query_schema(t)
    out["params"] = params_schema(t)
    out["endpoints"] = endpoint_schemas(ctx, t.endpoints)
    return out
