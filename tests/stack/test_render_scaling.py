"""Rendering costs grow with the tables, not with their square: whole-project values a
per-table unit needs are computed once per plan. Counted in calls, not timed (the timing
lives in bench/cli_speed.py)."""

from __future__ import annotations

import pytest
from bench.llm_schedule import load_plan
from bench.synth import synth_spec

from backforge.express import access
from backforge.express.context import project_context
from backforge.stacks import get_stack


def _served_calls(tables: int, monkeypatch: pytest.MonkeyPatch) -> int:
    plan = load_plan(synth_spec(tables))
    stack = get_stack(plan.stack)
    calls = 0
    real = access.served

    def counting(*args, **kwargs):
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(access, "served", counting)
        for unit in plan.units.values():
            stack.render(unit, plan)
    return calls


def test_access_rules_are_asked_linearly_in_the_tables(monkeypatch):
    small, large = _served_calls(8, monkeypatch), _served_calls(24, monkeypatch)
    assert small > 0
    # 3 x the tables: about 3 x the calls. Each table's tests unit used to scan every
    # table for the uncreatable ones, which made it 9 x (quadratic).
    assert large <= 3.5 * small, (small, large)


def test_a_policy_finds_a_table_by_name_at_once():
    policy = project_context(load_plan(synth_spec(30))).policy
    assert policy.enabled and len(policy.tables) == 30  # entity_000 holds the accounts
    names = [t.table for t in policy.tables]
    assert [policy.table(n).table for n in names] == names
    with pytest.raises(KeyError):
        policy.table("no_such_table")
