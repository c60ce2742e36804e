"""API impact of a schema change: endpoints and schema properties.

Computed from the stack's own Python-side data (its table contexts, the JSON
Schemas of their columns and the OpenAPI component names the stack chose), the
same data the generated routes and OpenAPI document are rendered from.

Breaking means an existing client may fail: a removed endpoint or property, a
changed type or format, removed enum values, tighter bounds, a property newly
required on create or no longer writable, a response property that may now be
null, an endpoint that now needs a token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backforge.rest import auth
from backforge.rest.resources import RestProject, RestTable
from backforge.sql.columns import Column
from backforge.sql.evolution import ApiChange

_LOWER = ("minimum", "minLength", "exclusiveMinimum")
_UPPER = ("maximum", "maxLength", "exclusiveMaximum")


@dataclass(frozen=True)
class Operation:
    label: str  # "POST /api/v1/tasks"
    auth: bool  # needs a token


def operations(ctx: RestProject) -> dict[str, Operation]:
    """Every route the generated app serves, by "METHOD /prefix/path" (OpenAPI form)."""
    out: list[Operation] = []
    p = ctx.prefix
    if ctx.auth:
        out += [Operation(label, token) for label, token in auth.operations(p)]
    for t in ctx.tables:
        coll, item = p + t.collection_path, p + t.item_path_openapi
        out += [Operation(f"GET {coll}", False), Operation(f"POST {coll}", ctx.auth),
                Operation(f"GET {item}", False)]
        if t.can_update:
            out += [Operation(f"PUT {item}", ctx.auth), Operation(f"PATCH {item}", ctx.auth)]
        out.append(Operation(f"DELETE {item}", ctx.auth))
    out += [Operation(f"{ep.method} {p}{ep.path}", ep.auth and ctx.auth) for ep in ctx.endpoints]
    return {o.label: o for o in out}


def _endpoint_changes(old: RestProject, new: RestProject) -> list[ApiChange]:
    before, after = operations(old), operations(new)
    out = [ApiChange("removed", label, "endpoint no longer exists", True)
           for label in before if label not in after]
    for label, op in after.items():
        was = before.get(label)
        if was is None:
            out.append(ApiChange("added", label, "new endpoint", False))
        elif was.auth != op.auth:
            detail = "now requires a bearer token" if op.auth else "no longer requires a token"
            out.append(ApiChange("changed", label, detail, op.auth))
    return out


def _value(col: Column) -> dict[str, Any]:
    schema = dict(col.schema)
    schema.pop("description", None)
    return schema


def _bounds_tighter(old: dict[str, Any], new: dict[str, Any]) -> bool:
    for key in _LOWER:
        if key in new and (key not in old or new[key] > old[key]):
            return True
    return any(key in new and (key not in old or new[key] < old[key]) for key in _UPPER)


def _value_changes(old: Column, new: Column) -> list[tuple[str, bool]]:
    a, b = _value(old), _value(new)
    if a == b:
        return []
    if a.get("type") != b.get("type") or a.get("format") != b.get("format"):
        return [(f"type {_type_label(a)} -> {_type_label(b)}", True)]
    out = []
    if a.get("enum") != b.get("enum"):
        removed = [v for v in a.get("enum", ()) if v not in b.get("enum", ())]
        added = [v for v in b.get("enum", ()) if v not in a.get("enum", ())]
        if removed:
            out.append((f"enum values removed: {', '.join(map(str, removed))}", True))
        if added:
            out.append((f"enum values added: {', '.join(map(str, added))}", False))
    bounds = {k: v for k, v in b.items() if k in _LOWER + _UPPER}
    if {k: v for k, v in a.items() if k in _LOWER + _UPPER} != bounds:
        tighter = _bounds_tighter(a, b)
        out.append((f"bounds {'narrowed' if tighter else 'widened'} to {bounds or 'no limit'}",
                    tighter))
    return out


def _type_label(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    kind = "|".join(kind) if isinstance(kind, list) else str(kind)
    return f"{kind} ({schema['format']})" if "format" in schema else kind


def _property_changes(old: Column, new: Column) -> list[tuple[str, bool]]:
    out = _value_changes(old, new)
    if old.nullable and not new.nullable:
        out.append(("no longer null in responses", False))
    elif new.nullable and not old.nullable:
        out.append(("may now be null in responses", True))
    if new.required_on_create and not old.required_on_create and not new.generated:
        out.append(("now required on create", True))
    elif old.required_on_create and not new.required_on_create:
        out.append(("no longer required on create", False))
    if old.default_json != new.default_json and not new.generated:
        out.append((f"default on create {old.default_json!r} -> {new.default_json!r}", False))
    if new.generated and not old.generated:
        out.append(("now read-only (set by the database)", True))
    elif old.generated and not new.generated:
        out.append(("now writable", False))
    return out


def _table_changes(component: str, old: RestTable, new: RestTable) -> list[ApiChange]:
    before = {c.prop: c for c in old.columns}
    after = {c.prop: c for c in new.columns}
    out = [ApiChange("removed", f"{component}.{prop}", "property removed from responses and "
                     "requests", True) for prop in before if prop not in after]
    for prop, col in after.items():
        target = f"{component}.{prop}"
        was = before.get(prop)
        if was is None:
            required = col.required_on_create
            detail = "new property" + (", required on create" if required else "")
            out.append(ApiChange("added", target, detail, required))
            continue
        for detail, breaking in _property_changes(was, col):
            out.append(ApiChange("changed", target, detail, breaking))
    return out


def api_changes(old: RestProject, new: RestProject, old_components: dict[str, str],
                components: dict[str, str]) -> tuple[ApiChange, ...]:
    """Endpoint changes first, then property changes per table (by SQL name).
    `old_components` / `components`: each spec table's OpenAPI schema name."""
    out = _endpoint_changes(old, new)
    old_tables = {t.sql: t for t in old.tables}
    for t in old.tables:
        if t.sql not in {n.sql for n in new.tables}:
            out.append(ApiChange("removed", old_components[t.name], "schema removed", True))
    for t in new.tables:
        was = old_tables.get(t.sql)
        if was is None:
            out.append(ApiChange("added", components[t.name], "new schema", False))
        else:
            out += _table_changes(components[t.name], was, t)
    return tuple(out)
