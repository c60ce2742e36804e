"""Guard: a unit whose input fingerprint did not change must render the same bytes,
for every kind of spec edit; otherwise replaying it would serve stale code."""

from __future__ import annotations

import pytest

from backforge import plan as planner
from backforge.output.incremental import Settings
from backforge.regenerate import template_version, unit_inputs
from backforge.spec import load
from backforge.stacks import get_stack
from tests.regen.support import MUTATIONS, mutated, taskmanager

STACK = get_stack("express-js")


def _plan(spec):
    loaded = load(spec)
    return planner.build(loaded.project, STACK, loaded.names)


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_unchanged_fingerprint_means_identical_output(mutation: str) -> None:
    settings = Settings("template", None, template_version(STACK))
    old, new = _plan(taskmanager()), _plan(mutated(mutation))
    old_in, new_in = unit_inputs(old, settings), unit_inputs(new, settings)
    same = [uid for uid in new.units if uid in old.units and old_in[uid].hash == new_in[uid].hash]
    changed = [uid for uid in new.units if uid not in same]
    assert changed, "every mutation changes at least one unit"
    for uid in same:
        before = STACK.render(old.units[uid], old).file_map()
        after = STACK.render(new.units[uid], new).file_map()
        assert before == after, f"{mutation}: {uid} kept its fingerprint but renders differently"


def test_a_column_change_leaves_unrelated_tables_replayable() -> None:
    settings = Settings("template", None, template_version(STACK))
    old, new = _plan(taskmanager()), _plan(mutated("add_column"))
    old_in, new_in = unit_inputs(old, settings), unit_inputs(new, settings)
    same = {uid for uid in new.units if old_in[uid].hash == new_in[uid].hash}
    # tasks changed: its units and those of comments (which references tasks) rerun;
    # users and projects do not reference tasks, so theirs replay.
    assert {"models/users", "services/projects", "handlers/users", "tests/projects"} <= same
    assert not {"models/tasks", "services/tasks", "models/comments"} & same


@pytest.mark.parametrize("mutation", ["add_table", "add_column", "change_type", "drop_table"])
def test_a_schema_change_leaves_the_settings_modules_replayable(mutation: str) -> None:
    """utils, middleware, database, auth, app, docker and terraform read the settings,
    not the tables: a schema change must not make a model rewrite them."""
    settings = Settings("template", None, template_version(STACK))
    old, new = _plan(taskmanager()), _plan(mutated(mutation))
    old_in, new_in = unit_inputs(old, settings), unit_inputs(new, settings)
    same = {uid for uid in new.units if uid in old_in and old_in[uid].hash == new_in[uid].hash}
    assert {"utils", "middleware", "database", "auth", "app", "docker", "terraform"} <= same
    assert "migrations" not in same and "config" not in same


def test_unit_inputs_hash_each_units_whole_slice() -> None:
    """unit_inputs hashes each table once per plan; the hashes are still those of every
    unit's own slice (unit_slice), so existing manifests keep replaying."""
    from backforge.output.manifest import canonical_hash
    from backforge.regenerate import unit_slice

    plan = _plan(taskmanager())
    inputs = unit_inputs(plan, Settings("template", None, "t"))
    assert any(len(i.tables) > 2 for i in inputs.values())  # slices that share tables
    for uid, unit in plan.units.items():
        sl = unit_slice(plan, unit)
        assert inputs[uid].tables == {n: canonical_hash(v) for n, v in sl["tables"].items()}
        assert inputs[uid].rest == canonical_hash({"unit": uid, "module": unit.module,
                                                   "files": unit.required,
                                                   "project": sl["rest"]})
