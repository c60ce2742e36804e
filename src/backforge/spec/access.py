"""The spec's `access` section: who may do what, written by hand.

Everything is optional. What the section leaves out is inferred with secure defaults
(see `backforge.spec.policy`, which turns this section into the effective policy and
reports every inference). A full example:

    options:
      auth: true              # may be left out: an access section turns auth on
    access:
      users:
        table: users          # its rows are the accounts that sign in
        login: email
        role_field: role
        admin: admin
      tables:
        projects:
          owner: owner_id     # a required foreign key to users
          list: owner         # each caller lists only their own rows; admin lists all
          delete: [admin]
          fields:
            archived: admin_only
        tasks:
          owner: project_id   # a chain: tasks -> projects -> users
        categories:
          list: public
          read: public

A rule is one word, a role name, or a list:

- `public`: anyone, without a token.
- `authenticated`: any signed-in account.
- `owner`: the account that owns the row (for the users table: the account itself).
- a role name or a list of role names (`[editor]`), optionally with `owner` in the list
  (`[owner, editor]`): the owner or an account with one of those roles.
- `none`: no one, not even admin: the route is not served.

The admin role may do everything a rule allows to anyone (it is added to every rule
but `none`), so `delete: owner` means "the owner or an admin".
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PField

# One word or role name, or a list of them; checked (with places) by backforge.spec.policy.
RuleSpec = str | tuple[str, ...]
FieldWrite = Literal["read_only", "admin_only", "secret"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def __hash__(self) -> int:
        # Mappings keyed by table and field name read best by hand but are not hashable;
        # a Project must be (plans and caches key on it), so hash the canonical JSON.
        return hash(self.model_dump_json())


class Accounts(_Model):
    """The users table: its rows are the accounts that sign in.

    The migration adds a password hash column to it (never returned by the API), and a
    role column when the table has none."""

    table: str | None = PField(
        default=None, description="The table whose rows are the accounts. Default: a table "
        "named users, user, accounts, account, members, member, people, persons, person, "
        "profiles, profile, customers, customer, authors, author, employees, employee or "
        "staff (in that order of preference; or ending in _users/_accounts) that has a "
        "unique email, username or login field.")
    login: str | None = PField(
        default=None, description="The field people sign in with; it must be unique. "
        "Default: the table's unique field named email, username, login, user_name, "
        "email_address or login_name (in that order).")
    role_field: str | None = PField(
        default=None, description="The field holding an account's role. Default: an enum "
        "field named role; when the table has none, the migration adds a `role` column "
        "with the roles as its values.")
    roles: tuple[str, ...] | None = PField(
        default=None, description="Every role. Default: the role field's enum values, or "
        "[user, admin] when there is no role field. With an enum role field each listed "
        "role must be one of its values.")
    admin: str | None = PField(
        default=None, description="The role that may do everything (except what a rule "
        "says `none`). Default: `admin` when it is a role; otherwise it must be given.")
    default_role: str | None = PField(
        default=None, description="The role a newly registered account gets (register never "
        "takes a role from the client). Default: the role field's default, else the first "
        "role that is not the admin role.")


class TableAccess(_Model):
    """Who may do what on one table; every key is optional (inferred when left out)."""

    owner: str | Literal[False] | None = PField(
        default=None, description="The field that says who owns a row: a required foreign "
        "key to the users table, or to another owned table (a chain, e.g. tasks.project_id "
        "-> projects.owner_id -> users). `false`: the table has no owner. Default: inferred "
        "(the shortest chain of required foreign keys to the users table).")
    list: RuleSpec | None = PField(
        default=None, description="Who may list rows. With `owner`, a caller lists only "
        "their own rows (admin lists all).")
    read: RuleSpec | None = PField(default=None, description="Who may read one row; others "
                                   "get 404.")
    create: RuleSpec | None = PField(
        default=None, description="Who may create rows. On an owned table the owner is set "
        "to the caller (admin may set it).")
    update: RuleSpec | None = PField(default=None, description="Who may change a row.")
    delete: RuleSpec | None = PField(default=None, description="Who may delete a row.")
    fields: dict[str, FieldWrite] = PField(
        default_factory=dict, description="Per field: `read_only` (no client may write it), "
        "`admin_only` (only the admin role may write it) or `secret` (never returned by the "
        "API and not writable through it).")


class Access(_Model):
    """The access model: the users table, roles, and per-table rules (all optional)."""

    users: Accounts = PField(default_factory=Accounts, description="The accounts: which "
                             "table, login field, role field, roles and admin role.")
    tables: dict[str, TableAccess] = PField(
        default_factory=dict, description="Rules per table, by table name; a table left out "
        "gets the secure defaults.")
