"""The boundary inside the engine, with an in-process hostile provider (no HTTP, so no
answer caps: the validator alone must hold the line). A violating answer is a retryable
issue, judged before anything of it is written: not a traceback, not WRITE_FAILED, and
never half on disk."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from backforge import api
from backforge import plan as planner
from backforge.engine import EngineOptions, run_sync
from backforge.engine.protocols import GeneratedFile, Generation, UnitContext
from backforge.output.writer import DirectoryWriter
from backforge.plan.model import Unit
from backforge.providers.template import TemplateProvider
from backforge.stacks import get_stack
from backforge.validate import UnitValidator
from backforge.validate.boundary import MAX_LISTED
from tests.llm.conftest import SMALL_SPEC

VICTIM = "utils"
HELPER = "src/utils/zz-helper.js"  # a path utils may add: it must still not be written


class HostileOnce:
    """Template output, except the victim unit's first answer gets `extra` files."""

    name = "hostile"

    def __init__(self, extra: dict[str, str]) -> None:
        self.stack = get_stack("express-js")
        self.inner = TemplateProvider(self.stack)
        self.extra = extra

    async def generate(self, unit: Unit, ctx: UnitContext) -> Generation:
        gen = await self.inner.generate(unit, ctx)
        if unit.id != VICTIM or ctx.attempt > 1:
            return gen
        files = (*gen.files, *(GeneratedFile(p, c) for p, c in self.extra.items()))
        return replace(gen, files=files)


def _run(tmp_path: Path, extra: dict[str, str]):
    loaded = api.load(SMALL_SPEC)
    the_plan = planner.build(loaded.project, get_stack("express-js"), loaded.names)
    root = tmp_path / "out"
    result = run_sync(the_plan, HostileOnce(extra), UnitValidator(), DirectoryWriter(root),
                      EngineOptions(backoff_base=0.01))
    declared = {p for u in the_plan.units.values() for p in (*u.required, *u.critical)}
    on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    victim = next(u for u in result.report.units if u.id == VICTIM)
    return result, on_disk, declared, victim


@pytest.mark.parametrize("bad", ["src/a\x00b.js", "src/" + "n" * 300 + ".js", "../x", "/etc/x",
                                 "src/utils/\ud800.js"])
def test_an_unwritable_path_is_a_retryable_issue_and_nothing_of_the_answer_is_written(
        tmp_path: Path, bad: str) -> None:
    result, on_disk, declared, victim = _run(tmp_path, {HELPER: "module.exports = {};\n",
                                                        bad: "module.exports = {};\n"})
    assert result.report.success
    first, second = victim.attempts[:2]
    assert first.outcome.value == "invalid" and second.outcome.value == "validated"
    assert ("unsafe-path", bad) in {(i.rule, i.file) for i in first.issues}
    assert HELPER not in on_disk  # the rest of the rejected answer never reached the disk
    assert on_disk <= declared
    assert not (tmp_path / "x").exists()


def test_a_hundred_thousand_extra_files_are_refused_cheaply(tmp_path: Path) -> None:
    flood = {f"src/utils/junk/f{i}.js": "" for i in range(100_000)}
    result, on_disk, declared, victim = _run(tmp_path, flood)
    assert result.report.success and on_disk <= declared
    first = victim.attempts[0]
    assert first.outcome.value == "invalid"
    rules = [i.rule for i in first.issues]
    assert "extra-files-cap" in rules and len(first.issues) <= MAX_LISTED + 2
