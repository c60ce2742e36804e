"""On a real PostgreSQL: a spec with legitimate checks, partial indexes and db_types
migrates to exactly the declared relations and constraints, and the checks hold; the
SQL cases of the hostile corpus that generate migrate without creating anything else."""

from __future__ import annotations

import subprocess

import pytest

from backforge import api
from backforge.spec import load
from backforge.verify.postgres import EphemeralPostgres, find_bin
from tests.importers.catalog import run_sql
from tests.spec.test_sql_hostile_files import INERT

pytestmark = pytest.mark.slow

SPEC = {"name": "gated", "tables": [{
    "name": "items",
    "fields": [{"name": "id", "type": "integer", "primary_key": True},
               {"name": "Price", "type": "integer"},
               {"name": "name", "type": "string", "max_length": 40},
               {"name": "code", "type": "string", "max_length": 4, "db_type": "CHAR(4)"},
               {"name": "seen", "type": "datetime", "default": "now"}],
    "checks": ["price > 0 AND lower(name) <> 'admin'", "name <> '''); DROP TABLE items; --'"],
    "indexes": [{"name": "items_recent", "fields": ["seen"], "using": "BRIN",
                 "where": "price BETWEEN 1 AND 100 AND name IS NOT NULL"}]}]}
RELATIONS = """SELECT c.relname || ':' || c.relkind::text FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' ORDER BY 1"""
CHECKS = """SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
WHERE contype = 'c' AND connamespace = 'public'::regnamespace ORDER BY 1"""


def _rows(url: str, sql: str) -> list[str]:
    out = subprocess.run(["psql", url, "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                         capture_output=True, text=True, check=True, timeout=60)
    return out.stdout.splitlines()


@pytest.fixture(scope="module")
def pg():
    if find_bin("initdb") is None or find_bin("psql") is None:
        pytest.skip("SKIPPED LOUDLY: PostgreSQL binaries are not installed")
    with EphemeralPostgres() as server:
        yield server


def test_checks_and_partial_indexes_create_exactly_what_was_declared(pg):
    files = api.generate(load(SPEC)).files
    run_sql(pg.url, files["migrations/0001_initial.up.sql"])
    try:
        assert _rows(pg.url, RELATIONS) == ["items:r", "items_pkey:i", "items_recent:i"]
        assert _rows(pg.url, CHECKS) == [
            "items_check_1 CHECK (((price > 0) AND (lower((name)::text) <> 'admin'::text)))",
            "items_check_2 CHECK (((name)::text <> '''); DROP TABLE items; --'::text))"]
        index = _rows(pg.url, "SELECT pg_get_indexdef('items_recent'::regclass)")
        assert index == [("CREATE INDEX items_recent ON public.items USING brin (seen) "
                         "WHERE (((price >= 1) AND (price <= 100)) AND (name IS NOT NULL))")]
        run_sql(pg.url, "INSERT INTO items (id, price, name, code) VALUES (1, 5, 'a', 'ab');")
        for bad in ("(2, 0, 'b', 'x')", "(3, 5, 'ADMIN', 'x')"):
            with pytest.raises(subprocess.CalledProcessError) as refused:
                run_sql(pg.url, f"INSERT INTO items (id, price, name, code) VALUES {bad};")
            assert "violates check constraint" in refused.value.stderr
    finally:
        run_sql(pg.url, files["migrations/0001_initial.down.sql"])


@pytest.mark.parametrize("path", INERT, ids=lambda p: p.name)
def test_inert_sql_cases_migrate_to_their_one_table(pg, path):
    files = api.generate(load(path)).files
    run_sql(pg.url, files["migrations/0001_initial.up.sql"])
    try:
        tables = [r for r in _rows(pg.url, RELATIONS) if r.endswith(":r")]
        assert tables == ["items:r"]
    finally:
        run_sql(pg.url, files["migrations/0001_initial.down.sql"])
    assert _rows(pg.url, RELATIONS) == []
