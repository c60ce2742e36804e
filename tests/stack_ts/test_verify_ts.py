"""express-ts end to end: the example specs generate as express-ts with every module
validated, and `backforge verify` is green: lint (tsc --noEmit with zero errors, then
ESLint with typescript-eslint), PostgreSQL, migrate up/down/up, seed, boot (npm start
compiles to dist/ and runs it), the API contract, shutdown, and the vitest suites."""

from __future__ import annotations

from pathlib import Path

import pytest

from backforge import api
from tests.conftest import DATA

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("spec", ["taskmanager.yaml", "shop.yaml", "blog.project.json"])
def test_example_verifies_as_express_ts(spec: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = api.generate(api.load(DATA / spec, stack="express-ts"), output=out)
    assert result.success and result.report["success_rate"] == 1.0, result.report
    assert (out / "tsconfig.json").is_file() and not list(out.rglob("src/**/*.js"))
    report = api.verify(out)
    assert report.success, ([(s.name, s.detail, s.output[-1500:]) for s in report.failed_steps()],
                            report.failed_checks()[:5])
    steps = {s.name for s in report.steps}
    assert {"lint", "migrate", "migrate-down-up", "boot", "contract"} <= steps
    assert report.server_errors == 0 and len(report.checks) > 50
    assert report.tests is not None and report.tests.failed == 0
    assert report.tests.passed == report.tests.total > 10
