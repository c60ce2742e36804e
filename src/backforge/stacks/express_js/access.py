"""The express-js form of the access policy (backforge.spec.policy): per table, the rules
as JS data and the SQL that scopes rows to their owner; the accounts (users table) as
the auth module sees them.

Owner scoping is one SQL condition with a `$OWNER` placeholder that the model fills as
a node-postgres parameter: `"tasks"."project_id" IN (SELECT "projects"."id" FROM
"projects" WHERE "projects"."owner_id" = $OWNER)`. Every identifier in it comes from the
spec through the naming functions and is quoted here; no client value is ever spliced in.
"""

from __future__ import annotations

from typing import Any

from backforge.rest import schemas
from backforge.spec.policy_model import (
    AccountModel,
    FieldAccess,
    Grant,
    Hop,
    Operation,
    TableKind,
    TablePolicy,
)
from backforge.sql.columns import Column
from backforge.stacks.express_js import testgen
from backforge.stacks.express_js.context import ProjectContext, TableContext
from backforge.stacks.express_js.layout import POLICY_MODULES
from backforge.stacks.express_js.testgen import ParentRef

OWNER_PARAM = "$OWNER"
# Whether routes apply the policy (on: verify's contract and tests/access.test.js hold
# every cell of the authorisation matrix). Off, the policy modules are not generated and
# the routes keep the old rule (a token for writes only); accounts are users rows either
# way. Kept as a switch so tests can render the unenforced form.
ENFORCED = POLICY_MODULES
PASSWORD_MAX = 72  # bcrypt reads no more than 72 bytes; see auth/schemas.js


def _column(ctx: ProjectContext, table: str, field: str) -> tuple[TableContext, Column]:
    t = ctx.table(table)
    return t, next(c for c in t.columns if c.field.name == field)


def _qualified(ctx: ProjectContext, table: str, field: str) -> str:
    t, col = _column(ctx, table, field)
    return f"{t.quoted}.{col.quoted}"


def owner_condition(ctx: ProjectContext, path: tuple[Hop, ...]) -> str:
    """True for the rows of `path[0].table` whose owner is `$OWNER`, as nested subqueries
    along the hops (PostgreSQL plans them as semi-joins: no per-row round trips)."""
    hop = path[0]
    column = _qualified(ctx, hop.table, hop.field)
    if len(path) == 1:
        return f"{column} = {OWNER_PARAM}"
    target = ctx.table(hop.target_table)
    inner = owner_condition(ctx, path[1:])
    return (f"{column} IN (SELECT {_qualified(ctx, hop.target_table, hop.target_field)} "
            f"FROM {target.quoted} WHERE {inner})")


def _self_condition(ctx: ProjectContext, t: TableContext) -> str:
    return f"{t.quoted}.{t.pk[0].quoted} = {OWNER_PARAM}"


def _rule(policy: TablePolicy, op: Operation) -> dict[str, Any]:
    rule = policy.rule(op)
    return {"grant": rule.grant.value, "roles": list(rule.roles)}


def table_access(ctx: ProjectContext, t: TableContext) -> dict[str, Any] | None:
    """The POLICY constant of a table's policy module; None with auth off."""
    policy = ctx.policy
    if not ENFORCED or not policy.enabled or policy.accounts is None:
        return None
    tp = policy.table(t.name)
    props = {c.field.name: c.prop for c in t.columns}
    owner_sql = None
    if tp.kind is TableKind.USERS:
        owner_sql = _self_condition(ctx, t)
    elif tp.owner_path:
        owner_sql = owner_condition(ctx, tp.owner_path)
    link = None
    if len(tp.owner_path) > 1:
        hop = tp.owner_path[0]
        target = ctx.table(hop.target_table)
        key = _qualified(ctx, hop.target_table, hop.target_field)
        link = {"prop": props[hop.field],
                "sql": f"SELECT 1 FROM {target.quoted} WHERE {key} = $1 AND "
                       f"{owner_condition(ctx, tp.owner_path[1:]).replace(OWNER_PARAM, '$2')}"}
    by_access = {a: [props[f.field] for f in tp.fields if f.access is a and f.field in props]
                 for a in FieldAccess}
    return {
        "admin": policy.accounts.admin_role,
        "rules": {op.value: _rule(tp, op) for op in Operation},
        "ownerCondition": owner_sql,
        "ownerField": (by_access[FieldAccess.OWNER] or [None])[0],
        "link": link,
        "adminOnly": by_access[FieldAccess.ADMIN_ONLY],
        "readOnly": by_access[FieldAccess.READ_ONLY] + by_access[FieldAccess.SECRET],
    }


def served(ctx: ProjectContext, t: TableContext, op: str) -> bool:
    """Whether the route of an operation exists (a `none` rule serves nothing)."""
    policy = ctx.policy
    if not ENFORCED or not policy.enabled or policy.accounts is None:
        return True
    return policy.table(t.name).rule(op).grant is not Grant.NONE


def needs_token(ctx: ProjectContext, t: TableContext, op: str) -> bool:
    policy = ctx.policy
    if not ENFORCED or not policy.enabled or policy.accounts is None:
        return ctx.auth and op in ("create", "update", "delete")
    return policy.table(t.name).rule(op).grant is not Grant.PUBLIC


def accounts(ctx: ProjectContext) -> AccountModel | None:
    return ctx.policy.accounts if ctx.policy.enabled else None


def auth_context(ctx: ProjectContext) -> dict[str, Any] | None:
    """What the auth module renders from: the users table, its login and role columns,
    and the register/login JSON Schemas (the users create schema without the role)."""
    acc = accounts(ctx)
    if acc is None:
        return None
    users = ctx.table(acc.table)
    login = next(c for c in users.columns if c.field.name == acc.login_field)
    role = next((c for c in users.columns if c.field.name == acc.role_field), None)
    create = schemas.create_schema(users)
    props = {k: v for k, v in create["properties"].items()
             if role is None or k != role.prop}
    password = {"type": "string", "minLength": 8, "maxLength": PASSWORD_MAX}
    register = {"type": "object", "additionalProperties": False,
                "required": [*(r for r in create.get("required", []) if r in props), "password"],
                "properties": {**props, "password": password}}
    login_schema = {"type": "object", "additionalProperties": False,
                    "required": [login.prop, "password"],
                    "properties": {login.prop: create["properties"][login.prop],
                                   "password": password}}
    return {"users": users, "login": login,
            "role_sql": role.quoted if role else f'"{acc.role_field}"',
            "role_prop": role.prop if role else None,
            "role_added": acc.role_field_added, "roles": list(acc.roles),
            "admin": acc.admin_role, "default_role": acc.default_role,
            "password_sql": f'"{acc.password_field}"',
            "password_added": acc.password_field_added,
            "key": users.pk[0],
            "register": register, "login_schema": login_schema,
            "lower_login": login.kind.value in ("string", "text") and "email" in login.sql}


def register_body(ctx: ProjectContext, variant: int, password: str) -> dict[str, Any] | None:
    """A register body for tests and verify: sample values of the users table's create
    fields (never the role), and a password. None with auth off."""
    acc = auth_context(ctx)
    if acc is None:
        return None
    sample = testgen.body_for(ctx, acc["users"], variant, keys=False)
    allowed = acc["register"]["properties"]
    body = {k: v for k, v in sample.items() if k in allowed and not isinstance(v, ParentRef)}
    return {**body, "password": password}
