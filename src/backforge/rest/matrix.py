"""The authorisation matrix: what the effective access policy says every caller gets.

Four principals (anonymous, the owner of a row, another signed-in account, the admin
role) x every table x list/read/create/update/delete, each cell with the HTTP status a
REST stack must answer and why. `backforge verify` drives the cells against the running
app and the generated test suite carries them; both read this one derivation, so every
stack is held to the same statuses. Nothing here makes a request.

How a REST stack answers (the rules the cells encode):

- an operation the policy allows no one (`none`, or an update of a table without
  updatable columns) has no route: 405 when its path serves another method, else 404;
- no token where the rule is not `public`: 401;
- a role rule that leaves the caller's role out: 403 (before the row is looked up);
- a row the caller may not read (an `owner` read rule they do not meet): 404, for reads
  and for writes alike (its existence is not revealed);
- a row the caller may read but not change: 403;
- a create attributed to the owner (its owner field, or a link to the owner's parent
  row) by another non-admin account: 403; the admin may create rows for anyone;
- a list the caller may run is 200; with an `owner` rule it holds only the caller's rows
  (`Cell.visible` says whether the owner's row must be in it).

The cells of the row-level operations talk about one row of the owner's (for the users
table: the owner's own account row). A table without an owner path has no owner: the
`owner` principal is then just another plain account.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from backforge.spec.policy_model import Grant, Operation, Policy, TableKind, TablePolicy

__all__ = ["SUCCESS", "Cell", "Principal", "derive", "summary"]


class Principal(StrEnum):
    ANONYMOUS = "anonymous"  # no token
    OWNER = "owner"  # the account that owns the row (the default role)
    OTHER = "other"  # another account with the default role
    ADMIN = "admin"  # an account with the admin role


SUCCESS: Mapping[Operation, int] = MappingProxyType({
    Operation.LIST: 200, Operation.READ: 200, Operation.CREATE: 201, Operation.UPDATE: 200,
    Operation.DELETE: 204})
_COLLECTION = (Operation.LIST, Operation.CREATE)
_ITEM = (Operation.READ, Operation.UPDATE, Operation.DELETE)


@dataclass(frozen=True)
class Cell:
    table: str
    operation: Operation
    principal: Principal
    expected: int  # the HTTP status
    reason: str  # the rule and why it gives this status
    visible: bool | None = None  # list: must the owner's row be in the caller's list
    served: bool = True  # False: the operation has no route (405/404, undocumented)

    @property
    def allowed(self) -> bool:
        return self.expected == SUCCESS[self.operation]

    def to_dict(self) -> dict[str, Any]:
        return {"table": self.table, "operation": self.operation.value,
                "principal": self.principal.value, "expected": self.expected,
                "reason": self.reason, "visible": self.visible, "served": self.served}


def _served(tp: TablePolicy, op: Operation, can_update: bool) -> bool:
    return tp.rule(op).grant is not Grant.NONE and (op is not Operation.UPDATE or can_update)


def _unserved(tp: TablePolicy, op: Operation, can_update: bool) -> tuple[int, str]:
    siblings = _COLLECTION if op in _COLLECTION else _ITEM
    why = "no updatable columns" if tp.rule(op).grant is not Grant.NONE else "rule none"
    if any(_served(tp, o, can_update) for o in siblings if o is not op):
        return 405, f"{why}: not served, the path serves other methods"
    return 404, f"{why}: the path is not served at all"


def _cell(policy: Policy, tp: TablePolicy, op: Operation, who: Principal,
          can_update: bool) -> Cell:
    rule = tp.rule(op)

    def made(status: int, why: str, visible: bool | None = None) -> Cell:
        return Cell(tp.table, op, who, status, f"{op.value}: {rule}: {why}", visible)

    if not _served(tp, op, can_update):
        status, why = _unserved(tp, op, can_update)
        return Cell(tp.table, op, who, status, f"{op.value}: {rule}: {why}", served=False)
    if who is Principal.ANONYMOUS:
        if rule.grant is Grant.PUBLIC:
            return made(SUCCESS[op], "public", True if op is Operation.LIST else None)
        return made(401, "no token")
    assert policy.accounts is not None
    acc = policy.accounts
    role = acc.admin_role if who is Principal.ADMIN else acc.default_role
    owns = who is Principal.OWNER and tp.kind is not TableKind.UNOWNED
    if rule.grant is Grant.ROLES and role not in rule.roles:
        return made(403, f"role {role} is not in the rule")
    allowed = rule.allows(signed_in=True, owner=owns, role=role)
    if op is Operation.LIST:
        scoped = rule.grant is Grant.OWNER and role not in rule.roles
        return made(200, "sees only its own rows" if scoped else "sees every row", allowed)
    if op is Operation.CREATE:
        if tp.kind is TableKind.OWNED and role != acc.admin_role and not owns:
            return made(403, "a row attributed to another account's (owner field or link)")
        return made(201, "may create")
    read = tp.rule(Operation.READ)
    if op is not Operation.READ and read.grant is Grant.OWNER \
            and not read.allows(signed_in=True, owner=owns, role=role):
        return made(404, f"may not read the row (read: {read})")
    if allowed:
        return made(SUCCESS[op], "the owner" if owns and role not in rule.roles else "may")
    return made(404 if op is Operation.READ else 403,
                "not the owner" + ("" if op is Operation.READ else ", may read it"))


def _open_cell(table: str, op: Operation, can_update: bool) -> Cell:
    if op is Operation.UPDATE and not can_update:
        return Cell(table, op, Principal.ANONYMOUS, 405, "update: no updatable columns: not "
                    "served, the path serves other methods", served=False)
    return Cell(table, op, Principal.ANONYMOUS, SUCCESS[op], f"{op.value}: auth is off: "
                "anyone", True if op is Operation.LIST else None)


def derive(policy: Policy, can_update: Mapping[str, bool]) -> tuple[Cell, ...]:
    """Every cell, table by table in the policy's order (operations, then principals, in
    enum order). `can_update`: every table (in order), whether it has columns a client may change (a
    table without has no update route). With auth off there are no accounts: only the
    anonymous principal, who may do everything a route serves."""
    if not policy.enabled or policy.accounts is None:
        return tuple(_open_cell(name, op, can_update.get(name, True))
                     for name in can_update for op in Operation)
    return tuple(_cell(policy, tp, op, who, can_update.get(tp.table, True))
                 for tp in policy.tables for op in Operation for who in Principal)


def summary(cells: tuple[Cell, ...]) -> str:
    """`48 cells (4 principals x 4 tables x 5 operations): 19 allowed, 29 refused`."""
    tables = len({c.table for c in cells})
    principals = len({c.principal for c in cells})
    allowed = sum(c.allowed for c in cells)
    return (f"{len(cells)} cells ({principals} principals x {tables} tables x "
            f"{len(Operation)} operations): {allowed} allowed, {len(cells) - allowed} refused")
