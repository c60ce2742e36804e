"""Each rule fires on the right file and line, with a hint, and stays quiet on good code."""

from __future__ import annotations

from backforge.engine.protocols import Issue, Severity
from backforge.validate import presence_issues, validate_tree

from .conftest import unit

PKG = '{"name": "t", "dependencies": {"express": "5", "@scope/pkg": "1"}}'


def only(issues: list[Issue], rule: str) -> list[Issue]:
    return [i for i in issues if i.rule == rule]


def errors(issues: list[Issue]) -> list[Issue]:
    """The errors only: PKG's declared packages are unused here (a warning)."""
    return [i for i in issues if i.severity is Severity.ERROR]


def test_clean_mini_project_has_zero_issues(clean: dict[str, str]) -> None:
    assert len(clean) >= 6
    assert validate_tree(clean, None) == []


def test_js_syntax_names_file_and_line() -> None:
    issues = validate_tree({"package.json": PKG,
                            "src/a.js": "const a = 1;\n\nfunction f( {\n  return a;\n}\n"})
    [issue] = errors(issues)
    assert (issue.rule, issue.file, issue.line) == ("js-syntax", "src/a.js", 3)
    assert issue.severity is Severity.ERROR and "line 3" in issue.hint


def test_json_syntax_names_file_and_line() -> None:
    [issue] = validate_tree({"src/data.json": '{\n  "a": 1,\n  "b": 2,\n}'})
    assert (issue.rule, issue.file, issue.line) == ("json-syntax", "src/data.json", 4)
    assert issue.hint


def test_import_unresolved_with_a_did_you_mean_hint() -> None:
    files = {"package.json": PKG,
             "src/utils/errors.js": "module.exports = { AppError: 1 };",
             "src/services/tasks/index.js": "'use strict';\n\n"
                                            "const { AppError } = require('../utils/errors');\n"}
    [issue] = errors(validate_tree(files))
    assert (issue.rule, issue.file, issue.line) == ("import-unresolved",
                                                    "src/services/tasks/index.js", 3)
    assert "'../../utils/errors'" in issue.hint


def test_import_name_missing_lists_what_is_exported() -> None:
    files = {"src/models/tasks.js": "module.exports = { findAll() {}, findById() {} };",
             "src/services/tasks.js": "const x = 1;\nconst { findAll, findbyId } = "
                                      "require('../models/tasks');\n"
                                      "const one = require('../models/tasks').remove;\n"}
    issues = validate_tree(files)
    assert [(i.rule, i.file, i.line) for i in issues] == [
        ("import-name-missing", "src/services/tasks.js", 2),
        ("import-name-missing", "src/services/tasks.js", 3)]
    assert "'findbyId'" in issues[0].message and "src/models/tasks.js" in issues[0].message
    assert "did you mean 'findById'" in issues[0].hint and "findAll" in issues[0].hint
    assert "'remove'" in issues[1].message


def test_destructuring_from_a_default_only_module_is_flagged() -> None:
    files = {"src/app.js": "module.exports = function createApp() {};",
             "src/index.js": "const { createApp } = require('./app');\n"}
    [issue] = validate_tree(files)
    assert issue.rule == "import-name-missing" and "exports no names" in issue.hint


def test_names_from_opaque_modules_are_not_flagged() -> None:
    files = {"src/db.js": "const { Pool } = require('pg');\nmodule.exports = new Pool();",
             "src/index.js": "const { query } = require('./db');\n",
             "package.json": '{"dependencies": {"pg": "8"}}'}
    assert validate_tree(files) == []


def test_esm_default_import_needs_a_default_export() -> None:
    files = {"src/a.mjs": "export const a = 1;\n",
             "src/b.mjs": "export default 1;\n",
             "src/cjs.js": "module.exports = { c: 1 };\n",
             "src/main.mjs": "import a from './a.mjs';\nimport b from './b.mjs';\n"
                             "import c from './cjs.js';\n"}
    [issue] = validate_tree(files)
    assert (issue.rule, issue.line) == ("import-name-missing", 1)
    assert "'default'" in issue.message


def test_package_undeclared_and_builtins() -> None:
    files = {"package.json": PKG,
             "src/a.js": "const fs = require('fs');\nconst p = require('path');\n"
                         "const f2 = require('node:fs');\nconst fsp = require('fs/promises');\n"
                         "const e = require('express');\nconst s = require('@scope/pkg/sub');\n"
                         "const c = require('cors');\nconst o = require('@other/pkg/sub');\n"
                         "const bad = require('node:nope');\n"}
    issues = errors(validate_tree(files))
    assert [(i.rule, i.line) for i in issues] == [
        ("package-undeclared", 7), ("package-undeclared", 8), ("import-unresolved", 9)]
    assert "'cors'" in issues[0].message and '"cors"' in issues[0].hint
    assert "'@other/pkg'" in issues[1].message


def test_packages_without_package_json_are_undeclared_and_explicit_manifest_wins() -> None:
    files = {"src/a.js": "const e = require('express');\n"}
    assert [i.rule for i in validate_tree(files)] == ["package-undeclared"]
    assert validate_tree(files, {"devDependencies": {"express": "5"}}) == []


def test_node_modules_are_ignored() -> None:
    files = {"node_modules/x/index.js": "this is not ( javascript",
             "src/a.js": "const ok = 1;\n"}
    assert validate_tree(files) == []


def test_presence_issues() -> None:
    u = unit(required=("src/a.js", "src/b.js", "src/c.js"), critical=("src/a.js",))
    issues = presence_issues(u, ["src/c.js"])
    assert [(i.rule, i.file, i.severity) for i in issues] == [
        ("critical-file-missing", "src/a.js", Severity.ERROR),
        ("file-missing", "src/b.js", Severity.WARNING)]
    assert all(i.hint for i in issues)
    assert presence_issues(u, ["src/a.js", "src/b.js", "src/c.js", "extra.js"]) == []


def test_tree_accepts_extra_declared_dependencies() -> None:
    files = {"src/a.js": "const e = require('express');\n"}
    assert validate_tree(files, dependencies={"express": "5"}) == []


def test_tree_can_reuse_a_registry_without_reparsing(clean: dict[str, str]) -> None:
    from .test_registry import registry

    reg, js = registry()
    reg.update(clean)
    before = len(js.calls)
    assert validate_tree(clean, registry=reg) == []
    assert len(js.calls) == before
