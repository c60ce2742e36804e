"""A hybrid taskmanager, its two custom endpoints written by the (fake) model, runs for
real: install, lint, PostgreSQL, migrate, boot, the API contract calling both endpoints
with real rows, and the generated jest suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from backforge import api
from backforge.providers.fake_server import FakeLLMConfig, FakeLLMServer
from tests.conftest import DATA

pytestmark = pytest.mark.slow


def test_hybrid_taskmanager_verifies_with_both_endpoints_implemented(tmp_path: Path) -> None:
    out = tmp_path / "taskmanager"
    config = FakeLLMConfig(answers=str(DATA / "fake-answers" / "taskmanager.json"))
    with FakeLLMServer(config) as base_url:
        result = api.generate(DATA / "taskmanager.yaml", api.GenerateOptions(
            provider="hybrid", base_url=base_url, cache=False), output=out)
    assert result.success
    assert result.report["endpoints"]["not_implemented"] == []
    report = api.verify(out)
    assert report.success, ([(s.name, s.detail, s.output[-1500:]) for s in report.failed_steps()],
                            report.failed_checks()[:5])
    assert report.server_errors == 0
    names = {c.name for c in report.checks if c.passed}
    for label in ("POST /tasks/{id}/complete", "GET /projects/{id}/stats"):
        assert f"{label} answers (implemented)" in names
        assert f"{label} for a missing row is 404" in names
        assert f"{label} answers 501" not in {c.name for c in report.checks}
    assert report.tests is not None and report.tests.failed == 0
    assert report.tests.passed == report.tests.total > 30


def test_hybrid_edge_spec_with_generic_answers_verifies(tmp_path: Path) -> None:
    """Endpoints in every spelling (reserved-word tables, table-less, no key in the path),
    each written by the fake model's generic implementation, all pass verify."""
    from tests.stack.specs import project

    out = tmp_path / "edge"
    with FakeLLMServer(FakeLLMConfig()) as base_url:
        result = api.generate(project("edge").model_dump(mode="json"), api.GenerateOptions(
            provider="hybrid", base_url=base_url, cache=False), output=out)
    assert result.success
    assert len(result.report["endpoints"]["implemented"]) >= 5
    assert result.report["endpoints"]["not_implemented"] == []
    report = api.verify(out)
    assert report.success, ([(s.name, s.detail, s.output[-1500:]) for s in report.failed_steps()],
                            report.failed_checks()[:5])
    assert not any(c.name.endswith("answers 501") for c in report.checks)
    assert report.tests is not None and report.tests.failed == 0
