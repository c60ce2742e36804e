"""The generated app's configuration fails closed (slow: real node, npm and PostgreSQL).

Each case starts `node src/index.js` of a generated taskmanager (auth on) with a
chosen environment (express-ts: `node dist/index.js` after the image's build command,
`npx tsc -p tsconfig.build.json`, as its container runs it): weak secrets, bad durations and CORS * outside development/test
refuse to boot naming the variable; a good production config binds 127.0.0.1, keeps
connections alive longer than a load balancer, hides the docs, and echoes request ids.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

import pytest

from backforge import api
from backforge.verify.postgres import EphemeralPostgres, free_port
from backforge.verify.process import install_dependencies, modules_cache_dir, run_command
from tests.conftest import DATA, slow_needing

pytestmark = slow_needing("node", "npm", "initdb", "pg_ctl",
                          why="Node + npm, PostgreSQL")

PLACEHOLDER = "change-me-to-a-long-random-secret-of-32-chars-or-more"
# Variables of the test process that must not leak into the app's environment.
APP_VARS = re.compile(r"^(NODE_ENV|HOST|PORT|JWT_|CORS_|DOCS_|DATABASE_|TRUST_PROXY|LOG_LEVEL)")


class App(NamedTuple):
    root: Path
    url: str
    entry: str  # the server's entry, as the image's CMD runs it


@pytest.fixture(scope="module", params=["express-js", "express-ts"])
def app(request: pytest.FixtureRequest,
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    root = tmp_path_factory.mktemp("prodcfg") / "project"
    loaded = api.load(DATA / "taskmanager.yaml", stack=request.param)
    assert api.generate(loaded, output=root).success
    installed = install_dependencies(root, None, modules_cache_dir())
    assert installed.ok, installed.output[-2000:]
    code = "src"
    if request.param == "express-ts":  # the Dockerfile's build stage: tsc to dist/
        built = run_command(["npx", "tsc", "-p", "tsconfig.build.json"], root)
        assert built.ok, built.output[-2000:]
        code = "dist"
    pg = EphemeralPostgres(database="prodcfg")
    pg.start()
    try:
        migrated = run_command(["node", f"{code}/db/migrate.js", "up"], root,
                               {"DATABASE_URL": pg.url, "NODE_ENV": "test",
                                "JWT_SECRET": secrets.token_hex(32)})
        assert migrated.ok, migrated.output
        yield App(root, pg.url, f"{code}/index.js")
    finally:
        pg.stop()


def _env(url: str, overrides: Mapping[str, str | None]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not APP_VARS.match(k)}
    env.update({"DATABASE_URL": url, "JWT_SECRET": secrets.token_hex(32), "LOG_LEVEL": "info"})
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _refused(app: App, **overrides: str | None) -> str:
    """Start the app; it must exit non-zero within 15 s. Returns its output."""
    proc = subprocess.run(["node", app.entry], cwd=app.root, env=_env(app.url, overrides),
                          capture_output=True, text=True, timeout=15, check=False)
    assert proc.returncode != 0, f"booted with {overrides}: {proc.stdout[-500:]}"
    return proc.stdout + proc.stderr


def test_placeholder_secret_refused_when_node_env_is_unset(app) -> None:
    out = _refused(app, NODE_ENV=None, JWT_SECRET=PLACEHOLDER)
    assert "JWT_SECRET still has the example value" in out


@pytest.mark.parametrize("node_env", ["prod", "Production", "production", "staging"])
def test_weak_secrets_refused_outside_development_and_test(app, node_env: str) -> None:
    assert "JWT_SECRET still has the example value" in \
        _refused(app, NODE_ENV=node_env, JWT_SECRET=PLACEHOLDER)
    assert "JWT_SECRET is too predictable" in _refused(app, NODE_ENV=node_env, JWT_SECRET="a" * 32)
    assert "JWT_SECRET must be at least 32 bytes" in \
        _refused(app, NODE_ENV=node_env, JWT_SECRET="Sh0rt-but-varied!")


@pytest.mark.parametrize(("name", "value"), [
    ("JWT_EXPIRES_IN", "garbage"), ("JWT_EXPIRES_IN", "60"), ("PORT", "70000"),
    ("DOCS_ENABLED", "maybe"), ("TRUST_PROXY", "10.0.0.0/99"), ("HOST", "not a host"),
    ("DATABASE_URL", "mysql://x@y/z"), ("DATABASE_URL", "postgres://a@b/c?sslmode=require"),
    ("KEEP_ALIVE_TIMEOUT_MS", "soon"), ("CORS_ORIGINS", "https://ok.example/path"),
    ("JSON_BODY_LIMIT", "lots"),
])
def test_bad_values_refuse_to_boot_naming_the_variable(app, name: str, value: str) -> None:
    # In development too: a value that cannot be parsed is never relaxed.
    out = _refused(app, NODE_ENV="development", **{name: value})
    assert re.search(rf"- {name} (must|is)", out), out[-800:]


def test_cors_star_refused_in_production(app) -> None:
    out = _refused(app, NODE_ENV="production", CORS_ORIGINS="*")
    assert "CORS_ORIGINS must list origins, not *" in out


class Running:
    def __init__(self, app: App, **overrides: str | None) -> None:
        self.port = free_port()
        self.log = app.root / f"server-{self.port}.log"
        env = _env(app.url, {"PORT": str(self.port), **overrides})
        self.proc = subprocess.Popen(["node", app.entry], cwd=app.root, env=env,
                                     stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while "server listening" not in self.logs():
            assert self.proc.poll() is None and time.monotonic() < deadline, self.logs()
            time.sleep(0.05)

    def logs(self) -> str:
        return self.log.read_text()

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.logs().splitlines() if line.startswith("{")]

    def call(self, path: str, method: str = "GET", headers: Mapping[str, str] | None = None,
             body: object = None) -> tuple[int, Mapping[str, str], bytes]:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data,
                                     method=method, headers={"content-type": "application/json",
                                                             **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=5) as resp:
                return resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read()

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=15)


def _other_local_address() -> str | None:
    """A non-loopback address of this machine, when it has one (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.254.254.254", 1))
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_production_defaults(app) -> None:
    server = Running(app, NODE_ENV="production")
    try:
        listening = next(e for e in server.lines() if e.get("msg") == "server listening")
        print("server listening:", {k: listening[k] for k in (
            "address", "port", "keepAliveTimeoutMs", "headersTimeoutMs", "docs")})
        assert listening["address"] == "127.0.0.1"
        assert (listening["keepAliveTimeoutMs"], listening["headersTimeoutMs"]) == (65000, 66000)
        assert listening["docs"] == "off"
        other = _other_local_address()
        print("other local address:", other)
        if other is not None:
            with pytest.raises(OSError):
                socket.create_connection((other, server.port), timeout=2).close()

        assert server.call("/health")[0] == 200
        assert server.call("/docs/")[0] == 404
        assert server.call("/openapi.json")[0] == 404

        status, headers, _ = server.call("/health", headers={"x-request-id": "lb-trace.42:a"})
        assert headers["x-request-id"] == "lb-trace.42:a"
        for hostile in ("has space", "x" * 129, "semi;colon", "<script>"):
            _, headers, _ = server.call("/api/v1/projects", headers={"x-request-id": hostile})
            assert re.fullmatch(r"[0-9a-f-]{36}", headers["x-request-id"]), hostile

        # No cross-origin access unless CORS_ORIGINS lists the origin.
        _, headers, _ = server.call("/api/v1/projects", headers={"origin": "https://evil.example"})
        assert "access-control-allow-origin" not in headers

        # The request log line carries the request id and the signed-in user's id.
        # Accounts are users rows: register takes the table's required fields too.
        creds = {"email": "ops@example.com", "password": "a long enough passphrase"}
        assert server.call("/api/v1/auth/register", "POST",
                           body={**creds, "display_name": "Ops"})[0] == 201
        status, _, body = server.call("/api/v1/auth/login", "POST", body=creds)
        token = json.loads(body)["token"]
        status, _, body = server.call("/api/v1/auth/me", headers={
            "authorization": f"Bearer {token}", "x-request-id": "me-call-1"})
        assert status == 200
        user_id = json.loads(body)["id"]
        time.sleep(0.2)
        logged = [e for e in server.lines() if e.get("req", {}).get("id") == "me-call-1"]
        assert logged and logged[0]["userId"] == user_id, logged
    finally:
        server.stop()


def test_docs_and_cors_when_enabled_in_production(app) -> None:
    server = Running(app, NODE_ENV="production", DOCS_ENABLED="true",
                     CORS_ORIGINS="https://app.example,https://admin.example")
    try:
        assert server.call("/openapi.json")[0] == 200
        assert server.call("/docs/")[0] == 200
        _, headers, _ = server.call("/api/v1/projects", headers={"origin": "https://app.example"})
        assert headers["access-control-allow-origin"] == "https://app.example"
        assert "X-Request-Id" in headers["access-control-expose-headers"]
    finally:
        server.stop()


def test_host_and_timeouts_are_configurable(app) -> None:
    server = Running(app, NODE_ENV="test", HOST="0.0.0.0", KEEP_ALIVE_TIMEOUT_MS="75000",
                     HEADERS_TIMEOUT_MS="76000", TRUST_PROXY="loopback,10.0.0.0/8")
    try:
        listening = next(e for e in server.lines() if e.get("msg") == "server listening")
        assert listening["address"] == "0.0.0.0"
        # The counterpart of the 127.0.0.1 check: bound to every interface, the other
        # address answers, so its refusal there came from HOST, not from the network.
        other = _other_local_address()
        if other is not None:
            socket.create_connection((other, server.port), timeout=2).close()
        assert listening["keepAliveTimeoutMs"] == 75000
        assert listening["docs"] == "/docs"
    finally:
        server.stop()
