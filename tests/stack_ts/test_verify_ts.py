"""express-ts end to end: the example specs generate as express-ts with every module
validated, and `backforge verify` is green: lint (tsc --noEmit with zero errors, then
ESLint with typescript-eslint), PostgreSQL, migrate up/down/up, seed, boot (npm start
compiles to dist/ and runs it), the API contract with the authorisation matrix and (with
auth) the session checks, shutdown, and the vitest suites (tests/access.test.ts,
tests/auth-sessions.test.ts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from backforge import api
from tests.conftest import DATA, assert_typechecked

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
    assert_typechecked(report)
    assert report.server_errors == 0 and len(report.checks) > 50
    assert report.tests is not None and report.tests.failed == 0
    assert report.tests.passed == report.tests.total > 10
    matrix = report.matrix_summary()
    assert matrix["cells"] == matrix["checked"] > 0 and matrix["failed"] == 0
    auth = api.load(DATA / spec).project.options.auth
    assert (out / "tests/access.test.ts").is_file()
    assert (out / "tests/auth-sessions.test.ts").is_file() == auth
    assert (out / "src/policies").is_dir() == auth
    if auth:  # the session checks ran (refresh, reuse, logout, 429, timing)
        assert any("refresh" in c.name for c in report.checks)


def test_every_rule_kind_holds_its_matrix_in_express_ts(tmp_path: Path) -> None:
    """The spec with every rule kind (public, authenticated, owner, role list, none), a
    composite-key chained table and a table no one may create rows of: verify's 80 cells
    hold against the TypeScript app, and vitest lists the row-needing cells as todo."""
    out = tmp_path / "out"
    assert api.generate(api.load(DATA / "access-kinds.yaml", stack="express-ts"),
                        output=out).success
    report = api.verify(out)
    assert report.success, ([(s.name, s.detail) for s in report.failed_steps()],
                            [m for m in report.matrix if not m.passed])
    assert_typechecked(report)
    matrix = report.matrix_summary()
    assert (matrix["cells"], matrix["checked"], matrix["failed"]) == (80, 80, 0)
    statuses = {(m.table, m.operation, m.principal): m.got for m in report.matrix}
    assert statuses[("notes", "update", "other")] == 403
    assert statuses[("tags", "create", "admin")] == 405
    assert statuses[("pages", "read", "other")] == 404
    tests = report.tests
    assert tests is not None and tests.failed == 0 and tests.total > tests.passed


def test_hybrid_edge_spec_verifies_as_express_ts(tmp_path: Path) -> None:
    """The edge spec (reserved-word tables, table-less endpoints, a users-table endpoint
    with no create route to make a row for it) in hybrid mode, each endpoint written by the
    fake model: tsc, the 160-cell matrix and vitest all green."""
    from backforge.providers.fake_server import FakeLLMConfig, FakeLLMServer
    from tests.stack.specs import project

    out = tmp_path / "edge"
    loaded = api.load(project("edge").model_dump(mode="json"), stack="express-ts")
    with FakeLLMServer(FakeLLMConfig()) as base_url:
        result = api.generate(loaded, api.GenerateOptions(provider="hybrid", base_url=base_url,
                                                          cache=False), output=out)
    assert result.success and result.report["endpoints"]["not_implemented"] == []
    report = api.verify(out)
    assert report.success, ([(s.name, s.detail, s.output[-1500:]) for s in report.failed_steps()],
                            report.failed_checks()[:5])
    assert_typechecked(report)
    matrix = report.matrix_summary()
    assert matrix["cells"] == matrix["checked"] > 100 and matrix["failed"] == 0
    assert report.tests is not None and report.tests.failed == 0
