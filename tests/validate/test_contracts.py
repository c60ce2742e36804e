"""Interface contracts (validate/contracts.py): derived from the plan alone, equal to what
the generated project then exports, covering what other units import, and enforced on an
answer (its own contract) and for its imports (its dependencies' contracts)."""

from __future__ import annotations

import re

import pytest

from backforge import api
from backforge import plan as planner
from backforge.engine.protocols import GeneratedFile, Generation, UnitContext
from backforge.stacks import get_stack
from backforge.validate import UnitValidator
from backforge.validate.contracts import contract_issues, contracts_for
from backforge.validate.registry import Registry
from tests.conftest import DATA


@pytest.fixture(scope="module")
def task_plan():
    loaded = api.load(DATA / "taskmanager.yaml")
    return planner.build(loaded.project, get_stack("express-js"), loaded.names)


@pytest.fixture(scope="module")
def generated():
    """The taskmanager project as `generate` writes it (template provider), parsed."""
    result = api.generate(DATA / "taskmanager.yaml")
    assert result.success
    registry = Registry()
    registry.sync(dict(result.files))
    return registry


def test_every_unit_gets_the_contract_its_generated_files_export(task_plan, generated):
    contracts = contracts_for(task_plan)  # from the plan: no file exists yet
    checked = 0
    for uid, unit in task_plan.units.items():
        contract = contracts.of(uid)
        exporting = {p for p in unit.required if (e := generated.exports_of(p))
                     and (e.names or e.default)}
        sql = {p for p in unit.required if (f := generated.get(p)) and f.schema
               and f.schema.tables}
        assert {f.path for f in contract.files} == exporting | sql, uid
        for promised in contract.files:
            exports = generated.exports_of(promised.path)
            assert promised.names == exports.names, promised.path
            assert promised.default == exports.default, promised.path
            assert promised.signatures == tuple(generated.signatures(promised.path))
            parsed = generated.get(promised.path)
            tables = {t.name: frozenset(t.columns)
                      for t in (parsed.schema.tables if parsed.schema else ())}
            assert dict(promised.tables) == tables, promised.path
            checked += 1
    assert checked > 40
    # Spot checks against what the templates are known to write.
    tasks = contracts.of("models/tasks").file("src/models/tasks.js")
    assert {"findTasks", "insertTask", "deleteTaskByKey"} <= tasks.names
    # The list query takes the caller as its owner scope (the access policy).
    assert any(sig.startswith("async findTasks({ owner = null") for sig in tasks.signatures)
    up = contracts.of("migrations").file("migrations/0001_initial.up.sql")
    assert {"id", "title", "project_id"} <= up.tables["tasks"]


def test_contracts_cover_every_name_another_unit_imports(task_plan, generated):
    contracts = contracts_for(task_plan)
    owner = {p: uid for uid, u in task_plan.units.items() for p in u.required}
    seen = 0
    for parsed in generated.parsed_files():
        for imp in parsed.imports:
            target = generated.resolve(parsed.path, imp.specifier) if imp.is_relative else None
            if target is None or owner.get(target) in (None, owner.get(parsed.path)):
                continue
            promised = contracts.of(owner[target]).file(target)
            assert promised is not None, (parsed.path, target)
            assert set(imp.names) <= promised.names, (parsed.path, target, imp.names)
            # And the unit's prompt offers that file.
            importer = task_plan.units[owner[parsed.path]]
            assert target in contracts.uses(importer), (importer.id, target)
            seen += 1
    assert seen > 30


def _template(plan, uid):
    return get_stack(plan.stack).render(plan.units[uid], plan)


def _edit(generation, path, old, new):
    files = tuple(GeneratedFile(f.path, re.sub(old, new, f.content) if f.path == path
                                else f.content) for f in generation.files)
    return Generation(files, generation.dependencies, generation.dev_dependencies)


def _contract_check(plan, uid, generation):
    registry = Registry()
    own = generation.file_map()
    registry.sync(own)
    return contract_issues(contracts_for(plan).of(uid), registry, own)


def test_an_answer_keeping_its_contract_has_no_contract_issue(task_plan):
    for uid in ("utils", "migrations", "models/tasks", "services/tasks", "routes"):
        assert _contract_check(task_plan, uid, _template(task_plan, uid)) == [], uid


def test_a_renamed_export_breaks_the_contract(task_plan):
    answer = _edit(_template(task_plan, "models/tasks"), "src/models/tasks.js",
                   r"\bfindTasks\b", "listAllTasks")  # consistent inside the file
    (issue,) = _contract_check(task_plan, "models/tasks", answer)
    assert issue.rule == "contract-broken" and issue.file == "src/models/tasks.js"
    assert "findTasks" in issue.message and "async findTasks({ owner = null" in issue.hint


def test_a_dropped_column_breaks_the_migrations_contract(task_plan):
    answer = _edit(_template(task_plan, "migrations"), "migrations/0001_initial.up.sql",
                   r'\n\s*"title"[^\n]*', "")
    issues = _contract_check(task_plan, "migrations", answer)
    assert any(i.rule == "contract-broken" and "tasks" in i.message and "title" in i.message
               for i in issues), issues


def _landing(plan, uid, attempt=1):
    return UnitContext(plan, attempt, {}, {}, contract_first=True, dependencies_ready=False)


def test_every_template_answer_validates_against_its_dependencies_contracts(task_plan):
    validator = UnitValidator()
    for uid, unit in task_plan.units.items():
        issues = validator.validate(unit, _template(task_plan, uid), _landing(task_plan, uid))
        assert [i for i in issues if i.severity == "error"] == [], uid


def test_an_import_outside_a_dependencys_contract_is_caught_before_it_landed(task_plan):
    answer = _edit(_template(task_plan, "services/tasks"), "src/services/tasks.js",
                   r"\bfindTasks\b", "findTasksFast")
    issues = UnitValidator().validate(task_plan.units["services/tasks"], answer,
                                      _landing(task_plan, "services/tasks"))
    assert any(i.rule == "import-name-missing" and "findTasksFast" in i.message
               for i in issues), issues
