"""Slow: a database built by the old migrations is moved to the new schema by the
appended migration, and the regenerated (hand-edited) project verifies end to end."""

from __future__ import annotations

import subprocess
from pathlib import Path

from backforge import api
from backforge.verify.postgres import EphemeralPostgres, find_bin
from backforge.verify.process import install_dependencies, modules_cache_dir, run_command
from tests.conftest import slow_needing
from tests.regen.support import SPECS, mutated, write_spec

pytestmark = slow_needing("node", "npm", "git", "initdb", "pg_ctl", "psql",
                          why="Node + npm, PostgreSQL, git")


def _psql(url: str, sql: str) -> str:
    done = subprocess.run([find_bin("psql") or "psql", url, "-tAc", sql], capture_output=True,
                          text=True, check=True)
    return done.stdout.strip()


def _migrate(root: Path, url: str) -> None:
    env = {"DATABASE_URL": url, "JWT_SECRET": "x" * 64, "NODE_ENV": "test"}
    done = run_command(["npm", "run", "--silent", "migrate"], root, env)
    assert done.ok, done.output[-3000:]


def test_old_database_migrates_to_the_regenerated_schema(tmp_path: Path) -> None:
    root = tmp_path / "tm"
    assert api.generate(SPECS / "taskmanager.yaml", output=root).success
    with (root / "src/services/tasks.js").open("a", encoding="utf-8") as fh:
        fh.write("\n// hand-written\nmodule.exports.audit = () => 'audited';\n")
    assert install_dependencies(root, None, modules_cache_dir()).ok
    with EphemeralPostgres() as pg:
        _migrate(root, pg.url)
        # A populated table: the new migration must apply to real rows.
        _psql(pg.url, "INSERT INTO users (email, display_name) VALUES ('a@b.c', 'A');"
              "INSERT INTO projects (name, owner_id) SELECT 'p', id FROM users;"
              "INSERT INTO tasks (project_id, title) SELECT id, 't' FROM projects;")
        spec = mutated("add_table", mutated("add_column"))
        result = api.generate(write_spec(tmp_path / "s.yaml", spec), output=root)
        assert result.success and result.exit_code == 0, result.report["regeneration"]
        _migrate(root, pg.url)
        columns = _psql(pg.url, "SELECT column_name FROM information_schema.columns "
                                "WHERE table_name = 'tasks' ORDER BY column_name")
        assert "notes" in columns.split()
        assert _psql(pg.url, "SELECT count(*) FROM labels") == "0"
        assert _psql(pg.url, "SELECT title FROM tasks") == "t"
    assert "module.exports.audit" in (root / "src/services/tasks.js").read_text()
    report = api.verify(root)  # lint, fresh database, migrate up/down/up, API, npm test
    failed = [(s.name, s.detail, s.output[-2000:]) for s in report.failed_steps()]
    assert report.success, (failed, report.failed_checks()[:3])
