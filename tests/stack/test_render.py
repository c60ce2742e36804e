"""Unit-level checks of the express-js stack over four specs: every unit renders exactly
its files, deterministically; the JavaScript parses; SQL is parameterized; packages and
relative requires are consistent; the project validator finds nothing."""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from backforge.plan import Plan
from backforge.stacks.express_js import STACK
from backforge.stacks.express_js.deps import project_dependencies
from backforge.validate import validate_tree
from tests.stack.specs import SPECS, plan_of, project
from tests.stack.support import render_project, write_project

SQL_KEYWORDS = re.compile(r"\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b")
REQUIRE = re.compile(r"""require\(\s*['"]([^'"]+)['"]\s*\)""")
CLI_ONLY = {"eslint", "jest"}  # used through npm scripts, never required


def _js_files(files: dict[str, str]) -> dict[str, str]:
    return {p: c for p, c in files.items() if p.endswith(".js")}


def js_strings(source: str) -> list[str]:
    """String and template literals of a JS file (comments skipped)."""
    out, i, n = [], 0, len(source)
    while i < n:
        ch = source[i]
        if source.startswith("//", i):
            i = source.find("\n", i) if "\n" in source[i:] else n
        elif source.startswith("/*", i):
            i = source.index("*/", i) + 2
        elif ch in "'\"`":
            j = i + 1
            while source[j] != ch:
                j += 2 if source[j] == "\\" else 1
            out.append(source[i + 1:j])
            i = j + 1
        else:
            i += 1
    return out


def _digest(files: dict[str, str]) -> str:
    h = hashlib.sha256()
    for path in sorted(files):
        h.update(path.encode() + b"\0" + files[path].encode() + b"\0")
    return h.hexdigest()


def test_every_unit_renders_exactly_its_required_files(spec_name: str) -> None:
    plan = plan_of(spec_name)
    owner: dict[str, str] = {}
    for uid, unit in plan.units.items():
        paths = [f.path for f in STACK.render(unit, plan).files]
        assert sorted(paths) == sorted(unit.required), uid
        assert set(unit.critical) <= set(unit.required)
        for path in paths:
            assert path not in owner, f"{path} rendered by {owner.get(path)} and {uid}"
            owner[path] = uid


def test_output_is_byte_identical_across_runs_and_processes(spec_name: str) -> None:
    first = render_project(project(spec_name))
    assert render_project(project(spec_name)) == first
    code = ("import sys; from tests.stack.test_render import _digest; "
            "from tests.stack.specs import project; from tests.stack.support import "
            "render_project; print(_digest(render_project(project(sys.argv[1]))))")
    root = Path(__file__).resolve().parents[2]
    for seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", code, spec_name], cwd=root, check=True,
                             capture_output=True, text=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip()
        assert out == _digest(first)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed: cannot check JS")
def test_every_javascript_file_passes_node_check(spec_name: str, tmp_path: Path) -> None:
    files = render_project(project(spec_name))
    write_project(files, tmp_path)

    def check(path: str) -> tuple[str, int, str]:
        proc = subprocess.run(["node", "--check", path], cwd=tmp_path, capture_output=True,
                              text=True, check=False)
        return path, proc.returncode, proc.stderr

    with ThreadPoolExecutor(max_workers=4) as pool:
        failures = [r for r in pool.map(check, sorted(_js_files(files))) if r[1] != 0]
    assert failures == []


def test_no_todo_markers(spec_name: str) -> None:
    files = render_project(project(spec_name))
    assert [p for p, c in files.items() if "TODO" in c or "FIXME" in c] == []


def test_sql_in_javascript_is_parameterized(spec_name: str) -> None:
    files = _js_files(render_project(project(spec_name)))
    sql_literals = 0
    for path, source in files.items():
        for literal in js_strings(source):
            if not SQL_KEYWORDS.search(literal):
                continue
            sql_literals += 1
            assert "${" not in literal, f"{path}: interpolation inside SQL: {literal}"
            if re.search(r"WHERE .*=", literal):
                # $OWNER: the policy's owner placeholder, which the model turns into the
                # next $n of its values array (src/models: OWNER_CONDITION.replace).
                assert re.search(r"= \$(\d|OWNER\b)", literal), \
                    f"{path}: WHERE without $n: {literal}"
    assert sql_literals > 0
    model_sources = [c for p, c in files.items() if p.startswith("src/models/")]
    for source in model_sources:
        # Every query gets its values as a separate array.
        for call in re.findall(r"await query\(([^;]*)\);", source):
            assert call.count(",") >= 2, call


def test_package_json_declares_exactly_what_the_code_requires(spec_name: str) -> None:
    plan = plan_of(spec_name)
    files = render_project(plan.project)
    manifest = json.loads(files["package.json"])
    declared = {**manifest["dependencies"], **manifest["devDependencies"]}
    required = {spec.split("/")[0] if not spec.startswith("@") else "/".join(spec.split("/")[:2])
                for source in _js_files(files).values() for spec in REQUIRE.findall(source)
                if not spec.startswith(".") and not spec.startswith("node:")}
    assert required - set(declared) == set()
    assert set(declared) - required == CLI_ONLY & set(declared)
    assert all(re.fullmatch(r"\^\d+\.\d+\.\d+", v) for v in declared.values())
    # Units declare what their own files need; package.json is their union.
    runtime: dict[str, str] = {}
    dev: dict[str, str] = {}
    for unit in plan.units.values():
        generation = STACK.render(unit, plan)
        runtime.update(generation.dependencies)
        dev.update(generation.dev_dependencies)
    assert runtime == manifest["dependencies"]
    assert set(dev) - set(runtime) == set(manifest["devDependencies"])
    assert (runtime, {k: v for k, v in dev.items() if k not in runtime}) == \
        project_dependencies(m.name for m in plan.modules)


def test_package_json_scripts_and_metadata() -> None:
    manifest = json.loads(render_project(project("taskmanager"))["package.json"])
    assert manifest["name"] == "task-manager"
    assert manifest["private"] is True
    assert manifest["type"] == "commonjs"
    assert manifest["engines"] == {"node": ">=22"}
    assert manifest["jest"] == {"testEnvironment": "node", "transform": {}}
    bare = json.loads(render_project(project("bare"))["package.json"])
    assert "test" not in bare["scripts"] and "jest" not in bare["devDependencies"]
    expected = {"start": "node src/index.js", "dev": "node --watch src/index.js",
                "migrate": "node src/db/migrate.js up",
                "migrate:down": "node src/db/migrate.js down", "seed": "node src/db/seed.js",
                "test": "jest --runInBand", "lint": "eslint ."}
    assert expected.items() <= manifest["scripts"].items()
    majors = {"express": 5, "pg": 8, "ajv": 8, "ajv-formats": 3, "pino": 10, "pino-http": 11,
              "helmet": 8, "cors": 2, "dotenv": 18, "swagger-ui-express": 5, "@redis/client": 6,
              "jsonwebtoken": 9, "jest": 30, "supertest": 7, "eslint": 10, "@eslint/js": 10,
              "globals": 17}
    versions = {**manifest["dependencies"], **manifest["devDependencies"]}
    assert {name: int(versions[name][1:].split(".")[0]) for name in majors} == majors


def _owner_units(plan: Plan) -> dict[str, str]:
    return {f.path: uid for uid, unit in plan.units.items()
            for f in STACK.render(unit, plan).files}


def _ancestors(plan: Plan, uid: str) -> set[str]:
    seen: set[str] = set()
    stack = list(plan.units[uid].deps)
    while stack:
        dep = stack.pop()
        if dep not in seen:
            seen.add(dep)
            stack.extend(plan.units[dep].deps)
    return seen


def _resolve(path: str, spec: str, files: dict[str, str]) -> str | None:
    base = posixpath.normpath(posixpath.join(posixpath.dirname(path), spec))
    for candidate in (base, f"{base}.js", f"{base}/index.js"):
        if candidate in files:
            return candidate
    return None


def test_relative_requires_reach_only_files_of_dependencies(spec_name: str) -> None:
    plan = plan_of(spec_name)
    files = render_project(plan.project)
    owner = _owner_units(plan)
    for path, source in _js_files(files).items():
        uid = owner[path]
        allowed = _ancestors(plan, uid) | {uid}
        for spec in REQUIRE.findall(source):
            if not spec.startswith("."):
                continue
            target = _resolve(path, spec, files)
            assert target is not None, f"{path}: require('{spec}') resolves to nothing"
            assert owner[target] in allowed, f"{path} ({uid}) requires {target} ({owner[target]})"


def test_the_project_validator_finds_no_issue(spec_name: str) -> None:
    files = render_project(project(spec_name))
    assert [str(i) for i in validate_tree(files)] == []


def test_env_example_lists_every_variable_the_code_reads(spec_name: str) -> None:
    files = render_project(project(spec_name))
    example = files[".env.example"]
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", example, re.MULTILINE))
    documented = listed | set(re.findall(r"^# ([A-Z][A-Z0-9_]*)=", example, re.MULTILINE))
    read: set[str] = set()
    for source in _js_files(files).values():
        read |= set(re.findall(r"process\.env\.([A-Z][A-Z0-9_]*)", source))
        read |= set(re.findall(r"\b(?:text|required|integer|oneOf|secret|boolean|host|"
                               r"trustProxy|corsOrigins|caFile|duration|size|databaseUrl|rateLimit|redisUrl)"
                               r"\('([A-Z][A-Z0-9_]*)'", source))
    assert read - {"NODE_ENV"} <= documented
    assert listed <= read
    secret = re.search(r"^JWT_SECRET=(.*)$", example, re.MULTILINE)
    assert secret is None or secret.group(1).startswith("change-me")  # a placeholder only


def test_specs_cover_the_features_the_brief_names() -> None:
    """Guards the test data itself: the e2e runs must exercise these."""
    shop = project("shop")
    kinds = {f.type.value for t in shop.tables for f in t.fields}
    assert {"json", "decimal", "uuid", "enum"} <= kinds
    assert any(len(t.primary_key) > 1 for t in shop.tables)
    assert any(f.references and f.ref_table == t.name for t in shop.tables for f in t.fields)
    assert sorted(SPECS) == ["bare", "blog", "edge", "shop", "taskmanager"]
    assert project("bare").options.api_prefix == "" and not project("bare").options.tests


def test_owner_checked_writes_repeat_the_check_in_the_write_statement() -> None:
    """An update or delete a non-admin owner may do is written with the owner condition in
    its own WHERE (buildUpdate's scope, DELETE ... AND (owner condition)): a row that
    changes hands between the service's check and the write is not written."""
    files = render_project(project("taskmanager"))
    service = files["src/services/tasks.js"]
    assert "updateTaskByKey(key, changes, ownerScope('update', caller))" in service
    assert "replaceTaskByKey(key, data, ownerScope('update', caller))" in service
    assert "deleteTaskByKey(key, ownerScope('delete', caller))" in service
    model = files["src/models/tasks.js"]
    assert "buildUpdate(TABLE, key, changes, { scope })" in model
    assert "DELETE_BY_KEY + ' AND (' + OWNER_CONDITION.replace('$OWNER'" in model
    sql = files["src/db/sql.js"]
    assert "' WHERE ' + where + ' RETURNING '" in sql
