"""The stored lockfiles of both Express stacks: one per option combination, in step with
deps.py, shipped in every generated project, free of install scripts that would run; and the CI workflow."""

from __future__ import annotations

import json

import pytest
import yaml

from backforge.express.lockfiles import LockStore, lock_name
from backforge.spec.model import Project
from backforge.stacks.express_js.deps import LOCKS as JS_LOCKS
from backforge.stacks.express_js.deps import VERSIONS
from backforge.stacks.express_ts.deps import LOCKS as TS_LOCKS
from tests.stack.support import render_project

# Packages with an install script we accept because .npmrc never runs it (why: each
# stack's .npmrc.j2).
SCRIPTED = {"express-js": {"node_modules/@scarf/scarf", "node_modules/@parcel/watcher"},
            "express-ts": {"node_modules/@scarf/scarf", "node_modules/esbuild"}}
STORES = {"express-js": JS_LOCKS, "express-ts": TS_LOCKS}


def _project(auth: bool, tests: bool) -> Project:
    return Project.model_validate({
        "name": "Lock Probe", "options": {"auth": auth, "tests": tests},
        "tables": [{"name": "notes", "fields": [{"name": "title", "type": "string"}]},
                   # with auth on, accounts are rows of a users table with a login field
                   *([{"name": "users", "fields": [{"name": "email", "type": "string",
                                                   "required": True, "unique": True}]}]
                     if auth else [])]})


@pytest.mark.parametrize("stack", STORES)
def test_every_combination_has_a_lockfile_matching_deps_py(stack: str) -> None:
    store: LockStore = STORES[stack]
    assert set(store.optional) == {"auth", "tests"}
    names = {p.stem for p in store.folder.glob("*.json")}
    assert names == {lock_name(c) for c in store.combinations()} and len(names) == 4
    for combo in store.combinations():
        lock = json.loads((store.folder / f"{lock_name(combo)}.json").read_text())
        deps, dev = store.deps(combo)
        root = lock["packages"][""]
        package = stack.replace("-", "_")
        assert (root.get("dependencies", {}), root.get("devDependencies", {})) == (deps, dev), \
            f"{combo}: stale lockfile; run python -m backforge.stacks.{package}.deps"
        assert lock["lockfileVersion"] == 3
        scripted = {k for k, v in lock["packages"].items() if v.get("hasInstallScript")}
        assert scripted <= SCRIPTED[stack], f"new install scripts in {combo}: " \
            f"{scripted - SCRIPTED[stack]}"


@pytest.mark.parametrize("auth", [False, True])
@pytest.mark.parametrize("tests", [False, True])
def test_generated_project_ships_the_matching_lockfile(auth: bool, tests: bool) -> None:
    files = render_project(_project(auth, tests))
    manifest = json.loads(files["package.json"])
    lock = json.loads(files["package-lock.json"])
    assert manifest["engines"] == {"node": ">=22"}
    root = lock["packages"][""]
    assert lock["name"] == root["name"] == manifest["name"] == "lock-probe"
    assert root["dependencies"] == manifest["dependencies"]
    assert root.get("devDependencies", {}) == manifest["devDependencies"]
    assert root["engines"] == manifest["engines"]
    for name in (*manifest["dependencies"], *manifest["devDependencies"]):
        locked = lock["packages"][f"node_modules/{name}"]["version"]
        assert locked.split(".")[0] == VERSIONS[name].lstrip("^").split(".")[0], name
    assert ("jsonwebtoken" in manifest["dependencies"]) is auth
    assert ("jest" in manifest["devDependencies"]) is tests
    assert "ignore-scripts=true" in files[".npmrc"].splitlines()


@pytest.mark.parametrize("auth", [False, True])
@pytest.mark.parametrize("tests", [False, True])
def test_ci_workflow_is_valid_yaml_with_postgres_and_node_22(auth: bool, tests: bool) -> None:
    files = render_project(_project(auth, tests))
    doc = yaml.safe_load(files[".github/workflows/ci.yml"])
    job = doc["jobs"]["check"]
    assert job["services"]["postgres"]["image"].startswith("postgres:")
    assert job["env"]["TEST_DATABASE_URL"].endswith("/lock_probe_test")
    steps = [s.get("run", "") for s in job["steps"]]
    setup = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-node"))
    assert setup["with"]["node-version"] == 22
    assert "npm ci" in steps and "npm run lint" in steps
    migrate = next(s for s in steps if "migrate:down" in s)
    assert migrate.split() == ["npm", "run", "migrate", "npm", "run", "migrate:down", "--",
                               "all", "npm", "run", "migrate"]
    assert ("npm test" in steps) is tests
    assert any("JWT_SECRET" in s for s in steps) is auth
    # `on:` is YAML 1.1's boolean true for PyYAML; GitHub reads it as the key "on".
    assert set(doc[True]) == {"push", "pull_request"}
