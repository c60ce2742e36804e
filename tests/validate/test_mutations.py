"""The mutation corpus: realistic corruptions of a generated taskmanager project,
the kinds of mistakes an LLM makes, each caught by the intended rule at the right
file and line; and the unmodified project has zero issues.

Every mutation is a small named function returning the corrupted files and what
must be reported. Anchors are found in the generated text (never fixed line
numbers) and the expected line is computed from the mutated text, so template
changes move lines without breaking the corpus; an anchor that disappears fails
loudly instead of testing nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from backforge import api
from backforge.engine.protocols import Issue, Severity
from backforge.validate import validate_tree
from backforge.validate.validator import stack_rules_of
from tests.conftest import DATA

Files = dict[str, str]


@dataclass(frozen=True)
class Expected:
    rule: str
    file: str
    line: int


Mutation = Callable[[Files], tuple[Files, Expected]]
MUTATIONS: dict[str, Mutation] = {}


def mutation(fn: Mutation) -> Mutation:
    MUTATIONS[fn.__name__] = fn
    return fn


@pytest.fixture(scope="session")
def project() -> Files:
    result = api.generate(DATA / "taskmanager.yaml")
    assert result.success, result.report
    return dict(result.files)


@pytest.fixture(scope="session")
def rules() -> tuple[str, ...]:
    return stack_rules_of("express-js")


# -- helpers: anchors in the generated text -----------------------------------------------

def replace(text: str, old: str, new: str) -> str:
    assert old in text, f"anchor not found: {old!r}"
    return text.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    assert needle in text, f"anchor not found: {needle!r}"
    return text[:text.index(needle)].count("\n") + 1


def edit(files: Files, path: str, old: str, new: str) -> Files:
    assert path in files, f"no generated file {path}"
    return {**files, path: replace(files[path], old, new)}


def field_line(text: str, prefix: str) -> int:
    """The line of the first line that starts (after indentation) with `prefix`."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith(prefix):
            return number
    raise AssertionError(f"no line starts with {prefix!r}")


# -- JavaScript: exports and imports ---------------------------------------------------------

@mutation
def renamed_export(files: Files) -> tuple[Files, Expected]:
    """The model renames findTaskByKey; the service still imports the old name."""
    model = files["src/models/tasks.js"].replace("findTaskByKey", "findTaskById")
    out = {**files, "src/models/tasks.js": model}
    service = files["src/services/tasks.js"]
    return out, Expected("import-name-missing", "src/services/tasks.js",
                         field_line(service, "findTaskByKey,"))


@mutation
def imported_name_never_exported(files: Files) -> tuple[Files, Expected]:
    """A handler destructures a helper the responses module does not have."""
    out = edit(files, "src/handlers/tasks.js", "const { sendList,", "const { sendOk, sendList,")
    return out, Expected("import-name-missing", "src/handlers/tasks.js",
                         line_of(out["src/handlers/tasks.js"], "sendOk"))


@mutation
def wrong_relative_path(files: Files) -> tuple[Files, Expected]:
    out = edit(files, "src/services/tasks.js", "require('../models/tasks')",
               "require('../model/tasks')")
    return out, Expected("import-unresolved", "src/services/tasks.js",
                         line_of(out["src/services/tasks.js"], "require('../model/tasks')"))


@mutation
def wrong_relative_depth(files: Files) -> tuple[Files, Expected]:
    out = edit(files, "src/handlers/tasks.js", "require('../utils/responses')",
               "require('./utils/responses')")
    return out, Expected("import-unresolved", "src/handlers/tasks.js",
                         line_of(out["src/handlers/tasks.js"], "require('./utils/responses')"))


@mutation
def missing_file(files: Files) -> tuple[Files, Expected]:
    """The model of comments was never produced; its service requires it."""
    out = {p: c for p, c in files.items() if p != "src/models/comments.js"}
    return out, Expected("import-unresolved", "src/services/comments.js",
                         line_of(files["src/services/comments.js"],
                                 "require('../models/comments')"))


@mutation
def missing_route_index(files: Files) -> tuple[Files, Expected]:
    out = edit(files, "src/app.js", "require('./routes')", "require('./router')")
    return out, Expected("import-unresolved", "src/app.js",
                         line_of(out["src/app.js"], "require('./router')"))


@mutation
def default_export_router(files: Files) -> tuple[Files, Expected]:
    """`module.exports = router` where the stack exports named members."""
    out = edit(files, "src/routes/tasks.js", "module.exports = { tasksRouter };",
               "module.exports = tasksRouter;")
    return out, Expected("export-default", "src/routes/tasks.js",
                         line_of(out["src/routes/tasks.js"], "module.exports = tasksRouter;"))


@mutation
def es_default_export(files: Files) -> tuple[Files, Expected]:
    """An ES module `export default` in a CommonJS project of named exports."""
    text = files["src/services/users.js"]
    start = text.index("module.exports = {")
    out = {**files, "src/services/users.js": text[:start] + "export default { listUsers };\n"}
    return out, Expected("export-default", "src/services/users.js",
                         line_of(out["src/services/users.js"], "export default"))


# -- JavaScript: syntax --------------------------------------------------------------------

@mutation
def truncated_file(files: Files) -> tuple[Files, Expected]:
    """The answer stopped mid-function (a token limit): missing braces at the end."""
    text = files["src/models/projects.js"]
    cut = text.index("\n", text.index("buildInsert(TABLE, data)")) + 1
    out = {**files, "src/models/projects.js": text[:cut]}
    return out, Expected("js-syntax", "src/models/projects.js", text[:cut].count("\n"))


@mutation
def unbalanced_brace(files: Files) -> tuple[Files, Expected]:
    """One closing brace too many before a function."""
    out = edit(files, "src/services/tasks.js", "async function getTask(",
               "}\nasync function getTask(")
    return out, Expected("js-syntax", "src/services/tasks.js",
                         line_of(out["src/services/tasks.js"], "}\nasync function getTask("))


@mutation
def python_style_syntax(files: Files) -> tuple[Files, Expected]:
    """A keyword from another language: `elif` is not JavaScript."""
    out = edit(files, "src/db/sql.js", "    } else if (replace) {", "    } elif (replace) {")
    return out, Expected("js-syntax", "src/db/sql.js",
                         line_of(out["src/db/sql.js"], "elif (replace)"))


# -- packages ----------------------------------------------------------------------------

@mutation
def undeclared_package(files: Files) -> tuple[Files, Expected]:
    """package.json lost helmet, which the app still requires."""
    manifest = json.loads(files["package.json"])
    del manifest["dependencies"]["helmet"]
    out = {**files, "package.json": json.dumps(manifest, indent=2) + "\n"}
    return out, Expected("package-undeclared", "src/app.js",
                         line_of(files["src/app.js"], "require('helmet')"))


@mutation
def new_package_not_declared(files: Files) -> tuple[Files, Expected]:
    out = edit(files, "src/services/tasks.js", "// Business rules",
               "const _ = require('lodash');\n\n// Business rules")
    return out, Expected("package-undeclared", "src/services/tasks.js",
                         line_of(out["src/services/tasks.js"], "require('lodash')"))


@mutation
def declared_but_unused_package(files: Files) -> tuple[Files, Expected]:
    manifest = json.loads(files["package.json"])
    manifest["dependencies"]["moment"] = "^2.30.1"
    text = json.dumps(manifest, indent=2) + "\n"
    return {**files, "package.json": text}, Expected("dependency-unused", "package.json",
                                                     line_of(text, '"moment"'))


@mutation
def package_json_trailing_comma(files: Files) -> tuple[Files, Expected]:
    text = files["package.json"]
    out = edit(files, "package.json", '"private": true,', '"private": true,,')
    return out, Expected("json-syntax", "package.json", line_of(text, '"private": true,'))


# -- SQL built from strings ------------------------------------------------------------------

@mutation
def sql_template_interpolation(files: Files) -> tuple[Files, Expected]:
    """A custom endpoint written with the id spliced into the SQL text."""
    body = ("  const { query } = require('../db');\n"
            "  const result = await query(\n"
            "    `SELECT \"status\", count(*) AS \"count\" FROM \"tasks\"\n"
            "     WHERE \"project_id\" = '${request.params.id}' GROUP BY \"status\"`);\n"
            "  return result.rows;\n")
    text = files["src/services/projects.js"]
    start = text.index("async function getProjectStats(")
    end = text.index("}\n", start)
    new = text[:start] + "async function getProjectStats(request) {\n" + body + text[end:]
    return {**files, "src/services/projects.js": new}, Expected(
        "sql-interpolated", "src/services/projects.js", line_of(new, "${request.params.id}"))


@mutation
def sql_string_concatenation(files: Files) -> tuple[Files, Expected]:
    """A lookup by email built with `+` instead of a $1 parameter."""
    fn = ("async function findUserByEmail(email) {\n"
          "  const result = await query('SELECT \"id\", \"email\" FROM \"users\" WHERE \"email\""
          " = \\'' +\n    email + '\\'');\n"
          "  return result.rows[0] ?? null;\n}\n\nmodule.exports = {")
    out = edit(files, "src/models/users.js", "module.exports = {", fn)
    return out, Expected("sql-interpolated", "src/models/users.js",
                         line_of(out["src/models/users.js"], "    email + "))


@mutation
def sql_limit_from_request(files: Files) -> tuple[Files, Expected]:
    """Paging copied from a tutorial: LIMIT taken straight from the query string."""
    body = ("  const { query } = require('../db');\n"
            "  const sql = `SELECT * FROM \"tasks\" WHERE \"id\" = $1 "
            "LIMIT ${request.query.limit}`;\n"
            "  return (await query(sql, [request.params.id])).rows;\n")
    text = files["src/services/tasks.js"]
    marker = text.index("async function completeTask(")
    end = text.index("}\n", marker)
    new = text[:marker] + "async function completeTask(request) {\n" + body + text[end:]
    return {**files, "src/services/tasks.js": new}, Expected(
        "sql-interpolated", "src/services/tasks.js", line_of(new, "LIMIT ${request"))


# -- migrations and seeds ------------------------------------------------------------------

UP = "migrations/0001_initial.up.sql"


@mutation
def migration_fk_misspelled_column(files: Files) -> tuple[Files, Expected]:
    old = 'CONSTRAINT "projects_owner_id_fkey" REFERENCES "users" ("id")'
    out = edit(files, UP, old, old.replace('("id")', '("uid")'))
    return out, Expected("sql-reference-unknown", UP, line_of(out[UP], '("uid")'))


@mutation
def migration_fk_misspelled_table(files: Files) -> tuple[Files, Expected]:
    old = 'CONSTRAINT "tasks_project_id_fkey" REFERENCES "projects"'
    out = edit(files, UP, old, old.replace('"projects"', '"project"'))
    return out, Expected("sql-reference-unknown", UP, line_of(out[UP], 'REFERENCES "project" '))


@mutation
def migration_index_misspelled_column(files: Files) -> tuple[Files, Expected]:
    old = 'ON "tasks" ("project_id");'
    out = edit(files, UP, old, 'ON "tasks" ("projectid");')
    return out, Expected("sql-reference-unknown", UP, line_of(out[UP], '("projectid")'))


@mutation
def migration_missing_comma(files: Files) -> tuple[Files, Expected]:
    """Two column definitions run together: sqlglot stops at the second one."""
    old = '"body" text NOT NULL,\n'
    out = edit(files, UP, old, '"body" text NOT NULL\n')
    return out, Expected("sql-syntax", UP, line_of(files[UP], old) + 1)


@mutation
def migration_misspelled_keyword(files: Files) -> tuple[Files, Expected]:
    out = edit(files, UP, 'CREATE TABLE "comments"', 'CREATE TABEL "comments"')
    return out, Expected("sql-syntax", UP, line_of(out[UP], "CREATE TABEL"))


@mutation
def migration_misspelled_type(files: Files) -> tuple[Files, Expected]:
    text = files[UP]
    start = text.index('CREATE TABLE "tasks"')
    at = text.index('"created_at" timestamptz', start)
    new = text[:at] + '"created_at" timestampz' + text[at + len('"created_at" timestamptz'):]
    return {**files, UP: new}, Expected("sql-type-unknown", UP, line_of(new, "timestampz"))


@mutation
def down_migration_drops_unknown_table(files: Files) -> tuple[Files, Expected]:
    path = "migrations/0001_initial.down.sql"
    out = edit(files, path, 'DROP TABLE IF EXISTS "tasks";', 'DROP TABLE IF EXISTS "task";')
    return out, Expected("sql-reference-unknown", path, line_of(out[path], '"task";'))


@mutation
def seed_misspelled_column(files: Files) -> tuple[Files, Expected]:
    path = "seeds/0001_sample.sql"
    out = edit(files, path, '"estimate_hours") VALUES', '"estimated_hours") VALUES')
    return out, Expected("sql-reference-unknown", path, line_of(out[path], '"estimated_hours"'))


# -- SQL in models against the migrations -------------------------------------------------

@mutation
def model_misspelled_column(files: Files) -> tuple[Files, Expected]:
    path = "src/models/tasks.js"
    text = files[path]
    writable = text.index("writable: {")
    at = text.index("title: '\"title\"'", writable)
    new = text[:at] + "title: '\"titel\"'" + text[at + len("title: '\"title\"'"):]
    return {**files, path: new}, Expected("query-column-unknown", path,
                                          new[:at].count("\n") + 1)


@mutation
def model_misspelled_table(files: Files) -> tuple[Files, Expected]:
    path = "src/models/comments.js"
    out = edit(files, path, 'DELETE FROM "comments"', 'DELETE FROM "comment"')
    return out, Expected("query-column-unknown", path, line_of(out[path], 'DELETE FROM "comment"'))


# -- docker-compose ------------------------------------------------------------------------

@mutation
def compose_without_db(files: Files) -> tuple[Files, Expected]:
    text = files["docker-compose.yml"]
    start = text.index("\n  db:\n") + 1
    end = text.index("\nvolumes:", start) + 1
    new = text[:start] + text[end:]
    return {**files, "docker-compose.yml": new}, Expected(
        "compose-service-missing", "docker-compose.yml", field_line(new, "services:"))


@mutation
def compose_app_without_build(files: Files) -> tuple[Files, Expected]:
    new = replace(files["docker-compose.yml"], "    build: .\n", "")
    return {**files, "docker-compose.yml": new}, Expected(
        "compose-service-missing", "docker-compose.yml", field_line(new, "services:"))


@mutation
def compose_bad_indentation(files: Files) -> tuple[Files, Expected]:
    """One key indented by three spaces instead of four: not valid YAML."""
    text = files["docker-compose.yml"]
    old = "\n    depends_on:\n"
    new = replace(text, old, "\n   depends_on:\n")
    return {**files, "docker-compose.yml": new}, Expected(
        "yaml-syntax", "docker-compose.yml", line_of(new, "\n   depends_on:") + 1)


# -- Terraform -----------------------------------------------------------------------------

@mutation
def hcl_yaml_style_attribute(files: Files) -> tuple[Files, Expected]:
    path = "terraform/modules/rds/main.tf"
    text = files[path]
    number = field_line(text, "engine ")
    lines = text.splitlines(keepends=True)
    lines[number - 1] = lines[number - 1].replace("=", ":", 1)
    return {**files, path: "".join(lines)}, Expected("hcl-syntax", path, number)


@mutation
def hcl_missing_closing_brace(files: Files) -> tuple[Files, Expected]:
    """The last block of a file lost its closing brace: the file ends inside it."""
    path = "terraform/modules/ecr/main.tf"
    text = files[path].rstrip("\n")
    assert text.endswith("}")
    new = text[:-1].rstrip("\n") + "\n"
    return {**files, path: new}, Expected("hcl-syntax", path, new.count("\n"))


@mutation
def hcl_wrong_module_source(files: Files) -> tuple[Files, Expected]:
    path = "terraform/main.tf"
    out = edit(files, path, 'source = "./modules/vpc"', 'source = "./modules/network"')
    return out, Expected("import-unresolved", path, line_of(out[path], "./modules/network"))


# -- .env.example -------------------------------------------------------------------------

@mutation
def env_example_missing_variable(files: Files) -> tuple[Files, Expected]:
    """The config reads JWT_SECRET; the example file no longer lists it."""
    text = files[".env.example"]
    lines = [ln for ln in text.splitlines(keepends=True) if not ln.startswith("JWT_SECRET=")]
    assert len(lines) < len(text.splitlines())
    return {**files, ".env.example": "".join(lines)}, Expected(
        "env-undocumented", "src/utils/config.js",
        line_of(files["src/utils/config.js"], "'JWT_SECRET'"))


@mutation
def env_read_not_documented(files: Files) -> tuple[Files, Expected]:
    path = "src/db/pool.js"
    out = edit(files, path, "const pg = require('pg');",
               "const pg = require('pg');\nconst schema = process.env.DB_SCHEMA || 'public';")
    return out, Expected("env-undocumented", path, line_of(out[path], "process.env.DB_SCHEMA"))


# -- the tests ----------------------------------------------------------------------------

def test_the_corpus_is_large_enough() -> None:
    assert len(MUTATIONS) >= 25


def test_unmodified_project_has_zero_issues(project: Files, rules: tuple[str, ...]) -> None:
    assert validate_tree(project, stack_rules=rules) == []


def _found(issues: list[Issue], expected: Expected) -> bool:
    return any((i.rule, i.file, i.line) == (expected.rule, expected.file, expected.line)
               for i in issues)


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_mutation_is_caught(name: str, project: Files, rules: tuple[str, ...]) -> None:
    mutated, expected = MUTATIONS[name](dict(project))
    assert mutated != project
    issues = validate_tree(mutated, stack_rules=rules)
    shown = "\n".join(str(i) for i in issues[:8])
    assert _found(issues, expected), f"expected {expected}, got:\n{shown}"
    hit = next(i for i in issues if (i.rule, i.file, i.line) ==
               (expected.rule, expected.file, expected.line))
    assert hit.hint and hit.message
    if expected.rule != "dependency-unused":
        assert hit.severity is Severity.ERROR
    else:
        assert hit.severity is Severity.WARNING
