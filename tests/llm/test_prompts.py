"""Prompts: the unit's slice of the spec, its files, exact imports, and the repair turn."""

from __future__ import annotations

import pytest

from backforge import api
from backforge import plan as planner
from backforge.engine.protocols import GeneratedFile, Generation, Issue, UnitContext
from backforge.providers.fake_server import render_header
from backforge.providers.llm.prompts import (
    HEADER_TAG,
    PROMPT_VERSION,
    build_prompt,
    parse_header,
    spec_slice,
)
from backforge.stacks import get_stack
from tests.conftest import DATA, EXAMPLES
from tests.llm.conftest import template_context


def test_header_names_the_unit_and_carries_its_spec_slice(task_plan):
    unit = task_plan.units["services/tasks"]
    prompt = build_prompt(unit, template_context(task_plan, unit.id))
    head = parse_header(prompt.user)
    assert prompt.user.startswith(f"```{HEADER_TAG}\n")
    assert head["unit"] == "services/tasks"
    assert head["stack"] == "express-js" and head["prompt_version"] == PROMPT_VERSION
    sliced = {t["name"] for t in head["spec"]["tables"]}
    everything = {t.name for t in task_plan.project.tables}
    # tasks and what it references, not the tables that reference it.
    assert "tasks" in sliced and sliced < everything
    assert "comments" not in sliced


def test_non_table_units_see_the_whole_spec(task_plan):
    assert spec_slice(task_plan, task_plan.units["database"]) == task_plan.project


def test_lists_required_files_and_exact_imports_of_dependencies(task_plan):
    unit = task_plan.units["services/tasks"]
    prompt = build_prompt(unit, template_context(task_plan, unit.id))
    for path in unit.required:
        assert f"- {path}" in prompt.user
    # The files of its dependencies it uses, not every file of every dependency.
    assert "- src/models/tasks.js: `const " in prompt.user
    assert "src/schemas/tasks.js" not in prompt.user
    assert "require('../models/" in prompt.user
    assert "exports: " in prompt.user
    # The system prompt states the protocol and the stack's conventions.
    assert '{"files": [{"path"' in prompt.system and "CommonJS" in prompt.system
    assert "did not validate" not in prompt.user


def test_retry_sends_previous_files_and_issues(task_plan):
    unit = task_plan.units["models/tasks"]
    previous = Generation((GeneratedFile("src/models/tasks.js", "const x = (;\n"),))
    issues = (Issue("js-syntax", "unexpected token", "src/models/tasks.js", 1,
                    hint="close the parenthesis"),)
    ctx = template_context(task_plan, unit.id, attempt=2, previous=previous, issues=issues)
    user = build_prompt(unit, ctx).user
    assert "did not validate" in user
    assert "--- src/models/tasks.js\nconst x = (;" in user
    assert ("- src/models/tasks.js:1 [js-syntax] unexpected token "
            "(fix: close the parenthesis)") in user
    assert "complete corrected set of files" in user


@pytest.mark.parametrize("spec", EXAMPLES)
def test_a_header_alone_is_enough_to_render_the_unit(spec):
    """The spec slice in the header holds everything its unit needs: the fake server's
    answer from the slice equals the template output from the whole spec."""
    loaded = api.load(DATA / spec)
    stack = get_stack("express-js")
    plan = planner.build(loaded.project, stack, loaded.names)
    for unit in plan.units.values():
        head = parse_header(build_prompt(unit, UnitContext(plan, 1, {}, {})).user)
        assert render_header(head).file_map() == stack.render(unit, plan).file_map(), unit.id


def test_a_prompt_from_contracts_is_the_prompt_from_the_validated_files(task_plan):
    """Asked before its dependencies landed, a unit sees their contracts: the same import
    statements, signatures and packages as their validated (template) files would show."""
    for uid in ("database", "services/tasks", "routes/tasks", "routes", "app", "tests/tasks"):
        unit = task_plan.units[uid]
        early = build_prompt(unit, UnitContext(task_plan, 1, {}, {}, contract_first=True,
                                               dependencies_ready=False))
        assert early == build_prompt(unit, template_context(task_plan, uid)), uid
        assert "Files you may import" in early.user and "exports: " in early.user, uid
