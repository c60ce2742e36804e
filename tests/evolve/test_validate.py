"""The validator follows ALTER TABLE migrations: what 0003 adds is known, what it drops
or renames away is not (for source queries and seeds); migrations themselves are
checked against everything any migration creates."""

from __future__ import annotations

import pytest

from backforge import api
from backforge.validate import validate_tree
from tests.evolve.cases import changed
from tests.evolve.helpers import base, evolve

PACKAGE = {"dependencies": {"pg": "8", "express": "5"}}
STACK = ("named-exports", "parameterized-sql")
M1 = """CREATE TABLE "tasks" (
  "id" uuid NOT NULL,
  "title" text,
  "old_name" text,
  CONSTRAINT "tasks_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "temp" ("id" uuid NOT NULL);
CREATE TABLE "boards" ("id" uuid NOT NULL, "name" text);
"""
M1_DOWN = 'DROP TABLE "boards";\nDROP TABLE "temp";\nDROP TABLE "tasks";\n'
M3 = """ALTER TABLE "tasks" ADD COLUMN "due_at" timestamptz;
ALTER TABLE "tasks" DROP COLUMN "title";
ALTER TABLE "tasks" RENAME COLUMN "old_name" TO "new_name";
ALTER TABLE "tasks" ALTER COLUMN "due_at" TYPE date USING "due_at"::date;
DROP TABLE "temp";
ALTER TABLE "boards" RENAME TO "walls";
ALTER TABLE "tasks" DROP CONSTRAINT "tasks_pkey";
"""
M3_DOWN = """ALTER TABLE "tasks" ADD CONSTRAINT "tasks_pkey" PRIMARY KEY ("id");
ALTER TABLE "walls" RENAME TO "boards";
CREATE TABLE "temp" ("id" uuid NOT NULL);
ALTER TABLE "tasks" RENAME COLUMN "new_name" TO "old_name";
ALTER TABLE "tasks" ADD COLUMN "title" text;
ALTER TABLE "tasks" DROP COLUMN "due_at";
"""


def unknown(code: str, seeds: str | None = None) -> list[tuple[str, str]]:
    files = {"migrations/0001_initial.up.sql": M1, "migrations/0001_initial.down.sql": M1_DOWN,
             "migrations/0003_change.up.sql": M3, "migrations/0003_change.down.sql": M3_DOWN,
             "src/models/x.js": code + "module.exports = { Q };\n"}
    if seeds is not None:
        files["seeds/0001_sample.sql"] = seeds
    issues = validate_tree(files, PACKAGE, stack_rules=STACK)
    return [(i.rule, i.message.split('"')[1]) for i in issues]


def test_both_migration_directions_pass_as_written():
    assert unknown("const Q = 1;\n") == []


def test_added_and_renamed_columns_are_known_to_queries():
    assert unknown("const Q = 'SELECT \"due_at\", \"new_name\" FROM \"tasks\"';\n") == []
    assert unknown("const Q = 'SELECT \"name\" FROM \"walls\"';\n") == []


@pytest.mark.parametrize(("query", "name"), [
    ('SELECT \\"title\\" FROM \\"tasks\\"', "title"),
    ('SELECT \\"old_name\\" FROM \\"tasks\\"', "old_name"),
    ('SELECT \\"id\\" FROM \\"temp\\"', "temp"),
    ('SELECT \\"name\\" FROM \\"boards\\"', "boards"),
])
def test_dropped_and_renamed_away_names_are_unknown_to_queries(query, name):
    assert unknown(f"const Q = '{query}';\n") == [("query-column-unknown", name)]


def test_seeds_are_checked_against_the_schema_after_every_migration():
    seeds = 'INSERT INTO "tasks" ("id", "title") VALUES (gen_random_uuid(), \'x\');\n'
    assert unknown("const Q = 1;\n", seeds) == [("sql-reference-unknown", "title")]


@pytest.fixture(scope="module")
def old_files() -> dict[str, str]:
    result = api.generate(base())
    assert result.success
    return dict(result.files)


def test_old_project_plus_an_additive_migration_is_clean(old_files):
    ev = evolve(base(), changed("add_column"), tuple(old_files))
    files = {**old_files, **{f.path: f.content for f in ev.files}}
    assert validate_tree(files) == []


def test_old_code_after_a_drop_migration_names_the_dropped_column(old_files):
    ev = evolve(base(), changed("drop_column"), tuple(old_files))
    files = {**old_files, **{f.path: f.content for f in ev.files}}
    found = {(i.rule, i.file) for i in validate_tree(files)}
    assert ("query-column-unknown", "src/models/tasks.js") in found


def test_regenerated_project_with_the_kept_migrations_is_clean(old_files):
    """What regeneration leaves: the new code and seeds, the applied 0001/0002 kept as they
    were, and the new 0003 on top."""
    new = changed("combined")
    result = api.generate(new)
    assert result.success
    ev = evolve(base(), new, tuple(old_files))
    kept = {p: c for p, c in old_files.items() if p.startswith("migrations/")}
    files = {**result.files, **kept, **{f.path: f.content for f in ev.files}}
    assert validate_tree(files) == []
