"""express-ts without running it (its stored lockfiles: tests/stack/test_lockfiles.py):
package.json and tsconfig say what the stack promises (strict, noUncheckedIndexedAccess,
tsc in lint), the Dockerfile builds and runs what the scripts verify runs do (no docker
daemon here to build it), row types follow the row's JSON Schema, every source is TypeScript, the output policy
holds the template output to its own boundary, and the stack is served by name."""

from __future__ import annotations

import fnmatch
import json
import re

import pytest

from backforge import api
from backforge.express.layout import MODULES
from backforge.stacks import get_stack, known_stacks
from backforge.stacks.express_ts.deps import VERSIONS
from backforge.stacks.express_ts.types import ts_type
from backforge.targets import STACK_NAMES
from tests.conftest import DATA


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    result = api.generate(api.load(DATA / "taskmanager.yaml", stack="express-ts"))
    assert result.success, result.report
    return dict(result.files)


def test_every_catalogued_stack_is_served() -> None:
    assert known_stacks() == list(STACK_NAMES)
    for name in STACK_NAMES:
        assert get_stack(name).name == name
    assert get_stack("express-ts").modules == get_stack("express-js").modules == MODULES


def test_manifest_and_compiler_settings(files: dict[str, str]) -> None:
    manifest = json.loads(files["package.json"])
    assert manifest["main"] == "dist/index.js"
    assert manifest["scripts"]["lint"] == "tsc --noEmit && eslint ."
    assert manifest["scripts"]["build"] == "tsc -p tsconfig.build.json"
    assert manifest["scripts"]["dev"].startswith("tsx ")
    assert manifest["scripts"]["test"].startswith("vitest run")
    assert {"typescript", "typescript-eslint", "tsx", "vitest"} <= set(manifest["devDependencies"])
    for name in (*manifest["dependencies"], *manifest["devDependencies"]):
        assert name in VERSIONS
    lock = json.loads(files["package-lock.json"])
    assert lock["packages"][""]["devDependencies"] == manifest["devDependencies"]
    options = json.loads(files["tsconfig.json"])["compilerOptions"]
    assert options["strict"] is True and options["noUncheckedIndexedAccess"] is True
    build = json.loads(files["tsconfig.build.json"])
    assert build["compilerOptions"]["outDir"] == "dist" and build["include"] == ["src/**/*.ts"]
    assert 'CMD ["node", "dist/index.js"]' in files["Dockerfile"]
    assert "RUN npx tsc -p tsconfig.build.json" in files["Dockerfile"]
    assert "node dist/db/migrate.js up" in files["docker-entrypoint.sh"]


def _stages(dockerfile: str) -> dict[str, list[str]]:
    """The Dockerfile's instructions per stage name, continuation lines joined."""
    stages: dict[str, list[str]] = {}
    current: list[str] = []
    for line in dockerfile.replace("\\\n", " ").splitlines():
        if line.startswith("FROM "):
            current = stages.setdefault(line.split()[-1], [])
        elif line and not line.startswith("#"):
            current.append(" ".join(line.split()))
    return stages


def _ignored(path: str, dockerignore: str) -> bool:
    ignored = False
    for pattern in (p for p in dockerignore.splitlines() if p and not p.startswith("#")):
        negated = pattern.startswith("!")
        if fnmatch.fnmatch(path, pattern.lstrip("!")):
            ignored = not negated
    return ignored


def test_the_image_builds_and_runs_what_verify_ran(files: dict[str, str]) -> None:
    """The build stage compiles with the build script `npm start` runs in verify (start
    leaves the type check to lint: --noCheck), from sources the build context holds; the
    runtime stage starts the start script's node
    command, and the entrypoint migrates with the compiled form of the migrate script
    (tsconfig.build: src/ to dist/)."""
    stages = _stages(files["Dockerfile"])
    assert list(stages) == ["build", "deps", "runtime"]
    scripts = json.loads(files["package.json"])["scripts"]
    assert scripts["start"] == f"{scripts['build']} --noCheck && node dist/index.js"
    assert f"RUN npx {scripts['build']}" in stages["build"]
    assert 'CMD ["node", "dist/index.js"]' in stages["runtime"]
    build = json.loads(files["tsconfig.build.json"])["compilerOptions"]
    assert (build["rootDir"], build["outDir"]) == ("src", "dist")
    source = re.fullmatch(r"tsx src/(\S+)\.ts up", scripts["migrate"])
    assert source and f"node dist/{source.group(1)}.js up" in files["docker-entrypoint.sh"]
    copied = [line.split()[1:-1] for stage in stages.values() for line in stage
              if line.startswith("COPY ") and "--from=" not in line]
    assert ["src"] in copied and ["tsconfig.json", "tsconfig.build.json"] in copied
    for path in (p for group in copied for p in group):
        assert path in files or any(f.startswith(f"{path}/") for f in files), path
        assert not _ignored(path, files[".dockerignore"]), f"{path}: in .dockerignore"
    assert _ignored("tests", files[".dockerignore"]) and _ignored(".env", files[".dockerignore"])


def test_sources_are_typescript_with_a_row_type_per_table(files: dict[str, str]) -> None:
    assert not [p for p in files if p.endswith(".js") and not p.startswith("terraform/")]
    model = files["src/models/tasks.ts"]
    assert "export type TaskRow = {" in model
    assert '  status: "todo" | "in_progress" | "done";' in model
    assert "  assignee_id: string | null;" in model
    assert "  priority: number | null;" in model
    # owner-scoped: the access policy is enforced (src/policies/<table>.ts)
    assert "async function findTaskByKey(key: Row, owner: unknown = null): Promise<TaskRow | null>" \
        in model
    assert "import { ownerScope, checkWrite } from '../policies/tasks';" \
        in files["src/services/tasks.ts"]
    assert {"src/policies/tasks.ts", "tests/access.test.ts", "tests/auth-sessions.test.ts",
            "src/auth/sessions.ts", "src/middleware/rate-limit.ts"} <= set(files)
    for stem in ("users", "projects", "comments"):
        assert "export type " in files[f"src/models/{stem}.ts"]


@pytest.mark.parametrize(("schema", "expected"), [
    ({"type": "string"}, "string"),
    ({"type": ["integer", "null"]}, "number | null"),
    ({"type": ["string", "integer", "null"]}, "string | number | null"),
    ({"type": "string", "enum": ["a", "it's"]}, '"a" | "it\'s"'),
    ({"type": ["string", "null"], "enum": ["x", None]}, '"x" | null'),
    ({}, "unknown"),
    ({"type": "boolean"}, "boolean"),
])
def test_ts_type_of_a_schema(schema: dict, expected: str) -> None:
    assert ts_type(schema) == expected


def test_hostile_names_stay_quoted_in_types() -> None:
    spec = {"name": "Odd", "tables": [{"name": "items", "fields": [
        {"name": "id", "type": "integer", "primary_key": True},
        {"name": "constructor", "type": "string"},
        {"name": "we ird'name", "type": "string", "required": True}]}]}
    result = api.generate(api.load(spec, stack="express-ts"))
    assert result.success, result.report
    model = result.files["src/models/items.ts"]
    row = model[model.index("export type ItemRow = {"):]
    row = row[:row.index("};")]
    # the names layer gave the API properties safe identifiers; the type uses exactly those
    assert row.splitlines()[1:] == ["  id: number;", "  constructorValue: string | null;",
                                    "  weIrdName: string;"]


def test_llm_prompts_are_the_stacks_own_and_show_typescript_imports() -> None:
    from backforge import plan as planner
    from backforge.providers.llm.prompts import build_prompt
    from tests.llm.conftest import template_context

    loaded = api.load(DATA / "taskmanager.yaml", stack="express-ts")
    plan = planner.build(loaded.project, get_stack("express-ts"), loaded.names)
    unit = plan.units["services/tasks"]
    prompt = build_prompt(unit, template_context(plan, unit.id))
    assert "strict TypeScript" in prompt.system and "CommonJS modules only" not in prompt.system
    assert "- src/models/tasks.ts: `import { " in prompt.user
    assert "from '../models/tasks';`" in prompt.user and "require(" not in prompt.user
    assert "TaskRow" in prompt.user  # the row type is an export the prompt offers
