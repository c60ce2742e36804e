"""SQL, HCL and YAML front-ends; what the JavaScript front-end extracts beyond
imports and exports (SQL in strings, environment reads); import rendering."""

from __future__ import annotations

import pytest

from backforge.validate import (
    HclLanguage,
    JavaScriptLanguage,
    Registry,
    SqlLanguage,
    YamlLanguage,
    validate_tree,
)
from backforge.validate.languages import default_languages
from tests.importers.conftest import CORPUS


def test_default_languages_cover_every_generated_kind() -> None:
    names = [lang.name for lang in default_languages()]
    assert names == ["javascript", "typescript", "json", "sql", "hcl", "yaml"]


# -- SQL ------------------------------------------------------------------------------

def test_sql_facts_tables_refs_and_names() -> None:
    sql = ('CREATE TABLE "Users" (\n  id int PRIMARY KEY,\n  "Email" text UNIQUE\n);\n'
           'CREATE TABLE posts (\n  "id" int,\n'
           '  author int CONSTRAINT posts_author_fkey REFERENCES "Users" (id)\n);\n'
           'CREATE INDEX posts_author_idx ON posts (author);\n')
    schema = SqlLanguage().parse("m.sql", sql).schema
    assert schema is not None
    assert [(t.name, t.columns, t.line) for t in schema.tables] == [
        ("Users", ("id", "Email"), 1), ("posts", ("id", "author"), 5)]
    refs = {(r.table, r.column, r.line, r.context) for r in schema.refs}
    assert ("Users", "id", 7, "foreign key") in refs and ("Users", None, 7, "foreign key") in refs
    assert ("posts", "author", 9, "index") in refs
    assert set(schema.names) == {"posts_author_fkey", "posts_author_idx"}


@pytest.mark.parametrize(("sql", "line", "words"), [
    ('CREATE TABLE "t" (\n  "a" int\n  "b" int\n);\n', 3, "Expecting )"),
    ("SELECT 1;\nCREAT TABLE t (a int);\n", 2, "sql syntax error"),
    ("SELECT 1;\n\nCREATE TABEL t (a int);\n", 3, "not a PostgreSQL statement"),
])
def test_sql_syntax_errors_name_the_line(sql: str, line: int, words: str) -> None:
    parsed = SqlLanguage().parse("m.sql", sql)
    [problem] = parsed.syntax_errors
    assert problem.line == line and words in problem.message
    assert parsed.schema is None


def test_statements_sqlglot_keeps_as_text_are_accepted_when_postgres_has_them() -> None:
    sql = ("CREATE EXTENSION IF NOT EXISTS pgcrypto;\n"
           "CREATE OR REPLACE FUNCTION touch() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ "
           "LANGUAGE plpgsql;\nDO $$ BEGIN END $$;\nGRANT SELECT ON ALL TABLES IN SCHEMA "
           "public TO reader;\n")
    assert SqlLanguage().parse("m.sql", sql).ok


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"LOUD: the shared SQL corpus is missing "
                                                f"({CORPUS}); real-schema check not run")
@pytest.mark.parametrize("name", ["chinook.postgres.sql", "chinook-identity.postgres.sql",
                                  "northwind.postgres.sql", "openstreetmap.postgres.sql"])
def test_real_postgres_schemas_have_no_issues(name: str) -> None:
    assert validate_tree({"migrations/0001_initial.up.sql": (CORPUS / name).read_text()}) == []


# -- HCL ------------------------------------------------------------------------------

def test_hcl_syntax_and_local_module_sources() -> None:
    main = ('module "vpc" {\n  source = "./modules/vpc"\n}\n'
            'module "consul" {\n  source = "hashicorp/consul/aws"\n}\n'
            'module "db" {\n  source = "./modules/rds"\n}\n')
    parsed = HclLanguage().parse("terraform/main.tf", main)
    assert parsed.ok and [(i.specifier, i.line) for i in parsed.imports] == [
        ("./modules/vpc", 2), ("./modules/rds", 8)]
    files = {"terraform/main.tf": main, "terraform/modules/vpc/main.tf": "",
             "terraform/modules/vpc/variables.tf": 'variable "name" {}\n',
             "terraform/modules/rdss/main.tf": ""}
    [issue] = validate_tree(files)
    assert (issue.rule, issue.file, issue.line) == ("import-unresolved", "terraform/main.tf", 8)
    assert 'source = "./modules/rdss"' in issue.hint


def test_hcl_syntax_error_location() -> None:
    parsed = HclLanguage().parse("x.tf", 'resource "a" "b" {\n  name: "x"\n}\n')
    assert [p.line for p in parsed.syntax_errors] == [2]
    unclosed = HclLanguage().parse("x.tf", 'a = 1\nresource "a" "b" {\n  c = 2\n')
    assert [p.line for p in unclosed.syntax_errors] == [3]  # where the file stops


# -- YAML -----------------------------------------------------------------------------

def test_yaml_syntax_line() -> None:
    assert YamlLanguage().parse("a.yml", "a: 1\nb:\n  - x\n").ok
    [problem] = YamlLanguage().parse("a.yml", "a: 1\nb: [1, 2\nc: 3\n").syntax_errors
    assert problem.line == 3 and problem.message.startswith("invalid YAML")


# -- JavaScript facts -----------------------------------------------------------------

def test_js_sql_fragments_keep_their_lines() -> None:
    code = ("const A = 'SELECT \"a\"'\n  + ' FROM \"t\"'\n  + ' WHERE \"b\" = $1';\n"
            "const B = `\n  UPDATE \"t\"\n  SET \"a\" = ${x}\n`;\n")
    parsed = JavaScriptLanguage().parse("m.js", code)
    assert [(f.line, f.text) for f in parsed.sql] == [
        (1, 'SELECT "a"\n FROM "t"\n WHERE "b" = $1'), (4, '\n  UPDATE "t"\n  SET "a" = ?\n')]
    [spliced] = parsed.sql_interpolations
    assert (spliced.line, spliced.expression, spliced.placeholder) == (6, "x", False)
    assert spliced.before.endswith('SET "a" = ')


def test_js_env_reads() -> None:
    code = ("const { A, B: b } = process.env;\nconst c = process.env.C;\n"
            "process.env.D = '1';\ndelete process.env.E;\nconst f = process.env['F'];\n")
    reads = JavaScriptLanguage().parse("m.js", code).env_reads
    assert [(r.name, r.line) for r in reads] == [("A", 1), ("B", 1), ("C", 2), ("F", 5)]


# -- the registry renders imports for prompts -----------------------------------------

def test_registry_renders_the_import_a_dependent_should_write() -> None:
    reg = Registry()
    reg.update({
        "src/models/tasks.js": "async function findTask(id, { lock = false } = {}) {}\n"
                               "function count() {}\nmodule.exports = { findTask, count };\n",
        "src/db/index.js": "exports.query = () => 1;\n",
        "src/utils/logger.js": "const pino = require('pino');\nmodule.exports = pino();\n",
        "src/app.mjs": "export const app = 1;\nexport default app;\n",
        "package.json": '{"name": "x", "private": true}',
        "terraform/modules/vpc/main.tf": "", "terraform/main.tf": "",
    })
    importer = "src/services/tasks.js"
    assert reg.import_statement(importer, "src/models/tasks.js") == \
        "const { count, findTask } = require('../models/tasks');"
    assert reg.import_statement(importer, "src/db/index.js") == \
        "const { query } = require('../db');"
    assert reg.import_statement(importer, "src/utils/logger.js") == \
        "const logger = require('../utils/logger');"
    assert reg.import_statement("src/index.mjs", "src/app.mjs") == \
        "import app, { app } from './app.mjs';"
    assert reg.import_statement(importer, "package.json") == \
        "const packageJson = require('../../package.json');"
    assert reg.import_statement("terraform/main.tf", "terraform/modules/vpc/main.tf") == \
        'module "vpc" { source = "./modules/vpc" }'
    assert reg.signatures("src/models/tasks.js") == [
        "count()", "async findTask(id, { lock = false } = {})"]
