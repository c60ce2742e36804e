"""Which stack a spec selects: the native `stack:`, the design tool's options.language /
options.framework, and --stack; a choice no stack serves is exit 2 naming the stacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from backforge.errors import SpecError
from backforge.spec import load
from backforge.spec.targets import stack_for
from backforge.targets import STACK_NAMES

SPECS = Path(__file__).resolve().parents[2] / "examples"


def _tool(**options) -> dict:
    return {"name": "Tool", "schema": [{"id": "t1", "name": "posts", "fields": [
        {"id": "f1", "name": "id", "type": "uuid", "required": True, "unique": True},
        {"id": "f2", "name": "title", "type": "VARCHAR(80)", "required": True}]}],
        **({"options": options} if options else {})}


@pytest.mark.parametrize(("options", "stack"), [
    ({}, "express-js"),
    ({"language": "javascript", "framework": "express"}, "express-js"),
    ({"language": "typescript", "framework": "express"}, "express-ts"),
    ({"language": "TypeScript"}, "express-ts"),
    ({"language": "ts", "framework": "Express"}, "express-ts"),
    ({"framework": "express"}, "express-js"),
])
def test_design_tool_options_select_the_stack(options, stack) -> None:
    assert load(_tool(**options)).project.stack == stack


@pytest.mark.parametrize("options", [
    {"language": "typescript", "framework": "fastify"},
    {"language": "typescript", "framework": "nest"},
    {"language": "javascript", "framework": "koa"},
    {"framework": "fastify"},
    {"language": "python", "framework": "express"},
])
def test_a_pair_no_stack_serves_is_refused_naming_the_stacks(options) -> None:
    with pytest.raises(SpecError) as err:
        load(_tool(**options))
    text = str(err.value)
    assert "options: no stack serves" in text
    assert all(name in text for name in STACK_NAMES)


def test_options_of_the_wrong_shape_name_the_place() -> None:
    doc = _tool()
    doc["options"] = {"language": 3}
    with pytest.raises(SpecError, match=r"options\.language: must be a string"):
        load(doc)


def test_native_unknown_stack_names_the_stacks() -> None:
    with pytest.raises(SpecError) as err:
        load({"name": "x", "stack": "fastify-ts",
              "tables": [{"name": "t", "fields": [{"name": "id", "type": "integer",
                                                   "primary_key": True}]}]})
    assert "stack: no stack 'fastify-ts'" in str(err.value)
    assert "express-js" in str(err.value) and "express-ts" in str(err.value)


def test_the_override_wins_and_its_errors_name_the_flag() -> None:
    spec = SPECS / "taskmanager.yaml"
    assert load(spec, stack="express-ts").project.stack == "express-ts"
    with pytest.raises(SpecError, match=r"--stack: no stack 'koa-js'"):
        load(spec, stack="koa-js")


def test_stack_for_defaults_to_the_default_stack_and_refuses_unknowns() -> None:
    assert stack_for(None, None) == "express-js"
    assert stack_for("typescript", "koa") is None


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "backforge.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)


def test_cli_exit_2_and_nothing_written(tmp_path: Path) -> None:
    spec = tmp_path / "tool.json"
    spec.write_text(json.dumps(_tool(language="typescript", framework="nest")))
    done = _cli("generate", str(spec), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "framework 'nest'" in done.stderr and "express-ts" in done.stderr
    assert not (tmp_path / "out").exists()
    bad = _cli("generate", str(SPECS / "taskmanager.yaml"), "--stack", "fastify",
               "-o", str(tmp_path / "out2"), cwd=tmp_path)
    assert bad.returncode == 2 and "express-js" in bad.stderr
    assert not (tmp_path / "out2").exists()


def test_cli_stack_overrides_the_spec(tmp_path: Path) -> None:
    spec = tmp_path / "tool.json"
    spec.write_text(json.dumps(_tool(language="typescript")))
    done = _cli("generate", str(spec), "--stack", "express-js", "-o", str(tmp_path / "out"),
                cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "out" / ".backforge" / "report.json").read_text())
    assert report["stack"] == "express-js"
