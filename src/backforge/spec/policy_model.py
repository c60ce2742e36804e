"""The effective access policy: what every stack enforces and every report shows.

Frozen dataclasses and enums, built by `backforge.spec.policy.resolve` from the spec's
access section and the secure defaults. Stack-neutral: a rule says who may do an
operation, never how a stack checks it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import Any

# What stays anonymous with auth on; none of these are tables.
ANONYMOUS_ROUTES = ("register", "login", "refresh", "health", "docs")
AUTH_OFF = "auth is off: every route is anonymous"


class Operation(StrEnum):
    LIST = "list"
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class Grant(StrEnum):
    PUBLIC = "public"  # anyone, no token
    AUTHENTICATED = "authenticated"  # any signed-in account
    OWNER = "owner"  # the row's owner, or one of `roles`
    ROLES = "roles"  # an account with one of `roles`
    NONE = "none"  # no one: the route is not served


class TableKind(StrEnum):
    USERS = "users"  # the accounts table: each row is owned by itself
    OWNED = "owned"  # a chain of required foreign keys leads to the users table
    UNOWNED = "unowned"  # no owner path (lookup tables such as categories or tags)


class FieldAccess(StrEnum):
    READ_ONLY = "read_only"  # no client writes it
    ADMIN_ONLY = "admin_only"  # only the admin role writes it
    SECRET = "secret"  # never serialised, never written through the API
    OWNER = "owner"  # set to the caller on create; only admin may set or change it
    OWNER_LINK = "owner_link"  # must reference a row the caller owns (admin: any row)


@dataclass(frozen=True)
class Rule:
    """Who may do one operation. The admin role is already in `roles` (but for NONE)."""

    grant: Grant
    roles: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.grant is Grant.OWNER:
            return "|".join(("owner", *self.roles))
        if self.grant is Grant.ROLES:
            return "|".join(self.roles)
        return self.grant.value

    def allows(self, *, signed_in: bool, owner: bool, role: str | None) -> bool:
        """Whether a caller may: anonymous (signed_in False), or an account with `role`
        that owns the row (`owner`) or not. The matrix of verify and tests is built on it."""
        if self.grant is Grant.PUBLIC:
            return True
        if self.grant is Grant.NONE or not signed_in:
            return False
        if self.grant is Grant.AUTHENTICATED:
            return True
        return role in self.roles or (self.grant is Grant.OWNER and owner)


@dataclass(frozen=True)
class Hop:
    """One step of an owner path: `table.field` references `target_table.target_field`."""

    table: str
    field: str
    target_table: str
    target_field: str

    def __str__(self) -> str:
        return f"{self.table}.{self.field} -> {self.target_table}.{self.target_field}"

    def to_dict(self) -> dict[str, str]:
        return {"table": self.table, "field": self.field, "target_table": self.target_table,
                "target_field": self.target_field}


def path_text(path: tuple[Hop, ...]) -> str:
    """`tasks.project_id -> projects.owner_id -> users.id`; "" for no path."""
    if not path:
        return ""
    steps = [f"{h.table}.{h.field}" for h in path]
    return " -> ".join([*steps, f"{path[-1].target_table}.{path[-1].target_field}"])


@dataclass(frozen=True)
class FieldRule:
    field: str
    access: FieldAccess
    reason: str  # why: "given", or the inference ("the role field")

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "access": self.access.value, "reason": self.reason}


@dataclass(frozen=True)
class TablePolicy:
    table: str
    kind: TableKind
    rules: Mapping[Operation, Rule]
    owner_path: tuple[Hop, ...] = ()  # empty for the users table and unowned tables
    fields: tuple[FieldRule, ...] = ()
    given: tuple[Operation, ...] = ()  # operations whose rule the spec states

    def rule(self, operation: Operation | str) -> Rule:
        return self.rules[Operation(operation)]

    def field_rule(self, name: str) -> FieldRule | None:
        return next((f for f in self.fields if f.field == name), None)

    def to_dict(self) -> dict[str, Any]:
        return {"table": self.table, "kind": self.kind.value,
                **{op.value: str(self.rules[op]) for op in Operation},
                "given": [op.value for op in self.given],
                "owner_path": [h.to_dict() for h in self.owner_path],
                "fields": [f.to_dict() for f in self.fields]}


@dataclass(frozen=True)
class AccountModel:
    """The users table and what the migration adds to it."""

    table: str
    login_field: str
    role_field: str
    role_field_added: bool  # the table had no role field: the migration adds an enum column
    roles: tuple[str, ...]
    admin_role: str
    default_role: str  # what register gives a new account
    password_field: str  # holds the hash; never serialised
    password_field_added: bool

    def to_dict(self) -> dict[str, Any]:
        return {"table": self.table, "login_field": self.login_field,
                "role_field": self.role_field, "role_field_added": self.role_field_added,
                "roles": list(self.roles), "admin_role": self.admin_role,
                "default_role": self.default_role, "password_field": self.password_field,
                "password_field_added": self.password_field_added}


class NoteKind(StrEnum):
    INFERRED = "inferred"  # a default or an inference, stated so it can be checked
    AMBIGUOUS = "ambiguous"  # more than one answer fitted: the choice and why
    WARNING = "warning"  # allowed, but worth a second look (e.g. public writes)


@dataclass(frozen=True)
class PolicyNote:
    kind: NoteKind
    text: str
    table: str | None = None

    def __str__(self) -> str:
        return f"{self.kind.value}: {self.text}"


@dataclass(frozen=True)
class Policy:
    """The effective policy: with auth off `enabled` is False and nothing is enforced."""

    enabled: bool
    accounts: AccountModel | None = None
    tables: tuple[TablePolicy, ...] = ()
    notes: tuple[PolicyNote, ...] = ()
    anonymous: tuple[str, ...] = field(default=())

    def table(self, name: str) -> TablePolicy:
        return self._by_name[name]

    @cached_property
    def _by_name(self) -> Mapping[str, TablePolicy]:
        # Rendering asks once per table, operation and unit: a scan of every table each
        # time made 500 tables cost 11 x what 150 did (2.7 s of that run).
        return MappingProxyType({t.table: t for t in self.tables})

    def to_dict(self) -> dict[str, Any]:
        return {"enabled": self.enabled, "anonymous": list(self.anonymous),
                "users": self.accounts.to_dict() if self.accounts else None,
                "tables": [t.to_dict() for t in self.tables],
                "notes": [{"kind": n.kind.value, "table": n.table, "text": n.text}
                          for n in self.notes]}


def rules(**by_op: Rule) -> Mapping[Operation, Rule]:
    """An immutable operation -> rule mapping in Operation order."""
    return MappingProxyType({op: by_op[op.value] for op in Operation})
