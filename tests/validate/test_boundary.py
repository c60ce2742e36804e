"""The output boundary (issue 12 part 3): which paths a unit may write, what its
package.json may say, and the engine's own unsafe-path check (NUL, length, `..`, absolute)."""

from __future__ import annotations

import json

import pytest

from backforge import api
from backforge import plan as planner
from backforge.engine.checks import path_issues as engine_path_issues
from backforge.engine.checks import path_problem
from backforge.engine.protocols import GeneratedFile
from backforge.stacks import get_stack
from backforge.stacks.express_js.boundary import POLICY, SCRIPTS
from backforge.validate.boundary import MAX_LISTED, boundary_issues, manifest_issues
from tests.conftest import DATA


@pytest.fixture(scope="module")
def units():
    loaded = api.load(DATA / "taskmanager.yaml")
    stack = get_stack("express-js")
    the_plan = planner.build(loaded.project, stack, loaded.names)
    return the_plan.units, {uid: stack.render(u, the_plan) for uid, u in the_plan.units.items()}


def _rules(unit, files, deps=None, policy=POLICY):
    gen = [GeneratedFile(p, c) for p, c in files.items()]
    return [(i.rule, i.file) for i in boundary_issues(unit, gen, deps or {}, {}, policy)]


def test_every_template_unit_stays_inside_its_boundary(units) -> None:
    plan_units, generations = units
    for uid, gen in generations.items():
        assert boundary_issues(plan_units[uid], gen.files, gen.dependencies,
                               gen.dev_dependencies, POLICY) == [], uid


@pytest.mark.parametrize(("path", "rule"), [
    (".backforge/manifest.json", "path-reserved"),
    (".backforge/base/src/app.js.base", "path-reserved"),
    (".git/hooks/pre-commit", "path-reserved"),
    ("src/services/.git/config", "path-reserved"),
    (".npmrc", "path-forbidden"),
    (".yarnrc", "path-forbidden"),
    (".yarnrc.yml", "path-forbidden"),
    ("node_modules/.bin/jest", "path-forbidden"),
    ("src/services/node_modules/x.js", "path-forbidden"),
    (".env", "path-forbidden"),
    (".env.local", "path-forbidden"),
    ("package.json", "manifest-outside-config"),
    ("src/services/package.json", "manifest-outside-config"),
    ("src/models/x.js", "path-undeclared"),  # another module's folder
    ("src/services/.hidden.js", "path-undeclared"),
    ("migrations/0009_evil.up.sql", "path-undeclared"),  # only the migrations unit
    ("index.js", "path-undeclared"),
])
def test_a_services_unit_may_not_write(units, path: str, rule: str) -> None:
    plan_units, _ = units
    assert _rules(plan_units["services/tasks"], {path: "x"}) == [(rule, path)]


def test_helpers_in_the_units_own_folder_are_allowed_within_caps(units) -> None:
    plan_units, _ = units
    unit = plan_units["services/tasks"]
    assert _rules(unit, {"src/services/tasks-helpers.js": "x"}) == []
    many = {f"src/services/h{i}.js": "x" for i in range(POLICY.max_extra_files + 1)}
    assert [r for r, _ in _rules(unit, many)] == ["extra-files-cap"]
    big = {"src/services/big.js": "x" * (POLICY.max_extra_bytes + 1)}
    assert _rules(unit, big) == [("extra-file-too-large", "src/services/big.js")]


def test_migrations_may_append_numbered_migrations_only(units) -> None:
    plan_units, _ = units
    unit = plan_units["migrations"]
    assert _rules(unit, {"migrations/0003_add_x.up.sql": "", "migrations/0003_add_x.down.sql": ""}
                  ) == []
    assert _rules(unit, {"migrations/0003_a/b.up.sql": ""}) == [
        ("path-undeclared", "migrations/0003_a/b.up.sql")]
    assert _rules(unit, {"migrations/evil.sql": ""}) == [("path-undeclared", "migrations/evil.sql")]


def test_the_env_example_is_declared_but_a_real_env_file_is_not(units) -> None:
    plan_units, _ = units
    config = plan_units["config"]
    assert _rules(config, {".env.example": "PORT=3000\n"}) == []
    assert _rules(config, {".env": "PORT=3000\n"}) == [("path-forbidden", ".env")]


def test_a_flood_of_paths_is_reported_in_bounded_issues(units) -> None:
    plan_units, _ = units
    flood = {f"junk/{i}.js": "" for i in range(100_000)}
    issues = _rules(plan_units["services/tasks"], flood)
    assert len(issues) == MAX_LISTED + 1 and {r for r, _ in issues} == {"path-undeclared"}


def _package(**changes) -> str:
    data = {"name": "x", "scripts": dict(SCRIPTS), "dependencies": {"express": "^5.1.0"}}
    data.update(changes)
    return json.dumps(data, indent=2)


@pytest.mark.parametrize(("changes", "rule"), [
    ({"scripts": {**SCRIPTS, "postinstall": "node x.js"}}, "manifest-script"),
    ({"scripts": {**SCRIPTS, "preinstall": "curl x | sh"}}, "manifest-script"),
    ({"scripts": {**SCRIPTS, "install": "node x"}}, "manifest-script"),
    ({"scripts": {**SCRIPTS, "prepare": "node x"}}, "manifest-script"),
    ({"scripts": {**SCRIPTS, "pretest": "node x"}}, "manifest-script"),
    ({"scripts": {**SCRIPTS, "test": "node pwn.js && jest"}}, "manifest-script"),
    ({"bin": {"jest": "x.js"}}, "manifest-field"),
    ({"overrides": {"pg": "npm:evil@1"}}, "manifest-field"),
    ({"workspaces": ["evil"]}, "manifest-field"),
    ({"dependencies": {"left-pad": "^1.0.0"}}, "package-not-allowed"),
    ({"devDependencies": {"evil": "^1.0.0"}}, "package-not-allowed"),
    ({"dependencies": {"pg": "git+https://example.invalid/pg.git"}}, "package-version-unsafe"),
    ({"dependencies": {"pg": "file:../pg"}}, "package-version-unsafe"),
    ({"dependencies": {"pg": "https://example.invalid/pg.tgz"}}, "package-version-unsafe"),
    ({"dependencies": {"pg": "npm:evil@1.0.0"}}, "package-version-unsafe"),
])
def test_package_json_is_held_to_the_stack(changes, rule: str) -> None:
    text = _package(**changes)
    issues = manifest_issues("package.json", text, POLICY)
    assert [i.rule for i in issues] == [rule]
    assert issues[0].file == "package.json" and issues[0].line is not None
    [(field, value)] = changes.items()
    keys = {field, *(value if isinstance(value, dict) else ())}
    assert any(f'"{k}"' in text.split("\n")[issues[0].line - 1] for k in keys)


def test_the_stacks_own_package_json_passes(units) -> None:
    _, generations = units
    text = generations["config"].file_map()["package.json"]
    assert manifest_issues("package.json", text, POLICY) == []


def test_packages_declared_in_an_answer_are_checked_too(units) -> None:
    plan_units, _ = units
    unit = plan_units["services/tasks"]
    assert _rules(unit, {}, {"evil-pkg": "^1.0.0"}) == [("package-not-allowed", "package.json")]
    assert _rules(unit, {}, {"pg": "github:evil/pg"}) == [("package-version-unsafe",
                                                           "package.json")]


@pytest.mark.parametrize("path", [
    "../x", "/etc/x", "src/../../x", "C:/x", "src\\x.js", "src/a\x00b.js", "src/a\nb.js",
    "src/" + "n" * 256 + ".js", "/".join(["d" * 200] * 6), "src/\ud800.js", " src/x.js", "",
    "src//x.js", "./x"])
def test_unsafe_paths_are_the_engines_own_issue(path: str) -> None:
    assert path_problem(path) is not None
    [issue] = engine_path_issues([GeneratedFile(path, "x")], {}, "u")
    assert issue.rule == "unsafe-path" and issue.file == path and len(issue.message) < 200


def test_long_but_legal_paths_pass() -> None:
    assert path_problem("src/" + "n" * 252 + ".js") is None
    assert path_problem("src/ünïcode-名前.js") is None
