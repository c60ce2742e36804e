"""The second validation layer's rules, one by one: each fires on the mistake, at the
right line, with a hint, and stays quiet on the correct forms next to it."""

from __future__ import annotations

import pytest

from backforge.engine.protocols import Issue, Severity
from backforge.validate import STACK_RULES, checks_for, validate_tree

STACK = ("named-exports", "parameterized-sql")
MIGRATION = """CREATE TABLE "users" (
  "id" uuid NOT NULL,
  "email" text NOT NULL,
  CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "tasks" (
  "id" uuid NOT NULL,
  "owner_id" uuid REFERENCES "users" ("id"),
  "title" text
);
"""


def rules(issues: list[Issue], rule: str) -> list[tuple[str | None, int | None]]:
    return [(i.file, i.line) for i in issues if i.rule == rule]


def check(files: dict[str, str], stack: tuple[str, ...] = STACK) -> list[Issue]:
    return validate_tree(files, {"dependencies": {"pg": "8", "express": "5"}},
                         stack_rules=stack)


# -- parameterized SQL ----------------------------------------------------------------

SAFE_SQL = """'use strict';
const { query } = require('./db');
const TABLE = { name: '"tasks"', select: '"id", "title"' };
function param(values, v) { values.push(v); return '$' + values.length; }
async function list(limit, ids) {
  const values = [];
  const text = 'SELECT ' + TABLE.select + ' FROM ' + TABLE.name
    + ' LIMIT ' + param(values, limit);
  const placeholders = ids.map((_, i) => `$${i + 1}`);
  await query(`SELECT * FROM "tasks" WHERE "id" IN (${placeholders.join(', ')})`, ids);
  await query(`SELECT * FROM "tasks" OFFSET ${Number(limit)}`);
  return query(text, values);
}
module.exports = { list };
"""


def test_parameterized_sql_accepts_constants_placeholders_and_numbers() -> None:
    assert rules(check({"src/db.js": "module.exports = { query() {} };\n",
                        "src/m.js": SAFE_SQL}), "sql-interpolated") == []


@pytest.mark.parametrize(("code", "line"), [
    ("const q = `SELECT * FROM \"tasks\" WHERE \"id\" = ${id}`;", 1),
    ("const q = 'SELECT * FROM \"users\" WHERE \"email\" = \\'' + email + '\\'';", 1),
    ("const q = `INSERT INTO \"tasks\" (\"id\", \"title\")\n  VALUES (${id}, ${title})`;", 2),
    ("const q = `SELECT * FROM \"tasks\" WHERE \"id\" IN (${ids.join(',')})`;", 1),
    ("const q = `SELECT * FROM \"tasks\" WHERE \"title\" LIKE '%${text}%'`;", 1),
    ("const q = 'SELECT * FROM \"tasks\" ORDER BY ' + req.query.sort;", 1),
    ("let q = 'SELECT * FROM \"tasks\"';\nq += ' LIMIT ' + limit;", 2),
    ("const q = `select * from tasks where id = ${id}`;", 1),
])
def test_parameterized_sql_flags_spliced_values(code: str, line: int) -> None:
    issues = check({"src/m.js": "'use strict';\n" + code + "\nmodule.exports = { q };\n"})
    found = [i for i in issues if i.rule == "sql-interpolated"]
    assert [i.line for i in found][:1] == [line + 1], issues
    assert found[0].severity is Severity.ERROR and "$n placeholder" in found[0].hint


def test_parameterized_sql_is_a_stack_rule() -> None:
    files = {"src/m.js": "const q = `SELECT * FROM t WHERE id = ${id}`;\nmodule.exports={q};\n"}
    assert rules(check(files, ()), "sql-interpolated") == []
    assert rules(check(files), "sql-interpolated") == [("src/m.js", 1)]


def test_non_sql_strings_with_interpolation_are_ignored() -> None:
    code = ("const m = `Task ${id} not found; update the title`;\n"
            "const n = 'Select ' + count + ' items from the list';\nmodule.exports = { m, n };\n")
    assert rules(check({"src/m.js": code}), "sql-interpolated") == []


# -- named exports --------------------------------------------------------------------

@pytest.mark.parametrize(("code", "line"), [
    (("const express = require('express');\nconst router = express.Router();\n"
     "module.exports = router;\n"), 3),
    ("class TaskModel {}\n\nmodule.exports = TaskModel;\n", 3),
    ("export default function handler() {}\n", 1),
    ("module.exports = function createApp() {};\n", 1),
])
def test_default_export_is_flagged_at_its_line(code: str, line: int) -> None:
    found = [i for i in check({"src/routes/tasks.js": code}) if i.rule == "export-default"]
    assert [(i.file, i.line) for i in found] == [("src/routes/tasks.js", line)]
    assert "module.exports = {" in found[0].hint


def test_named_exports_and_tool_configs_pass() -> None:
    files = {"src/a.js": "function a() {}\nmodule.exports = { a };\n",
             "src/b.js": "exports.b = 1;\n",
             "eslint.config.js": "module.exports = [{ rules: {} }];\n",
             "jest.config.js": "module.exports = { testEnvironment: 'node' };\n"}
    assert rules(check(files), "export-default") == []
    assert rules(check({"src/r.js": "module.exports = 1;\n"}, ()), "export-default") == []


def test_unknown_stack_rule_is_an_error() -> None:
    assert set(STACK_RULES) == {"named-exports", "parameterized-sql"}
    with pytest.raises(ValueError, match="unknown stack rule 'typescript-only'"):
        checks_for(["typescript-only"])


# -- migrations: names and types ------------------------------------------------------

def test_migration_references_resolve_across_files() -> None:
    files = {"migrations/0001.up.sql": MIGRATION,
             "migrations/0002.up.sql": 'ALTER TABLE "tasks" ADD COLUMN "due" date;\n'
                                       'CREATE INDEX "tasks_due_idx" ON "tasks" ("due");\n'
                                       'COMMENT ON COLUMN "tasks"."title" IS \'t\';\n',
             "migrations/0001.down.sql": 'DROP TABLE IF EXISTS "tasks";\n',
             "seeds/0001.sql": 'INSERT INTO "users" ("id", "email") VALUES (\'x\', \'y\');\n'}
    assert check(files) == []


@pytest.mark.parametrize(("extra", "message"), [
    ('CREATE INDEX "i" ON "tasks" ("titel");', 'column "titel" of "tasks"'),
    ('CREATE INDEX "i" ON "task" ("title");', 'table "task"'),
    (('ALTER TABLE "tasks" ADD CONSTRAINT "fk" FOREIGN KEY ("owner_id") REFERENCES "users" '
     '("uid");'), 'column "uid" of "users"'),
    ('INSERT INTO "users" ("id", "mail") VALUES (\'a\', \'b\');', 'column "mail"'),
    ('DROP TABLE IF EXISTS "user";', 'table "user"'),
    ('COMMENT ON COLUMN "users"."name" IS \'x\';', 'column "name" of "users"'),
])
def test_migration_names_unknown_table_or_column(extra: str, message: str) -> None:
    issues = check({"migrations/0001.up.sql": MIGRATION + extra + "\n"})
    [issue] = issues
    assert (issue.rule, issue.line) == ("sql-reference-unknown", MIGRATION.count("\n") + 1)
    assert message in issue.message and issue.hint


def test_unknown_type_with_suggestion_and_created_types() -> None:
    sql = ('CREATE TYPE mood AS ENUM (\'a\', \'b\');\n'
           'CREATE DOMAIN posint AS integer CHECK (VALUE > 0);\n'
           'CREATE TABLE "t" (\n  "id" serial4,\n  "m" mood,\n  "p" posint,\n'
           '  "c" citext,\n  "at" timestampz\n);\n')
    [issue] = check({"migrations/0001.up.sql": sql})
    assert (issue.rule, issue.line) == ("sql-type-unknown", 8)
    assert '"timestamptz"' in issue.hint


def test_a_migration_that_does_not_parse_suppresses_schema_judgements() -> None:
    files = {"migrations/0001.up.sql": MIGRATION.replace('"id" uuid NOT NULL,\n  "email"',
                                                         '"id" uuid NOT NULL\n  "email"'),
             "migrations/0001.down.sql": 'DROP TABLE "users";\n',
             "src/m.js": "const q = 'SELECT \"id\" FROM \"users\"';\nmodule.exports = { q };\n"}
    issues = check(files)
    assert [(i.rule, i.file) for i in issues] == [("sql-syntax", "migrations/0001.up.sql")]


# -- SQL in source files against the schema -------------------------------------------

def test_query_columns_checked_against_the_one_table_named() -> None:
    code = ("const A = 'SELECT \"id\", \"email\" AS \"mail\" FROM \"users\" WHERE \"id\" = $1';\n"
            "const B = 'SELECT \"title\" FROM \"users\"';\n"
            "const C = 'SELECT \"t\".\"title\", \"u\".\"email\" FROM \"tasks\" \"t\" "
            "JOIN \"users\" "
            "\"u\" ON \"u\".\"id\" = \"t\".\"owner_id\"';\n"
            "const D = '\"owner_id\"';\nconst E = '\"ownerid\"';\n"
            "module.exports = { A, B, C, D, E };\n")
    issues = check({"migrations/0001.up.sql": MIGRATION, "src/models/x.js": code})
    found = [(i.line, i.message.split('"')[1]) for i in issues
             if i.rule == "query-column-unknown"]
    # B: "title" is a column, but not of "users"; C joins: any known column or alias passes.
    assert found == [(2, "title"), (5, "ownerid")]


def test_query_columns_wait_for_a_migration() -> None:
    code = "const A = 'SELECT \"nothing\" FROM \"nowhere\"';\nmodule.exports = { A };\n"
    assert check({"src/models/x.js": code}) == []


def test_tables_created_from_source_strings_count() -> None:
    code = ("const CREATE = 'CREATE TABLE IF NOT EXISTS \"schema_migrations\" ('\n"
            "  + '\"name\" text PRIMARY KEY, \"applied_at\" timestamptz NOT NULL)';\n"
            "const SEEN = 'SELECT \"name\" FROM \"schema_migrations\" ORDER BY \"name\"';\n"
            "module.exports = { CREATE, SEEN };\n")
    assert check({"migrations/0001.up.sql": MIGRATION, "src/db/migrate.js": code}) == []


# -- .env.example ---------------------------------------------------------------------

ENV_CODE = """'use strict';
const { PORT, HOST = 'localhost' } = process.env;
function read(name, fallback) {
  const value = process.env[name];
  return value === undefined ? fallback : value;
}
function required(name) {
  return read(name, undefined);
}
const url = required('DATABASE_URL');
const level = read('LOG_LEVEL', 'info');
const secret = process.env.JWT_SECRET;
const other = process.env['REDIS_URL'];
process.env.TZ_SET_BY_APP = 'UTC';
process.env.LOG_LEVEL ??= 'silent';
if (process.env.JEST_WORKER_ID || process.env.npm_package_version) {}
module.exports = { PORT, HOST, url, level, secret, other };
"""


def test_env_reads_must_be_listed_in_env_example() -> None:
    example = "PORT=3000\nHOST=0.0.0.0\nDATABASE_URL=postgres://x\n# LOG_LEVEL=info\n"
    issues = check({".env.example": example, "src/config.js": ENV_CODE})
    found = [(i.line, i.message.split()[3]) for i in issues if i.rule == "env-undocumented"]
    assert found == [(12, "JWT_SECRET,"), (13, "REDIS_URL,")]
    assert all(".env.example" in i.hint for i in issues)


def test_env_reads_through_helpers_are_followed() -> None:
    issues = check({".env.example": "PORT=1\nHOST=h\nJWT_SECRET=s\nREDIS_URL=r\n",
                    "src/config.js": ENV_CODE})
    assert [(i.line, i.message.split()[3]) for i in issues] == [
        (10, "DATABASE_URL,"), (11, "LOG_LEVEL,")]


def test_env_not_judged_without_an_example_file() -> None:
    assert check({"src/config.js": ENV_CODE}) == []


# -- docker-compose -------------------------------------------------------------------

COMPOSE = """services:
  api:
    build: .
    depends_on:
      postgres:
        condition: service_healthy
  postgres:
    image: docker.io/library/postgres:16
"""


def test_compose_services_are_recognized_by_what_they_are() -> None:
    assert check({"docker-compose.yml": COMPOSE}) == []
    assert check({"compose.yaml": COMPOSE.replace("postgres:\n        cond",
                                                  "db:\n        cond")}) == [
        Issue("compose-service-missing", "service api depends on db, which is not defined",
              "compose.yaml", 5, Severity.ERROR,
              "define service db or depend on one of: api, postgres")]


@pytest.mark.parametrize(("text", "line", "words"), [
    ("services:\n  api:\n    image: node:20\n  db:\n    image: postgres:16\n", 1, "builds"),
    ("services:\n  api:\n    build: .\n", 1, "database"),
    ("version: '3'\nservices: {}\n", 2, "no services"),
    ("name: x\n", 1, "no services"),
])
def test_compose_without_app_or_db(text: str, line: int, words: str) -> None:
    [issue] = check({"docker-compose.yml": text})
    assert (issue.rule, issue.line) == ("compose-service-missing", line)
    assert words in issue.message


def test_compose_that_is_not_yaml_is_a_syntax_issue_only() -> None:
    [issue] = check({"docker-compose.yml": "services:\n  app:\n   build: .\n  image: [\n"})
    assert issue.rule == "yaml-syntax"


# -- unused dependencies --------------------------------------------------------------

def test_unused_dependencies_are_warnings_on_their_line() -> None:
    manifest = ('{\n  "scripts": {"test": "jest --runInBand", "lint": "eslint ."},\n'
                '  "dependencies": {\n    "express": "5",\n    "lodash": "4"\n  },\n'
                '  "devDependencies": {\n    "jest": "29",\n    "eslint": "9",\n'
                '    "@types/node": "20",\n    "nodemon": "3"\n  }\n}\n')
    files = {"package.json": manifest, "src/a.js": "require('express');\n"}
    issues = validate_tree(files)
    assert [(i.rule, i.line, i.severity) for i in issues] == [
        ("dependency-unused", 5, Severity.WARNING), ("dependency-unused", 11, Severity.WARNING)]
    assert "lodash" in issues[0].message and "nodemon" in issues[1].message


def test_a_package_json_that_does_not_parse_is_the_only_issue() -> None:
    files = {"package.json": '{\n  "dependencies": {"express": "5",}\n}\n',
             "src/a.js": "const express = require('express');\nconst x = require('left-pad');\n"}
    assert [(i.rule, i.line) for i in validate_tree(files)] == [("json-syntax", 2)]


def test_a_missing_table_is_reported_once_per_line() -> None:
    sql = MIGRATION + 'CREATE TABLE "c" ("t" uuid REFERENCES "task" ("id"));\n'
    [issue] = check({"migrations/0001.up.sql": sql})
    assert issue.line == MIGRATION.count("\n") + 1 and 'table "task"' in issue.message
