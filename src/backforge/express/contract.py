"""The express-js API contract, checked against a live generated server by `verify`.

Walks every table in foreign-key order: creates a row through the API (parents
first), reads it, lists, updates, provokes 400/401/404/409, calls every custom
endpoint (501 naming it, or for real when its logic is written), then deletes
everything. Each request is a recorded check; a table whose create fails skips
its dependent checks instead of failing them again.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from backforge.express import access
from backforge.express.context import ProjectContext, TableContext, project_context
from backforge.express.testgen import (
    MAIN,
    EndpointCall,
    ParentRef,
    body_for,
    endpoint_call,
    is_plain,
    key_params,
    suite_plan,
)
from backforge.plan import Plan
from backforge.rest import schemas
from backforge.spec.model import FieldType
from backforge.sql.ddl import fk_order
from backforge.sql.samples import different_value
from backforge.verify.checks import Probe

_EXACT = {FieldType.STRING, FieldType.TEXT, FieldType.INTEGER, FieldType.ENUM, FieldType.BOOLEAN,
          FieldType.UUID}
PASSWORD = "verify passphrase 123"
ACCOUNT_VARIANT = 5  # sample values of the registered account: clear of the CRUD rows' own


def resolve_refs(body: dict[str, Any], rows: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A body with its parent references replaced by the parents' values (`rows`: var ->
    row); a reference to a parent not made yet is left out."""
    out = {}
    for prop, value in body.items():
        if isinstance(value, ParentRef):
            if value.var not in rows:
                continue  # closes a cycle: the parent comes later (the column is nullable)
            parent = rows[value.var][value.prop]
            value = int(parent) if value.as_integer else parent
        out[prop] = value
    return out


def item_path(prefix: str, t: TableContext, row: dict[str, Any]) -> str:
    """The item URL of a row: collection + its encoded key values."""
    keys = "".join(f"/{quote(str(row[c.prop]), safe='')}" for c in t.pk)
    return f"{prefix}{t.collection_path}{keys}"


def check_basics(probe: Probe, plan: Plan) -> Probe:
    """Health, OpenAPI, docs, 404; with auth: register/login/me. Returns a probe with a token."""
    ctx = project_context(plan)
    health = probe.request("GET", "/health", 200, "health reports the database up",
                           documented=False)
    probe.expect(health.body == {"status": "ok", "database": "up"}, "health body",
                 f"got {health.body}")
    doc = probe.request("GET", "/openapi.json", 200, "OpenAPI document served",
                        documented=False)
    paths = doc.body.get("paths", {}) if isinstance(doc.body, dict) else {}
    for t in ctx.tables:
        for path in (t.collection_path, t.item_path_openapi):
            probe.expect(path in paths, "OpenAPI documents every table path",
                         f"OpenAPI lacks {path}", table=t.name)
    for ep in ctx.endpoints:
        probe.expect(ep.method.lower() in paths.get(ep.path, {}), "OpenAPI documents endpoint",
                     f"OpenAPI lacks {ep.label}")
    probe.request("GET", "/docs/", 200, "Swagger UI served", documented=False)
    probe.request("GET", f"{ctx.prefix}/no-such-route", 404, "unknown route is a JSON 404",
                  documented=False)
    if not ctx.auth:
        return probe
    auth = f"{ctx.prefix}/auth"
    register = access.register_body(ctx, ACCOUNT_VARIANT, PASSWORD) or {}
    login_prop = access.auth_context(ctx)["login"].prop
    credentials = {login_prop: register.get(login_prop), "password": PASSWORD}
    created = probe.request("POST", f"{auth}/register", 201, "register", body=register)
    probe.expect(isinstance(created.body, dict) and not _leaks_hash(created.body),
                 "register returns the row without the password hash", f"got {created.body}")
    probe.request("POST", f"{auth}/register", 409, "register twice is a conflict",
                  body=register)
    probe.request("POST", f"{auth}/login", 401, "login with a wrong password",
                  body={**credentials, "password": "wrong password 456"})
    login = probe.request("POST", f"{auth}/login", 200, "login", body=credentials)
    probe.request("GET", f"{auth}/me", 401, "me without a token")
    token = login.body.get("token") if isinstance(login.body, dict) else None
    authed = probe.with_token(token)
    me = authed.request("GET", f"{auth}/me", 200, "me with a token")
    probe.expect(isinstance(me.body, dict) and me.body.get(login_prop) == register[login_prop]
                 and not _leaks_hash(me.body), "me returns the account (no password hash)",
                 f"got {me.body}")
    if access.enforced(ctx):
        # The walk below touches every route of every table: only the admin role may
        # (the authorisation matrix checks what everyone else may, cell by cell).
        token = _promote(probe, ctx, register[login_prop], credentials)
        authed = probe.with_token(token)
    return authed


def _promote(probe: Probe, ctx: ProjectContext, login: Any,
             credentials: dict[str, Any]) -> str | None:
    """The account made admin with the project's own `npm run create-admin`; a new token."""
    code, out = probe.shell(["npm", "run", "--silent", "create-admin", "--", str(login)]) \
        if probe.shell is not None else (-1, "no shell to run create-admin")
    probe.expect(code == 0, "create-admin promotes an account", out.strip()[-300:])
    again = probe.request("POST", f"{ctx.prefix}/auth/login", 200, "login as admin",
                          body=credentials)
    return again.body.get("token") if isinstance(again.body, dict) else None


def _leaks_hash(row: dict[str, Any]) -> bool:
    """A password hash (scrypt as the app writes it, or bcrypt) in any property of a row
    the API returned."""
    return any(isinstance(v, str) and (v.startswith("scrypt$") or
                                       (v.startswith("$2") and len(v) == 60))
               for v in row.values())


def check_table(probe: Probe, plan: Plan, t: TableContext,
                rows: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """CRUD and error cases of one table; returns the created row (None if create failed)."""
    ctx = project_context(plan)
    coll = f"{ctx.prefix}{t.collection_path}"
    if not access.served(ctx, t, "create"):
        return _check_uncreatable(probe, ctx, t)
    body = resolve_refs(body_for(ctx, t, MAIN), rows)
    if access.needs_token(ctx, t, "create"):
        probe.with_token(None).request("POST", coll, 401, "create without a token",
                                       table=t.name, body=body)
    probe.request("POST", coll, 400, "invalid body names the field", table=t.name,
                  body={"notAColumnAtAll": 1})
    probe.request("POST", coll, 400, "malformed JSON", table=t.name, raw=b'{"broken":')
    probe.request("POST", coll, 415, "a body that is not JSON is 415", table=t.name,
                  raw=b"title=x", content_type="text/plain")
    probe.request("POST", coll, 400, "a missing body is 400", table=t.name)
    unserved = probe.request("TRACE", coll, 405, "an unserved method is 405", table=t.name,
                             documented=False)
    probe.expect("GET" in unserved.headers.get("allow", ""), "405 names the allowed methods",
                 f"Allow: {unserved.headers.get('allow')!r}", table=t.name)
    created = probe.request("POST", coll, 201, "create", table=t.name, body=body)
    if created.status != 201 or not isinstance(created.body, dict):
        return None
    row = created.body
    for prop, value in body.items():
        probe.expect(row.get(prop) == value, "create echoes the values",
                     f"{prop}: sent {value!r}, got {row.get(prop)!r}", table=t.name)
    item = item_path(ctx.prefix, t, row)
    probe.expect(created.headers.get("location") == item, "Location header",
                 f"got {created.headers.get('location')}, want {item}", table=t.name)
    fetched = probe.request("GET", item, 200, "read one", table=t.name)
    probe.expect(fetched.body == row, "read back equals created", f"got {fetched.body}",
                 table=t.name)
    _check_list(probe, t, coll, row)
    if any(c.prop in body for c in t.unique_columns) or t.natural_key:
        probe.request("POST", coll, 409, "duplicate unique value is a conflict", table=t.name,
                      body=body)
    _check_update(probe, t, item, body, row)
    plan_t = suite_plan(ctx, t, schemas.endpoint_schemas(ctx, t.endpoints))
    missing = t.collection_path + "".join(f"/{quote(str(v), safe='')}"
                                          for v in plan_t.missing_key)
    probe.request("GET", f"{ctx.prefix}{missing}", 404, "missing row is 404", table=t.name)
    return probe.client.call("GET", item).body


def _check_uncreatable(probe: Probe, ctx: ProjectContext,
                       t: TableContext) -> dict[str, Any] | None:
    """A table whose policy serves no create (the users table: register is the door):
    POST is 405, and its row is the signed-in account's own (read back as such)."""
    coll = f"{ctx.prefix}{t.collection_path}"
    probe.request("POST", coll, 405, "create is not served (the policy allows no one)",
                  table=t.name, body={}, documented=False)
    acc = access.auth_context(ctx)
    if acc is None or acc["users"].name != t.name:
        return None
    me = probe.client.call("GET", f"{ctx.prefix}/auth/me").body
    if not isinstance(me, dict):
        return None
    fetched = probe.request("GET", item_path(ctx.prefix, t, me), 200, "read one (the account's "
                            "own row)", table=t.name)
    probe.expect(fetched.body == me, "read back equals the account", f"got {fetched.body}",
                 table=t.name)
    return me


def _check_list(probe: Probe, t: TableContext, coll: str, row: dict[str, Any]) -> None:
    listed = probe.request("GET", f"{coll}?limit=1&offset=0", 200, "list with pagination",
                           table=t.name)
    meta = listed.body.get("meta", {}) if isinstance(listed.body, dict) else {}
    probe.expect(meta.get("limit") == 1 and meta.get("total", 0) >= 1, "list meta",
                 f"got {meta}", table=t.name)
    cursor = meta.get("next_cursor")
    probe.expect(isinstance(cursor, str), "a full page has a next_cursor", f"got {meta}",
                 table=t.name)
    if isinstance(cursor, str):
        probe.request("GET", f"{coll}?limit=1&cursor={quote(cursor)}", 200,
                      "list continues after a cursor", table=t.name)
    probe.request("GET", f"{coll}?offset=10001", 400, "an offset past the maximum is 400",
                  table=t.name)
    filterable = [c for c in t.filterable if c.kind in _EXACT and not c.primary_key
                  and is_plain(t, c) and row.get(c.prop) is not None]
    if filterable:
        col = filterable[0]
        value = str(row[col.prop]).lower() if isinstance(row[col.prop], bool) else row[col.prop]
        found = probe.request("GET", f"{coll}?{col.prop}={quote(str(value))}", 200,
                              "list filtered by a field", table=t.name)
        data = found.body.get("data", []) if isinstance(found.body, dict) else []
        probe.expect(any(r == row for r in data), "filter finds the row",
                     f"{col.prop}={value} did not return the created row", table=t.name)
        probe.request("GET", f"{coll}?sort={col.prop}&order=desc", 200, "list sorted",
                      table=t.name)


def _check_update(probe: Probe, t: TableContext, item: str, body: dict[str, Any],
                  row: dict[str, Any]) -> None:
    plain = [c for c in t.updatable if is_plain(t, c)]
    if not plain:
        return
    col = plain[0]
    value = different_value(col, MAIN, row.get(col.prop), salt=t.sql)
    patched = probe.request("PATCH", item, 200, "update", table=t.name, body={col.prop: value})
    if isinstance(patched.body, dict):
        probe.expect(patched.body.get(col.prop) == value, "update changes the value",
                     f"{col.prop}: sent {value!r}, got {patched.body.get(col.prop)!r}",
                     table=t.name)
    probe.request("PATCH", item, 400, "empty update is rejected", table=t.name, body={})
    probe.request("PUT", item, 400, "PUT without a body is rejected", table=t.name)
    probe.request("PUT", item, 400, "PUT with an incomplete body is rejected", table=t.name,
                  body={})
    current = {c.prop: row.get(c.prop) for c in t.updatable}
    probe.request("PUT", item, 200, "replace", table=t.name,
                  body={**current, **{k: v for k, v in body.items()
                                      if k not in {c.prop for c in t.pk}}})


def check_custom_endpoints(probe: Probe, plan: Plan,
                           rows: dict[str, dict[str, Any]] | None = None) -> None:
    """A stub answers 501 naming itself. An endpoint whose logic is written (the served
    OpenAPI document lists no 501 for it) is called for real: with an existing row's key
    (and a sample body) it answers no 5xx and a documented body; a missing key is 404."""
    ctx = project_context(plan)
    doc = probe.client.call("GET", "/openapi.json").body
    for ep in ctx.endpoints:
        params = schemas.endpoint_schemas(ctx, (ep,))[ep.name]["params"]
        call = endpoint_call(ep, params, key=key_params(ctx, ep))
        path = f"{ctx.prefix}{call.path}"
        if _implemented(doc, ctx.prefix, ep):
            path = _check_implemented(probe, ctx, call, rows or {})
        else:
            res = probe.request(ep.method, path, 501, f"{ep.label} answers 501", table=ep.table)
            message = res.body.get("error", {}).get("message", "") \
                if isinstance(res.body, dict) else ""
            probe.expect(ep.label in message, "501 names the endpoint", f"got {message!r}")
        if ep.auth and ctx.auth:
            probe.with_token(None).request(ep.method, path, 401, f"{ep.label} without a token",
                                           table=ep.table)


def _implemented(doc: Any, prefix: str, ep: Any) -> bool:
    paths = doc.get("paths", {}) if isinstance(doc, dict) else {}
    op = (paths.get(f"{prefix}{ep.path}") or paths.get(ep.path) or {}).get(ep.method.lower())
    return isinstance(op, dict) and "501" not in op.get("responses", {})


def _check_implemented(probe: Probe, ctx: ProjectContext, call: EndpointCall,
                       rows: dict[str, dict[str, Any]]) -> str:
    """Returns the path it called (for the token check)."""
    ep = call.endpoint
    t = ctx.table(ep.table) if ep.table is not None else None
    row = rows.get(t.var) if t is not None else None
    path = call.path
    if call.key and row is not None:
        path = call.keyed_path
        for param, prop in call.key:
            path = path.replace("{" + param + "}", quote(str(row[prop]), safe=""), 1)
    body = resolve_refs(body_for(ctx, t, MAIN), rows) if t is not None and call.sends_body \
        else ({} if call.sends_body else None)
    res = probe.client.call(ep.method, f"{ctx.prefix}{path}", body)
    problems = [] if probe.schemas is None else \
        probe.schemas.problems(ep.method, f"{ctx.prefix}{path}", res.status, res.body)
    if res.status >= 500:
        probe.recorder.server_errors += 1
    probe.expect(res.status < 500 and not problems, f"{ep.label} answers (implemented)",
                 f"HTTP {res.status}: {'; '.join(problems) or res.body}", table=ep.table)
    if call.key and row is not None:
        t_plan = suite_plan(ctx, t, schemas.endpoint_schemas(ctx, t.endpoints))
        probe.request(ep.method, f"{ctx.prefix}{call.missing_path(t_plan.missing_key)}", 404,
                      f"{ep.label} for a missing row is 404", table=ep.table, body=body)
    return f"{ctx.prefix}{path}"


def check_deletes(probe: Probe, plan: Plan, created: list[tuple[TableContext, dict]]) -> None:
    ctx = project_context(plan)
    for t, row in reversed(created):
        item = item_path(ctx.prefix, t, row)
        if probe.client.call("DELETE", item).status == 409:
            continue  # a row of a later table still points here through a cycle
        probe.request("GET", item, 404, "deleted row is gone", table=t.name)


def check_deleted_account(probe: Probe, plan: Plan) -> None:
    """An account that deletes its own row: its still validly signed token is refused."""
    ctx = project_context(plan)
    acc = access.auth_context(ctx)
    if acc is None:
        return
    auth, login_prop = f"{ctx.prefix}/auth", acc["login"].prop
    body = access.register_body(ctx, ACCOUNT_VARIANT + 1, PASSWORD) or {}
    created = probe.request("POST", f"{auth}/register", 201, "register a second account",
                            body=body)
    login = probe.client.call("POST", f"{auth}/login",
                              {login_prop: body.get(login_prop), "password": PASSWORD})
    token = login.body.get("token") if isinstance(login.body, dict) else None
    if not isinstance(created.body, dict) or token is None:
        probe.expect(False, "the second account signs in", f"login answered {login.status}")
        return
    own = probe.with_token(token)
    own.request("DELETE", item_path(ctx.prefix, acc["users"], created.body), 204,
                "an account deletes its own row", table=acc["users"].name)
    own.request("GET", f"{auth}/me", 401, "the token of a deleted account is refused")


def run_contract(probe: Probe, plan: Plan) -> None:
    authed = check_basics(probe, plan)
    check_deleted_account(probe, plan)
    rows: dict[str, dict[str, Any]] = {}
    created: list[tuple[TableContext, dict]] = []
    ctx = project_context(plan)
    for t in fk_order(ctx).tables:
        row = check_table(authed, plan, t, rows)
        if row is not None:
            rows[t.var] = row
            if access.served(ctx, t, "create"):  # else the admin's own account row
                created.append((t, row))
    check_custom_endpoints(authed, plan, rows)
    check_deletes(authed, plan, created)
