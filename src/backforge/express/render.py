"""Render one unit of an Express stack (express-js, express-ts) from its Jinja2 templates.

A stack hands a `Flavor` (its template folder, package scripts and dependency sets,
lockfiles, the package.json fields of its language) to `Renderer`; everything the
templates read (contexts, OpenAPI names, README rows, auth bodies) is computed here
once for every Express stack. One cached Environment per stack (StrictUndefined, trim/lstrip blocks, trailing
newline kept) with the naming filters and the quoting filters of
`backforge.render.quoting`; its `finalize` hook refuses a `SpecText` that reaches
the output unquoted. Template folders mirror the output tree:

- `templates/<module>/**.j2`: a whole-module unit (path = relative path minus .j2)
- `templates/<module>/table/**.j2`: a table unit; `TABLE` in a path is the table's file stem
- `templates/<module>/shared/**.j2`: the shared unit of a per-table module
- `templates/routes/custom/**.j2`: files for endpoints that belong to no table
- `templates/docker/**.j2`, `templates/terraform/**.j2`: rendered with DEPLOY context
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2

from backforge.engine.protocols import GeneratedFile, Generation
from backforge.express import access, matrixdata, model_sql
from backforge.express.context import (
    CACHE_LOCK,
    ProjectContext,
    TableContext,
    project_context,
)
from backforge.express.endpoints import LOCAL_NAMES
from backforge.express.jsliteral import js_key, js_value
from backforge.express.templates import extra_output_path, extra_templates, template_roots
from backforge.express.testgen import endpoint_call, js_body, js_key_path, suite_plan
from backforge.plan.model import Plan, Unit
from backforge.render.quoting import FILTERS, finalize, js_string
from backforge.rest import auth as rest_auth
from backforge.rest import schemas
from backforge.rest.schemas import DEFAULT_LIMIT, MAX_LIMIT
from backforge.spec import naming
from backforge.sql import ddl, values

Files = list[tuple[str, str]]
NODE_MAJOR = 22  # the Node LTS of the Dockerfile and the CI workflow (engines: >=22)
_LINE = 100


Deps = tuple[dict[str, str], dict[str, str]]
NODE_ENGINES = {"node": ">=22"}
_HEAD = ("type", "main")  # package.json fields a flavor gives that precede engines


@dataclass(frozen=True)
class Flavor:
    """What one Express stack's output differs in; the rest is shared."""

    templates: Path
    scripts: Mapping[str, str]  # every script package.json may have (the policy's list)
    module_dependencies: Callable[[str], Deps]
    project_dependencies: Callable[[Iterable[str]], Deps]
    lockfile: Callable[[Mapping[str, Any]], str | None]
    # package.json fields of the language: type, main, the test runner's settings
    manifest: Callable[[ProjectContext], dict[str, Any]]
    template_globals: Mapping[str, Any] = field(default_factory=dict)


def make_environment(templates: Path, template_globals: Mapping[str, Any]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(root) for root in template_roots(templates)]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        finalize=finalize,  # refuses SpecText that no quoting filter has turned into str
    )
    for name in ("snake", "kebab", "camel", "pascal", "singular", "sql_identifier",
                 "js_identifier", "url_segment"):
        env.filters[name] = getattr(naming, name)
    env.filters.update(FILTERS)
    env.filters.update(js=js_value, jsstr=js_string, jskey=js_key, js_body=js_body,
                       json=lambda v: json.dumps(v, indent=2, ensure_ascii=False))
    env.globals.update(require=require, json_value=values.JSON_VALUE,
                       json_value_ref=values.JSON_VALUE_REF, **template_globals)
    return env


def require(names: Iterable[str], spec: str) -> str:
    """`const { a, b } = require('spec');`, wrapped when long."""
    return _names_statement("const {", names, f"}} = require({js_string(spec)});")


def es_import(names: Iterable[str], spec: str) -> str:
    """`import { a, b } from 'spec';`, wrapped when long."""
    return _names_statement("import {", names, f"}} from {js_string(spec)};")


def _names_statement(opening: str, names: Iterable[str], closing: str) -> str:
    listed = list(dict.fromkeys(names))
    line = f"{opening} {', '.join(listed)} {closing}"
    if len(line) <= _LINE:
        return line
    body = "".join(f"  {n},\n" for n in listed)
    return f"{opening}\n{body}{closing}"


def _common(ctx: ProjectContext, plan: Plan) -> dict[str, Any]:
    return {"ctx": ctx, "options": ctx.project.options,
            "modules": [m.name for m in plan.modules]}


# --- whole-module units ----------------------------------------------------------------


def auth_example(ctx: ProjectContext) -> dict[str, Any] | None:
    """The README's register and login bodies (JSON text), from the users table's samples."""
    acc = access.auth_context(ctx)
    if acc is None:
        return None
    password = "a long passphrase"
    register = access.register_body(ctx, 0, password) or {}
    login = {acc["login"].prop: register.get(acc["login"].prop), "password": password}
    return {"register": json.dumps(register, ensure_ascii=False),
            "login": json.dumps(login, ensure_ascii=False), "login_prop": acc["login"].prop,
            "default_role": acc["default_role"], "admin": acc["admin"],
            "policy": access.policy_rows(ctx)}


def render_migrations(ctx: ProjectContext) -> Files:
    """The initial migration (up, down) and the sample seed: built from the spec in Python."""
    return [("migrations/0001_initial.up.sql", ddl.migration_up(ctx)),
            ("migrations/0001_initial.down.sql", ddl.migration_down(ctx)),
            ("seeds/0001_sample.sql", ddl.seed_sql(ctx))]


def deploy_context(ctx: ProjectContext) -> dict[str, Any]:
    """What the docker and terraform templates may use (documented in the brief)."""
    return {"app": ctx.app, "project_name": ctx.title,
            "db_name": ctx.db_name, "port": 3000, "node_major": NODE_MAJOR,
            "options": ctx.project.options,
            "env_vars": [(v.name, v.example, v.secret) for v in ctx.env_vars]}


def auth_render(ctx: ProjectContext) -> dict[str, Any]:
    """The auth module's context: the users table as the accounts, and the insert
    definition register uses (the row's writable columns plus the hash and the role)."""
    acc = access.auth_context(ctx)
    if acc is None:
        raise KeyError("auth")  # the module exists only with auth on and a users table
    users = acc["users"]
    definition = model_sql.table_definition(users)
    writable = {**definition["writable"], PASSWORD_PROP: acc["password_sql"],
                ROLE_PROP: acc["role_sql"]}
    return {"acc": acc, "accounts_def": {**definition, "writable": writable},
            "shared_schemas": rest_auth.body_schemas(),
            "field_names": model_sql.field_names(users), "password_prop": PASSWORD_PROP,
            "role_prop": ROLE_PROP}


def auth_scope(ctx: ProjectContext) -> Any:
    """Everything of the spec auth's files follow from (STACK.unit_scope)."""
    acc = access.accounts(ctx)
    if acc is None:
        return None
    users = ctx.table(acc.table)
    return {"model": acc.to_dict(), "table": users.table.model_dump(mode="json"),
            "columns": [(c.sql, c.prop) for c in users.columns]}


# Insert-only properties of the accounts: no client body can hold them (ajv refuses
# unknown properties), so a register body cannot set the hash or the role.
PASSWORD_PROP, ROLE_PROP = "$password", "$role"


# --- table units -----------------------------------------------------------------------


def table_context(ctx: ProjectContext, t: TableContext) -> dict[str, Any]:
    """The template context of a table's units (computed once per table)."""
    cache = ctx.render_cache
    with CACHE_LOCK:
        if t.name not in cache:
            cache[t.name] = _table_context(ctx, t)
        return dict(cache[t.name])


def _table_context(ctx: ProjectContext, t: TableContext) -> dict[str, Any]:
    table_schemas = schemas.table_schemas(ctx, t)
    filled = access.filled_on_create(ctx, t)
    create = table_schemas["create"]
    if filled is not None and filled in create.get("required", ()):
        required = [p for p in create["required"] if p != filled]
        table_schemas["create"] = {k: (required if k == "required" else v)
                                   for k, v in create.items() if k != "required" or required}
    return {
        "ctx": ctx, "t": t, "fn": t.fn, "options": ctx.project.options,
        "schemas": table_schemas,
        "max_limit": MAX_LIMIT, "default_limit": DEFAULT_LIMIT,
        "schema_var": f"{t.var}Schemas",
        "router_var": f"{t.var}Router",
        "row_var": row_var(t),
        "table_def": model_sql.table_definition(t),
        "field_names": model_sql.field_names(t),
        "select_by_key": model_sql.select_by_key(t),
        "delete_by_key": model_sql.delete_by_key(t),
        "policy": access.table_access(ctx, t),
        "served": {op: access.served(ctx, t, op) for op in OPERATIONS},
        "token": {op: access.needs_token(ctx, t, op) for op in OPERATIONS},
    }


OPERATIONS = ("list", "read", "create", "update", "delete")


# Locals of the service and handler files a row variable must not shadow.
_LOCALS = frozenset({"key", "changes", "data", "deleted", "rows", "total", "filters", "sort",
                     "order", "limit", "offset", "pageLimit", "request", "req", "res",
                     "params", "query", "body", "caller", "owner", "readOwner", "current",
                     "writable", "notFound"})


def row_var(t: TableContext) -> str:
    """The variable holding one row in service and handler code: `task`."""
    name = naming.js_identifier(naming.camel(t.tn.singular), style="camel")
    functions = set(vars(t.fn).values()) | {e.name for e in t.endpoints}
    if name in _LOCALS or name in LOCAL_NAMES or name in functions:
        name = f"{name}Row"
    return name


def clear_statements(ctx: ProjectContext) -> list[str]:
    """DELETE statements that empty every table, children first."""
    tables = [t.quoted for t in reversed(ddl.fk_order(ctx).tables)]
    return [f"DELETE FROM {table}" for table in tables]


def router_order(ctx: ProjectContext) -> list[TableContext]:
    """Table routers in mounting order: a router serving a custom endpoint under another
    table's URL goes first, so `/tasks/:id` cannot swallow `/tasks/summary`."""
    urls = {t.url for t in ctx.tables}

    def crosses(t: TableContext) -> bool:
        return any(e.first_segment in urls and e.first_segment != t.url for e in t.endpoints)

    return sorted(ctx.tables, key=lambda t: (not crosses(t), t.index))


_RESERVED_COMPONENTS = frozenset({"Error", "PageMeta", "Credentials", "Login", "Token",
                                  "Forbidden", values.JSON_VALUE_REF.rsplit("/", 1)[-1],
                                  *rest_auth.body_schemas()})


def openapi_context(ctx: ProjectContext) -> dict[str, Any]:
    """Names the OpenAPI document needs unique: component schemas and operation ids."""
    components = {}
    for t in ctx.tables:
        name = t.tn.singular
        components[t.name] = f"{name}Record" if name in _RESERVED_COMPONENTS else name
    taken: set[str] = {r.operation_id for r in rest_auth.ROUTES}
    crud_ids = {}
    for t in ctx.tables:
        fn = t.fn
        crud_ids[t.name] = {"list": fn.list, "get": fn.get, "create": fn.create,
                            "update": fn.update, "replace": fn.replace, "delete": fn.delete}
        taken |= set(crud_ids[t.name].values())
    operation_ids, schema_vars = {}, {}
    for ep in ctx.endpoints:
        op, n = ep.name, 2
        while op in taken:
            op, n = f"{ep.name}{n}", n + 1
        taken.add(op)
        operation_ids[(ep.table, ep.name)] = op
        schema_vars[(ep.table, ep.name)] = "customSchemas" if ep.table is None \
            else f"{ctx.table(ep.table).var}Schemas"
    tags = [{"name": "auth", "description": "Accounts and access tokens"}] if ctx.auth else []
    for t in ctx.tables:
        tags.append({"name": t.name, "description": t.description
                     or f"{t.label_plural.capitalize()}"})
    if ctx.tableless:
        tags.append({"name": "custom", "description": "Endpoints that belong to no table"})
    info = {"title": ctx.title, "version": "0.1.0", "description": ctx.api_description}
    links = {t.name: schemas.create_links(t, crud_ids[t.name]) for t in ctx.tables}
    return {"components": components, "crud_ids": crud_ids, "operation_ids": operation_ids,
            "schema_vars": schema_vars, "tags": tags, "info": info, "links": links}


def readme_endpoints(ctx: ProjectContext) -> list[tuple[str, str, str, bool]]:
    """(method, path, what it does, needs a token) for the README's endpoint table;
    what it does is spec text for custom endpoints."""
    rows: list[tuple[str, str, str, bool]] = []
    prefix = ctx.prefix
    if ctx.auth:
        rows += rest_auth.readme_rows(prefix)
    for t in ctx.tables:
        coll, item = prefix + t.collection_path, prefix + t.item_path_openapi
        rows += [("GET", coll, f"list {t.label_plural} (filter, sort, paginate)", False),
                 ("POST", coll, f"create {t.a_label}", t.auth),
                 ("GET", item, f"get one {t.label}", False)]
        if t.can_update:
            rows += [("PUT", item, f"replace {t.a_label}", t.auth),
                     ("PATCH", item, f"update some fields of {t.a_label}", t.auth)]
        rows.append(("DELETE", item, f"delete {t.a_label}", t.auth))
    for ep in ctx.endpoints:
        rows.append((ep.method, prefix + ep.path,
                     ep.summary.rstrip(".") + " (answers 501 until implemented)", ep.auth))
    return rows


class Renderer:
    """One Express stack's renderer: its Flavor over the shared contexts."""

    def __init__(self, flavor: Flavor) -> None:
        self.flavor = flavor

    @cached_property
    def environment(self) -> jinja2.Environment:
        return make_environment(self.flavor.templates, self.flavor.template_globals)

    def _render(self, template: str, **context: Any) -> str:
        return self.environment.get_template(template).render(**context)

    def _folder(self, folder: str) -> list[str]:
        """Template names under templates/<folder>, sorted, relative to the folder."""
        return [f"{rel}.j2" for rel in extra_templates(self.flavor.templates, folder)]

    def _render_folder(self, folder: str, out: Callable[[str], str], **context: Any) -> Files:
        return [(out(rel[:-3]), self._render(f"{folder}/{rel}", **context))
                for rel in self._folder(folder)]

    def render_unit(self, unit: Unit, plan: Plan,
                    implemented: frozenset[str] = frozenset()) -> Generation:
        """One unit's template output. `implemented`: labels of custom endpoints whose
        logic is written (hybrid mode); the OpenAPI document and the tests treat them as
        such."""
        ctx = project_context(plan)
        module = unit.module
        if module == "config":
            files = self.render_config(plan, ctx)
        elif module in ("docker", "terraform"):
            files = self.render_deploy(module, ctx)
        elif module == "migrations":
            files = render_migrations(ctx)
        elif module == "auth":
            files = self._render_folder("auth", lambda p: p, **_common(ctx, plan),
                                        **auth_render(ctx))
        elif unit.table is not None:
            files = self.render_table(module, ctx, ctx.table(unit.table), implemented)
        elif plan.module(module).per_table:
            files = self.render_shared(module, plan, ctx, implemented)
        else:
            files = self._render_folder(module, lambda p: p, **_common(ctx, plan))
        deps, dev = self.flavor.module_dependencies(module)
        return Generation(tuple(GeneratedFile(p, c) for p, c in files), deps, dev)

    def package_json(self, ctx: ProjectContext, plan: Plan) -> str:
        deps, dev = self.flavor.project_dependencies(m.name for m in plan.modules)
        fields = self.flavor.manifest(ctx)
        # The policy's script allow-list is the source: a model's package.json is held to it.
        scripts = {k: v for k, v in self.flavor.scripts.items()
                   if (k != "test" or ctx.options.tests) and (k != "create-admin" or ctx.auth)
}
        manifest: dict[str, Any] = {
            "name": ctx.app[:214], "version": "0.1.0",
            "description": ctx.api_description,  # json.dumps quotes it
            "private": True, **{k: v for k, v in fields.items() if k in _HEAD},
            "engines": NODE_ENGINES, "scripts": scripts,
            "dependencies": deps, "devDependencies": dev,
            **{k: v for k, v in fields.items() if k not in _HEAD},
        }
        return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"

    def render_config(self, plan: Plan, ctx: ProjectContext) -> Files:
        manifest = self.package_json(ctx, plan)
        files = [("package.json", manifest)]
        lock = self.flavor.lockfile(json.loads(manifest))
        if lock is not None:  # None only when deps changed without a lockfile refresh
            files.append(("package-lock.json", lock))
        return files + self._render_folder("config", lambda p: p, **_common(ctx, plan),
                                           endpoints=readme_endpoints(ctx),
                                           node_major=NODE_MAJOR, db_name=ctx.db_name,
                                           auth_example=auth_example(ctx))

    def render_deploy(self, module: str, ctx: ProjectContext) -> Files:
        context = deploy_context(ctx)
        return [(extra_output_path(module, rel), self._render(f"{module}/{rel}.j2", **context))
                for rel in extra_templates(self.flavor.templates, module)]

    def render_table(self, module: str, ctx: ProjectContext, t: TableContext,
                     implemented: frozenset[str] = frozenset()) -> Files:
        """`implemented`: labels of custom endpoints whose logic is written (hybrid mode);
        their tests call them for real instead of expecting 501."""
        context = table_context(ctx, t)
        if module == "tests":
            plan = suite_plan(ctx, t, context["schemas"]["endpoints"], implemented)
            acc = access.accounts(ctx)
            context.update(plan=plan, key_path=js_key_path, js_body=js_body,
                           accounts_table=acc is not None and acc.table == t.name,
                           uncreatable=access.uncreatable(ctx))
        files = self._render_folder(f"{module}/table", lambda p: p.replace("TABLE", t.stem),
                                    **context)
        if module == "models" and context["policy"] is not None:
            files += self._render_folder("policies/table",
                                         lambda p: p.replace("TABLE", t.stem), **context)
        return files

    def render_shared(self, module: str, plan: Plan, ctx: ProjectContext,
                      implemented: frozenset[str] = frozenset()) -> Files:
        common = _common(ctx, plan)
        if module == "routes":
            tableless = schemas.endpoint_schemas(ctx, ctx.tableless)
            files = self._render_folder("routes/shared", lambda p: p,
                                        **routes_context(ctx, common, tableless, implemented))
            if ctx.tableless:
                calls = [endpoint_call(e, tableless[e.name]["params"]) for e in ctx.tableless]
                files += self._render_folder(
                    "routes/custom", lambda p: p, calls=calls,
                    **routes_context(ctx, common, tableless, implemented))
            return files
        if module == "tests":
            matrix = matrixdata.jest_matrix(ctx)
            files = self._render_folder("tests/matrix", lambda p: p, **common, matrix=matrix) \
                if matrix is not None else []
            files += self._render_folder("tests/shared", lambda p: p,
                                         **tests_context(ctx, common, implemented))
            # The session checks exist only with accounts (Layout.shared_files).
            with_accounts = access.auth_context(ctx) is not None
            return [f for f in files
                    if with_accounts or not f[0].startswith("tests/auth-sessions.test")]
        raise KeyError(module)


def routes_context(ctx: ProjectContext, common: dict[str, Any], tableless: dict[str, Any],
                   implemented: frozenset[str]) -> dict[str, Any]:
    return {**common, "openapi": openapi_context(ctx), "tableless_schemas": tableless,
            "auth_routes": rest_auth.ROUTES, "error_names": rest_auth.ERROR_NAMES,
            "router_order": router_order(ctx), "implemented": implemented,
            "access_ops": {t.name: {"served": {op: access.served(ctx, t, op)
                                               for op in OPERATIONS},
                                    "token": {op: access.needs_token(ctx, t, op)
                                              for op in OPERATIONS}}
                           for t in ctx.tables}}


def tests_context(ctx: ProjectContext, common: dict[str, Any],
                  implemented: frozenset[str]) -> dict[str, Any]:
    tableless = schemas.endpoint_schemas(ctx, ctx.tableless)
    calls = [endpoint_call(e, tableless[e.name]["params"], implemented=e.label in implemented)
             for e in ctx.tableless]
    paths = [p for t in ctx.tables for p in (t.collection_path, t.item_path_openapi)]
    acc = access.auth_context(ctx)
    return {**common, "calls": calls, "clear_statements": clear_statements(ctx),
            "openapi_paths": paths, "register_sample": access.register_body(ctx, 5, "unused"),
            "login_prop": acc["login"].prop if acc else "",
            "login_email": bool(acc and acc["lower_login"]),
            "accounts_path": acc["users"].collection_path if acc else "",
            "accounts_key": acc["key"].prop if acc else "",
            "password_column": acc["password_sql"].strip('"') if acc else "",
            "password_max_chars": rest_auth.PASSWORD_MAX_CHARS,
            "promote_sql": access.promote_sql(ctx)}
