"""Helpers for the express-js end-to-end tests: write a generated project,
run npm, start an ephemeral PostgreSQL and the generated server, call its API.

Everything here runs the real tools (npm, initdb/pg_ctl, node); callers skip
with a loud reason when a tool is missing.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backforge.plan import build
from backforge.spec.model import Project
from backforge.stacks.express_js import STACK

NPM_CACHE = Path(os.environ.get("BACKFORGE_NPM_CACHE", Path.home() / ".npm"))


def missing_tools() -> list[str]:
    return [t for t in ("node", "npm", "initdb", "pg_ctl", "psql") if shutil.which(t) is None]


def render_project(project: Project) -> dict[str, str]:
    """Every file of every unit, path -> content."""
    plan = build(project, STACK)
    files: dict[str, str] = {}
    for unit in plan.units.values():
        for f in STACK.render(unit, plan).files:
            if f.path in files:
                raise AssertionError(f"{f.path} produced twice (again by {unit.id})")
            files[f.path] = f.content
    return files


def write_project(files: Mapping[str, str], root: Path) -> None:
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Result:
    returncode: int
    output: str
    seconds: float


def run(cmd: list[str], cwd: Path, env: Mapping[str, str] | None = None,
        timeout: float = 600) -> Result:
    """Run a command, output (stdout+stderr) captured; never raises on a non-zero exit."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, check=False, cwd=cwd, env={**os.environ, **(env or {})},
                          timeout=timeout,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return Result(proc.returncode, proc.stdout, time.perf_counter() - start)


def npm(args: list[str], cwd: Path, env: Mapping[str, str] | None = None,
        timeout: float = 900) -> Result:
    base = {"npm_config_cache": str(NPM_CACHE), "npm_config_fund": "false",
            "npm_config_audit": "false", "npm_config_update_notifier": "false"}
    return run(["npm", *args], cwd, {**base, **(env or {})}, timeout)


# --- PostgreSQL ------------------------------------------------------------------------


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


@contextlib.contextmanager
def ephemeral_postgres(database: str = "app") -> Iterator[str]:
    """A throwaway PostgreSQL on 127.0.0.1:<free port>; yields its DATABASE_URL."""
    root = Path(tempfile.mkdtemp(prefix="backforge-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        ids = pwd.getpwnam("postgres")
        for p in (root, sock):
            os.chown(p, ids.pw_uid, ids.pw_gid)
    port = free_port()
    try:
        _check(run(_as_postgres(["initdb", "-D", str(data), "-U", "postgres", "--auth=trust",
                                 "--encoding=UTF8", "--no-sync"]), root), "initdb")
        opts = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off"
        _check(run(_as_postgres(["pg_ctl", "-D", str(data), "-o", opts, "-w", "-t", "60",
                                 "-l", str(root / "server.log"), "start"]), root), "pg_ctl start")
        _check(run(["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-c",
                    f'CREATE DATABASE "{database}"'], root), "create database")
        yield f"postgres://postgres@127.0.0.1:{port}/{database}"
    finally:
        if (data / "postmaster.pid").exists():
            run(_as_postgres(["pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop"]), root)
        shutil.rmtree(root, ignore_errors=True)


def _check(result: Result, step: str) -> None:
    if result.returncode != 0:
        raise RuntimeError(f"{step} failed:\n{result.output[-3000:]}")


def psql(url: str, sql: str) -> str:
    result = run(["psql", url, "-v", "ON_ERROR_STOP=1", "-tAc", sql], Path.cwd())
    _check(result, f"psql {sql!r}")
    return result.output.strip()


# --- the generated server --------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    status: int
    body: Any
    headers: Mapping[str, str]


class Client:
    """A tiny JSON HTTP client for the generated API."""

    def __init__(self, base: str, token: str | None = None) -> None:
        self.base = base
        self.token = token

    def with_token(self, token: str | None) -> Client:
        return Client(self.base, token)

    def call(self, method: str, path: str, body: Any = None, raw: bytes | None = None) -> Response:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("content-type", "application/json")
        if self.token:
            req.add_header("authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(req, timeout=15) as res:
                return _response(res.status, res.read(), res.headers)
        except urllib.error.HTTPError as err:
            return _response(err.code, err.read(), err.headers)


def _response(status: int, raw: bytes, headers: Any) -> Response:
    text = raw.decode("utf-8", "replace")
    try:
        body: Any = json.loads(text) if text else None
    except json.JSONDecodeError:
        body = text
    return Response(status, body, {k.lower(): v for k, v in headers.items()})


@dataclass
class Server:
    base: str
    log: Path
    exit_code: int | None = None  # set once the server stopped


@contextlib.contextmanager
def running_server(root: Path, env: Mapping[str, str]) -> Iterator[Server]:
    """`node src/index.js` on a free port, yielded once /health answers 200; stopped
    with SIGTERM afterwards (its exit code tells whether shutdown was graceful)."""
    port = free_port()
    log = root / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(["node", "src/index.js"], cwd=root, stdout=out,
                                stderr=subprocess.STDOUT, env={**os.environ, **env,
                                                               "PORT": str(port)})
    server = Server(f"http://127.0.0.1:{port}", log)
    try:
        _wait_healthy(server.base, proc, log)
        yield server
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            server.exit_code = proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise


def _wait_healthy(base: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            if Client(base).call("GET", "/health").status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"server not healthy after 30 s:\n{log.read_text()[-3000:]}")
