"""The TypeScript mutation corpus: realistic corruptions of the express-ts taskmanager
project (the mistakes a model makes in TypeScript: renamed exports and types, `import
type` of names that do not exist, `.js` specifiers, default exports, broken syntax,
undeclared packages, SQL built from strings), each caught by the intended rule at the
right file and line; and the unmodified project has zero issues.

Anchors are found in the generated text and lines computed from the mutated text, as in
test_mutations.py (whose helpers this reuses)."""

from __future__ import annotations

import json

import pytest

from backforge import api
from backforge.engine.protocols import Issue
from backforge.validate import validate_tree
from backforge.validate.validator import stack_rules_of
from tests.conftest import DATA
from tests.validate.test_mutations import (
    Expected,
    Files,
    Mutation,
    edit,
    field_line,
    line_of,
    replace,
)

MUTATIONS: dict[str, Mutation] = {}


def mutation(fn: Mutation) -> Mutation:
    MUTATIONS[fn.__name__] = fn
    return fn


@pytest.fixture(scope="module")
def project() -> Files:
    result = api.generate(api.load(DATA / "taskmanager.yaml", stack="express-ts"))
    assert result.success, result.report
    return dict(result.files)


@pytest.fixture(scope="module")
def rules() -> tuple[str, ...]:
    return stack_rules_of("express-ts")


SERVICE, MODEL = "src/services/tasks.ts", "src/models/tasks.ts"


# -- exports, imports and types -------------------------------------------------------------

@mutation
def renamed_export(files: Files) -> tuple[Files, Expected]:
    """The model renames findTaskByKey; the service still imports the old name."""
    model = files[MODEL].replace("findTaskByKey", "findTaskById")
    return {**files, MODEL: model}, Expected("import-name-missing", SERVICE,
                                             field_line(files[SERVICE], "findTaskByKey,"))


@mutation
def renamed_row_type(files: Files) -> tuple[Files, Expected]:
    """The model's row type is renamed; the service's `import type` names the old one."""
    model = files[MODEL].replace("export type TaskRow =", "export type Task =")
    return {**files, MODEL: model}, Expected(
        "import-name-missing", SERVICE, line_of(files[SERVICE], "import type { TaskRow }"))


@mutation
def import_type_of_a_name_never_exported(files: Files) -> tuple[Files, Expected]:
    out = edit(files, SERVICE, "import type { Order, Row } from '../db/sql';",
               "import type { Order, Row, Filter } from '../db/sql';")
    return out, Expected("import-name-missing", SERVICE, line_of(out[SERVICE], "Filter }"))


@mutation
def inline_type_import_missing(files: Files) -> tuple[Files, Expected]:
    path = "src/app.ts"
    out = edit(files, path, "import { config } from './utils/config';",
               "import { config, type Settings } from './utils/config';")
    return out, Expected("import-name-missing", path, line_of(out[path], "type Settings"))


@mutation
def type_reexport_of_a_missing_name(files: Files) -> tuple[Files, Expected]:
    path = "src/middleware/index.ts"
    out = edit(files, path, "export type { Validated } from './validate';",
               "export type { Validated, Checked } from './validate';")
    return out, Expected("import-name-missing", path, line_of(out[path], "Checked }"))


@mutation
def handler_name_misspelled_in_routes(files: Files) -> tuple[Files, Expected]:
    path = "src/routes/tasks.ts"
    text = files[path]
    at = field_line(text, "listTasksHandler,")
    out = edit(files, path, "  listTasksHandler,\n", "  listTaskHandler,\n")
    return out, Expected("import-name-missing", path, at)


@mutation
def default_import_of_named_exports(files: Files) -> tuple[Files, Expected]:
    """`import db from '../db'`: the module has named exports only (no default)."""
    path = "src/auth/create-admin.ts"
    out = edit(files, path, "import { query, closePool } from '../db';",
               "import db, { query, closePool } from '../db';")
    return out, Expected("import-name-missing", path, line_of(out[path], "import db,"))


@mutation
def wrong_relative_path(files: Files) -> tuple[Files, Expected]:
    out = edit(files, SERVICE, "} from '../models/tasks';", "} from '../model/tasks';")
    # a multi-line import is reported at its first line
    return out, Expected("import-unresolved", SERVICE, line_of(out[SERVICE], "import {\n  findTasks"))


@mutation
def js_specifier_of_a_missing_file(files: Files) -> tuple[Files, Expected]:
    """A `.js` specifier names the .ts file it compiles from: this one names none."""
    path = "src/app.ts"
    out = edit(files, path, "from './openapi';", "from './open-api.js';")
    return out, Expected("import-unresolved", path, line_of(out[path], "'./open-api.js'"))


@mutation
def missing_file(files: Files) -> tuple[Files, Expected]:
    """The model of comments was never produced; its service imports it."""
    out = {p: c for p, c in files.items() if p != "src/models/comments.ts"}
    service = files["src/services/comments.ts"]
    return out, Expected("import-unresolved", "src/services/comments.ts",
                         line_of(service, "import {\n  findComments"))


@mutation
def default_export_router(files: Files) -> tuple[Files, Expected]:
    path = "src/routes/tasks.ts"
    out = edit(files, path, "export { tasksRouter };", "export default tasksRouter;")
    return out, Expected("export-default", path, line_of(out[path], "export default"))


# -- syntax ---------------------------------------------------------------------------------

@mutation
def truncated_file(files: Files) -> tuple[Files, Expected]:
    """The answer stopped mid-function (a token limit): missing braces at the end."""
    text = files["src/models/projects.ts"]
    cut = text.index("\n", text.index("buildInsert(TABLE, data)")) + 1
    return {**files, "src/models/projects.ts": text[:cut]}, Expected(
        "ts-syntax", "src/models/projects.ts", text[:cut].count("\n"))


@mutation
def unbalanced_brace(files: Files) -> tuple[Files, Expected]:
    out = edit(files, SERVICE, "async function getTask(", "}\nasync function getTask(")
    return out, Expected("ts-syntax", SERVICE, line_of(out[SERVICE], "}\nasync function getTask("))


@mutation
def annotation_without_a_type(files: Files) -> tuple[Files, Expected]:
    out = edit(files, SERVICE, "async function getTask(key: Row,", "async function getTask(key: ,")
    return out, Expected("ts-syntax", SERVICE, line_of(out[SERVICE], "getTask(key: ,"))


@mutation
def python_style_syntax(files: Files) -> tuple[Files, Expected]:
    path = "src/db/sql.ts"
    out = edit(files, path, "    } else if (replace) {", "    } elif (replace) {")
    return out, Expected("ts-syntax", path, line_of(out[path], "elif (replace)"))


# -- packages -------------------------------------------------------------------------------

@mutation
def undeclared_package(files: Files) -> tuple[Files, Expected]:
    manifest = json.loads(files["package.json"])
    del manifest["dependencies"]["helmet"]
    out = {**files, "package.json": json.dumps(manifest, indent=2) + "\n"}
    return out, Expected("package-undeclared", "src/app.ts",
                         line_of(files["src/app.ts"], "import helmet from 'helmet';"))


@mutation
def new_package_not_declared(files: Files) -> tuple[Files, Expected]:
    out = edit(files, SERVICE, "import type { Page } from '../utils/responses';",
               "import type { Page } from '../utils/responses';\nimport _ from 'lodash';")
    return out, Expected("package-undeclared", SERVICE, line_of(out[SERVICE], "'lodash'"))


@mutation
def type_only_import_of_an_undeclared_package(files: Files) -> tuple[Files, Expected]:
    out = edit(files, SERVICE, "import type { Page } from '../utils/responses';",
               "import type { Page } from '../utils/responses';\nimport type { z } from 'zod';")
    return out, Expected("package-undeclared", SERVICE, line_of(out[SERVICE], "'zod'"))


# -- SQL ------------------------------------------------------------------------------------

@mutation
def sql_template_interpolation(files: Files) -> tuple[Files, Expected]:
    """A custom endpoint written with the id spliced into the SQL text."""
    path = "src/services/projects.ts"
    text = files[path]
    start = text.index("async function getProjectStats(")
    end = text.index("}\n", start)
    body = ("async function getProjectStats(request: EndpointRequest): Promise<unknown> {\n"
            "  const result = await query(\n"
            "    `SELECT \"status\", count(*) AS \"count\" FROM \"tasks\"\n"
            "     WHERE \"project_id\" = '${String(request.params.id)}' GROUP BY \"status\"`);\n"
            "  return result.rows;\n")
    new = "import { query } from '../db';\n" + text[:start] + body + text[end:]
    return {**files, path: new}, Expected("sql-interpolated", path,
                                          line_of(new, "${String(request.params.id)}"))


@mutation
def sql_string_concatenation(files: Files) -> tuple[Files, Expected]:
    fn = ("async function findUserByEmail(email: string): Promise<unknown> {\n"
          "  const result = await query('SELECT \"id\" FROM \"users\" WHERE \"email\" = \\'' +\n"
          "    email + '\\'');\n  return result.rows[0] ?? null;\n}\n\nexport {")
    path = "src/models/users.ts"
    out = edit(files, path, "export {", fn)
    return out, Expected("sql-interpolated", path, line_of(out[path], "    email + "))


@mutation
def model_misspelled_column(files: Files) -> tuple[Files, Expected]:
    text = files[MODEL]
    at = text.index("title: '\"title\"'", text.index("writable: {"))
    new = text[:at] + "title: '\"titel\"'" + text[at + len("title: '\"title\"'"):]
    return {**files, MODEL: new}, Expected("query-column-unknown", MODEL,
                                           new[:at].count("\n") + 1)


@mutation
def model_misspelled_table(files: Files) -> tuple[Files, Expected]:
    path = "src/models/comments.ts"
    out = edit(files, path, 'DELETE FROM "comments"', 'DELETE FROM "comment"')
    return out, Expected("query-column-unknown", path, line_of(out[path], 'DELETE FROM "comment"'))


# -- configuration --------------------------------------------------------------------------

@mutation
def env_read_not_documented(files: Files) -> tuple[Files, Expected]:
    path = "src/db/pool.ts"
    out = edit(files, path, "import pg from 'pg';",
               "import pg from 'pg';\nconst schema = process.env.DB_SCHEMA ?? 'public';")
    return out, Expected("env-undocumented", path, line_of(out[path], "process.env.DB_SCHEMA"))


@mutation
def env_example_missing_variable(files: Files) -> tuple[Files, Expected]:
    text = files[".env.example"]
    lines = [ln for ln in text.splitlines(keepends=True) if not ln.startswith("JWT_SECRET=")]
    assert len(lines) < len(text.splitlines())
    # the test runner's config reads it too (for the suites): the first reader is named
    return {**files, ".env.example": "".join(lines)}, Expected(
        "env-undocumented", "vitest.config.ts",
        line_of(files["vitest.config.ts"], "process.env.JWT_SECRET"))


# -- the tests ------------------------------------------------------------------------------

def test_the_corpus_is_large_enough() -> None:
    assert len(MUTATIONS) >= 20


def test_unmodified_project_has_zero_issues(project: Files, rules: tuple[str, ...]) -> None:
    assert not [p for p in project if p.endswith(".js")]
    assert validate_tree(project, stack_rules=rules) == []


def _at(issues: list[Issue], expected: Expected) -> Issue | None:
    return next((i for i in issues
                 if (i.rule, i.file, i.line) == (expected.rule, expected.file, expected.line)),
                None)


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_mutation_is_caught(name: str, project: Files, rules: tuple[str, ...]) -> None:
    mutated, expected = MUTATIONS[name](dict(project))
    assert mutated != project
    issues = validate_tree(mutated, stack_rules=rules)
    hit = _at(issues, expected)
    shown = "\n".join(str(i) for i in issues[:8])
    assert hit is not None, f"expected {expected}, got:\n{shown}"
    assert hit.hint and hit.message


assert replace  # re-exported helper kept for mutations that need it
