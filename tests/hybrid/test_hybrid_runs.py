"""Hybrid runs against the fake LLM server over real HTTP: templates for every file, the
model only for custom endpoint bodies; repair retries; stubs kept when nothing usable comes."""

from __future__ import annotations

import json

import pytest

from backforge import api
from backforge.errors import InputError
from backforge.providers.fake_server import FakeLLMConfig, FakeLLMServer
from tests.conftest import DATA

ANSWERS = DATA / "fake-answers" / "taskmanager.json"
TASKS, PROJECTS = "src/services/tasks.js", "src/services/projects.js"
COMPLETE, STATS = "POST /tasks/{id}/complete", "GET /projects/{id}/stats"


def hybrid(base_url: str, **extra) -> api.GenerateOptions:
    return api.GenerateOptions(provider="hybrid", base_url=base_url, backoff_base=0.01,
                               cache=False, **extra)


def run(config: FakeLLMConfig, spec=DATA / "taskmanager.yaml", **extra):
    server = FakeLLMServer(config)
    with server as base_url:
        result = api.generate(spec, hybrid(base_url, **extra))
    return result, server.stats


def unit(result, unit_id: str) -> dict:
    return next(u for u in result.report["units"] if u["id"] == unit_id)


def test_only_endpoint_units_call_the_model_and_bodies_are_spliced() -> None:
    result, stats = run(FakeLLMConfig(answers=str(ANSWERS)))
    template = api.generate(DATA / "taskmanager.yaml")
    assert result.success, result.report
    assert all(m["status"] == "validated" for m in result.report["modules"])
    assert dict(stats.per_unit) == {"services/tasks": 1, "services/projects": 1}
    assert result.report["endpoints"] == {"implemented": [COMPLETE, STATS],
                                          "not_implemented": []}
    tasks, projects = result.files[TASKS], result.files[PROJECTS]
    # The signature is the generated one; the body is the model's.
    assert "async function completeTask(request) {\n  const task = await updateTaskByKey(" \
        in tasks
    assert "async function getProjectStats(request) {\n  const project = await " \
        "findProjectByKey(" in projects
    assert "NotImplementedError" not in tasks + projects
    # require lines come from the registry: one per module, names merged.
    assert projects.count("require('../utils/errors')") == 1
    assert "const { query } = require('../db');" in projects
    # Usage is counted for the two calls only.
    assert unit(result, "services/tasks")["attempts"][0]["usage"]["completion_tokens"] > 0
    changed = {p for p, c in result.files.items() if template.files.get(p) != c}
    assert changed == {TASKS, PROJECTS, "src/openapi.js", "tests/tasks.test.js",
                       "tests/projects.test.js"}
    # The tests and the OpenAPI document treat both endpoints as implemented.
    assert "answers 501" not in result.files["tests/tasks.test.js"]
    assert "POST /tasks/{id}/complete answers without a server error" \
        in result.files["tests/tasks.test.js"]
    assert result.files["src/openapi.js"].count("implemented: true,") == 2


def test_a_syntax_error_in_a_body_is_repaired_by_a_retry_with_the_issues() -> None:
    config = FakeLLMConfig(answers=str(ANSWERS), fault_rate=1.0, faults=("syntax",),
                           fault_attempts=1)
    result, stats = run(config)
    assert result.success
    assert dict(stats.per_unit) == {"services/tasks": 2, "services/projects": 2}
    attempts = unit(result, "services/tasks")["attempts"]
    assert [a["outcome"] for a in attempts] == ["invalid", "validated"]
    assert [i["rule"] for i in attempts[0]["issues"]] == ["js-syntax"]
    assert result.report["endpoints"]["not_implemented"] == []


@pytest.mark.parametrize("fault", ["wrong-import", "renamed-export"])
def test_import_mistakes_are_caught_by_validation_and_repaired(fault: str) -> None:
    config = FakeLLMConfig(answers=str(ANSWERS), fault_rate=1.0, faults=(fault,),
                           fault_attempts=1)
    result, _ = run(config)
    assert result.success
    first = unit(result, "services/tasks")["attempts"][0]
    assert first["issues"], first
    assert result.report["endpoints"]["implemented"] == [COMPLETE, STATS]


def test_a_model_that_never_answers_usably_leaves_the_501_stubs(tmp_path) -> None:
    broken = json.loads(ANSWERS.read_text())
    for answer in broken.values():
        answer["body"] += "\nreturn {;"
    answers = tmp_path / "broken.json"
    answers.write_text(json.dumps(broken))
    result, stats = run(FakeLLMConfig(answers=str(answers)))
    assert result.success
    assert result.report["endpoints"] == {"implemented": [],
                                          "not_implemented": [COMPLETE, STATS]}
    # One answer and one repair each, then the provider keeps the stubs.
    assert dict(stats.per_unit) == {"services/tasks": 2, "services/projects": 2}
    assert "throw new NotImplementedError('POST /tasks/{id}/complete');" in result.files[TASKS]
    assert "answers 501 until it is implemented" in result.files["tests/tasks.test.js"]


def test_unparseable_answers_also_leave_the_stubs() -> None:
    result, stats = run(FakeLLMConfig(answers=str(ANSWERS), fault_rate=1.0,
                                      faults=("truncated",)))
    assert result.success
    assert result.report["endpoints"]["implemented"] == []
    assert stats.per_unit["services/tasks"] == 2


def test_one_bad_function_keeps_its_stub_while_the_good_one_stays(tmp_path) -> None:
    spec = {"name": "two", "options": {"tests": False, "docker": False},
            "tables": [{"name": "tasks", "fields": [
                {"name": "id", "type": "integer", "primary_key": True, "auto_increment": True},
                {"name": "title", "type": "string", "required": True}]}],
            "endpoints": [
                {"method": "POST", "path": "/tasks/{id}/archive", "table": "tasks"},
                {"method": "POST", "path": "/tasks/{id}/restore", "table": "tasks"}]}
    answers = {"POST /tasks/{id}/restore": {"body": "return {;", "imports": []}}
    result, _ = run(FakeLLMConfig(answers=answers), spec=spec)
    assert result.success
    assert result.report["endpoints"] == {"implemented": ["POST /tasks/{id}/archive"],
                                          "not_implemented": ["POST /tasks/{id}/restore"]}
    service = result.files[TASKS]
    assert "async function archiveTask(request) {\n  const row = await findTaskByKey(" in service
    assert "throw new NotImplementedError('POST /tasks/{id}/restore');" in service


def test_tableless_endpoints_are_written_in_the_shared_routes_unit() -> None:
    spec = {"name": "ping", "options": {"tests": True, "docker": False},
            "tables": [{"name": "notes", "fields": [
                {"name": "id", "type": "integer", "primary_key": True, "auto_increment": True}]}],
            "endpoints": [{"method": "GET", "path": "/status/{name}"}]}
    result, stats = run(FakeLLMConfig(), spec=spec)
    assert result.success, result.report
    assert dict(stats.per_unit) == {"routes": 1}
    custom = result.files["src/services/custom.js"]
    assert "async function getStatus(request) {\n  return { endpoint: 'GET /status/{name}'," \
        in custom
    assert "NotImplementedError" not in custom
    assert "implemented: true," in result.files["src/openapi.js"]
    assert "GET /status/{name} answers without a server error" in \
        result.files["tests/app.test.js"]


def test_the_anthropic_messages_api_is_chosen_by_environment(monkeypatch) -> None:
    monkeypatch.setenv("BACKFORGE_HYBRID_API", "anthropic")
    result, _ = run(FakeLLMConfig(answers=str(ANSWERS)))
    assert result.success
    assert result.report["endpoints"]["implemented"] == [COMPLETE, STATS]
    monkeypatch.setenv("BACKFORGE_HYBRID_API", "bard")
    with pytest.raises(InputError, match="BACKFORGE_HYBRID_API"):
        api.generate(DATA / "taskmanager.yaml", hybrid("http://127.0.0.1:9/v1"))


def test_a_bad_answers_file_is_an_input_error(tmp_path) -> None:
    bad = tmp_path / "answers.json"
    bad.write_text('{"GET /x": {"no body": 1}}')
    with pytest.raises(InputError, match="answers file"):
        FakeLLMServer(FakeLLMConfig(answers=str(bad)))


def test_cli_fake_llm_answers_file_and_generate_provider_hybrid(tmp_path) -> None:
    import subprocess
    import sys

    from backforge import cli

    with subprocess.Popen([sys.executable, "-m", "backforge.cli", "fake-llm", "--port", "0",
                           "--answers", str(ANSWERS)], stdout=subprocess.PIPE,
                          text=True) as proc:
        try:
            line = proc.stdout.readline()
            assert line.startswith("fake LLM serving on http://127.0.0.1:"), line
            url = line.split(" on ", 1)[1].strip()
            out = tmp_path / "tm"
            assert cli.main(["generate", str(DATA / "taskmanager.yaml"), "-o", str(out),
                             "--provider", "hybrid", "--base-url", url, "--no-cache"]) == 0
        finally:
            proc.terminate()
            proc.wait(10)
    report = json.loads((out / ".backforge" / "report.json").read_text())
    assert report["provider"] == "hybrid"
    assert report["endpoints"]["implemented"] == [COMPLETE, STATS]
    # The canned answer, not the generic one, is in the file.
    assert "{ status: 'done' }" in (out / TASKS).read_text()
    assert cli.main(["fake-llm", "--answers", str(tmp_path / "missing.json")]) == 2
