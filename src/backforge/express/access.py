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

from backforge.express import testgen
from backforge.express.context import ProjectContext, TableContext
from backforge.express.testgen import ParentRef
from backforge.render.quoting import sql_literal
from backforge.rest import auth as rest_auth
from backforge.rest import schemas
from backforge.spec.policy_model import (
    AccountModel,
    FieldAccess,
    Grant,
    Hop,
    Operation,
    Rule,
    TableKind,
    TablePolicy,
)
from backforge.sql.columns import Column

OWNER_PARAM = "$OWNER"
# Whether routes apply the policy (on: verify's contract and tests/access.test.js hold
# every cell of the authorisation matrix), for the stacks that enforce it
# (`Stack.enforces_access`; ProjectContext.enforced). Off, the policy modules are not
# generated and the routes keep the old rule (a token for writes only); accounts are
# users rows either way. Kept as a switch so tests can render the unenforced form.
ENFORCED = True
# A boolean column of the users table by one of these names switches accounts off: its
# rows cannot sign in, refresh, or use a token while they are disabled.
_ACTIVE_NAMES = frozenset({"active", "is_active", "enabled", "is_enabled"})
_DISABLED_NAMES = frozenset({"disabled", "is_disabled", "locked", "is_locked", "banned",
                             "is_banned", "blocked", "is_blocked", "suspended", "is_suspended"})


def enforced(ctx: ProjectContext) -> bool:
    """Whether the project's routes apply the access policy: the switch and the stack."""
    return ENFORCED and ctx.enforces


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
    if not enforced(ctx) or not policy.enabled or policy.accounts is None:
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


def filled_on_create(ctx: ProjectContext, t: TableContext) -> str | None:
    """The owner property a create takes from the caller when the body leaves it out
    (the policy module's fillOwner): optional in the create schema, so the documented
    contract matches what the route accepts. None where creates need no token (an
    anonymous caller has no id to fill in)."""
    policy = table_access(ctx, t)
    if policy is None or policy["ownerField"] is None or not needs_token(ctx, t, "create"):
        return None
    return policy["ownerField"]


def served(ctx: ProjectContext, t: TableContext, op: str) -> bool:
    """Whether the route of an operation exists (a `none` rule serves nothing)."""
    policy = ctx.policy
    if not enforced(ctx) or not policy.enabled or policy.accounts is None:
        return True
    return policy.table(t.name).rule(op).grant is not Grant.NONE


def needs_token(ctx: ProjectContext, t: TableContext, op: str) -> bool:
    policy = ctx.policy
    if not enforced(ctx) or not policy.enabled or policy.accounts is None:
        return ctx.auth and op in ("create", "update", "delete")
    return policy.table(t.name).rule(op).grant is not Grant.PUBLIC


def accounts(ctx: ProjectContext) -> AccountModel | None:
    return ctx.policy.accounts if ctx.policy.enabled else None


def enabled_condition(users: TableContext) -> str:
    """SQL that is true for an account that may sign in: `TRUE`, or the users table's
    active/disabled flag (a NULL flag counts as enabled)."""
    for c in users.columns:
        name = c.field.name.lower()
        if c.kind.value != "boolean":
            continue
        if name in _ACTIVE_NAMES:
            return f"{users.quoted}.{c.quoted} IS NOT FALSE"
        if name in _DISABLED_NAMES:
            return f"{users.quoted}.{c.quoted} IS NOT TRUE"
    return "TRUE"


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
    password = rest_auth.password_schema()
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
            "key": users.pk[0], "sessions": f'"{ctx.sessions_table}"',
            "enabled_sql": enabled_condition(users), "password_max": rest_auth.PASSWORD_MAX_BYTES,
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


def _who(rule: Rule, admin: str) -> str:
    """A rule in the README's words: `owner or admin`, `signed-in`, `no one`."""
    if rule.grant is Grant.NONE:
        return "no one"
    if rule.grant is Grant.PUBLIC:
        return "anyone"
    if rule.grant is Grant.AUTHENTICATED:
        return "signed-in"
    names = [*(["owner"] if rule.grant is Grant.OWNER else []),
             *(r for r in rule.roles if r != admin), admin]
    return " or ".join(names)


def policy_rows(ctx: ProjectContext) -> list[dict[str, str]]:
    """The effective policy, one row per table (the generated README): who may do each
    operation and what makes a row someone's."""
    policy = ctx.policy
    if not policy.enabled or policy.accounts is None:
        return []
    admin = policy.accounts.admin_role
    out = []
    for tp in policy.tables:
        owner = " → ".join(f"{h.table}.{h.field}" for h in tp.owner_path)
        if tp.kind is TableKind.USERS:
            owner = "the account itself"
        out.append({"table": tp.table, "owner": owner or "none (shared)",
                    **{op.value: _who(tp.rule(op), admin) for op in Operation}})
    return out


def uncreatable(ctx: ProjectContext) -> frozenset[str]:
    """Tables the policy serves no create for (the users table: register is the door)."""
    cache = ctx.project_cache
    if "uncreatable" not in cache:  # asked by every table's tests unit
        cache["uncreatable"] = frozenset(t.name for t in ctx.tables
                                         if not served(ctx, t, "create"))
    return cache["uncreatable"]


def promote_sql(ctx: ProjectContext) -> str | None:
    """What `npm run create-admin` runs: the account with login $1 gets the admin role.
    The tests make their admin with it; None unless the policy is enforced."""
    acc = auth_context(ctx)
    if acc is None or not enforced(ctx):
        return None
    return (f"UPDATE {acc['users'].quoted} SET {acc['role_sql']} = "
            f"{sql_literal(acc['admin'])} WHERE {acc['login'].quoted} = $1")
