"""The effective access policy of a project: the spec's access section plus secure defaults.

`resolve(project)` returns a `Policy` (backforge.spec.policy_model); every stack builds
its enforcement from it and the report shows it. It lives in spec, not in plan or a
stack, because loading must reject a bad access section (exit 2, naming the place) and
some checks need the inference (an `owner` rule on a table with no owner path).

With auth off there is no policy (`enabled` False, one notice). With auth on, what the
spec leaves out gets these defaults (the admin role may do all but `none`):

| table | list | read | create | update | delete |
| --- | --- | --- | --- | --- | --- |
| users table | admin | owner (self) | none (register is the door) | owner | owner |
| owned | owner (scoped) | owner | authenticated (owner := caller) | owner | owner |
| unowned (lookup) | authenticated | authenticated | admin | admin | admin |

Field defaults: the users table's role field is admin-only, its password hash (added by
the migration) and fields with secret names (pass_crypt, salt, *_token, ...) are never
serialised; an owned table's owner field is set to the caller on create and changed by
admin only; the first field of a chain (tasks.project_id) must reference a row the
caller owns. Unowned tables are read by any signed-in account and written by admin:
lookup data (categories, tags) is shared, and letting any account rewrite it is the
mistake a careful team avoids; a spec opens them with `access.tables.T`.
"""

from __future__ import annotations

import re

from backforge.spec.access import Access, TableAccess
from backforge.spec.checks import choose  # the same "did you mean" everywhere
from backforge.spec.model import FieldType, Project, Table
from backforge.spec.naming import sql_identifier
from backforge.spec.ownership import (
    OwnerPaths,
    is_unique,
    login_candidates,
    near_misses,
    required,
    users_table_candidates,
)
from backforge.spec.policy_model import (
    ANONYMOUS_ROUTES,
    AUTH_OFF,
    AccountModel,
    FieldAccess,
    FieldRule,
    Grant,
    NoteKind,
    Operation,
    Policy,
    PolicyNote,
    Rule,
    TableKind,
    TablePolicy,
    path_text,
    rules,
)
from backforge.spec.problems import Problem

KEYWORDS = frozenset(g.value for g in Grant if g is not Grant.ROLES)
DEFAULT_ROLES = ("user", "admin")
PASSWORD_FIELD = "password_hash"
_SECRET = re.compile(r"^(?:pass(?:word|wd)?(?:_?(?:hash|digest|crypt|salt))?|(?:password_)?salt"
                     r"|(?:\w+_)?(?:token|secret)|api_key|otp_secret)$")


def resolve(project: Project) -> Policy:
    """The effective policy of a project that loaded (so its access section is valid)."""
    return resolve_with_problems(project)[0]


def resolve_with_problems(project: Project) -> tuple[Policy, list[Problem]]:
    if not project.options.auth:
        problems = []
        if project.access is not None:
            problems.append(Problem("options.auth", "auth is false but the spec has an access "
                                    "section", "remove 'auth: false' (an access section turns "
                                    "auth on) or remove the access section"))
        return Policy(False, notes=(PolicyNote(NoteKind.INFERRED, AUTH_OFF),)), problems
    return _Resolver(project).run()


class _Resolver:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.given = project.access
        self.access = project.access or Access()
        self.problems: list[Problem] = []
        self.notes: list[PolicyNote] = []

    def problem(self, path: str, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(path, message, hint))

    def note(self, text: str, kind: NoteKind = NoteKind.INFERRED, table: str | None = None
             ) -> None:
        self.notes.append(PolicyNote(kind, text, table))

    def run(self) -> tuple[Policy, list[Problem]]:
        accounts = _AccountsResolver(self).run()
        known = [t.name for t in self.project.tables]
        for name in self.access.tables:
            if name not in known:
                self.problem(f"access.tables.{name}", f"table '{name}' does not exist",
                             choose("table", name, known))
        if accounts is None:
            return Policy(True, anonymous=ANONYMOUS_ROUTES), self.problems
        owners = OwnerPaths(self.project, accounts.table, self._explicit_owners(accounts))
        tables = tuple(self._table(t, accounts, owners) for t in self.project.tables)
        self._unowned_note(tables)
        policy = Policy(True, accounts, tables, tuple(self.notes), ANONYMOUS_ROUTES)
        return policy, self.problems

    def _explicit_owners(self, accounts: AccountModel) -> dict[str, str | None]:
        """Owner fields the spec names, checked; a bad one is dropped (and reported)."""
        explicit: dict[str, str | None] = {}
        for name, spec in self.access.tables.items():
            table = self.project.table(name)
            if table is None or spec.owner is None:
                continue
            where = f"access.tables.{name}.owner"
            if spec.owner is False:
                explicit[name] = None
            elif name == accounts.table:
                self.problem(where, f"'{name}' is the users table: each account owns its own "
                             "row", "remove 'owner'")
            elif self._owner_field_ok(where, table, spec.owner):
                explicit[name] = spec.owner
        return explicit

    def _owner_field_ok(self, where: str, table: Table, name: str) -> bool:
        field = table.field(name)
        if field is None:
            self.problem(where, f"table '{table.name}' has no field '{name}'",
                         choose("field", name, [f.name for f in table.fields]))
            return False
        if field.ref_table is None or self.project.table(field.ref_table) is None:
            self.problem(where, f"'{table.name}.{name}' is not a foreign key; the owner must "
                         "reference the users table or an owned table",
                         "name a field with 'references'")
            return False
        if not required(field):
            self.problem(where, f"'{table.name}.{name}' is optional: a row without it would "
                         "belong to no one", f"make '{name}' required: true")
            return False
        return True

    def _table(self, table: Table, accounts: AccountModel, owners: OwnerPaths) -> TablePolicy:
        spec = self.access.tables.get(table.name, TableAccess())
        where = f"access.tables.{table.name}"
        if table.name == accounts.table:
            kind, path = TableKind.USERS, ()
        else:
            path = owners.path(table.name)
            self._owner_notes(table, accounts, owners)
            target = owners.explicit.get(table.name)
            if target is not None and path is None:
                ref = table.field(target).ref_table
                self.problem(f"{where}.owner", f"'{table.name}.{target}' references '{ref}', "
                             f"which has no owner path to the users table '{accounts.table}'",
                             f"give '{ref}' an owner, or reference '{accounts.table}'")
            kind = TableKind.UNOWNED if path is None else TableKind.OWNED
            path = path or ()
        defaults = _DEFAULTS[kind]
        by_op, given = {}, []
        for op in Operation:
            raw = getattr(spec, op.value)
            rule = self._rule(f"{where}.{op.value}", raw, table.name, kind, accounts, op)
            if rule is not None:
                given.append(op)
            by_op[op.value] = rule or _with_admin(defaults[op], accounts.admin_role)
        fields = self._fields(table, spec, kind, path, accounts)
        return TablePolicy(table.name, kind, rules(**by_op), path, fields, tuple(given))

    def _owner_notes(self, table: Table, accounts: AccountModel, owners: OwnerPaths) -> None:
        choice = owners.choices.get(table.name)
        if table.name in owners.explicit or choice is None:
            optional = [f.name for f in table.fields if f.ref_table == accounts.table
                        and not required(f)]
            if choice is None and optional and table.name not in owners.explicit:
                self.note(f"{table.name}: no owner: {', '.join(optional)} references "
                          f"{accounts.table} but is optional", table=table.name)
            return
        chosen = path_text(choice.path)
        if not choice.ambiguous:
            self.note(f"{table.name}: owned through {chosen} (inferred)", table=table.name)
        else:
            others = "; ".join(path_text(p) for p in choice.candidates[1:])
            self.note(f"{table.name}: {len(choice.candidates)} candidate owner paths; chose "
                      f"{chosen} because {choice.reason} (other: {others}); set "
                      f"access.tables.{table.name}.owner to choose", NoteKind.AMBIGUOUS,
                      table.name)
        skipped = [f.name for f in table.fields if f.ref_table == accounts.table
                   and not required(f)]
        if skipped and len(choice.path) > 1:
            self.note(f"{table.name}: {', '.join(skipped)} references {accounts.table} but is "
                      "optional: not an owner", table=table.name)

    def _rule(self, where: str, raw: str | tuple[str, ...] | None, table: str, kind: TableKind,
              accounts: AccountModel, op: Operation) -> Rule | None:
        if raw is None:
            return None
        words = (raw,) if isinstance(raw, str) else tuple(raw)
        if not words:
            self.problem(where, "an empty list allows no one", "write 'none'")
            return None
        alone = [w for w in words if w in KEYWORDS - {"owner"}]
        if alone and len(words) > 1:
            self.problem(where, f"'{alone[0]}' stands alone; it cannot be combined in a list",
                         f"write '{alone[0]}' or a list of roles (with 'owner')")
            return None
        bad = [w for w in words if w not in KEYWORDS and w not in accounts.roles]
        if bad:
            self.problem(where, f"role '{bad[0]}' is not defined",
                         choose("role", bad[0], list(accounts.roles)))
            return None
        if "owner" in words and kind is TableKind.UNOWNED:
            self.problem(where, f"table '{table}' has no owner, so 'owner' matches no one",
                         f"set access.tables.{table}.owner to a required foreign key to "
                         f"'{accounts.table}' (or to an owned table)")
            return None
        rule = _parse(words, accounts.admin_role)
        self._rule_warnings(where, rule, table, kind, op)
        return rule

    def _rule_warnings(self, where: str, rule: Rule, table: str, kind: TableKind,
                       op: Operation) -> None:
        if op is Operation.CREATE and kind is TableKind.USERS and rule.grant is not Grant.ROLES \
                and rule.grant is not Grant.NONE:
            self.problem(where, f"accounts ('{table}' rows) are created by register, which sets "
                         "the password", "write 'none' or a list of roles (e.g. [admin])")
        elif op is Operation.CREATE and kind is TableKind.OWNED and rule.grant is Grant.PUBLIC:
            self.problem(where, f"'{table}' is owned: an anonymous row would have no owner",
                         "write 'authenticated' (the caller becomes the owner)")
        elif rule.grant is Grant.PUBLIC and op in (Operation.UPDATE, Operation.DELETE,
                                                   Operation.CREATE):
            self.note(f"{table}: anyone, without signing in, may {op.value} rows ({where})",
                      NoteKind.WARNING, table)

    def _fields(self, table: Table, spec: TableAccess, kind: TableKind, path: tuple,
                accounts: AccountModel) -> tuple[FieldRule, ...]:
        found: dict[str, FieldRule] = {}
        if kind is TableKind.USERS:
            added = " (added by the migration)"
            found[accounts.role_field] = FieldRule(
                accounts.role_field, FieldAccess.ADMIN_ONLY,
                "the role field" + (added if accounts.role_field_added else ""))
            found[accounts.password_field] = FieldRule(
                accounts.password_field, FieldAccess.SECRET,
                "the password hash" + (added if accounts.password_field_added else ""))
            for field in table.fields:
                if field.name not in found and _SECRET.match(sql_identifier(field.name)):
                    found[field.name] = FieldRule(field.name, FieldAccess.SECRET,
                                                  "a secret name: never serialised")
        elif path:
            access = FieldAccess.OWNER if len(path) == 1 else FieldAccess.OWNER_LINK
            why = "the owner field" if len(path) == 1 else f"links to the owner via {path[1]}"
            found[path[0].field] = FieldRule(path[0].field, access, why)
        for name, write in spec.fields.items():
            where = f"access.tables.{table.name}.fields.{name}"
            current = found.get(name)
            if table.field(name) is None:
                self.problem(where, f"table '{table.name}' has no field '{name}'",
                             choose("field", name, [f.name for f in table.fields]))
            elif current and current.access in (FieldAccess.OWNER, FieldAccess.OWNER_LINK):
                self.problem(where, f"'{name}' is the owner link: it is set to the caller on "
                             "create and only admin may change it", "remove this rule")
            else:
                found[name] = FieldRule(name, FieldAccess(write), "given")
        order = {f.name: i for i, f in enumerate(table.fields)}
        return tuple(sorted(found.values(), key=lambda r: order.get(r.field, len(order))))

    def _unowned_note(self, tables: tuple[TablePolicy, ...]) -> None:
        names = [t.table for t in tables if t.kind is TableKind.UNOWNED
                 and t.table not in self.access.tables]
        if names:
            self.note(f"no owner path: {', '.join(names)}: read by any signed-in account, "
                      "written by admin only (set access.tables.<table> to open them)")


_AUTH, _NONE = Rule(Grant.AUTHENTICATED), Rule(Grant.NONE)
_OWNER, _ADMIN = Rule(Grant.OWNER), Rule(Grant.ROLES)
_DEFAULTS = {
    TableKind.USERS: {Operation.LIST: _ADMIN, Operation.READ: _OWNER, Operation.CREATE: _NONE,
                      Operation.UPDATE: _OWNER, Operation.DELETE: _OWNER},
    TableKind.OWNED: {Operation.LIST: _OWNER, Operation.READ: _OWNER, Operation.CREATE: _AUTH,
                      Operation.UPDATE: _OWNER, Operation.DELETE: _OWNER},
    TableKind.UNOWNED: {Operation.LIST: _AUTH, Operation.READ: _AUTH, Operation.CREATE: _ADMIN,
                        Operation.UPDATE: _ADMIN, Operation.DELETE: _ADMIN},
}


def _with_admin(rule: Rule, admin: str) -> Rule:
    if rule.grant in (Grant.OWNER, Grant.ROLES) and admin not in rule.roles:
        return Rule(rule.grant, (*rule.roles, admin))
    return rule


def _parse(words: tuple[str, ...], admin: str) -> Rule:
    if len(words) == 1 and words[0] in KEYWORDS:
        return _with_admin(Rule(Grant(words[0])), admin)
    roles = tuple(dict.fromkeys(w for w in words if w != "owner"))
    grant = Grant.OWNER if "owner" in words else Grant.ROLES
    return _with_admin(Rule(grant, roles), admin)


class _AccountsResolver:
    """The users table, login, role field, roles, admin and default role."""

    def __init__(self, parent: _Resolver) -> None:
        self.p = parent
        self.spec = parent.access.users
        self.project = parent.project

    def run(self) -> AccountModel | None:
        table = self._table()
        if table is None:
            return None
        login = self._login(table)
        role = self._role(table)
        if login is None or role is None:
            return None
        role_field, added, roles = role
        admin = self._admin(roles)
        if admin is None:
            return None
        default = self._default_role(table, role_field, roles, admin)
        if default is None:
            return None
        password = table.field(PASSWORD_FIELD)
        pw_name = password.name if password else PASSWORD_FIELD
        self.p.note(f"{table.name}.{pw_name}: holds the password hash"
                    f"{' (added by the migration)' if password is None else ''}; never "
                    "serialised", table=table.name)
        return AccountModel(table.name, login, role_field, added, roles, admin, default,
                            pw_name, password is None)

    def _table(self) -> Table | None:
        known = [t.name for t in self.project.tables]
        if self.spec.table is not None:
            table = self.project.table(self.spec.table)
            if table is None:
                self.p.problem("access.users.table", f"table '{self.spec.table}' does not "
                               "exist", choose("table", self.spec.table, known))
            return table
        found = users_table_candidates(self.project)
        if not found:
            misses = near_misses(self.project)
            also = f"; not unique: {', '.join(misses[:6])}" if misses else ""
            where = "access.users.table" if self.p.given else "options.auth"
            self.p.problem(where, "auth is on but no table holds the accounts (no table named "
                           "users, accounts, members, ... with a unique email, username or "
                           f"login field{also})", "set access.users.table to the table people "
                           "sign in as, and give it a unique login field")
            return None
        rest = f" (other candidates: {', '.join(t.name for t in found[1:])})" \
            if len(found) > 1 else ""
        kind = NoteKind.AMBIGUOUS if rest else NoteKind.INFERRED
        self.p.note(f"users table: {found[0].name} (a user-like name with a unique login "
                    f"field){rest}", kind, found[0].name)
        return found[0]

    def _login(self, table: Table) -> str | None:
        where = "access.users.login"
        if self.spec.login is not None:
            field = table.field(self.spec.login)
            if field is None:
                self.p.problem(where, f"table '{table.name}' has no field '{self.spec.login}'",
                               choose("field", self.spec.login, [f.name for f in table.fields]))
                return None
            if not is_unique(table, field):
                self.p.problem(where, f"'{table.name}.{field.name}' is not unique, so a login "
                               "could match two accounts", f"mark '{field.name}' unique: true")
                return None
            return field.name
        found = login_candidates(table)
        if not found:
            self.p.problem(where if self.p.given else "options.auth",
                           f"the users table '{table.name}' has no login field (a unique "
                           "email, username or login field)", "add one, or set "
                           "access.users.login to a unique field")
            return None
        self.p.note(f"login field: {table.name}.{found[0].name}", table=table.name)
        return found[0].name

    def _role(self, table: Table) -> tuple[str, bool, tuple[str, ...]] | None:
        where = "access.users"
        name = self.spec.role_field
        field = table.field(name) if name is not None else next(
            (f for f in table.fields if sql_identifier(f.name) == "role"), None)
        if name is not None and field is None:
            self.p.problem(f"{where}.role_field", f"table '{table.name}' has no field '{name}'",
                           choose("field", name, [f.name for f in table.fields]))
            return None
        listed = self.spec.roles
        if listed is not None and (not listed or len(set(listed)) != len(listed)):
            self.p.problem(f"{where}.roles", "roles must be a non-empty list without repeats")
            return None
        clash = [r for r in listed or () if r in KEYWORDS]
        if clash:
            self.p.problem(f"{where}.roles", f"'{clash[0]}' is a rule word, not a role name",
                           "rename the role")
            return None
        if field is None:
            roles = tuple(listed or DEFAULT_ROLES)
            self.p.note(f"{table.name} has no role field: the migration adds 'role' with "
                        f"values {', '.join(roles)}", table=table.name)
            return "role", True, roles
        if field.type is FieldType.ENUM:
            values = tuple(field.values or ())
            missing = [r for r in listed or () if r not in values]
            if missing:
                self.p.problem(f"{where}.roles", f"role '{missing[0]}' is not a value of "
                               f"{table.name}.{field.name} ({', '.join(values)})",
                               choose("role", missing[0], list(values)))
                return None
            return field.name, False, tuple(listed or values)
        if field.type in (FieldType.STRING, FieldType.TEXT) and listed:
            return field.name, False, tuple(listed)
        self.p.problem(f"{where}.roles", f"the role field {table.name}.{field.name} is not an "
                       "enum, so the roles are unknown", "list them in access.users.roles "
                       "(or make the field an enum)")
        return None

    def _admin(self, roles: tuple[str, ...]) -> str | None:
        admin = self.spec.admin
        if admin is None and "admin" in roles:
            return "admin"
        if admin is None or admin not in roles:
            self.p.problem("access.users.admin", f"the admin role "
                           f"{'is not given' if admin is None else repr(admin) + ' is not a role'}"
                           f" (roles: {', '.join(roles)})",
                           choose("role", admin or "admin", list(roles)))
            return None
        return admin

    def _default_role(self, table: Table, role_field: str, roles: tuple[str, ...],
                      admin: str) -> str | None:
        where, given = "access.users.default_role", self.spec.default_role
        if given is not None:
            if given not in roles:
                self.p.problem(where, f"'{given}' is not a role", choose("role", given,
                                                                        list(roles)))
            elif given == admin:
                self.p.problem(where, "new accounts would get the admin role",
                               "name a role that is not the admin role")
            return given if given in roles and given != admin else None
        first = next((r for r in roles if r != admin), None)
        if first is None:
            self.p.problem(where if self.p.given else "options.auth",
                           f"every role is the admin role ({admin}), so every new account "
                           "would be an admin", "add a role for new accounts")
            return None
        field = table.field(role_field)
        default = field.default if field is not None else None
        if default == admin:
            self.p.note(f"{table.name}.{role_field} defaults to the admin role: register gives "
                        f"new accounts '{first}' instead", NoteKind.WARNING, table.name)
        elif default in roles:
            return str(default)
        return first
