"""Who the accounts are and who owns each row: the inferences behind the access policy.

Rules (deterministic, each choice reported as a note by `backforge.spec.policy`):

- **Login field candidates** of a table: a unique (`unique: true`, a one-field unique
  group, or the only primary key field) string/text field whose SQL name is one of
  LOGIN_NAMES; the earlier name in that list wins.
- **Users table** (when `access.users.table` is not given): among tables with a login
  field candidate, the one whose SQL name comes first in USER_TABLE_NAMES; after those,
  a name ending in one of USER_TABLE_SUFFIXES (in table order). Nothing else is guessed:
  a `newsletter_signups` table with a unique email is not an account table.
- **Owner path** of a table (when `access.tables.T.owner` is not given): the candidates
  are its required (or primary key) single-column foreign keys to the users table
  (one hop) or to another owned table (that table's path plus one hop); self-references
  do not count. The shortest path wins; on a tie, the field whose SQL name comes first
  in OWNER_FIELD_NAMES; then the field listed first. Optional foreign keys never make
  an owner (a row without one would belong to no one).
"""

from __future__ import annotations

from dataclasses import dataclass

from backforge.spec.model import Field, FieldType, Project, Table
from backforge.spec.naming import sql_identifier
from backforge.spec.policy_model import Hop

USER_TABLE_NAMES = ("users", "user", "accounts", "account", "members", "member", "people",
                    "persons", "person", "profiles", "profile", "customers", "customer",
                    "authors", "author", "employees", "employee", "staff")
USER_TABLE_SUFFIXES = ("_users", "_user", "_accounts", "_account")
LOGIN_NAMES = ("email", "username", "login", "user_name", "email_address", "login_name")
OWNER_FIELD_NAMES = ("owner_id", "owner", "user_id", "account_id", "created_by",
                     "created_by_id", "creator_id", "author_id", "member_id", "customer_id")
_TEXT = (FieldType.STRING, FieldType.TEXT)


def is_unique(table: Table, field: Field) -> bool:
    if field.unique or (field.primary_key and len(table.primary_key) == 1):
        return True
    return (field.name,) in table.unique


def login_candidates(table: Table) -> list[Field]:
    """Unique text fields with a login name, best first."""
    found = [f for f in table.fields if sql_identifier(f.name) in LOGIN_NAMES
             and f.type in _TEXT and is_unique(table, f)]
    return sorted(found, key=lambda f: LOGIN_NAMES.index(sql_identifier(f.name)))


def near_misses(project: Project) -> list[str]:
    """`table.field` with a login name that is not unique (or not text): for the error hint."""
    return [f"{t.name}.{f.name}" for t in project.tables for f in t.fields
            if sql_identifier(f.name) in LOGIN_NAMES and f not in login_candidates(t)]


def users_table_candidates(project: Project) -> list[Table]:
    """Tables that could hold the accounts, best first (may be empty)."""
    named, suffixed = [], []
    for table in project.tables:
        if not login_candidates(table):
            continue
        sql = sql_identifier(table.name)
        if sql in USER_TABLE_NAMES:
            named.append(table)
        elif sql.endswith(USER_TABLE_SUFFIXES):
            suffixed.append(table)
    named.sort(key=lambda t: USER_TABLE_NAMES.index(sql_identifier(t.name)))
    return named + suffixed


def required(field: Field) -> bool:
    return field.required or field.primary_key


@dataclass(frozen=True)
class OwnerChoice:
    """An inferred owner path and the candidates it was chosen from."""

    path: tuple[Hop, ...]
    candidates: tuple[tuple[Hop, ...], ...]
    reason: str  # why this one, when there were several

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


class OwnerPaths:
    """Owner paths of every table, inferred on demand (memoized), `explicit` first.

    `explicit` maps a table to the owner field the spec names (already checked to be a
    required foreign key), or to None for `owner: false`."""

    def __init__(self, project: Project, users: str, explicit: dict[str, str | None]) -> None:
        self.project = project
        self.users = users
        self.explicit = explicit
        self.choices: dict[str, OwnerChoice | None] = {}
        self._visiting: set[str] = set()

    def path(self, table: str) -> tuple[Hop, ...] | None:
        """None: not owned. () for the users table itself."""
        if table == self.users:
            return ()
        choice = self.choice(table)
        return choice.path if choice else None

    def choice(self, table: str) -> OwnerChoice | None:
        if table in self.choices:
            return self.choices[table]
        if table in self._visiting:
            return None  # a loop of foreign keys: not an owner path
        self._visiting.add(table)
        try:
            found = self._choose(table)
        finally:
            self._visiting.discard(table)
        self.choices[table] = found
        return found

    def _choose(self, name: str) -> OwnerChoice | None:
        table = self.project.table(name)
        if table is None:
            return None
        if name in self.explicit:
            field = self.explicit[name]
            if field is None:
                return None
            path = self._through(table, table.field(field))
            return OwnerChoice(path, (path,), "given") if path is not None else None
        ranked = []
        for fi, field in enumerate(table.fields):
            if not required(field) or field.ref_table in (None, name):
                continue
            path = self._through(table, field)
            if path is not None:
                word = sql_identifier(field.name)
                rank = OWNER_FIELD_NAMES.index(word) if word in OWNER_FIELD_NAMES else 99
                ranked.append(((len(path), rank, fi), path))
        if not ranked:
            return None
        ranked.sort(key=lambda item: item[0])
        return OwnerChoice(ranked[0][1], tuple(p for _, p in ranked), _why(ranked))

    def _through(self, table: Table, field: Field | None) -> tuple[Hop, ...] | None:
        if field is None or field.ref_table is None or field.ref_field is None:
            return None
        rest = self.path(field.ref_table)
        if rest is None:
            return None
        return (Hop(table.name, field.name, field.ref_table, field.ref_field), *rest)


def _why(ranked: list[tuple[tuple[int, int, int], tuple[Hop, ...]]]) -> str:
    if len(ranked) == 1:
        return "the only candidate"
    (hops, rank, _), (hops2, rank2, _) = ranked[0][0], ranked[1][0]
    if hops < hops2:
        return f"it is the shortest path ({hops} hop{'s' if hops > 1 else ''})"
    if rank < rank2:
        return f"'{ranked[0][1][0].field}' is an owner-like name and paths tie in length"
    return "paths tie in length and name: the field listed first"
