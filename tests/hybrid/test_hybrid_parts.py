"""The parts of hybrid mode: the endpoint prompt, the answer protocol, splicing bodies
inside fixed signatures, require lines from the registry, stub detection."""

from __future__ import annotations

import pytest

from backforge import api
from backforge import plan as planner
from backforge.engine.protocols import GeneratedFile, Generation, Issue
from backforge.providers.hybrid_prompt import (
    KIND,
    EndpointFacts,
    build_endpoint_prompt,
    parse_answer,
)
from backforge.providers.llm.prompts import parse_header
from backforge.providers.llm.protocol import BadResponse
from backforge.stacks import get_stack
from backforge.stacks.express_js import hybrid as hx
from backforge.validate.registry import Registry
from tests.conftest import DATA
from tests.llm.conftest import template_context


@pytest.fixture(scope="module")
def plan():
    loaded = api.load(DATA / "taskmanager.yaml")
    return planner.build(loaded.project, get_stack("express-js"), loaded.names)


def facts_for(plan, unit_id: str, files) -> EndpointFacts:
    site = hx.site(plan.units[unit_id], plan)
    return EndpointFacts(site.path, tuple(hx.endpoint_facts(plan, e) for e in site.endpoints),
                         tuple(hx.table_facts(plan)),
                         tuple(hx.usable_files(plan, site.path, files)))


def test_only_units_hosting_stubs_have_a_site(plan) -> None:
    sites = {uid: hx.site(u, plan) for uid, u in plan.units.items()}
    hosting = {uid: (s.path, [e.label for e in s.endpoints]) for uid, s in sites.items() if s}
    assert hosting == {
        "services/tasks": ("src/services/tasks.js", ["POST /tasks/{id}/complete"]),
        "services/projects": ("src/services/projects.js", ["GET /projects/{id}/stats"])}


def test_the_prompt_carries_endpoints_signatures_tables_and_registry_imports(plan) -> None:
    ctx = template_context(plan, "services/tasks")
    prompt = build_endpoint_prompt(plan.units["services/tasks"], ctx,
                                   facts_for(plan, "services/tasks", ctx.files))
    head = parse_header(prompt.user)
    assert head["kind"] == KIND and head["unit"] == "services/tasks"
    assert [e["label"] for e in head["endpoints"]] == ["POST /tasks/{id}/complete"]
    assert head["endpoints"][0]["row_key"] == {"id": "id"}
    assert "`async function completeTask(request) { ...your body... }`" in prompt.user
    assert "throw NotFoundError(\"Task not found\")" in prompt.user
    assert "- src/db/index.js: `const { closePool, findPage, ping, pool, query, withTransaction } = " \
        "require('../db');`" in prompt.user
    assert "async updateTaskByKey(key, changes, owner = null)" in prompt.user
    assert '`tasks` is SQL "tasks": id: "id", project_id: "project_id"' in prompt.user
    assert "parameterized SQL only" in prompt.system
    assert "previous answer" not in prompt.user


def test_a_repair_prompt_shows_the_previous_file_and_its_issues(plan) -> None:
    previous = Generation((GeneratedFile("src/services/tasks.js", "BROKEN FILE TEXT"),))
    issue = Issue("js-syntax", "unexpected token", "src/services/tasks.js", 70, hint="close it")
    ctx = template_context(plan, "services/tasks", attempt=2, previous=previous,
                           issues=(issue,))
    prompt = build_endpoint_prompt(plan.units["services/tasks"], ctx,
                                   facts_for(plan, "services/tasks", ctx.files))
    assert "--- src/services/tasks.js\nBROKEN FILE TEXT" in prompt.user
    assert "- src/services/tasks.js:70 [js-syntax] unexpected token (fix: close it)" \
        in prompt.user


def test_answers_are_parsed_tolerantly_and_checked() -> None:
    text = ('Here you go:\n```json\n{"functions": [{"name": "f", "body": "return 1;", '
            '"imports": [{"from": "src/db/index.js", "names": ["query"]},],},]}\n```')
    (answer,) = parse_answer(text)
    assert (answer.name, answer.body, answer.imports) == \
        ("f", "return 1;", (("src/db/index.js", ("query",)),))
    for bad in ('{"files": []}', '{"functions": [{"name": "f"}]}',
                '{"functions": [{"name": "f", "body": "x", "imports": "db"}]}', "no json"):
        with pytest.raises(BadResponse):
            parse_answer(bad)


def test_the_signature_is_never_the_models(plan) -> None:
    ep = hx.site(plan.units["services/tasks"], plan).endpoints[0]
    content = get_stack("express-js").render(plan.units["services/tasks"], plan) \
        .file_map()["src/services/tasks.js"]
    # A whole function from the model: only its statements are kept, re-indented.
    wrapped = hx.splice(content, ep, "async function completeTask(req, extra) {\n"
                                     "      return 1;\n}")
    assert "async function completeTask(request) {\n  return 1;\n}" in wrapped
    assert "completeTask(req)" not in wrapped
    assert hx.stub(ep) not in wrapped and hx.stub(ep) in content
    assert hx.splice(wrapped, ep, "return 2;") == wrapped  # no stub left: nothing to do


def test_requires_are_merged_from_the_registry_and_the_stub_import_dropped(plan) -> None:
    ctx = template_context(plan, "services/tasks")
    path = "src/services/tasks.js"
    content = get_stack("express-js").render(plan.units["services/tasks"], plan).file_map()[path]
    ep = hx.site(plan.units["services/tasks"], plan).endpoints[0]
    content = hx.splice(content, ep, "return query('SELECT 1');")
    registry = Registry()
    registry.sync({**ctx.files, path: content})
    out = hx.add_requires(content, path, [
        ("src/db/index.js", ["query"]), ("src/utils/errors.js", ["NotFoundError", "ConflictError"]),
        ("src/services/tasks.js", ["getTask"]), ("src/nowhere/helpers.js", ["helper"])], registry)
    assert "const { query } = require('../db');" in out
    # ForbiddenError: the service applies the access policy (taskmanager has auth on)
    assert "const { NotFoundError, ForbiddenError, ConflictError } = require('../utils/errors');" \
        in out
    assert "NotImplementedError" not in out
    assert "require('./tasks')" not in out  # its own functions need no import
    # An unknown file is still required, so validation names it instead of a silent gap.
    assert "const { helper } = require('../nowhere/helpers');" in out
    # A name already imported from another module is not declared twice.
    again = hx.add_requires(out, path, [("src/utils/index.js", ["NotFoundError"])], registry)
    assert again == out


def test_stub_detection_reads_the_code(plan) -> None:
    stack = get_stack("express-js")
    files = {p: c for u in plan.units.values() for p, c in stack.render(u, plan).file_map().items()}
    assert hx.endpoint_status(plan, files) == {
        "implemented": [], "not_implemented": ["POST /tasks/{id}/complete",
                                               "GET /projects/{id}/stats"]}
    ep = hx.site(plan.units["services/tasks"], plan).endpoints[0]
    files["src/services/tasks.js"] = hx.splice(files["src/services/tasks.js"], ep, "return 1;")
    assert hx.implemented(plan, files) == {"POST /tasks/{id}/complete"}
