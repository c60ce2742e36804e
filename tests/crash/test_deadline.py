"""--deadline bounds the whole run, the final write included (issue 12: a 100,000-file
answer ran 15 minutes past --deadline 300 in a quadratic `file_map` after the engine)."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest

from backforge import api, regenerate
from backforge import plan as planner
from backforge.engine.protocols import GeneratedFile
from backforge.output.journal import DeadlinePassed
from backforge.providers.template import TemplateProvider
from backforge.stacks import get_stack
from tests.crash.support import leftovers
from tests.regen.support import SPECS

EXTRA = "docs/extra"


class _Huge:
    """The template provider, with `extra` more files in the docker unit's answer."""

    def __init__(self, inner, extra: int) -> None:
        self.inner, self.name, self.extra = inner, inner.name, extra

    async def generate(self, unit, ctx):
        generation = await self.inner.generate(unit, ctx)
        if unit.id != "docker":
            return generation
        more = tuple(GeneratedFile(f"{EXTRA}/f{i}.md", f"# {i}\n") for i in range(self.extra))
        return dataclasses.replace(generation, files=generation.files + more)


def _huge_answers(monkeypatch: pytest.MonkeyPatch, extra: int) -> None:
    # The output boundary refuses more than a few extra files per unit before anything is
    # staged (tests/hostile); declaring the folder for the docker unit lets them through,
    # so this test reaches the staging phase it is about.
    stack = get_stack("express-js")
    policy = stack.output_policy
    monkeypatch.setattr(type(stack), "output_policy", dataclasses.replace(
        policy, declared_patterns={**policy.declared_patterns, "docker": (f"{EXTRA}/*",)}))
    real = api._provider
    monkeypatch.setattr(api, "_provider", lambda name, stack, options: dataclasses.replace(
        real(name, stack, options), provider=_Huge(real(name, stack, options).provider, extra)))


def test_staging_past_the_deadline_keeps_nothing_of_the_unit(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    """The deadline passes while a huge answer is staged: the run stops, that unit is
    reported as not written, none of its files (nor their base copies) reach the folder,
    and what validated before is committed."""
    _huge_answers(monkeypatch, 30_000)
    root = tmp_path / "out"
    started = time.monotonic()
    result = api.generate(SPECS / "taskmanager.yaml", api.GenerateOptions(deadline=2.0),
                          output=root)
    took = time.monotonic() - started
    assert result.report["stopped_by"] == "deadline" and result.exit_code == 1
    docker = next(u for u in result.report["units"] if u["id"] == "docker")
    assert docker["status"] != "validated", docker
    assert any("DeadlinePassed" in (a.get("error") or "") for a in docker["attempts"]), docker
    assert not (root / EXTRA).exists() and not (root / ".backforge/base" / EXTRA).exists()
    assert "docs/extra" not in (root / ".backforge/manifest.json").read_text()
    validated = [u for u in result.report["units"] if u["status"] == "validated"]
    assert validated and all((root / p).is_file() for u in validated for p in u["files"])
    assert not leftovers(root)
    # The deadline plus the engine's cancel grace; without the staging check the final
    # write of 30,000 files (and their base copies) came on top.
    assert took < 2.0 + 2 * 5.0, took


def test_a_unit_whose_staging_fails_leaves_nothing_staged(tmp_path: Path) -> None:
    loaded = api.load(SPECS / "taskmanager.yaml")
    stack = get_stack("express-js")
    plan = planner.build(loaded.project, stack, loaded.names)
    with regenerate.open_session(tmp_path / "out", stack, plan, TemplateProvider(stack),
                                 provider_name="template", model=None) as session:
        unit = plan.units["docker"]
        files = [GeneratedFile("Dockerfile", "FROM node:20\n"), GeneratedFile("x.md", "x\n")]
        session.txn.deadline = time.monotonic() - 1
        with pytest.raises(DeadlinePassed):
            session.sink.write(unit, files)
        assert session.txn.ops == {} and session.target.written == []
        session.txn.deadline = None
        session.sink.write(unit, files)
        assert set(session.txn.ops) == {"Dockerfile", "x.md", ".backforge/base/Dockerfile.base",
                                        ".backforge/base/x.md.base"}
