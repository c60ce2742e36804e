"""Sessions and rate limits of a generated taskmanager app, for real: the verify session
checks against a live app (and shown to fail when the limit they look for is off), and
the Redis store shared by two instances on a redis-server this test starts on loopback
(REDIS_URL): counters add up across instances, a stopped Redis makes limited routes
answer 503 rather than let guesses through, and an instance refuses to boot without it."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from backforge import api
from backforge.express.contract_sessions import (
    FLOOD_ATTEMPTS,
    TIMING_RATIO,
    SessionFigures,
    check_sessions,
)
from backforge.verify.checks import Probe
from backforge.verify.http import Client
from backforge.verify.model import Recorder
from backforge.verify.postgres import find_bin, free_port
from backforge.verify.process import Server
from backforge.verify.runner import running_app
from tests.conftest import DATA, slow_needing

pytestmark = slow_needing("node", "npm", "initdb", "pg_ctl", "psql", "redis-server",
                          why="Node + npm, PostgreSQL, redis-server")
P = "/api/v1"
PASSWORD = "long enough passphrase"
ACCOUNT_LIMIT = 10  # RATE_LIMIT_AUTH_ACCOUNT's default count


@pytest.fixture(scope="module")
def taskmanager(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sessions") / "tm"
    assert api.generate(DATA / "taskmanager.yaml", output=out).success
    return out


def _checks(base_url: str, out: Path) -> tuple[Recorder, SessionFigures | None]:
    the_plan, _ = api._plan_for(out, None)
    recorder = Recorder()
    figures = check_sessions(Probe(Client(base_url), recorder, None, lambda: ""), the_plan)
    return recorder, figures


def _second_server(out: Path, env: dict[str, str], tmp: Path, name: str) -> Server:
    server = Server(out, free_port(), env, tmp / f"{name}.log")
    server.start()
    healthy, detail = server.wait_healthy()
    if not healthy:
        server.stop()
        raise AssertionError(f"{name}: {detail}\n{server.logs()[-2000:]}")
    return server


def test_session_checks_pass_and_fail_when_the_limit_is_off(taskmanager: Path,
                                                             tmp_path: Path) -> None:
    the_plan, stack = api._plan_for(taskmanager, None)
    with running_app(taskmanager, the_plan, stack) as app:
        recorder, figures = _checks(app.base_url, taskmanager)
        failed = [(c.name, c.message) for c in recorder.results if not c.passed]
        assert failed == []
        assert figures is not None and figures.attempts_to_429 == ACCOUNT_LIMIT + 1
        assert figures.ratio < TIMING_RATIO
        print(f"\nsession checks: {len(recorder.results)} passed; {figures}")
        # The same checks against an instance without the account limit (same database:
        # the accounts exist, so the registers answer 409 and count as failures too).
        unlimited = _second_server(taskmanager, {**app.env, "RATE_LIMIT_AUTH_ACCOUNT": "0"},
                                   tmp_path, "unlimited")
        try:
            recorder, figures = _checks(unlimited.base_url(), taskmanager)
        finally:
            unlimited.stop()
        flood = [c for c in recorder.results if c.name.startswith("a login flood")]
        assert figures is not None and figures.attempts_to_429 is None
        assert len(flood) == 1 and not flood[0].passed
        assert f"{FLOOD_ATTEMPTS}" in flood[0].name


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    port = free_port()
    proc = subprocess.Popen(
        [shutil.which("redis-server") or "redis-server", "--port", str(port), "--bind",
         "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True,
                         text=True, check=False).stdout.strip() != "PONG":
        assert time.monotonic() < deadline and proc.poll() is None, "redis-server did not start"
        time.sleep(0.1)
    try:
        yield f"redis://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _login(c: Client, email: str, password: str) -> int:
    return c.call("POST", f"{P}/auth/login", {"email": email, "password": password}).status


def test_two_instances_share_their_limits_in_redis(taskmanager: Path, tmp_path: Path,
                                                    redis: tuple[str, subprocess.Popen]) -> None:
    url, redis_proc = redis
    the_plan, stack = api._plan_for(taskmanager, None)
    with running_app(taskmanager, the_plan, stack) as app:
        env = {**app.env, "REDIS_URL": url}
        one = _second_server(taskmanager, env, tmp_path, "one")
        two = _second_server(taskmanager, env, tmp_path, "two")
        try:
            a, b = Client(one.base_url()), Client(two.base_url())
            body = {"email": "shared@example.com", "display_name": "shared",
                    "password": PASSWORD}
            assert a.call("POST", f"{P}/auth/register", body).status == 201
            answers = [_login(a if i % 2 else b, "shared@example.com", "wrong passphrase")
                       for i in range(ACCOUNT_LIMIT + 1)]
            # Alternating instances: in memory each would have counted only half.
            assert answers == [401] * ACCOUNT_LIMIT + [429]
            assert _login(a, "shared@example.com", PASSWORD) == 429
            assert _login(b, "shared@example.com", PASSWORD) == 429
            keys = subprocess.run(["redis-cli", "-u", url, "--scan", "--pattern", "rl:*"],
                                  capture_output=True, text=True, check=True).stdout.split()
            assert any(":login:account:" in k for k in keys), keys
            redis_proc.terminate()
            redis_proc.wait(timeout=10)
            down = a.call("POST", f"{P}/auth/login",
                          {"email": "other@example.com", "password": PASSWORD})
            assert down.status == 503, down.body  # fail closed, not unlimited
            assert a.call("GET", "/health").status == 200  # the probe stays unlimited
        finally:
            one.stop()
            two.stop()
        refused = Server(taskmanager, free_port(), env, tmp_path / "refused.log")
        refused.start()
        healthy, detail = refused.wait_healthy(timeout=20)
        refused.stop()
        assert not healthy and "exited" in detail, detail
        assert "rate limit store" in refused.logs()


DISABLED_SPEC = """
name: Locked Club
database: {engine: postgresql, name: locked_club}
options: {auth: true, tests: false, api_prefix: /api}
tables:
  - name: members
    fields:
      - {name: id, type: integer, primary_key: true, auto_increment: true}
      - {name: email, type: string, max_length: 200, required: true, unique: true}
      - {name: is_active, type: boolean, default: true, required: true}
  - name: auth_sessions
    description: The spec's own table of this name; the stack's moves aside.
    fields:
      - {name: id, type: integer, primary_key: true, auto_increment: true}
      - {name: note, type: string, max_length: 50}
"""


def _psql(url: str, sql: str) -> str:
    psql = find_bin("psql") or "psql"
    done = subprocess.run([psql, url, "-v", "ON_ERROR_STOP=1", "-tAc", sql],
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_a_disabled_account_is_refused_everywhere(tmp_path: Path) -> None:
    spec = tmp_path / "club.yaml"
    spec.write_text(DISABLED_SPEC)
    out = tmp_path / "club"
    assert api.generate(spec, output=out).success
    the_plan, stack = api._plan_for(out, None)
    with running_app(out, the_plan, stack) as app:
        url, c = app.env["DATABASE_URL"], Client(app.base_url)
        tables = _psql(url, "SELECT string_agg(tablename, ',' ORDER BY tablename) "
                            "FROM pg_tables WHERE schemaname = 'public'").split(",")
        assert "auth_sessions_2" in tables and "auth_sessions" in tables
        assert _psql(url, "SELECT count(*) FROM information_schema.columns WHERE "
                          "table_name = 'auth_sessions'") == "2"  # the spec's, untouched
        body = {"email": "m@example.com", "password": PASSWORD}
        assert c.call("POST", "/api/auth/register", body).status == 201
        pair = c.call("POST", "/api/auth/login", body).body
        assert c.with_token(pair["token"]).call("GET", "/api/auth/me").status == 200
        _psql(url, "UPDATE members SET is_active = false")
        assert c.with_token(pair["token"]).call("GET", "/api/auth/me").status == 401
        assert c.call("POST", "/api/auth/refresh",
                      {"refreshToken": pair["refreshToken"]}).status == 401
        refused = c.call("POST", "/api/auth/login", body)
        wrong = c.call("POST", "/api/auth/login", {**body, "password": "not the passphrase"})
        assert refused.status == wrong.status == 401
        assert refused.body == wrong.body  # a disabled account looks like a wrong password
        _psql(url, "UPDATE members SET is_active = true")
        assert c.call("POST", "/api/auth/login", body).status == 200
