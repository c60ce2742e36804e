"""End to end: generate a project, npm install, lint, migrate a real PostgreSQL (up,
down, up), seed twice, boot it, run the API contract against it from Python, stop it
gracefully, then run its own jest suites against the same database.

Slow (npm install, PostgreSQL): `pytest -m slow tests/stack`. npm uses a shared
cache (~/.npm or $BACKFORGE_NPM_CACHE), so only the first run downloads packages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backforge.plan import build
from backforge.stacks.express_js import STACK
from tests.stack.contract import run_contract
from tests.stack.specs import project
from tests.stack.support import (
    Client,
    Result,
    ephemeral_postgres,
    missing_tools,
    npm,
    psql,
    render_project,
    running_server,
    write_project,
)

pytestmark = pytest.mark.slow

MISSING = missing_tools()


@pytest.fixture(scope="module")
def postgres() -> str:
    if MISSING:
        pytest.skip(f"SKIPPED LOUDLY: the end-to-end test needs {', '.join(MISSING)} "
                    "on the PATH (Node 20 + npm, PostgreSQL 15 binaries)")
    with ephemeral_postgres("postgres_admin") as url:
        yield url


def _ok(result: Result, what: str) -> None:
    assert result.returncode == 0, f"{what} failed:\n{result.output[-4000:]}"


@pytest.mark.parametrize("name", ["taskmanager", "shop", "blog", "edge", "bare"])
def test_generated_project_works_end_to_end(name: str, postgres: str, tmp_path: Path) -> None:
    spec = project(name)
    plan = build(spec, STACK)
    root = tmp_path / name
    write_project(render_project(spec), root)
    database = f"e2e_{name}"
    psql(postgres, f'CREATE DATABASE "{database}"')
    url = postgres.rsplit("/", 1)[0] + f"/{database}"
    env = {"DATABASE_URL": url, "LOG_LEVEL": "warn", "NODE_ENV": "test"}
    if spec.options.auth:
        env["JWT_SECRET"] = "e2e-secret-" + "x" * 32

    install = npm(["install", "--prefer-offline", "--no-audit", "--no-fund"], root)
    _ok(install, "npm install")
    print(f"\n[{name}] npm install: {install.seconds:.1f} s")
    lint = npm(["run", "lint"], root)
    _ok(lint, "npm run lint")
    assert not re.search(r"\d+ problems?|warning", lint.output), lint.output

    for step in (["run", "migrate"], ["run", "migrate:status"], ["run", "migrate:down"],
                 ["run", "migrate"], ["run", "migrate:down", "--", "all"], ["run", "migrate"],
                 ["run", "seed"], ["run", "seed"]):
        _ok(npm(step, root, env), "npm " + " ".join(step))
    for t in spec.tables:
        table = plan.names.table(t.name).sql
        assert psql(url, f'SELECT count(*) FROM "{table}"') == "3", f"seed rows of {table}"
    assert psql(url, "SELECT count(*) FROM schema_migrations") == \
        ("2" if spec.options.auth else "1")

    with running_server(root, env) as server:
        report = run_contract(Client(server.base), plan)
    assert server.exit_code == 0, f"unclean shutdown:\n{server.log.read_text()[-3000:]}"
    print(f"[{name}] API contract: {report.checks} checks passed")

    if not spec.options.tests:
        assert not (root / "tests").exists()
        return
    tests = npm(["test"], root, {**env, "LOG_LEVEL": "silent"})
    _ok(tests, "npm test")
    summary = re.search(r"Tests:\s+(\d+) passed, (\d+) total", tests.output)
    assert summary and summary.group(1) == summary.group(2), tests.output[-3000:]
    print(f"[{name}] npm test: {summary.group(0)} in {tests.seconds:.1f} s")
