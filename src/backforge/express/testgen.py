"""What the generated test suite of one table sends and expects.

Bodies are computed here from the columns (deterministic sample values);
foreign keys point at parent rows the suite creates through the API first,
written as `ParentRef`s that the template turns into `parents.users.id`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from backforge.express.context import ProjectContext, TableContext
from backforge.express.endpoints import CustomEndpoint
from backforge.express.jsliteral import JsExpr, js_value
from backforge.render.quoting import js_string
from backforge.spec.model import FieldType
from backforge.sql.columns import Column
from backforge.sql.ddl_extras import composite_parent
from backforge.sql.samples import different_value, sample_value

T = FieldType
MAIN, PARENT, REPLACE = 0, 1, 2  # sample variants: the row under test, parents, a PUT body
MISSING_UUID = "00000000-0000-4000-8000-000000000000"
_FILTER_KINDS = (T.STRING, T.TEXT, T.ENUM, T.INTEGER, T.BIGINT, T.BOOLEAN, T.DATE, T.UUID)


@dataclass(frozen=True)
class ParentRef:
    var: str  # the parent table's var (key in `parents`)
    prop: str  # the referenced property of the parent row
    # The parent's key is a bigint (a JSON string) and this column an int4 (a JSON integer).
    as_integer: bool = False


Body = dict[str, Any]  # prop -> sample value or ParentRef


@dataclass(frozen=True)
class ParentStep:
    table: TableContext
    body: Body


@dataclass(frozen=True)
class EndpointCall:
    endpoint: CustomEndpoint
    path: str  # concrete path with sample parameter values
    implemented: bool = False  # its logic is written (hybrid mode): no 501 expected
    # path parameter -> property of the endpoint table's row, when the path names a row
    # of its own table by key (`/tasks/{id}/complete`): called with a real row's key.
    key: tuple[tuple[str, str], ...] = ()
    keyed_path: str = ""  # `path` with the key parameters left as `{param}`

    @property
    def sends_body(self) -> bool:
        return self.endpoint.method in ("POST", "PUT", "PATCH")

    def row_path_js(self, row: str) -> str:
        """A JS expression for the path with the key of the row in variable `row`."""
        parts, rest = [], self.keyed_path
        for param, prop in self.key:
            before, rest = rest.split("{" + param + "}", 1)
            parts += [js_string(before), f"encodeURIComponent({row}.{prop})"]
        parts.append(js_string(rest))
        return " + ".join(p for p in parts if p != "''")

    def missing_path(self, missing_key: tuple[Any, ...]) -> str:
        path = self.keyed_path
        for (param, _), value in zip(self.key, missing_key, strict=True):
            path = path.replace("{" + param + "}", quote(str(value), safe=""), 1)
        return path


@dataclass(frozen=True)
class SuitePlan:
    table: TableContext
    parents: tuple[ParentStep, ...]
    body: Body  # a valid create body
    update: Body | None  # PATCH body (one changed property)
    replace: Body | None  # PUT body
    missing_key: tuple[Any, ...]  # a key no row has
    unknown_prop: str  # a property the create schema rejects
    required: tuple[str, ...]  # props the create schema requires
    duplicate: bool  # posting the body twice must answer 409
    filter: tuple[str, Any, Any] | None  # (prop, matching value, non-matching value)
    sort: str | None
    calls: tuple[EndpointCall, ...]
    updatable: tuple[str, ...] = ()  # props a PUT body must carry, all of them
    # (prop, a value PostgreSQL would round or refuse): must answer 400 naming prop
    inexact: tuple[str, Any] | None = None
    text_prop: str | None = None  # a plain text property, for the NUL check


def _parent_of(ctx: ProjectContext, t: TableContext,
               col: Column) -> tuple[TableContext, Column] | None:
    """The parent row column `col` must copy: a multi-column key wins over the column's
    own reference, so that all columns of that key come from one parent row."""
    found = composite_parent(ctx, t, col)
    if found is not None or col.ref is None:
        return found
    parent = ctx.table(col.ref.table)
    return parent, next(c for c in parent.columns if c.sql == col.ref.sql_column)


def _reachable_refs(ctx: ProjectContext, t: TableContext,
                    path: frozenset[str]) -> dict[str, tuple[TableContext, Column]]:
    """FK column (sql name) -> parent table and column, for parents that can be created
    first (no self or cyclic reference)."""
    out: dict[str, tuple[TableContext, Column]] = {}
    for col in t.writable:
        found = _parent_of(ctx, t, col)
        if found is not None and found[0].name != t.name and found[0].name not in path:
            out[col.sql] = found
    return out


def body_for(ctx: ProjectContext, t: TableContext, variant: int,
             path: frozenset[str] = frozenset(), *, keys: bool = True) -> Body:
    """A create body: every writable column, FKs as references to parent rows."""
    refs = _reachable_refs(ctx, t, path | {t.name})
    body: Body = {}
    for col in t.writable:
        if col.primary_key and not keys:
            continue
        if col.sql in refs:
            parent, target = refs[col.sql]
            body[col.prop] = ParentRef(parent.var, target.prop, as_integer=(
                col.type.type is T.INTEGER and target.type.type is T.BIGINT))
        elif is_plain(t, col):
            body[col.prop] = sample_value(col, variant, salt=t.sql)
    return body


def parent_steps(ctx: ProjectContext, t: TableContext) -> tuple[ParentStep, ...]:
    steps: list[ParentStep] = []
    done: set[str] = set()

    def visit(table: TableContext, path: frozenset[str]) -> None:
        for parent, _ in _reachable_refs(ctx, table, path | {table.name}).values():
            if parent.name in done:
                continue
            visit(parent, path | {table.name})
            done.add(parent.name)
            steps.append(ParentStep(parent, body_for(ctx, parent, PARENT,
                                                     path | {table.name})))

    visit(t, frozenset())
    return tuple(steps)


def _missing_key(t: TableContext, body: Body) -> tuple[Any, ...]:
    out = []
    for col in t.pk:
        if col.kind is T.UUID:
            out.append(MISSING_UUID)
        elif col.kind in (T.INTEGER, T.BIGINT):
            out.append(int(col.schema.get("maximum", 999999999)))
        else:
            out.append(different_value(col, MAIN + 7, body.get(col.prop)))
    return tuple(out)


def is_plain(t: TableContext, col: Column) -> bool:
    """True for a column that references no other row (alone or in a multi-column key)."""
    return col.ref is None and all(col.field.name not in k.fields for k in t.table.foreign_keys)


def _update_body(t: TableContext, body: Body) -> Body | None:
    if not t.can_update:
        return None
    plain = [c for c in t.updatable if is_plain(t, c)]
    col = plain[0] if plain else t.updatable[0]
    if not is_plain(t, col):
        return {col.prop: body[col.prop]} if col.prop in body else None
    return {col.prop: different_value(col, MAIN, body.get(col.prop), salt=t.sql)}


def _filter(t: TableContext, body: Body) -> tuple[str, Any, Any] | None:
    for col in t.filterable:
        if is_plain(t, col) and col.kind in _FILTER_KINDS and col.prop in body \
                and not col.primary_key:
            other = different_value(col, MAIN, body[col.prop], salt=t.sql)
            if other != body[col.prop]:
                return col.prop, body[col.prop], other
    return None


def _inexact(t: TableContext) -> tuple[str, Any] | None:
    """A value with one decimal more than a numeric column's scale (never rounded: 400)."""
    for col in t.writable:
        if col.kind is T.DECIMAL and col.type.precision is not None and is_plain(t, col):
            return col.prop, "1." + "9" * ((col.type.scale or 0) + 1)
    return None


def _text_prop(t: TableContext) -> str | None:
    return next((c.prop for c in t.writable if c.kind in (T.STRING, T.TEXT) and not c.opaque
                 and is_plain(t, c) and not c.primary_key), None)


def _param_value(schema: dict[str, Any]) -> Any:
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if schema.get("format") == "uuid":
        return MISSING_UUID
    if "integer" in kinds:  # also bigint and numeric keys: a string or an integer
        return 1
    if "enum" in schema:
        return schema["enum"][0]
    return "sample"


def endpoint_call(ep: CustomEndpoint, params_schema: dict[str, Any], *,
                  implemented: bool = False,
                  key: tuple[tuple[str, str], ...] = ()) -> EndpointCall:
    path = keyed = ep.path
    keyed_names = {param for param, _ in key}
    for name in ep.params:
        value = str(_param_value(params_schema["properties"][name]))
        path = path.replace("{" + name + "}", value)
        if name not in keyed_names:
            keyed = keyed.replace("{" + name + "}", value)
    return EndpointCall(ep, path, implemented, key, keyed)


def key_params(ctx: ProjectContext, ep: CustomEndpoint) -> tuple[tuple[str, str], ...]:
    """(path parameter, row property) pairs when the endpoint's path starts with its own
    table's item path (`/tasks/{id}/...`); () otherwise."""
    if ep.table is None:
        return ()
    t = ctx.table(ep.table)
    segments = ep.path.strip("/").split("/")
    head = segments[1:1 + len(t.pk)]
    if segments[0] != t.collection_path.strip("/") or len(head) != len(t.pk) \
            or not all(s.startswith("{") for s in head):
        return ()
    return tuple((s[1:-1], c.prop) for s, c in zip(head, t.pk, strict=True))


def suite_plan(ctx: ProjectContext, t: TableContext,
               endpoint_schemas: dict[str, dict[str, Any]],
               implemented: frozenset[str] = frozenset()) -> SuitePlan:
    body = body_for(ctx, t, MAIN)
    replace = body_for(ctx, t, REPLACE, keys=False) if t.can_update else None
    props = {c.prop for c in t.columns}
    unknown = next(n for n in ("unknownProperty", "unknownProperty2", "notAColumn")
                   if n not in props)
    sortable = [c.prop for c in t.filterable]
    return SuitePlan(
        table=t, parents=parent_steps(ctx, t), body=body, update=_update_body(t, body),
        replace=replace, missing_key=_missing_key(t, body), unknown_prop=unknown,
        required=tuple(c.prop for c in t.writable if c.required_on_create),
        duplicate=any(c.prop in body for c in t.unique_columns) or t.natural_key,
        filter=_filter(t, body),
        sort=sortable[0] if sortable else None,
        calls=tuple(endpoint_call(e, endpoint_schemas[e.name]["params"],
                                  implemented=e.label in implemented, key=key_params(ctx, e))
                    for e in t.endpoints),
        updatable=tuple(c.prop for c in t.updatable) if t.can_update else (),
        inexact=_inexact(t), text_prop=_text_prop(t))


def js_body(body: Body, indent: int = 0) -> str:
    """The body as a JS object literal; parent references read `parents.<var>.<prop>`."""
    return js_value({k: _js_ref(v) for k, v in body.items()}, indent)


def _js_ref(value: Any) -> Any:
    if isinstance(value, ParentRef):
        ref = f"parents.{value.var}.{value.prop}"
        return JsExpr(f"Number({ref})" if value.as_integer else ref)
    return value


def js_key_path(t: TableContext, values: tuple[Any, ...]) -> str:
    """A JS string literal of the item path for literal key values."""
    return js_string(t.collection_path + "".join(f"/{quote(str(v), safe='')}" for v in values))


__all__ = ["EndpointCall", "ParentRef", "ParentStep", "SuitePlan", "body_for",
           "endpoint_call", "is_plain", "js_body", "js_key_path", "key_params", "parent_steps",
           "suite_plan"]
