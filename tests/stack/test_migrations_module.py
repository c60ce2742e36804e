"""The `migrations` unit (0001 up/down and the sample seed) apart from `database`:
who waits for it and why, what the validator says when it is missing, and
regeneration of a folder whose manifest still has the old layout (0001 in `database`)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from backforge import api
from backforge.engine.protocols import Generation, Issue, Severity, UnitContext
from backforge.output.incremental import migration_unit
from backforge.output.manifest import load_manifest, save_manifest
from backforge.plan import Plan
from backforge.stacks.express_js import STACK
from backforge.validate import UnitValidator
from tests.regen.support import SPECS, mutated, write_spec
from tests.stack.specs import plan_of

MIGRATION_FILES = ("migrations/0001_initial.up.sql", "migrations/0001_initial.down.sql",
                   "seeds/0001_sample.sql")


def _ancestors(plan: Plan, uid: str) -> set[str]:
    seen: set[str] = set()
    todo = list(plan.units[uid].deps)
    while todo:
        dep = todo.pop()
        if dep not in seen:
            seen.add(dep)
            todo += plan.units[dep].deps
    return seen


def test_migrations_unit_owns_the_schema_files_and_needs_nothing() -> None:
    plan = plan_of("taskmanager")
    unit = plan.units["migrations"]
    assert unit.deps == () and unit.required == MIGRATION_FILES
    assert unit.critical == ("migrations/0001_initial.up.sql",) and unit.module_critical
    database = plan.units["database"]
    assert not any(p in database.required for p in MIGRATION_FILES)
    assert "migrations" not in _ancestors(plan, "database")
    # Everything holding SQL against the spec's tables waits for it (directly: models);
    # auth does too: accounts are rows of the users table.
    for uid, u in plan.units.items():
        if u.module in ("models", "auth", "services", "handlers", "routes", "app", "tests"):
            assert "migrations" in _ancestors(plan, uid), uid
    assert migration_unit(plan) == "migrations"  # evolution migrations join it


@pytest.mark.parametrize("spec", ["taskmanager", "shop", "blog", "edge", "bare"])
def test_rendered_files_are_exactly_the_units_files(spec: str) -> None:
    plan = plan_of(spec)
    for uid in ("migrations", "database"):
        unit = plan.units[uid]
        assert sorted(STACK.render(unit, plan).file_map()) == sorted(unit.required), \
            (spec, uid)
    assert STACK.render(plan.units["migrations"], plan).dependencies == {}


def _validate(plan: Plan, uid: str, done: tuple[str, ...]) -> list[Issue]:
    """`uid`'s template output validated with the template output of `done` already there."""
    files: dict[str, str] = {}
    deps: dict[str, str] = {}
    for other in done:
        generation = STACK.render(plan.units[other], plan)
        files.update(generation.file_map())
        deps.update({**generation.dev_dependencies, **generation.dependencies})
    generation: Generation = STACK.render(plan.units[uid], plan)
    ctx = UnitContext(plan, 1, files, deps)
    return [i for i in UnitValidator().validate(plan.units[uid], generation, ctx)
            if i.severity is Severity.ERROR]


def test_a_model_validated_before_the_migrations_fails_so_models_wait_for_them() -> None:
    plan = plan_of("taskmanager")
    early = _validate(plan, "models/tasks", ("utils", "database"))
    # The migrate runner's bookkeeping table is the only schema known: every column is
    # judged against it. This is why models depends on migrations.
    assert early and {i.rule for i in early} == {"query-column-unknown"}
    assert _validate(plan, "models/tasks", ("utils", "migrations", "database")) == []


def test_units_that_do_not_wait_for_the_migrations_validate_without_them() -> None:
    plan = plan_of("taskmanager")
    assert _validate(plan, "migrations", ()) == []
    assert _validate(plan, "database", ("utils",)) == []


def _old_layout(root: Path) -> None:
    """Rewrite the manifest as the previous layout recorded it: `database` wrote 0001."""
    manifest = load_manifest(root)
    assert manifest is not None
    units = dict(manifest.units)
    moved = units.pop("migrations")
    units["database"] = dataclasses.replace(
        units["database"], files=(*units["database"].files, *moved.files))
    save_manifest(root, dataclasses.replace(manifest, units=units))


def test_regenerating_a_folder_of_the_old_layout_keeps_0001_and_moves_it(tmp_path: Path) -> None:
    root = tmp_path / "tm"
    assert api.generate(SPECS / "taskmanager.yaml", output=root).success
    before = {p: (root / p).read_text(encoding="utf-8") for p in MIGRATION_FILES[:2]}
    _old_layout(root)
    spec = write_spec(tmp_path / "spec.yaml", mutated("add_column"))
    result = api.generate(spec, output=root)
    assert result.success, result.report.get("regeneration")
    for path, text in before.items():  # applied migrations are never re-rendered
        assert (root / path).read_text(encoding="utf-8") == text
    assert (root / "migrations/0003_add_tasks_notes.up.sql").is_file()
    manifest = load_manifest(root)
    assert manifest is not None
    assert manifest.owner("migrations/0001_initial.up.sql") == "migrations"
    assert manifest.owner("migrations/0003_add_tasks_notes.up.sql") == "migrations"
    assert "migrations/0001_initial.up.sql" not in manifest.units["database"].files
