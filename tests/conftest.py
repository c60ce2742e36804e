"""Shared fixtures: paths of the bundled example specs and the shared corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backforge import api
from backforge.verify.model import StepStatus, VerifyReport
from backforge.verify.postgres import find_bin

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
EXAMPLES = ("taskmanager.yaml", "shop.yaml", "blog.project.json")


def slow_needing(*tools: str, why: str) -> list[pytest.MarkDecorator]:
    """`pytestmark` of a slow module that needs real tools (node, npm, git on the PATH;
    initdb, pg_ctl, psql also in Debian's PostgreSQL folder): it skips loudly, naming
    what is missing, where they are not installed (CI installs them all)."""
    missing = [t for t in tools if shutil.which(t) is None and find_bin(t) is None]
    if not missing:
        return [pytest.mark.slow]
    return [pytest.mark.slow, pytest.mark.skip(
        reason=f"SKIPPED LOUDLY: needs {', '.join(missing)} ({why})")]


def assert_typechecked(report: VerifyReport) -> None:
    """express-ts: verify's lint step ran the compiler first (`tsc --noEmit && eslint .`,
    the detail names the script) and passed, so tsc reported zero errors."""
    lint = next(s for s in report.steps if s.name == "lint")
    assert lint.status is StepStatus.PASSED, lint
    assert lint.detail.startswith("no lint problems: `tsc --noEmit && "), lint.detail


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def generated_taskmanager(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled example generated once per session with the template provider. Never
    change it: a test that writes works on a copy."""
    root = tmp_path_factory.mktemp("taskmanager") / "tm"
    assert api.generate(DATA / "taskmanager.yaml", output=root).exit_code == 0
    return root


@pytest.fixture
def taskmanager_copy(generated_taskmanager: Path, tmp_path: Path) -> Path:
    """This test's own copy of the generated taskmanager, free to change."""
    root = tmp_path / "tm"
    shutil.copytree(generated_taskmanager, root)
    return root


@pytest.fixture(autouse=True)
def _private_llm_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own empty LLM response cache, never the user's ~/.cache: a
    cached answer from an earlier test would hide the requests (and faults) under test."""
    monkeypatch.setenv("BACKFORGE_CACHE_DIR", str(tmp_path_factory.mktemp("llm-cache")))
