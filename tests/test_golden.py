"""Golden files: the generated tree of each example spec, compared as a whole folder.

Update after an intended template change with one command:
    BACKFORGE_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py
then review the diff with `git diff tests/data/expected`.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from backforge import api
from tests.conftest import DATA, EXAMPLES

EXPECTED = DATA / "expected"
UPDATE = os.environ.get("BACKFORGE_UPDATE_GOLDEN") == "1"
# A byte copy of the stack's stored lockfile (200 kB each): tests/stack/test_lockfiles.py
# pins it against package.json; a golden copy would only repeat every lockfile refresh.
NOT_GOLDEN = ("package-lock.json",)


def _tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text()
            for p in sorted(root.rglob("*")) if p.is_file() and ".backforge" not in p.parts
            and p.name not in NOT_GOLDEN}


def _diff(expected: dict[str, str], actual: dict[str, str]) -> str:
    out: list[str] = []
    for path in sorted(set(expected) | set(actual)):
        a, b = expected.get(path), actual.get(path)
        if a == b:
            continue
        if a is None or b is None:
            out.append(f"{'missing' if b is None else 'unexpected'} file: {path}")
            continue
        out.extend(difflib.unified_diff(a.splitlines(), b.splitlines(), f"expected/{path}",
                                        f"actual/{path}", lineterm="", n=1))
    return "\n".join(out[:200])


@pytest.mark.parametrize("spec", EXAMPLES)
def test_generated_tree_matches_golden(spec: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = api.generate(DATA / spec, output=out)
    assert result.success, result.report
    actual = _tree(out)
    golden = EXPECTED / spec.split(".")[0]
    if UPDATE:
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(out, golden, ignore=shutil.ignore_patterns(".backforge", *NOT_GOLDEN))
    assert golden.is_dir(), f"no golden tree at {golden}; run with BACKFORGE_UPDATE_GOLDEN=1"
    expected = _tree(golden)
    diff = _diff(expected, actual)
    assert not diff, f"generated tree differs from {golden}:\n{diff}"


@pytest.mark.parametrize("spec", EXAMPLES)
def test_generation_is_byte_identical(spec: str) -> None:
    first = api.generate(DATA / spec).files
    second = api.generate(DATA / spec).files
    assert first == second
    assert len(first) > 30


# Each further stack: one spec's whole tree (the same spec as express-js's first golden).
STACK_GOLDENS = [("express-ts", "taskmanager.yaml")]


@pytest.mark.parametrize(("stack", "spec"), STACK_GOLDENS)
def test_stack_tree_matches_golden(stack: str, spec: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = api.generate(api.load(DATA / spec, stack=stack), output=out)
    assert result.success, result.report
    actual = _tree(out)
    golden = EXPECTED / f"{spec.split('.')[0]}-{stack}"
    if UPDATE:
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(out, golden, ignore=shutil.ignore_patterns(".backforge", *NOT_GOLDEN))
    assert golden.is_dir(), f"no golden tree at {golden}; run with BACKFORGE_UPDATE_GOLDEN=1"
    diff = _diff(_tree(golden), actual)
    assert not diff, f"generated tree differs from {golden}:\n{diff}"
