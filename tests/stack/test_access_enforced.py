"""The express-js access enforcement (access.ENFORCED / layout.POLICY_MODULES, on) against
a real taskmanager app: the cases issue 13 says it must show, on the default policy (the
spec has no access section), plus the admin bootstrap through `npm run create-admin`.
verify's authorisation matrix (tests/verify) checks every cell; this spells out the
issue's own list."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from backforge import api
from backforge.express import access
from backforge.stacks.express_js import layout
from backforge.verify.http import Client
from backforge.verify.runner import running_app
from tests.conftest import DATA, slow_needing

pytestmark = slow_needing("node", "npm", "initdb", "pg_ctl", "psql",
                          why="Node + npm, PostgreSQL")
P = "/api/v1"
PASSWORD = "long enough passphrase"


@pytest.fixture
def enforced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(access, "ENFORCED", True)
    monkeypatch.setattr(layout, "POLICY_MODULES", True)


def _account(c: Client, email: str) -> tuple[dict, Client]:
    body = {"email": email, "display_name": email.split("@")[0], "password": PASSWORD}
    created = c.call("POST", f"{P}/auth/register", body)
    assert created.status == 201, created.body
    login = c.call("POST", f"{P}/auth/login", {"email": email, "password": PASSWORD})
    return created.body, c.with_token(login.body["token"])


def test_default_policy_is_enforced_on_taskmanager(enforced: None, tmp_path: Path) -> None:
    out = tmp_path / "tm"
    assert api.generate(DATA / "taskmanager.yaml", output=out).success
    assert (out / "src/policies/tasks.js").is_file()
    the_plan, stack = api._plan_for(out, None)
    with running_app(out, the_plan, stack) as app:
        c = Client(app.base_url)
        a_row, a = _account(c, "a@example.com")
        b_row, b = _account(c, "b@example.com")
        _, admin = _account(c, "c@example.com")
        assert "password_hash" not in a_row and not any(
            isinstance(v, str) and v.startswith(("scrypt$", "$2")) for v in a_row.values())
        promoted = subprocess.run(["npm", "run", "--silent", "create-admin", "--",
                                   "c@example.com"], cwd=out, capture_output=True, text=True,
                                  env={**os.environ, **app.env}, check=False)
        assert promoted.returncode == 0, promoted.stderr

        def status(client: Client, method: str, path: str, body: object = None) -> int:
            return client.call(method, f"{P}{path}", body).status

        assert status(c, "GET", "/users") == 401
        assert status(a, "GET", "/users") == 403
        assert status(admin, "GET", "/users") == 200
        project = a.call("POST", f"{P}/projects", {"name": "A's"})  # owner := caller
        assert project.status == 201 and project.body["owner_id"] == a_row["id"]
        pid = project.body["id"]
        task = a.call("POST", f"{P}/tasks", {"project_id": pid, "title": "A's task"})
        assert task.status == 201
        tid = task.body["id"]
        # Owner rules: B neither sees nor changes A's rows; lists are scoped in SQL.
        assert status(c, "GET", f"/projects/{pid}") == 401
        for method, path in (("GET", f"/projects/{pid}"), ("PATCH", f"/projects/{pid}"),
                             ("DELETE", f"/projects/{pid}"), ("PATCH", f"/tasks/{tid}"),
                             ("DELETE", f"/tasks/{tid}")):
            assert status(b, method, path, {"name": "x"} if "projects" in path and
                          method == "PATCH" else ({"title": "x"} if method == "PATCH"
                                                  else None)) in (403, 404), (method, path)
        assert b.call("GET", f"{P}/projects").body["meta"]["total"] == 0
        assert b.call("GET", f"{P}/tasks").body["meta"]["total"] == 0
        assert a.call("GET", f"{P}/tasks").body["meta"]["total"] == 1
        # Writes that would reach another account's rows.
        assert status(b, "POST", "/tasks", {"project_id": pid, "title": "x"}) == 403
        assert status(b, "POST", "/projects", {"name": "x", "owner_id": a_row["id"]}) == 403
        assert status(a, "PATCH", f"/projects/{pid}", {"owner_id": b_row["id"]}) == 403
        # Role escalation, the users table's own rules, and `none` (register is the door).
        assert status(b, "PATCH", f"/users/{b_row['id']}", {"role": "admin"}) == 403
        assert status(b, "GET", f"/users/{a_row['id']}") == 404
        assert status(b, "GET", f"/users/{b_row['id']}") == 200
        assert status(admin, "POST", "/users", {"email": "z@example.com"}) == 405
        # Admin may do everything but `none`.
        assert status(admin, "PATCH", f"/projects/{pid}", {"name": "by admin"}) == 200
        assert status(a, "PATCH", f"/tasks/{tid}", {"title": "mine"}) == 200
        # A deleted account's validly signed token is refused.
        assert status(b, "DELETE", f"/users/{b_row['id']}") == 204
        assert status(b, "GET", "/auth/me") == 401
        assert status(b, "POST", "/projects", {"name": "ghost"}) == 401
        assert status(a, "DELETE", f"/tasks/{tid}") == 204
