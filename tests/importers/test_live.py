"""Import from a running PostgreSQL (SQLAlchemy's inspector), loaded with corpus schemas."""

from __future__ import annotations

import uuid

import pytest

from backforge import api
from backforge.errors import InputError
from backforge.spec import load
from backforge.spec.model import FieldType, OnDelete
from backforge.verify.postgres import EphemeralPostgres, find_bin
from tests.importers.catalog import create_database, run_sql

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server():
    if find_bin("initdb") is None or find_bin("psql") is None:
        pytest.skip("SKIPPED LOUDLY: PostgreSQL binaries (initdb, psql) are not installed; "
                    "the live-database import did not run")
    with EphemeralPostgres() as pg:
        yield pg.url


def _database(server: str, sql: str) -> str:
    url = create_database(server, "live_" + uuid.uuid4().hex[:8])
    run_sql(url, sql)
    return url


def test_introspection_equals_the_sql_import(corpus, server):
    """chinook loaded into PostgreSQL reads back as the same project as its DDL file."""
    path = corpus / "chinook.postgres.sql"
    url = _database(server, path.read_text(encoding="utf-8"))
    live = api.load_database(url)
    from_file = load(path)
    assert live.format == "live" and "@" in live.source and live.source.endswith(url[-13:])
    by_name = {t.name: t for t in from_file.project.tables}
    assert {t.name: t for t in live.project.tables} == by_name  # the catalog lists by name
    assert live.notes == from_file.notes == ()


def test_introspection_of_pagila(corpus, server):
    """Enums, domains, sequences, partitions, opaque types and indexes from the catalog.
    The server lacks pgvector and PostgreSQL 18, so `vector(20)` becomes `real[]`, the
    hnsw index goes, `uuidv7()` becomes `gen_random_uuid()` and VIRTUAL becomes STORED."""
    sql = (corpus / "pagila.postgres.sql").read_text(encoding="utf-8")
    for old, new in (("CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA public;", ""),
                     ("public.vector(20)", "real[]"), ("uuidv7()", "gen_random_uuid()"),
                     (" VIRTUAL\n", " STORED\n")):
        sql = sql.replace(old, new)
    sql = sql.replace("CREATE INDEX film_embedding_embedding_hnsw_idx ON public.film_embedding "
                      "USING hnsw (embedding public.vector_cosine_ops);", "")
    live = api.load_database(_database(server, sql))
    project = live.project
    assert "payment_p2022_01" not in {t.name for t in project.tables}
    payment = project.table("payment")
    assert {f.name for f in payment.primary_key} == {"payment_date", "payment_id"}
    assert payment.field("customer_id").references == "customer.customer_id"  # from partitions
    assert payment.field("payment_id").auto_increment  # nextval default
    film = project.table("film")
    assert (film.field("rating").type, film.field("rating").values) == (
        FieldType.ENUM, ("G", "PG", "PG-13", "R", "NC-17"))
    year = film.field("release_year")
    assert (year.type, year.min, year.max) == (FieldType.INTEGER, 1901, 2155)  # the domain
    assert film.field("fulltext").db_type == "tsvector"
    assert film.field("special_features").db_type == "text[]"
    assert film.field("language_id").on_delete is OnDelete.RESTRICT
    assert "film_fulltext_idx" in {i.name for i in film.indexes}
    assert any("length_hours" in n and n.startswith("generated") for n in live.notes)
    assert any(n.startswith("payment: its 55 partitions") for n in live.notes)
    assert api.generate(live).success


def test_an_unreachable_database_is_an_input_error(server):
    bad = server.rsplit("/", 1)[0] + "/no_such_database"
    with pytest.raises(InputError) as info:
        api.load_database(bad)
    assert "no_such_database" in str(info.value) and info.value.exit_code == 2
