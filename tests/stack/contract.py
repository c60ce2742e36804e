"""API contract checks against a running generated server, driven from Python.

Independent of the generated jest suites: it walks every table in foreign-key
order, creates a row through the API (parents first), reads, lists, updates,
provokes 400/401/404/409, calls every custom endpoint, then deletes it all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openapi_spec_validator import validate as validate_openapi

from backforge.plan import Plan
from backforge.stacks.express_js import schemas
from backforge.stacks.express_js.context import TableContext
from backforge.stacks.express_js.ddl import fk_order
from backforge.stacks.express_js.render import project_context
from backforge.stacks.express_js.samples import different_value
from backforge.stacks.express_js.testgen import MAIN, ParentRef, body_for, endpoint_call, suite_plan
from tests.stack.support import Client


@dataclass
class Report:
    checks: int = 0
    created: list[tuple[TableContext, dict[str, Any]]] = field(default_factory=list)

    def expect(self, condition: bool, message: str) -> None:
        self.checks += 1
        assert condition, message


def _status(report: Report, res: Any, status: int, what: str) -> None:
    report.expect(res.status == status, f"{what}: expected {status}, got {res.status} {res.body}")


def _resolve(body: dict[str, Any], rows: dict[str, dict[str, Any]]) -> dict[str, Any]:
    out = {}
    for prop, value in body.items():
        if isinstance(value, ParentRef):
            if value.var not in rows:
                continue  # closes a cycle: the parent comes later (the column is nullable)
            value = rows[value.var][value.prop]
        out[prop] = value
    return out


def _item(prefix: str, t: TableContext, row: dict[str, Any]) -> str:
    from urllib.parse import quote

    keys = "".join(f"/{quote(str(row[c.prop]), safe='')}" for c in t.pk)
    return f"{prefix}{t.collection_path}{keys}"


def check_basics(client: Client, plan: Plan, report: Report) -> Client:
    """Health, docs, 404; with auth: register/login/me. Returns a client with a token."""
    ctx = project_context(plan)
    res = client.call("GET", "/health")
    _status(report, res, 200, "health")
    report.expect(res.body == {"status": "ok", "database": "up"}, f"health body {res.body}")
    doc = client.call("GET", "/openapi.json")
    _status(report, doc, 200, "openapi.json")
    report.expect(doc.body["openapi"] == "3.1.0", "OpenAPI version")
    validate_openapi(doc.body)  # raises with the first schema violation
    report.checks += 1
    for t in ctx.tables:
        for path in (t.collection_path, t.item_path_openapi):
            report.expect(path in doc.body["paths"], f"OpenAPI lacks {path}")
    for ep in ctx.endpoints:
        report.expect(ep.method.lower() in doc.body["paths"].get(ep.path, {}),
                      f"OpenAPI lacks {ep.label}")
    report.expect(("bearerAuth" in doc.body["components"].get("securitySchemes", {}))
                  == ctx.auth, "bearer security scheme iff auth")
    _status(report, client.call("GET", "/docs/"), 200, "Swagger UI")
    missing = client.call("GET", f"{ctx.prefix}/no-such-route")
    _status(report, missing, 404, "unknown route")
    report.expect(missing.body["error"]["code"] == "not_found", "404 error body")
    if not ctx.auth:
        return client
    creds = {"email": "smoke@example.com", "password": "smoke test passphrase"}
    _status(report, client.call("POST", f"{ctx.prefix}/auth/register", creds), 201, "register")
    _status(report, client.call("POST", f"{ctx.prefix}/auth/register", creds), 409,
            "register twice")
    login = client.call("POST", f"{ctx.prefix}/auth/login", creds)
    _status(report, login, 200, "login")
    _status(report, client.call("GET", f"{ctx.prefix}/auth/me"), 401, "me without token")
    authed = client.with_token(login.body["token"])
    me = authed.call("GET", f"{ctx.prefix}/auth/me")
    _status(report, me, 200, "me")
    report.expect(me.body["email"] == creds["email"], "me email")
    return authed


def check_table(client: Client, plan: Plan, t: TableContext, rows: dict[str, dict[str, Any]],
                report: Report) -> None:
    ctx = project_context(plan)
    coll = f"{ctx.prefix}{t.collection_path}"
    body = _resolve(body_for(ctx, t, MAIN), rows)
    if ctx.auth:
        _status(report, client.with_token(None).call("POST", coll, body), 401, f"{coll} no token")
    created = client.call("POST", coll, body)
    _status(report, created, 201, f"create {t.name}")
    row = created.body
    for prop, value in body.items():
        report.expect(row[prop] == value, f"{t.name}.{prop}: sent {value!r}, got {row[prop]!r}")
    item = _item(ctx.prefix, t, row)
    report.expect(created.headers.get("location") == item, f"Location {created.headers}")
    fetched = client.call("GET", item)
    _status(report, fetched, 200, f"get {item}")
    report.expect(fetched.body == row, f"{item} read back differs")
    listed = client.call("GET", f"{coll}?limit=1&offset=0")
    _status(report, listed, 200, f"list {coll}")
    report.expect(listed.body["meta"]["limit"] == 1 and listed.body["meta"]["total"] >= 1,
                  f"list meta {listed.body['meta']}")
    invalid = client.call("POST", coll, {"notAColumnAtAll": 1})
    _status(report, invalid, 400, f"invalid body {coll}")
    report.expect("notAColumnAtAll" in {f["field"] for f in invalid.body["error"]["fields"]},
                  "400 names the field")
    _status(report, client.call("POST", coll, raw=b'{"broken":'), 400, "malformed JSON")
    if any(c.prop in body for c in t.unique_columns) or t.natural_key:
        dup = client.call("POST", coll, body)
        _status(report, dup, 409, f"duplicate {t.name}")
    _check_update(client, t, item, body, row, report)
    plan_t = suite_plan(ctx, t, schemas.endpoint_schemas(ctx, t.endpoints))
    missing = client.call("GET", f"{ctx.prefix}{_missing_path(t, plan_t.missing_key)}")
    _status(report, missing, 404, f"missing {t.name}")
    rows[t.var] = client.call("GET", item).body
    report.created.append((t, rows[t.var]))


def _missing_path(t: TableContext, key: tuple[Any, ...]) -> str:
    from urllib.parse import quote

    return t.collection_path + "".join(f"/{quote(str(v), safe='')}" for v in key)


def _check_update(client: Client, t: TableContext, item: str, body: dict[str, Any],
                  row: dict[str, Any], report: Report) -> None:
    plain = [c for c in t.updatable if c.ref is None]
    if not plain:
        return
    col = plain[0]
    value = different_value(col, MAIN, row.get(col.prop), salt=t.sql)
    patched = client.call("PATCH", item, {col.prop: value})
    _status(report, patched, 200, f"patch {item}")
    report.expect(patched.body[col.prop] == value, f"patched {col.prop}")
    if t.updated is not None:
        report.expect(patched.body[t.updated.prop] >= row[t.updated.prop], "updated_at moved")
    empty = client.call("PATCH", item, {})
    _status(report, empty, 400, f"empty patch {item}")
    replaced = client.call("PUT", item, {k: v for k, v in body.items()
                                         if k not in {c.prop for c in t.pk}})
    _status(report, replaced, 200, f"put {item}")


def check_custom_endpoints(client: Client, plan: Plan, report: Report) -> None:
    ctx = project_context(plan)
    for ep in ctx.endpoints:
        params = schemas.endpoint_schemas(ctx, (ep,))[ep.name]["params"]
        call = endpoint_call(ep, params)
        res = client.call(ep.method, f"{ctx.prefix}{call.path}")
        _status(report, res, 501, ep.label)
        report.expect(ep.label in res.body["error"]["message"], f"501 names {ep.label}")
        if ep.auth and ctx.auth:
            res = client.with_token(None).call(ep.method, f"{ctx.prefix}{call.path}")
            _status(report, res, 401, f"{ep.label} without token")


def check_deletes(client: Client, plan: Plan, report: Report) -> None:
    ctx = project_context(plan)
    for t, row in reversed(report.created):
        item = _item(ctx.prefix, t, row)
        res = client.call("DELETE", item)
        if res.status == 409:
            continue  # a row of a later table still points here through a cycle
        _status(report, res, 204, f"delete {item}")
        _status(report, client.call("GET", item), 404, f"deleted {item}")


def run_contract(client: Client, plan: Plan) -> Report:
    report = Report()
    authed = check_basics(client, plan, report)
    rows: dict[str, dict[str, Any]] = {}
    for t in fk_order(project_context(plan)).tables:
        check_table(authed, plan, t, rows, report)
    check_custom_endpoints(authed, plan, report)
    check_deletes(authed, plan, report)
    return report


__all__ = ["Report", "run_contract"]
