"""The typed context templates render from: one TableContext per table and a
ProjectContext for the whole spec, built once per Plan.

Templates only format what is computed here; they never derive names,
types or SQL on their own. Spec text reaches them as `SpecText` (project name
and description, table descriptions, endpoint summaries), which the template
environment refuses to print without a quoting filter; names derived by the
naming functions are safe identifiers and stay plain `str`.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from backforge.express.endpoints import CustomEndpoint, custom_endpoints, normalize_prefix
from backforge.plan.model import Plan
from backforge.render.quoting import SpecText, spec_text
from backforge.spec.model import Field, FieldType, Project, Table
from backforge.spec.names import Names, TableNames
from backforge.spec.naming import camel, js_identifier, kebab, singular, sql_identifier, words
from backforge.spec.policy import resolve as resolve_policy
from backforge.spec.policy_model import Policy
from backforge.sql.columns import Column, build_column, build_columns

QUERY_KEYS = ("limit", "offset", "sort", "order", "cursor", "count")
# File stems the shared files use in folders that also hold one file per table:
# a table called "index" or "custom" gets "<stem>-table" instead.
RESERVED_STEMS = frozenset({"index", "custom", "app"})


def table_stem(file: str) -> str:
    """The file stem of a table's files, kept clear of the shared files' names."""
    return f"{file}-table" if file in RESERVED_STEMS else file
_YOU_SOUND = re.compile(r"^(u[bcdfghjklmnpqrstvwxz][aeiou]|eu|one)")


@dataclass(frozen=True)
class Functions:
    """Exported function names of one table's files."""

    list: str
    get: str
    create: str
    update: str
    replace: str
    delete: str
    find: str  # model: list with total
    find_by_key: str
    insert: str
    update_by_key: str
    replace_by_key: str
    delete_by_key: str

    @staticmethod
    def of(tn: TableNames) -> Functions:
        s, p = tn.singular, tn.plural
        return Functions(f"list{p}", f"get{s}", f"create{s}", f"update{s}", f"replace{s}",
                         f"delete{s}", f"find{p}", f"find{s}ByKey", f"insert{s}",
                         f"update{s}ByKey", f"replace{s}ByKey", f"delete{s}ByKey")


@dataclass(frozen=True)
class EnvVar:
    name: str
    example: str
    secret: bool
    description: str


@dataclass(frozen=True)
class TableContext:
    table: Table
    index: int
    tn: TableNames
    stem: str  # file stem of the table's files
    var: str  # identifier prefix of the table's shared exports: tasksRouter, tasksSchemas
    columns: tuple[Column, ...]  # spec fields (plus a generated key) then timestamps
    created: Column | None
    updated: Column | None
    fn: Functions
    endpoints: tuple[CustomEndpoint, ...]
    auth: bool  # writes need a token

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def sql(self) -> str:
        return self.tn.sql

    @property
    def quoted(self) -> str:
        return '"' + self.tn.sql + '"'

    @property
    def url(self) -> str:
        return self.tn.url

    @cached_property
    def description(self) -> SpecText | None:
        return spec_text(self.table.description)

    @cached_property
    def label(self) -> str:
        return " ".join(words(singular(self.table.name))) or "item"

    @property
    def a_label(self) -> str:
        """'a task', 'an order item', 'a user'."""
        vowel_sound = self.label[:1] in "aeiou" and not _YOU_SOUND.match(self.label)
        return f"{'an' if vowel_sound else 'a'} {self.label}"

    @cached_property
    def label_plural(self) -> str:
        return " ".join(words(self.table.name)) or "items"

    @cached_property
    def pk(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.primary_key)

    @cached_property
    def writable(self) -> tuple[Column, ...]:
        """Columns a client may send on create."""
        return tuple(c for c in self.columns if not c.generated)

    @cached_property
    def updatable(self) -> tuple[Column, ...]:
        """Columns a client may change: keys identify the row and stay fixed."""
        return tuple(c for c in self.writable if not c.primary_key)

    @property
    def can_update(self) -> bool:
        return bool(self.updatable)

    @cached_property
    def filterable(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns
                     if not c.is_json and not c.opaque and c.prop not in QUERY_KEYS)

    @cached_property
    def json_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.is_json)

    @cached_property
    def unique_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.unique)

    @property
    def natural_key(self) -> bool:
        """True when the client supplies the primary key (a duplicate is a conflict)."""
        return not any(c.generated for c in self.pk)

    @property
    def collection_path(self) -> str:
        return f"/{self.url}"

    @cached_property
    def item_path(self) -> str:
        """Express form: /tasks/:id (one segment per key column)."""
        return self.collection_path + "".join(f"/:{c.prop}" for c in self.pk)

    @cached_property
    def item_path_openapi(self) -> str:
        return self.collection_path + "".join(f"/{{{c.prop}}}" for c in self.pk)

    @property
    def key_props(self) -> tuple[str, ...]:
        return tuple(c.prop for c in self.pk)

    def column(self, prop: str) -> Column:
        return next(c for c in self.columns if c.prop == prop)


@dataclass(frozen=True)
class ProjectContext:
    project: Project
    names: Names
    tables: tuple[TableContext, ...]
    endpoints: tuple[CustomEndpoint, ...]
    prefix: str  # "/api/v1", or "" for none
    app: str  # npm package name
    db_name: str
    auth: bool
    auth_table: str  # SQL name of the users table (accounts are its rows)
    migrations_table: str
    sessions_table: str  # refresh tokens (auth on): a name no spec table has
    env_vars: tuple[EnvVar, ...]
    # The stack applies the access policy (Stack.enforces_access); see access.enforced.
    enforces: bool = True

    @cached_property
    def policy(self) -> Policy:
        """The effective access policy every route enforces (disabled with auth off)."""
        return resolve_policy(self.project)

    @cached_property
    def title(self) -> SpecText:
        """The project's name as the user wrote it (spec text)."""
        return SpecText(self.project.name)

    @cached_property
    def description(self) -> SpecText | None:
        return spec_text(self.project.description)

    @cached_property
    def api_description(self) -> SpecText:
        """The description, or '<name> REST API' when the spec has none."""
        return self.description or self.title + " REST API"

    def table(self, name: str) -> TableContext:
        return self._by_name[name]

    @cached_property
    def _by_name(self) -> dict[str, TableContext]:
        return {t.name: t for t in self.tables}

    @cached_property
    def render_cache(self) -> dict[str, Any]:
        """Per-table template contexts the renderer computed (the context is immutable)."""
        return {}

    @cached_property
    def project_cache(self) -> dict[str, Any]:
        """Whole-project values a per-table render needs, computed once (a scan of every
        table per table unit makes rendering quadratic)."""
        return {}

    @cached_property
    def tableless(self) -> tuple[CustomEndpoint, ...]:
        return tuple(e for e in self.endpoints if e.table is None)

    @property
    def options(self) -> Any:
        return self.project.options


def _timestamp(project: Project, names: Names, table: Table, sql: str, prop: str) -> Column:
    synthetic = Field(name=sql, type=FieldType.DATETIME, required=True, default="now")
    col = build_column(project, names, table, synthetic)
    return replace(col, sql=sql, prop=prop, generated=True)


_CAMEL = re.compile(r"^[a-z][a-z0-9]*[A-Z]")


def _camel_style(project: Project) -> bool:
    """True when the spec spells fields in camelCase (authorId): timestamps follow suit."""
    return any(_CAMEL.match(f.name) for t in project.tables for f in t.fields)


def _timestamps(project: Project, names: Names, table: Table, columns: tuple[Column, ...],
                camel_props: bool) -> tuple[Column | None, Column | None]:
    if not table.timestamps:
        return None, None
    taken_sql = {c.sql for c in columns}
    taken_props = {c.prop for c in columns}
    out: list[Column | None] = []
    for sql in ("created_at", "updated_at"):
        prop = camel(sql) if camel_props else sql
        if sql in taken_sql or prop in taken_props:
            out.append(None)  # the spec already has such a column: keep the user's
        else:
            out.append(_timestamp(project, names, table, sql, prop))
    return out[0], out[1]


def build_table(project: Project, names: Names, table: Table, index: int,
                endpoints: tuple[CustomEndpoint, ...], camel_props: bool) -> TableContext:
    tn = names.table(table.name)
    columns = build_columns(project, names, table)
    created, updated = _timestamps(project, names, table, columns, camel_props)
    stem = table_stem(tn.file)
    extra = tuple(c for c in (created, updated) if c is not None)
    return TableContext(
        table=table, index=index, tn=tn, stem=stem,
        var=js_identifier(camel(stem), style="camel"),
        columns=(*columns, *extra), created=created, updated=updated, fn=Functions.of(tn),
        endpoints=tuple(e for e in endpoints if e.table == table.name),
        auth=project.options.auth)


def _free_name(wanted: str, taken: set[str]) -> str:
    name, n = wanted, 2
    while name in taken:
        name, n = f"{wanted}_{n}", n + 1
    return name


def _auth_table(project: Project, tables: tuple[TableContext, ...]) -> str:
    """The SQL name of the users table (accounts are its rows); "" with auth off."""
    accounts = resolve_policy(project).accounts if project.options.auth else None
    return next((t.sql for t in tables if accounts and t.name == accounts.table), "")


def env_vars(project: Project, db_name: str) -> tuple[EnvVar, ...]:
    out = [
        EnvVar("NODE_ENV", "development", False, "development or test relax the production "
               "rules; unset or any other value counts as production"),
        EnvVar("HOST", "127.0.0.1", False, "address the server binds (the image sets 0.0.0.0)"),
        EnvVar("PORT", "3000", False, "HTTP port the server listens on"),
        EnvVar("TRUST_PROXY", "false", False, "Express trust proxy: false, true, a hop count "
               "or addresses/CIDR ranges of your load balancers"),
        EnvVar("KEEP_ALIVE_TIMEOUT_MS", "65000", False, "idle keep-alive timeout; keep it above "
               "the load balancer's idle timeout (60 s on AWS)"),
        EnvVar("HEADERS_TIMEOUT_MS", "66000", False, "time to receive request headers; above "
               "KEEP_ALIVE_TIMEOUT_MS"),
        EnvVar("DATABASE_URL", f"postgres://postgres:postgres@localhost:5432/{db_name}", True,
               "PostgreSQL connection string (no sslmode: use DATABASE_SSL)"),
        EnvVar("DATABASE_SSL", "disable", False,
               "disable, require (encrypt, accept any certificate) or verify-full"),
        EnvVar("DATABASE_CA_FILE", "", False, "PEM bundle that verify-full checks the server "
               "certificate against (default: Node's trusted CAs)"),
        EnvVar("DATABASE_POOL_MAX", "10", False, "maximum open database connections"),
        EnvVar("DATABASE_STATEMENT_TIMEOUT_MS", "15000", False, "longest a statement may run "
               "(0: no limit)"),
        EnvVar("DATABASE_IDLE_TX_TIMEOUT_MS", "60000", False, "longest a transaction may sit "
               "idle (0: no limit)"),
        EnvVar("LOG_LEVEL", "info", False, "pino level: fatal, error, warn, info, debug, "
               "trace or silent"),
        EnvVar("CORS_ORIGINS", "", False, "origins allowed to call the API from a browser, "
               "comma separated; empty: none; * only in development or test"),
        EnvVar("DOCS_ENABLED", "true", False, "serve /docs and /openapi.json (default: on in "
               "development and test, off otherwise)"),
        EnvVar("JSON_BODY_LIMIT", "100kb", False, "largest accepted JSON request body"),
    ]
    if project.options.auth:
        out += [
            EnvVar("JWT_SECRET", "change-me-to-a-long-random-secret-of-32-chars-or-more", True,
                   "secret that signs access tokens: outside development and test at least "
                   "32 bytes, 10 different characters, not this example"),
            EnvVar("JWT_EXPIRES_IN", "15m", False, "access token lifetime, at most 1d: a "
                   "number and s, m, h or d (5m, 15m, 1h); a refresh token renews it"),
            EnvVar("REFRESH_TOKEN_TTL", "30d", False, "how long a refresh token stays usable "
                   "(each refresh issues a new one and retires the old)"),
            EnvVar("SCRYPT_COST", "15", False, "scrypt cost as log2(N) for password hashes "
                   "(15: 32 MiB and ~50-100 ms per hash; 10 to 20)"),
        ]
    out += [
        EnvVar("REDIS_URL", "", False, "redis:// or rediss:// URL of the rate limit store "
               "shared by every instance (set it when more than one runs); empty: each "
               "process counts on its own, in memory"),
        EnvVar("RATE_LIMIT_GLOBAL", "1000/1m", False, "requests per client address on every "
               "route but /health: count/window (window: a number and s, m, h); 0 turns it off"),
    ]
    if project.options.auth:
        out += [
            EnvVar("RATE_LIMIT_AUTH_IP", "100/15m", False, "login, register and refresh "
                   "attempts per client address, each route counted apart"),
            EnvVar("RATE_LIMIT_AUTH_ACCOUNT", "10/15m", False, "login, register, refresh and "
                   "password change attempts per account (login name, refresh session, user)"),
        ]
    return tuple(out)


def build_project(project: Project, names: Names, enforces: bool = True) -> ProjectContext:
    endpoints = custom_endpoints(project, names)
    camel_props = _camel_style(project)
    tables = tuple(build_table(project, names, t, i, endpoints, camel_props)
                   for i, t in enumerate(project.tables))
    taken = {t.sql for t in tables}
    migrations_table = _free_name("schema_migrations", taken)
    db_name = sql_identifier(project.database.name or project.name)
    return ProjectContext(
        project=project, names=names, tables=tables, endpoints=endpoints,
        prefix=normalize_prefix(project.options.api_prefix),
        app=kebab(project.name) or "app", db_name=db_name, auth=project.options.auth,
        auth_table=_auth_table(project, tables),
        migrations_table=migrations_table,
        sessions_table=_free_name("auth_sessions", taken | {migrations_table}),
        env_vars=env_vars(project, db_name), enforces=enforces)


# Names of the stacks whose routes apply the access policy; each ExpressStack subclass
# registers itself when it is defined (this layer imports no stack).
ENFORCING_STACKS: set[str] = set()


def _stack_enforces(stack: str) -> bool:
    return stack in ENFORCING_STACKS


_CACHE: dict[int, tuple[Plan, ProjectContext]] = {}
CACHE_LOCK = threading.Lock()  # an engine may render units from worker threads


def project_context(plan: Plan) -> ProjectContext:
    """The ProjectContext of a plan, built once (plans are immutable). The entry keeps
    its plan alive, so an id is never reused while cached."""
    with CACHE_LOCK:
        hit = _CACHE.get(id(plan))
        if hit is not None and hit[0] is plan:
            return hit[1]
        ctx = build_project(plan.project, plan.names, _stack_enforces(plan.stack))
        if len(_CACHE) >= 16:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[id(plan)] = (plan, ctx)
        return ctx
