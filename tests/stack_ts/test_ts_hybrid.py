"""Hybrid mode for express-ts against the fake LLM server: the model writes only the
custom endpoint bodies, spliced into the typed signature, with ES imports from the
registry; and the result verifies for real (tsc, lint, contract, vitest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from backforge import api
from backforge.providers.fake_server import FakeLLMConfig, FakeLLMServer
from tests.conftest import DATA

TASKS = "src/services/tasks.ts"


def _hybrid(out: Path | None = None):
    with FakeLLMServer(FakeLLMConfig()) as base_url:
        return api.generate(api.load(DATA / "taskmanager.yaml", stack="express-ts"),
                            api.GenerateOptions(provider="hybrid", base_url=base_url,
                                                cache=False, backoff_base=0.01), output=out)


def test_bodies_are_spliced_into_the_typed_signature_with_es_imports() -> None:
    result = _hybrid()
    assert result.success and all(m["status"] == "validated" for m in result.report["modules"])
    assert result.report["endpoints"] == {
        "implemented": ["POST /tasks/{id}/complete", "GET /projects/{id}/stats"],
        "not_implemented": []}
    tasks = result.files[TASKS]
    assert "async function completeTask(request: EndpointRequest): Promise<unknown> {\n" \
        "  const row = await findTaskByKey(" in tasks
    assert "NotImplementedError" not in tasks  # the stub's import went with the stub
    assert tasks.count("from '../utils/errors';") == 1 and "require(" not in tasks
    assert "answers 501" not in result.files["tests/tasks.test.ts"]


@pytest.mark.slow
def test_hybrid_express_ts_verifies(tmp_path: Path) -> None:
    out = tmp_path / "hybrid"
    assert _hybrid(out).success
    report = api.verify(out)
    assert report.success, ([(s.name, s.detail, s.output[-1500:]) for s in report.failed_steps()],
                            report.failed_checks()[:5])
    names = {c.name for c in report.checks if c.passed}
    assert "POST /tasks/{id}/complete answers (implemented)" in names
    assert report.tests is not None and report.tests.failed == 0 and report.tests.total > 30
