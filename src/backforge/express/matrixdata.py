"""The authorisation matrix (backforge.rest.matrix) of an express-js project, and what the
generated tests/access.test.js renders from: the cells and, per table in foreign-key
order, the bodies its requests send. verify's driver (authz.py) uses the same sample
variants, so both send the same rows.
"""

from __future__ import annotations

from typing import Any

from backforge.express import access
from backforge.express.context import ProjectContext, TableContext
from backforge.express.testgen import ParentRef, body_for, is_plain, suite_plan
from backforge.rest import schemas
from backforge.rest.matrix import Cell, Principal, derive
from backforge.spec.policy_model import FieldAccess, Operation, TableKind
from backforge.sql.ddl import fk_order
from backforge.sql.samples import different_value

# Sample variants, clear of the contract's rows (0-2), its accounts (5, 6), the seeds
# (10 and up, one per seed row), the session checks (900 and up) and the generated tests.
ACCOUNTS = {Principal.OWNER: 41, Principal.OTHER: 42, Principal.ADMIN: 43}
THROWAWAY = 200  # and up: accounts that delete themselves or are deleted by admin
CREATE = {Principal.OWNER: 51, Principal.ADMIN: 52, Principal.OTHER: 53,
          Principal.ANONYMOUS: 54}
FRESH = 300  # and up: rows made only to be deleted
UPDATE = 70  # and up: the values a PATCH sends


def cells_for(ctx: ProjectContext) -> tuple[Cell, ...]:
    """The matrix of this project (the generated jest suite renders the same cells)."""
    return derive(ctx.policy, {t.name: t.can_update for t in ctx.tables})


def _marker(value: Any, admin_owner: str | None) -> Any:
    """A body value as data for the test's `resolve`: a parent reference becomes
    {$ref: [var, prop, asInteger]} (`@admin`: the admin's own account row)."""
    if isinstance(value, ParentRef):
        var = "@admin" if value.var == admin_owner else value.var
        return {"$ref": [var, value.prop, value.as_integer]}
    return value


def _marked(ctx: ProjectContext, t: TableContext, variant: int,
            admin_owner: str | None = None) -> dict[str, Any]:
    return {k: _marker(v, admin_owner) for k, v in body_for(ctx, t, variant).items()}


def _jest_update(ctx: ProjectContext, t: TableContext, variant: int,
                 ruled: set[str]) -> dict[str, Any] | None:
    cols = [c for c in t.updatable if is_plain(t, c) and c.field.name not in ruled]
    if cols:
        col = cols[0]
        current = body_for(ctx, t, CREATE[Principal.OWNER]).get(col.prop)
        return {col.prop: different_value(col, variant, current, salt=t.sql)}
    same = sorted(t.updatable, key=lambda c: c.field.name in ruled)
    return {same[0].prop: {"$same": same[0].prop}} if same else None


def _jest_table(ctx: ProjectContext, t: TableContext, creatable: set[str]
                ) -> dict[str, Any]:
    """`creatable`: the tables some principal may create rows in, from the matrix derived
    once (deriving it per table made the suite quadratic in tables)."""
    policy = ctx.policy
    acc = access.auth_context(ctx)
    tp = policy.table(t.name) if policy.enabled else None
    ruled = {f.field for f in tp.fields} if tp is not None else set()
    if tp is not None and tp.kind is TableKind.USERS and policy.accounts is not None:
        ruled.add(policy.accounts.login_field)  # rows may reference accounts by login
    admin_owner = None
    if tp is not None and acc is not None and len(tp.owner_path) == 1:
        owner = next(c for c in t.columns if c.field.name == tp.owner_path[0].field)
        admin_owner = acc["users"].var if owner.unique else None
    secret = {f.field for f in tp.fields if f.access is FieldAccess.SECRET} if tp else set()
    return {
        "name": t.name, "var": t.var, "collection": t.collection_path,
        "key": [c.prop for c in t.pk],
        "users": tp is not None and tp.kind is TableKind.USERS,
        "owned": tp is not None and tp.kind is not TableKind.UNOWNED,
        "create": {who.value: _marked(ctx, t, variant, admin_owner
                                      if who is Principal.ADMIN else None)
                   for who, variant in CREATE.items()},
        "fresh": [_marked(ctx, t, FRESH + n) for n in range(3)],
        "update": {who.value: _jest_update(ctx, t, UPDATE + 3 * n, ruled)
                   for n, who in enumerate(Principal)},
        "secret": sorted(c.prop for c in t.columns if c.field.name in secret),
        # No one may create its rows and the suites start from empty tables: the row
        # cells whose status does not depend on a row (401/403/405) use a missing key.
        "rowless": not (tp is not None and tp.kind is TableKind.USERS)
        and t.name not in creatable,
        "missing": list(suite_plan(ctx, t, schemas.endpoint_schemas(ctx, t.endpoints))
                        .missing_key),
    }


def jest_matrix(ctx: ProjectContext) -> dict[str, Any] | None:
    """What tests/access.test.js renders from: the cells and, per table in foreign-key
    order, the bodies its requests send. None when the routes do not apply the policy."""
    cells = cells_for(ctx)
    if not cells or (ctx.policy.enabled and not access.enforced(ctx)):
        return None
    acc = access.auth_context(ctx)
    creatable = {c.table for c in cells if c.operation is Operation.CREATE and c.allowed}
    return {"cells": [c.to_dict() for c in cells],
            "tables": [_jest_table(ctx, t, creatable) for t in fk_order(ctx).tables],
            "users_var": acc["users"].var if acc else None,
            "principals": sorted({c.principal.value for c in cells},
                                 key=[p.value for p in Principal].index)}
__all__ = ["CREATE", "FRESH", "UPDATE", "cells_for", "jest_matrix"]
