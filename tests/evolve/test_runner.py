"""The generated migrate runner picks the new migration up: a project generated from the
old spec migrates, gets the evolution's files, migrates again (only the new file runs),
reaches the new schema, and `migrate:down` reverts just that file."""

from __future__ import annotations

from pathlib import Path

import pytest

from backforge import api
from backforge.verify.postgres import EphemeralPostgres, find_bin
from backforge.verify.process import install_dependencies, modules_cache_dir, run_command
from backforge.verify.runner import app_env
from tests.evolve.cases import changed
from tests.evolve.catalog import Catalog, read_catalog, run_sql, scalar
from tests.evolve.helpers import base, evolve, migrations, plan_of

pytestmark = pytest.mark.slow


def without_bookkeeping(catalog: Catalog) -> Catalog:
    """The runner's own table is not part of the spec's schema."""
    def keep(rows):
        return frozenset(r for r in rows if r[0] != "schema_migrations")

    return Catalog(keep(catalog.tables), keep(catalog.columns), keep(catalog.constraints),
                   keep(catalog.indexes))


def fresh(pg: EphemeralPostgres, name: str, spec: dict) -> Catalog:
    scalar(pg.url, f'CREATE DATABASE "{name}"')
    url = pg.url.rsplit("/", 1)[0] + "/" + name
    for path, sql in migrations(plan_of(spec)).items():
        if path.endswith(".up.sql"):
            run_sql(url, sql)
    return read_catalog(url)


def test_runner_applies_and_reverts_the_new_migration(tmp_path: Path):
    for tool in ("initdb", "psql", "node", "npm"):
        if find_bin(tool) is None:
            pytest.skip(f"SKIPPED LOUDLY: {tool} is not installed")
    generated = api.generate(base())
    assert generated.success
    for path, content in generated.files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(content)
    installed = install_dependencies(tmp_path, modules_cache=modules_cache_dir())
    assert installed.ok, installed.output
    new = changed("combined")
    ev = evolve(base(), new, tuple(generated.files))
    with EphemeralPostgres() as pg:
        env = app_env(plan_of(base()), pg.url)

        def npm(*args: str) -> str:
            result = run_command(["npm", "run", "--silent", *args], tmp_path, env)
            assert result.ok, result.output
            return result.output

        assert "applied: 0001_initial, 0002_auth" in npm("migrate")
        run_sql(pg.url, generated.files["seeds/0001_sample.sql"])
        for f in ev.files:
            (tmp_path / f.path).write_text(f.content)
        assert "applied: 0003_schema_change" in npm("migrate")
        migrated = without_bookkeeping(read_catalog(pg.url))
        assert migrated.differences(fresh(pg, "new_schema", new)) == {}
        assert "reverted: 0003_schema_change" in npm("migrate:down")
        reverted = without_bookkeeping(read_catalog(pg.url))
        assert reverted.differences(fresh(pg, "old_schema", base())) == {}
        assert "applied: 0003_schema_change" in npm("migrate")
        assert "reverted: 0003_schema_change, 0002_auth, 0001_initial" in \
            npm("migrate:down", "--", "all")
