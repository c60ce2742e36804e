"""The SQL of an evolution per kind of change, its data loss, warnings and numbering."""

from __future__ import annotations

import json
import re

import pytest

from backforge.sql.evolve import next_number, widening
from tests.evolve.cases import changed
from tests.evolve.helpers import base, down_sql, evolve, table, up_sql


def statements(sql: str) -> list[str]:
    """The statements of a migration file, comments left out."""
    body = "\n".join(line for line in sql.splitlines() if not line.startswith("--"))
    return [s.strip().removesuffix(";") for s in re.split(r";\s*\n", body) if s.strip()]


def test_an_unchanged_schema_needs_no_migration():
    ev = evolve(base(), base())
    assert ev.files == () and ev.changes == () and ev.api == ()
    assert ev.empty and not ev.destructive and not ev.breaking


def test_add_nullable_column_is_one_statement_each_way():
    ev = evolve(base(), changed("add_column"))
    assert [f.path for f in ev.files] == ["migrations/0003_add_tasks_due_at.up.sql",
                                          "migrations/0003_add_tasks_due_at.down.sql"]
    assert statements(up_sql(ev)) == ['ALTER TABLE "tasks" ADD COLUMN "due_at" timestamptz']
    assert statements(down_sql(ev)) == ['ALTER TABLE "tasks" DROP COLUMN "due_at"']
    assert ev.changes == ("add column tasks.due_at (timestamptz)",)
    assert not ev.destructive and ev.warnings == ()


def test_required_column_with_default_is_added_with_it():
    ev = evolve(base(), changed("add_required_column_with_default"))
    up = statements(up_sql(ev))
    assert up[0] == ('ALTER TABLE "projects" ADD COLUMN "visibility" text NOT NULL '
                     "DEFAULT 'private'")
    assert up[1].startswith('ALTER TABLE "projects" ADD CONSTRAINT "projects_visibility_check" '
                            "CHECK (\"visibility\" IN ('private', 'team'))")
    assert ev.warnings == () and not ev.destructive


def test_required_column_without_default_is_a_warning():
    new = base()
    table(new, "tasks")["fields"].append({"name": "weight", "type": "integer", "required": True})
    ev = evolve(base(), new)
    assert 'ADD COLUMN "weight" integer NOT NULL' in up_sql(ev)
    assert len(ev.warnings) == 1 and "tasks.weight" in ev.warnings[0]
    assert "WARNING: column tasks.weight" in up_sql(ev)
    assert not ev.destructive


def test_drop_column_loses_its_values_and_down_recreates_it_empty():
    ev = evolve(base(), changed("drop_column"))
    up = statements(up_sql(ev))
    # The column's CHECK goes first, explicitly, then the column.
    assert up == ['ALTER TABLE "tasks" DROP CONSTRAINT "tasks_priority_check"',
                  'ALTER TABLE "tasks" DROP COLUMN "priority"']
    assert ev.destructive
    assert [d.change for d in ev.data_loss] == ["drop column tasks.priority"]
    assert "every value of tasks.priority (integer)" in ev.data_loss[0].detail
    down = down_sql(ev)
    assert "Re-created without their old data" in down and "column tasks.priority" in down
    assert statements(down) == [
        'ALTER TABLE "tasks" ADD COLUMN "priority" integer DEFAULT 3',
        ('ALTER TABLE "tasks" ADD CONSTRAINT "tasks_priority_check" CHECK ("priority" >= 1 '
        'AND "priority" <= 5)')]


def test_rename_is_drop_plus_add_and_down_fills_a_placeholder():
    ev = evolve(base(), changed("rename_column"))
    assert ev.changes == ("drop column users.display_name",
                          "add column users.full_name (varchar(100))")
    assert [d.change for d in ev.data_loss] == ["drop column users.display_name"]
    assert ev.files[0].path == "migrations/0003_schema_change.up.sql"
    down = statements(down_sql(ev))
    # display_name is NOT NULL without default: the rows the up kept need a value.
    assert down[1].startswith('ALTER TABLE "users" ADD COLUMN "display_name" varchar(100) '
                              "NOT NULL DEFAULT '")
    assert down[2] == 'ALTER TABLE "users" ALTER COLUMN "display_name" DROP DEFAULT'


def test_widening_types_is_not_data_loss():
    ev = evolve(base(), changed("widen_type"))
    up = up_sql(ev)
    assert 'ALTER COLUMN "title" TYPE varchar(500) USING "title"::varchar(500);' in up
    assert 'ALTER COLUMN "priority" TYPE bigint USING "priority"::bigint;' in up
    assert 'TYPE numeric(10, 3) USING "estimate_hours"::numeric(10, 3);' in up
    # The default is dropped before the cast and set again after it.
    order = [s for s in statements(up) if '"priority"' in s]
    assert [s.split('"priority"', 1)[1].split()[0] for s in order[:3]] == \
        ["DROP", "TYPE", "SET"]
    assert not ev.destructive


def test_narrowing_a_type_is_data_loss():
    ev = evolve(base(), changed("narrow_type"))
    assert ev.files[0].path == "migrations/0003_alter_tasks_title.up.sql"
    assert [d.change for d in ev.data_loss] == [
        "change type of column tasks.title from varchar(200) to varchar(5)"]
    assert "truncated" in ev.data_loss[0].detail
    assert "DATA LOSS: change type of column tasks.title" in up_sql(ev)
    assert 'TYPE varchar(200) USING "title"::varchar(200)' in down_sql(ev)


def test_drop_table_is_data_loss_and_down_recreates_it_as_0001_did():
    ev = evolve(base(), changed("drop_table"))
    assert statements(up_sql(ev)) == ['DROP TABLE "comments"']
    assert [d.change for d in ev.data_loss] == ["drop table comments"]
    down = down_sql(ev)
    assert down.count('CREATE TABLE "comments"') == 1
    assert 'CONSTRAINT "comments_task_id_fkey" REFERENCES "tasks" ("id") ON DELETE CASCADE' \
        in down


def test_new_table_is_created_like_0001_with_its_foreign_key():
    ev = evolve(base(), changed("add_table"))
    up = up_sql(ev)
    assert ev.files[0].path == "migrations/0003_create_labels.up.sql"
    assert 'CREATE TABLE "labels" (' in up
    assert 'REFERENCES "tasks" ("id") ON DELETE CASCADE' in up
    assert 'CREATE INDEX "labels_task_id_idx" ON "labels" ("task_id");' in up
    assert statements(down_sql(ev)) == ['DROP TABLE "labels"']


def test_foreign_keys_between_new_tables_come_after_every_create():
    new = base()
    new["tables"] += [
        {"name": "boards", "fields": [
            {"name": "id", "type": "uuid", "primary_key": True},
            {"name": "pinned_id", "type": "uuid", "references": "cards.id"}]},
        {"name": "cards", "fields": [
            {"name": "id", "type": "uuid", "primary_key": True},
            {"name": "board_id", "type": "uuid", "required": True, "references": "boards.id"}]}]
    up = up_sql(evolve(base(), new))
    last_create = max(up.index('CREATE TABLE "boards"'), up.index('CREATE TABLE "cards"'))
    deferred = up.index("DEFERRABLE INITIALLY IMMEDIATE")
    assert deferred > last_create


def test_add_and_drop_a_foreign_key():
    added = up_sql(evolve(base(), changed("add_foreign_key")))
    assert statements(added) == [
        'ALTER TABLE "projects" ADD COLUMN "lead_id" uuid',
        'CREATE INDEX "projects_lead_id_idx" ON "projects" ("lead_id")',
        ('ALTER TABLE "projects" ADD CONSTRAINT "projects_lead_id_fkey" FOREIGN KEY ("lead_id") '
        'REFERENCES "users" ("id") ON DELETE SET NULL')]
    ev = evolve(base(), changed("drop_foreign_key"))
    assert statements(up_sql(ev)) == [
        'ALTER TABLE "tasks" DROP CONSTRAINT "tasks_assignee_id_fkey"',
        'DROP INDEX "tasks_assignee_id_idx"']
    assert not ev.destructive


def test_constraint_default_nullability_and_comment_changes():
    ev = evolve(base(), changed("change_constraints"))
    up = up_sql(ev)
    assert "CHECK (\"status\" IN ('todo', 'in_progress', 'blocked', 'done'))" in up
    assert up.index('DROP CONSTRAINT "tasks_status_check"') < up.index('ADD CONSTRAINT '
                                                                       '"tasks_status_check"')
    assert 'ALTER TABLE "users" ALTER COLUMN "role" SET DEFAULT \'admin\';' in up
    assert 'ALTER TABLE "projects" ALTER COLUMN "description" SET NOT NULL;' in up
    assert 'ALTER TABLE "tasks" ALTER COLUMN "title" DROP NOT NULL;' in up
    assert 'ADD CONSTRAINT "projects_name_key" UNIQUE ("name");' in up
    assert "COMMENT ON TABLE \"tasks\" IS 'Work to do.';" in up
    assert any("projects.description becomes NOT NULL" in w for w in ev.warnings)
    down = down_sql(ev)
    assert "COMMENT ON COLUMN \"comments\".\"body\" IS NULL;" in down
    assert 'ALTER TABLE "tasks" ALTER COLUMN "title" SET NOT NULL;' in down


def test_numbering_follows_every_existing_migration():
    assert next_number([]) == 3  # 0002 is the auth migration's, even without auth
    assert next_number(["migrations/0001_initial.up.sql", "src/app.js"]) == 3
    assert next_number(["migrations/0007_x.up.sql", "migrations/0004_y.down.sql",
                        "seeds/0009_sample.sql"]) == 8
    ev = evolve(base(), changed("add_column"),
                ("migrations/0001_initial.up.sql", "migrations/0011_hand_written.up.sql"))
    assert ev.files[0].path == "migrations/0012_add_tasks_due_at.up.sql"


def test_the_migrate_runner_pattern_accepts_the_file_names():
    runner = re.compile(r"^\d+_[\w-]+\.up\.sql$")  # listMigrations in src/db/migrate.js
    for case in ("add_column", "rename_column", "add_table"):
        ev = evolve(base(), changed(case))
        up = ev.files[0].path.removeprefix("migrations/")
        assert runner.match(up) and up > "0002_auth.up.sql"


@pytest.mark.parametrize(("old", "new", "safe"), [
    ("integer", "bigint", True), ("bigint", "integer", False), ("varchar(10)", "varchar(20)", True),
    ("varchar(20)", "varchar(10)", False), ("varchar(20)", "text", True),
    ("text", "varchar(20)", False), ("numeric(6, 2)", "numeric(8, 2)", True),
    ("numeric(6, 2)", "numeric(6, 3)", False), ("numeric(6, 2)", "numeric", True),
    ("integer", "numeric(12, 2)", True), ("integer", "numeric(6, 2)", False),
    ("date", "timestamptz", True), ("timestamptz", "date", False), ("text", "integer", False),
    ("double precision", "integer", False), ("integer", "double precision", True),
    ("uuid", "text", True), ("jsonb", "text", True), ("text[]", "text", False)])
def test_widening(old, new, safe):
    assert widening(old, new) is safe


def test_to_dict_is_json():
    ev = evolve(base(), changed("drop_table"))
    data = json.loads(json.dumps(ev.to_dict()))
    assert data["destructive"] is True and data["breaking"] is True
    assert data["files"] == [f.path for f in ev.files]
    assert data["data_loss"][0]["change"] == "drop table comments"
