"""The checks inside the pipeline: UnitValidator judges each unit of a real plan
against what was validated before it, with the plan's stack rules, and the
engine retries a unit with the issues until it is right."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from backforge import api
from backforge import plan as planner
from backforge.engine import EngineOptions, run_sync
from backforge.engine.protocols import GeneratedFile, Generation, Issue, UnitContext
from backforge.engine.report import AttemptOutcome, UnitStatus
from backforge.output.writer import MemorySink
from backforge.plan.model import Plan, Unit
from backforge.providers.template import TemplateProvider
from backforge.stacks import get_stack
from backforge.validate import UnitValidator
from tests.conftest import DATA


@pytest.fixture(scope="module")
def taskmanager() -> tuple[Plan, list[tuple[Unit, Generation]]]:
    loaded = api.load(DATA / "taskmanager.yaml")
    stack = get_stack(loaded.project.stack)
    the_plan = planner.build(loaded.project, stack, loaded.names)
    return the_plan, [(u, stack.render(u, the_plan)) for u in the_plan.units.values()]


Corrupt = Callable[[Unit, Generation], Generation]


def run_units(the_plan: Plan, units: list[tuple[Unit, Generation]],
              validator: UnitValidator, corrupt: Corrupt | None = None
              ) -> dict[str, list[Issue]]:
    """Validate unit by unit in plan order, as the engine does; issues per unit id."""
    seen: dict[str, str] = {}
    deps: dict[str, str] = {}
    found: dict[str, list[Issue]] = {}
    for unit, gen in units:
        if corrupt is not None:
            gen = corrupt(unit, gen)
        ctx = UnitContext(the_plan, 1, dict(seen), dict(deps))
        issues = validator.validate(unit, gen, ctx)
        if issues:
            found[unit.id] = issues
        seen.update(gen.file_map())
        deps.update({**gen.dependencies, **gen.dev_dependencies})
    return found


def rewrite(uid: str, path: str, old: str, new: str) -> Corrupt:
    def corrupt(unit: Unit, gen: Generation) -> Generation:
        if unit.id != uid:
            return gen
        files = tuple(GeneratedFile(f.path, f.content.replace(old, new, 1)
                                    if f.path == path else f.content) for f in gen.files)
        assert files != gen.files, f"{old!r} not in {path}"
        return dataclasses.replace(gen, files=files)
    return corrupt


def test_every_unit_of_the_template_output_validates(taskmanager) -> None:
    the_plan, units = taskmanager
    assert run_units(the_plan, units, UnitValidator()) == {}


@pytest.mark.parametrize(("uid", "path", "old", "new", "rule"), [
    ("migrations", "migrations/0001_initial.up.sql", 'REFERENCES "users" ("id")',
     'REFERENCES "users" ("uid")', "sql-reference-unknown"),
    ("docker", "docker-compose.yml", "    build: .\n", "", "compose-service-missing"),
    ("routes/tasks", "src/routes/tasks.js", "module.exports = { tasksRouter };",
     "module.exports = tasksRouter;", "export-default"),
    ("models/tasks", "src/models/tasks.js", 'DELETE FROM "tasks"', 'DELETE FROM "task"',
     "query-column-unknown"),
    # Only the config module may read process.env (elsewhere: unsafe-env-read).
    ("utils", "src/utils/config.js", "const problems = [];",
     "const problems = [];\nconst ssl = process.env.PGSSLMODE;", "env-undocumented"),
    ("database", "src/db/pool.js", "const pg = require('pg');",
     "const pg = require('pg');\nconst run = require('child_process');", "unsafe-child-process"),
    ("terraform", "terraform/main.tf", 'source = "./modules/rds"', 'source = "./modules/db"',
     "import-unresolved"),
])
def test_a_unit_is_judged_by_the_check_that_applies(taskmanager, uid, path, old, new,
                                                    rule) -> None:
    the_plan, units = taskmanager
    found = run_units(the_plan, units, UnitValidator(), rewrite(uid, path, old, new))
    assert list(found) == [uid]
    assert [(i.rule, i.file) for i in found[uid]] == [(rule, path)]


def test_stack_rules_come_from_the_plans_stack_unless_given(taskmanager) -> None:
    the_plan, units = taskmanager
    corrupt = rewrite("routes/tasks", "src/routes/tasks.js", "module.exports = { tasksRouter };",
                      "module.exports = tasksRouter;")
    assert run_units(the_plan, units, UnitValidator(stack_rules=()), corrupt) == {}


def test_whole_project_rules_wait_for_the_whole_project(taskmanager) -> None:
    """package.json declares packages that later units import: not 'unused' per unit."""
    the_plan, units = taskmanager
    config = next(g for u, g in units if u.id == "config")
    validator = UnitValidator()
    only_config = run_units(the_plan, [(u, g) for u, g in units if u.id == "config"], validator)
    assert only_config == {} and "package.json" in config.file_map()


class FlakyModel:
    """A provider that gets one unit wrong on its first attempt (a misspelled column),
    then writes what the template writes: like a model repairing from the issues."""

    name = "flaky"

    def __init__(self, stack, uid: str) -> None:
        self.template = TemplateProvider(stack)
        self.uid = uid
        self.seen_issues: list[tuple[Issue, ...]] = []

    async def generate(self, unit: Unit, ctx: UnitContext) -> Generation:
        gen = await self.template.generate(unit, ctx)
        if unit.id != self.uid:
            return gen
        self.seen_issues.append(ctx.issues)
        if ctx.attempt > 1:
            return gen
        return rewrite(self.uid, "src/models/tasks.js", '"title" AS "title"',
                       '"titel" AS "title"')(unit, gen)


def test_the_engine_retries_a_unit_with_its_issues(taskmanager) -> None:
    the_plan, _ = taskmanager
    provider = FlakyModel(get_stack(the_plan.stack), "models/tasks")
    result = run_sync(the_plan, provider, UnitValidator(), MemorySink(),
                      EngineOptions(backoff_base=0, jitter=0))
    unit = result.report.unit("models/tasks")
    assert unit.status is UnitStatus.VALIDATED
    assert [a.outcome for a in unit.attempts] == [AttemptOutcome.INVALID,
                                                  AttemptOutcome.VALIDATED]
    [first] = unit.attempts[0].issues
    assert (first.rule, first.file) == ("query-column-unknown", "src/models/tasks.js")
    assert provider.seen_issues[1] == unit.attempts[0].issues  # the retry saw them
    assert result.report.success
