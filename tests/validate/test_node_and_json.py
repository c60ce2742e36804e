"""Node resolution rules, builtins, package names, and the JSON front-end."""

from __future__ import annotations

import pytest

from backforge.validate import JsonLanguage
from backforge.validate.languages import node

KNOWN = {"src/app.js", "src/routes/index.js", "src/config.json", "src/models/tasks.js",
         "src/db/index.json", "src/lib", "package.json"}


@pytest.mark.parametrize(("from_path", "spec", "expected"), [
    ("src/app.js", "./models/tasks", "src/models/tasks.js"),
    ("src/app.js", "./models/tasks.js", "src/models/tasks.js"),
    ("src/app.js", "./routes", "src/routes/index.js"),
    ("src/app.js", "./routes/", "src/routes/index.js"),
    ("src/app.js", "./config", "src/config.json"),
    ("src/app.js", "./db", "src/db/index.json"),
    ("src/app.js", "./lib", "src/lib"),  # an extensionless file is loaded as is
    ("src/routes/index.js", "../app", "src/app.js"),
    ("src/routes/index.js", "../../package.json", "package.json"),
    ("src/app.js", "./missing", None),
    ("src/app.js", "../../outside", None),
    ("src/app.js", "/abs/path", None),
])
def test_resolve(from_path: str, spec: str, expected: str | None) -> None:
    assert node.resolve(from_path, spec, KNOWN) == expected


@pytest.mark.parametrize(("spec", "builtin"), [
    ("fs", True), ("path", True), ("node:fs", True), ("node:fs/promises", True),
    ("fs/promises", True), ("node:test", True), ("test", False), ("node:nope", False),
    ("express", False), ("crypto", True), ("worker_threads", True),
])
def test_builtins(spec: str, builtin: bool) -> None:
    assert node.is_builtin(spec) is builtin


@pytest.mark.parametrize(("spec", "package"), [
    ("express", "express"), ("lodash/fp", "lodash"), ("@scope/pkg", "@scope/pkg"),
    ("@scope/pkg/sub/deep", "@scope/pkg"), ("@scope", None), ("./x", None), ("", None),
    ("node:fs", None),
])
def test_package_of(spec: str, package: str | None) -> None:
    assert node.package_of(spec) == package


def test_json_syntax_error_has_line_and_column() -> None:
    f = JsonLanguage().parse("package.json", '{\n  "name": "x",\n  "version": 1,\n}\n')
    assert not f.ok
    assert (f.syntax_errors[0].line, f.syntax_errors[0].column) == (4, 1)
    assert "invalid JSON" in f.syntax_errors[0].message


def test_json_top_level_keys_are_exports() -> None:
    f = JsonLanguage().parse("c.json", '{"port": 1, "host": "x"}')
    assert f.ok and f.exports == ("port", "host") and not f.opaque_exports
    assert JsonLanguage().parse("l.json", "[1, 2]").opaque_exports


def test_jsonc_config_files_are_not_json_checked() -> None:
    lang = JsonLanguage()
    assert lang.handles("package.json") and lang.handles("src/data/x.json")
    assert not lang.handles("tsconfig.json") and not lang.handles(".vscode/settings.json")
