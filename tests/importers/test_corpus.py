"""Every schema of the shared corpus imports, generates validated, and round-trips as YAML.

The slow tests build databases: for the PostgreSQL files, the catalog of a database
loaded from the original DDL is compared with one built by the generated migration
(tables, columns with their types and nullability, primary keys, unique constraints
and indexes, foreign keys). The server here is PostgreSQL 15 without pgvector or
PostGIS, so both sides get the same stand-ins before loading: `vector(20)` -> `real[]`,
PostGIS `geometry(...)` -> `text`, their CREATE EXTENSION lines and the hnsw index
removed; and in the original only, pagila's PostgreSQL 18 syntax becomes 15's
(`uuidv7()` -> `gen_random_uuid()`, `VIRTUAL` -> `STORED` generated column). Every
other difference must be one the import reported: a column it could not parse, an
`id` it added to a table without a primary key.
"""

from __future__ import annotations

import re
import uuid

import pytest

from backforge import api
from backforge.spec import load
from backforge.spec.loaders.dump import to_yaml
from backforge.verify.postgres import EphemeralPostgres, find_bin
from tests.importers.catalog import create_database, read_catalog, run_sql
from tests.importers.conftest import CORPUS_FILES

POSTGRES_FILES = [f for f in CORPUS_FILES if ".postgres." in f]
# (original text, stand-in) applied to both sides: what this server cannot load.
STAND_INS = [
    (re.compile(r"CREATE EXTENSION IF NOT EXISTS \"?(?:vector|postgis)\"?[^;]*;"), ""),
    (re.compile(r"public\.vector\(20\)"), "real[]"),
    (re.compile(r"public\.geometry\(polygon, ?4326\)", re.IGNORECASE), "text"),
    (re.compile(r"CREATE INDEX film_embedding_embedding_hnsw_idx[^;]*;"), ""),
]
PG18_TO_15 = [("uuidv7()", "gen_random_uuid()"), (" VIRTUAL\n", " STORED\n")]


def _stand_ins(sql: str) -> str:
    for pattern, replacement in STAND_INS:
        sql = pattern.sub(replacement, sql)
    return sql


def _modules_validated(result) -> set[str]:
    return {m["name"] for m in result.report["modules"] if m["status"] != "validated"}


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_imports_generates_validated_and_round_trips(corpus, tmp_path, name):
    loaded = load(corpus / name)
    assert loaded.format == "sql" and loaded.project.tables
    result = api.generate(loaded)
    assert result.success, result.report
    assert _modules_validated(result) == set()
    spec = tmp_path / "spec.yaml"
    spec.write_text(to_yaml(loaded.project, loaded.notes, name), encoding="utf-8")
    assert load(spec).project == loaded.project


@pytest.fixture(scope="module")
def server():
    if find_bin("initdb") is None or find_bin("psql") is None:
        pytest.skip("SKIPPED LOUDLY: PostgreSQL binaries (initdb, psql) are not installed; "
                    "the catalog comparisons did not run")
    with EphemeralPostgres() as pg:
        yield pg.url


def _fresh(url: str) -> str:
    return create_database(url, "db_" + uuid.uuid4().hex[:10])


def _added_ids(notes: tuple[str, ...]) -> set[str]:
    found = (re.search(r"\((\w+)\) has no primary key: added an 'id'", n) for n in notes)
    return {m.group(1) for m in found if m}


def _unparsed_columns(notes: tuple[str, ...]) -> set[tuple[str, str]]:
    found = (re.search(r"\(table (\w+)\): cannot parse column (\w+)", n) for n in notes)
    return {(m.group(1), m.group(2)) for m in found if m}


def _as_sets(keys):
    return {(table, frozenset(cols.split(","))) for table, cols in keys}


@pytest.mark.slow
@pytest.mark.parametrize("name", POSTGRES_FILES)
def test_generated_migration_recreates_the_postgres_catalog(corpus, server, name):
    original = (corpus / name).read_text(encoding="utf-8")
    for old, new in PG18_TO_15:
        original = original.replace(old, new)
    loaded = load(corpus / name)
    migration = api.generate(loaded).files["migrations/0001_initial.up.sql"]
    source, target = _fresh(server), _fresh(server)
    run_sql(source, _stand_ins(original))
    run_sql(target, _stand_ins(migration))
    want, got = read_catalog(source), read_catalog(target)

    added = _added_ids(loaded.notes)
    unparsed = _unparsed_columns(loaded.notes)
    assert got.tables == want.tables
    assert {c for c in want.columns if (c[0], c[1]) not in unparsed} == \
        {c for c in got.columns if not (c[0] in added and c[1] == "id")}
    assert all(any(c[:2] == u for c in want.columns) for u in unparsed)
    # Composite keys: the spec keeps key columns in field order, so compare them as sets.
    assert _as_sets(want.primary_keys) == _as_sets(
        k for k in got.primary_keys if not (k[0] in added and k[1] == "id"))
    assert want.foreign_keys == got.foreign_keys
    assert want.unique == got.unique


def _sqlglot_model(text: str, dialect: str):
    """Tables, columns (NOT NULL), primary keys and foreign keys straight from sqlglot's
    parse of the file: what a MySQL or SQLite server would have built (no such server
    runs here, so the generated PostgreSQL catalog is compared with this)."""
    import sqlglot
    from sqlglot import exp

    from backforge.spec.naming import sql_identifier

    columns, pks, fks = set(), set(), set()
    for statement in sqlglot.parse(text, read=dialect):
        if not isinstance(statement, exp.Create) or not isinstance(statement.this, exp.Schema):
            continue
        table = sql_identifier(statement.this.this.name)
        for item in statement.this.expressions:
            if isinstance(item, exp.ColumnDef):
                not_null = any(isinstance(c.kind, (exp.NotNullColumnConstraint,
                                                   exp.PrimaryKeyColumnConstraint))
                               for c in item.constraints)
                columns.add((table, sql_identifier(item.name), not_null))
            keys = item.expressions if isinstance(item, exp.Constraint) else [item]
            for key in keys:
                if isinstance(key, exp.PrimaryKey):
                    pks.add((table, frozenset(sql_identifier(e.name) for e in key.expressions)))
                elif isinstance(key, exp.ForeignKey):
                    ref = key.args["reference"].this
                    fks.add((table, ",".join(sql_identifier(e.name) for e in key.expressions),
                             sql_identifier(ref.this.name),
                             ",".join(sql_identifier(e.name) for e in ref.expressions)))
    return columns, pks, fks


@pytest.mark.slow
@pytest.mark.parametrize("name", [f for f in CORPUS_FILES if ".postgres." not in f])
def test_generated_migration_matches_the_parsed_mysql_or_sqlite_model(corpus, server, name):
    """Names, nullability, primary and foreign keys of the generated PostgreSQL schema
    equal those of sqlglot's parse of the MySQL/SQLite file (types differ by design:
    they become PostgreSQL types, each change listed in the import notes)."""
    dialect = name.split(".")[-2]
    columns, pks, fks = _sqlglot_model((corpus / name).read_text(encoding="utf-8"), dialect)
    loaded = load(corpus / name)
    target = _fresh(server)
    run_sql(target, api.generate(loaded).files["migrations/0001_initial.up.sql"])
    got = read_catalog(target)
    relaxed = {tuple(item.split(".")) for n in loaded.notes if n.startswith("made optional")
               for item in n.rsplit(": ", 1)[1].split(", ")}
    expected = {(t, c, nn and (t, c) not in relaxed) for t, c, nn in columns}
    assert {(t, c, nn) for t, c, _, nn in got.columns} == expected
    assert _as_sets(got.primary_keys) == pks
    assert got.foreign_keys == fks
