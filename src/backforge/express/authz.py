"""The authorisation matrix (backforge.rest.matrix) driven against a live express-js app.

Three accounts register (owner, other, and one promoted to admin with the project's own
`npm run create-admin`); each table, parents first, gets the owner's row through the
create cells, then every list/read/update cell runs against that row; the delete cells
run last, children first. A refused write is also checked to have changed nothing. The
cells and their statuses come from the stack-neutral derivation; only the requests are
this stack's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from backforge.express import access
from backforge.express.context import ProjectContext, TableContext
from backforge.express.contract import item_path, resolve_refs
from backforge.express.matrixdata import (
    ACCOUNTS,
    CREATE,
    FRESH,
    THROWAWAY,
    UPDATE,
    cells_for,
)
from backforge.express.testgen import body_for, is_plain
from backforge.rest.matrix import Cell, Principal
from backforge.spec.policy_model import FieldAccess, Operation, TableKind
from backforge.sql.ddl import fk_order
from backforge.sql.samples import different_value
from backforge.verify.checks import Probe

PASSWORD = "matrix passphrase 123"
# Who makes a row for an allowed delete: the first whose create cell is allowed.
_CREATORS = (Principal.OWNER, Principal.ADMIN, Principal.ANONYMOUS, Principal.OTHER)


@dataclass
class _Run:
    ctx: ProjectContext
    probe: Probe
    cells: dict[tuple[str, Operation, Principal], Cell]
    callers: dict[Principal, Probe] = field(default_factory=dict)
    accounts: dict[Principal, dict[str, Any]] = field(default_factory=dict)
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)  # var -> the owner's row
    extra: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # var -> rows to delete
    fresh: int = FRESH
    throwaway: int = THROWAWAY

    @property
    def prefix(self) -> str:
        return self.ctx.prefix

    def record(self, cell: Cell, got: int | None, ok: bool, note: str = "") -> None:
        # A cell not checked (got None) is not a failure; the summary counts it apart.
        passed = ok and (got is None or got == cell.expected)
        self.probe.cell(cell.table, cell.operation.value, cell.principal.value,
                        cell.expected, got, passed, cell.reason, note)

    def skip(self, t: TableContext, op: Operation, why: str) -> None:
        for who in Principal:
            cell = self.cells.get((t.name, op, who))
            if cell is not None:
                self.record(cell, None, True, why)

    def call(self, cell: Cell, method: str, path: str, body: Any = None):
        name = f"matrix: {cell.principal.value} {cell.operation.value} -> {cell.expected}"
        return self.callers[cell.principal].request(method, path, cell.expected, name,
                                                    table=cell.table, body=body,
                                                    documented=cell.served)


def _accounts(run: _Run) -> bool:
    """Registers owner, other and admin (promoted with create-admin); False when that fails
    (recorded)."""
    ctx, probe = run.ctx, run.probe
    acc = access.auth_context(ctx)
    if acc is None:
        run.callers[Principal.ANONYMOUS] = probe.with_token(None)
        return True
    run.callers[Principal.ANONYMOUS] = probe.with_token(None)
    for who, variant in ACCOUNTS.items():
        body = access.register_body(ctx, variant, PASSWORD) or {}
        login = body.get(acc["login"].prop)
        made = probe.request("POST", f"{ctx.prefix}/auth/register", 201,
                             f"matrix: register the {who.value} account", body=body)
        if who is Principal.ADMIN and made.status == 201:
            code, out = probe.shell(["npm", "run", "--silent", "create-admin", "--", str(login)]) \
                if probe.shell is not None else (-1, "no shell to run create-admin")
            if not probe.expect(code == 0, "matrix: create-admin promotes the admin account",
                                out.strip()[-300:]):
                return False
        token = _login(run, acc["login"].prop, login)
        if made.status != 201 or token is None:
            return False
        run.callers[who] = probe.with_token(token)
        run.accounts[who] = made.body
    run.rows[acc["users"].var] = run.accounts[Principal.OWNER]
    return True


def _login(run: _Run, prop: str, login: Any) -> str | None:
    res = run.probe.client.call("POST", f"{run.prefix}/auth/login",
                                {prop: login, "password": PASSWORD})
    return res.body.get("token") if res.status == 200 and isinstance(res.body, dict) else None


def _throwaway(run: _Run) -> tuple[dict[str, Any], Probe] | None:
    """A fresh account (its row and a client signed in as it), for a users-table delete."""
    acc = access.auth_context(run.ctx)
    variant = run.throwaway
    run.throwaway += 1
    body = access.register_body(run.ctx, variant, PASSWORD) or {}
    made = run.probe.client.call("POST", f"{run.prefix}/auth/register", body)
    token = _login(run, acc["login"].prop, body.get(acc["login"].prop))
    if made.status != 201 or token is None:
        return None
    return made.body, run.probe.with_token(token)


def _policy_fields(run: _Run, t: TableContext) -> set[str]:
    """Fields the update cells leave alone: those with a field rule, and the login (other
    rows reference accounts by it, e.g. a foreign key to users.email)."""
    policy = run.ctx.policy
    if not policy.enabled:
        return set()
    login = {policy.accounts.login_field} if policy.accounts is not None and \
        policy.accounts.table == t.name else set()
    return {f.field for f in policy.table(t.name).fields} | login


def _create_body(run: _Run, t: TableContext, who: Principal, variant: int) -> dict[str, Any]:
    """A row attributed to the owner: the owner field and links are the owner's (admin's
    own row when the owner field is unique: the owner already has one)."""
    rows = run.rows
    policy = run.ctx.policy
    if who is Principal.ADMIN and policy.enabled and policy.accounts is not None:
        tp = policy.table(t.name)
        owner = next((c for c in t.columns if tp.owner_path
                      and c.field.name == tp.owner_path[0].field), None)
        if owner is not None and owner.unique and len(tp.owner_path) == 1:
            users = access.auth_context(run.ctx)["users"]
            rows = {**rows, users.var: run.accounts[Principal.ADMIN]}
    return resolve_refs(body_for(run.ctx, t, variant), rows)


def _creates(run: _Run, t: TableContext) -> None:
    coll = f"{run.prefix}{t.collection_path}"
    for who in (Principal.OWNER, Principal.ADMIN, Principal.OTHER, Principal.ANONYMOUS):
        cell = run.cells.get((t.name, Operation.CREATE, who))
        if cell is None:
            continue
        res = run.call(cell, "POST", coll, _create_body(run, t, who, CREATE[who]))
        run.record(cell, res.status, True)
        if res.status == 201 and isinstance(res.body, dict):
            if t.var not in run.rows:
                run.rows[t.var] = res.body
            else:
                run.extra.setdefault(t.var, []).append(res.body)
    if t.var not in run.rows:
        admin = run.callers.get(Principal.ADMIN) or run.callers[Principal.ANONYMOUS]
        listed = admin.client.call("GET", f"{coll}?limit=1")
        data = listed.body.get("data") if isinstance(listed.body, dict) else None
        if data and not _owned(run, t):
            run.rows[t.var] = data[0]  # a lookup table: any row will do (a seeded one)


def _owned(run: _Run, t: TableContext) -> bool:
    policy = run.ctx.policy
    return policy.enabled and policy.table(t.name).kind is not TableKind.UNOWNED


def _listed(run: _Run, caller: Probe, coll: str, row: dict[str, Any],
            t: TableContext) -> tuple[int, bool, int]:
    """(status of the first page, whether `row` is in the list, pages read)."""
    path, pages, seen = f"{coll}?limit=100", 0, False
    first = 0
    while path and pages < 20:
        res = caller.client.call("GET", path)
        first = first or res.status
        pages += 1
        if res.status != 200 or not isinstance(res.body, dict):
            break
        keys = [c.prop for c in t.pk]
        seen = seen or any(all(r.get(k) == row.get(k) for k in keys)
                           for r in res.body.get("data", []))
        cursor = res.body.get("meta", {}).get("next_cursor")
        path = f"{coll}?limit=100&cursor={quote(cursor)}" if isinstance(cursor, str) else ""
    return first, seen, pages


def _lists(run: _Run, t: TableContext, row: dict[str, Any]) -> None:
    coll = f"{run.prefix}{t.collection_path}"
    for who in Principal:
        cell = run.cells.get((t.name, Operation.LIST, who))
        if cell is None:
            continue
        res = run.call(cell, "GET", f"{coll}?limit=1")
        note, ok = "", True
        if res.status == 200 and cell.visible is not None:
            _, seen, _ = _listed(run, run.callers[who], coll, row, t)
            ok = seen == cell.visible
            note = "" if ok else ("the owner's row is missing" if cell.visible
                                  else "the owner's row is listed")
            run.probe.expect(ok, f"matrix: {who.value} list shows the owner's row: "
                             f"{cell.visible}", note, table=t.name)
        run.record(cell, res.status, ok, note)


def _update_body(run: _Run, t: TableContext, row: dict[str, Any],
                 variant: int) -> dict[str, Any] | None:
    """One changed plain column; else (only references are updatable) one column sent with
    its current value, which the policy's write checks let through unchanged."""
    ruled = _policy_fields(run, t)
    cols = [c for c in t.updatable if is_plain(t, c) and c.field.name not in ruled]
    if cols:
        col = cols[0]
        return {col.prop: different_value(col, variant, row.get(col.prop), salt=t.sql)}
    same = sorted(t.updatable, key=lambda c: c.field.name in ruled)
    return {same[0].prop: row.get(same[0].prop)} if same else None


def _reads_and_updates(run: _Run, t: TableContext, row: dict[str, Any]) -> None:
    item = item_path(run.prefix, t, row)
    for who in Principal:
        cell = run.cells.get((t.name, Operation.READ, who))
        if cell is not None:
            res = run.call(cell, "GET", item)
            run.record(cell, res.status, True)
    body = _update_body(run, t, row, UPDATE)
    if body is None and t.can_update:
        run.skip(t, Operation.UPDATE, "no plain column a client may change")
        return
    for n, who in enumerate(Principal):
        cell = run.cells.get((t.name, Operation.UPDATE, who))
        if cell is None:
            continue
        sent = _update_body(run, t, row, UPDATE + 3 * n) if body is not None else None
        before = _admin_read(run, item)
        res = run.call(cell, "PATCH", item, sent or {})
        note = ""
        after = _admin_read(run, item)
        if not cell.allowed and before is not None and after != before:
            note = "a refused update changed the row"
        if after is not None:
            run.rows[t.var] = row = after  # children reference its current values
        run.record(cell, res.status, not note, note)


def _admin_read(run: _Run, item: str) -> Any:
    caller = run.callers.get(Principal.ADMIN) or run.callers[Principal.ANONYMOUS]
    res = caller.client.call("GET", item)
    return res.body if res.status == 200 else None


def _victim(run: _Run, t: TableContext, who: Principal,
            users: bool) -> tuple[dict[str, Any], Probe] | None:
    """The row an allowed delete removes, and who deletes it: a throwaway account (itself, or
    by admin) for the users table, else a row made for it."""
    if users:
        made = _throwaway(run)
        if made is None:
            return None
        return made if who is Principal.OWNER else (made[0], run.callers[who])
    extra = run.extra.get(t.var) or []
    if extra:
        return extra.pop(), run.callers[who]
    coll = f"{run.prefix}{t.collection_path}"
    for creator in _CREATORS:
        cell = run.cells.get((t.name, Operation.CREATE, creator))
        if cell is not None and cell.allowed:
            run.fresh += 1
            res = run.callers[creator].client.call(
                "POST", coll, _create_body(run, t, creator, run.fresh))
            if res.status == 201 and isinstance(res.body, dict):
                return res.body, run.callers[who]
    return None


def _deletes(run: _Run, t: TableContext, row: dict[str, Any]) -> None:
    """Refused deletes try the owner's row (which must survive them); each allowed one
    removes a row of its own, the last one the owner's row (its children are gone by now:
    tables are visited children first)."""
    item = item_path(run.prefix, t, row)
    users = run.ctx.policy.enabled and run.ctx.policy.table(t.name).kind is TableKind.USERS
    cells = [c for who in (Principal.ANONYMOUS, Principal.OTHER, Principal.ADMIN,
                           Principal.OWNER)
             if (c := run.cells.get((t.name, Operation.DELETE, who))) is not None]
    allowed = [c for c in cells if c.allowed]
    for cell in cells:
        if not cell.allowed:
            res = run.call(cell, "DELETE", item)
            gone = _admin_read(run, item) is None and res.status < 300
            run.record(cell, res.status, not gone, "a refused delete removed the row"
                       if gone else "")
            continue
        if cell is allowed[-1] and not users:
            for extra in run.extra.pop(t.var, []):  # leftovers would block the row's parents
                run.callers[cell.principal].client.call("DELETE", item_path(run.prefix, t, extra))
            victim: tuple[dict[str, Any], Probe] | None = (row, run.callers[cell.principal])
        else:
            victim = _victim(run, t, cell.principal, users)
        if victim is None:
            run.record(cell, None, True, "no row could be made to delete")
            continue
        target, caller = victim
        name = f"matrix: {cell.principal.value} delete -> {cell.expected}"
        res = caller.request("DELETE", item_path(run.prefix, t, target), cell.expected, name,
                             table=t.name)
        run.record(cell, res.status, True)


def _field_rules_note(run: _Run) -> None:
    """Secret fields are never in a response: checked on the owner's rows."""
    policy = run.ctx.policy
    if not policy.enabled:
        return
    for t in run.ctx.tables:
        secret = {f.field for f in policy.table(t.name).fields if f.access is FieldAccess.SECRET}
        props = {c.prop for c in t.columns if c.field.name in secret}
        row = run.rows.get(t.var)
        if props and row is not None:
            leaked = sorted(props & set(row))
            run.probe.expect(not leaked, "matrix: secret fields are never returned",
                             f"{', '.join(leaked)} in {row}", table=t.name)


def run_matrix(probe: Probe, ctx: ProjectContext) -> None:
    """Every cell of the project's matrix against the live app (`probe`: no token)."""
    cells = cells_for(ctx)
    if not cells:
        return
    if ctx.policy.enabled and not access.enforced(ctx):
        return  # the routes do not apply the policy (the switch is off): nothing to hold
    run = _Run(ctx, probe, {(c.table, c.operation, c.principal): c for c in cells})
    if not _accounts(run):
        return
    order = fk_order(ctx).tables
    for t in order:
        if t.var in run.rows:
            _creates_users(run, t)
        else:
            _creates(run, t)
        row = run.rows.get(t.var)
        if row is None:
            for op in (Operation.LIST, Operation.READ, Operation.UPDATE, Operation.DELETE):
                run.skip(t, op, "no row of the owner could be made")
            continue
        _lists(run, t, row)
        _reads_and_updates(run, t, row)
    _field_rules_note(run)
    for t in reversed(order):
        row = run.rows.get(t.var)
        if row is not None:
            _deletes(run, t, row)


def _creates_users(run: _Run, t: TableContext) -> None:
    """The users table: its row of the owner is the owner's account; the create cells post
    a new row (register is the usual door; a `none` rule serves no route)."""
    coll = f"{run.prefix}{t.collection_path}"
    for who in Principal:
        cell = run.cells.get((t.name, Operation.CREATE, who))
        if cell is None:
            continue
        res = run.call(cell, "POST", coll, resolve_refs(body_for(run.ctx, t, CREATE[who],
                                                              keys=False), run.rows))
        run.record(cell, res.status, True)
        if res.status == 201 and isinstance(res.body, dict):
            run.extra.setdefault(t.var, []).append(res.body)


__all__ = ["run_matrix"]
