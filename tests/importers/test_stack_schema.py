"""The express-js stack honours what imported schemas carry: db_type, unique groups,
database checks, extra indexes, multi-column foreign keys and extensions."""

from __future__ import annotations

import pytest

from backforge import api
from backforge.spec import load
from backforge.verify.postgres import EphemeralPostgres, find_bin
from tests.importers.catalog import read_catalog, run_sql

SPEC = {
    "name": "atlas",
    "database": {"extensions": ["btree_gist"]},
    "tables": [
        {"name": "nodes", "fields": [
            {"name": "node_id", "type": "bigint", "primary_key": True},
            {"name": "version", "type": "integer", "primary_key": True, "db_type": "smallint"},
            {"name": "seen_at", "type": "datetime", "db_type": "timestamp(6)"},
            {"name": "tags", "type": "text", "db_type": "text[]"},
            {"name": "doc", "type": "text", "db_type": "tsvector"},
            {"name": "ip", "type": "text", "db_type": "inet"},
            {"name": "code", "type": "string", "max_length": 3, "db_type": "char(3)"},
        ], "indexes": [
            {"name": "nodes_doc_idx", "fields": ["doc"], "using": "gin"},
            {"name": "nodes_recent_idx", "fields": ["seen_at"], "where": '"version" > 1'},
        ], "checks": ['"node_id" <> 0']},
        {"name": "node_tags", "fields": [
            {"name": "id", "type": "integer", "primary_key": True, "auto_increment": True},
            {"name": "node_id", "type": "bigint", "required": True},
            {"name": "version", "type": "integer", "required": True, "db_type": "smallint"},
            {"name": "k", "type": "string", "max_length": 40, "required": True},
        ], "unique": [["node_id", "version", "k"]],
           "foreign_keys": [{"name": "node_tags_node_fkey", "fields": ["node_id", "version"],
                             "references": "nodes", "ref_fields": ["node_id", "version"],
                             "on_delete": "cascade"}]},
    ],
}


@pytest.fixture(scope="module")
def generated():
    result = api.generate(load(SPEC))
    assert result.success, result.report
    return result.files


def test_migration_uses_db_types_and_keeps_database_structure(generated):
    up = generated["migrations/0001_initial.up.sql"]
    assert up.startswith('CREATE EXTENSION IF NOT EXISTS "btree_gist";')
    for line in ('"version" smallint NOT NULL', '"seen_at" timestamp(6)', '"tags" text[]',
                 '"doc" tsvector', '"ip" inet', '"code" char(3)',
                 'CONSTRAINT "nodes_check_1" CHECK ("node_id" <> 0)',
                 'CONSTRAINT "node_tags_node_id_version_k_key" UNIQUE ("node_id", "version", "k")',
                 'CREATE INDEX "nodes_doc_idx" ON "nodes" USING gin ("doc");',
                 'CREATE INDEX "nodes_recent_idx" ON "nodes" ("seen_at") WHERE "version" > 1;',
                 ('ALTER TABLE "node_tags" ADD CONSTRAINT "node_tags_node_fkey" FOREIGN KEY '
                  '("node_id", "version") REFERENCES "nodes" ("node_id", "version") '
                  'ON DELETE CASCADE;')):
        assert line in up, line
    assert "DROP TABLE IF EXISTS \"nodes\" CASCADE;" in \
        generated["migrations/0001_initial.down.sql"]


def test_opaque_columns_are_read_as_text_and_not_filtered(generated):
    model = generated["src/models/nodes.js"]
    select = model.split("select: '")[1].split("',")[0]
    assert '"doc"::text AS "doc"' in select and '"ip"::text AS "ip"' in select
    assert '"tags" AS "tags"' in select  # text[]: a JSON array, node-postgres parses it
    assert '"code" AS "code"' in select  # char(3) reads as a string already
    filterable = model.split("filterable: {")[1].split("}")[0]
    assert "seen_at:" in filterable and "code:" in filterable
    assert "doc:" not in filterable and "tags:" not in filterable and "ip:" not in filterable


def test_seed_rows_follow_multi_column_foreign_keys(generated):
    seeds = generated["seeds/0001_sample.sql"]
    assert seeds.index('INSERT INTO "nodes"') < seeds.index('INSERT INTO "node_tags"')


def test_smallint_bounds_reach_the_request_schema(generated):
    schemas = generated["src/schemas/nodes.js"]
    assert "32767" in schemas


@pytest.mark.slow
def test_the_migration_and_seeds_run_on_postgres(generated):
    if find_bin("initdb") is None or find_bin("psql") is None:
        pytest.skip("SKIPPED LOUDLY: PostgreSQL binaries are not installed")
    with EphemeralPostgres() as pg:
        run_sql(pg.url, generated["migrations/0001_initial.up.sql"])
        run_sql(pg.url, generated["seeds/0001_sample.sql"])
        catalog = read_catalog(pg.url)
        assert ("node_tags", "node_id,version", "nodes", "node_id,version") in \
            catalog.foreign_keys
        assert ("nodes", "tags", "text[]", False) in catalog.columns
        run_sql(pg.url, generated["migrations/0001_initial.down.sql"])
        assert read_catalog(pg.url).tables == frozenset()
