"""End to end for the stacks' own edge-case specs (the three examples are in
tests/verify and tests/stack_ts): `edge` (reserved words, prototype keys, unicode, every
type, composite and natural keys, cycles, custom endpoints in every spelling) and `bare`
(no API prefix, no tests, no docker), each in both Express stacks. Runs `backforge
verify`: install, lint (express-ts: `tsc --noEmit` first, zero errors), PostgreSQL,
migrate up/down/up, seed, boot, API contract with the authorisation matrix, shutdown,
the project's tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from backforge import api
from tests.conftest import assert_typechecked
from tests.stack.specs import project

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("stack", ["express-js", "express-ts"])
@pytest.mark.parametrize("name", ["edge", "bare"])
def test_edge_specs_verify_end_to_end(name: str, stack: str, tmp_path: Path) -> None:
    spec = project(name)
    out = tmp_path / name
    result = api.generate(api.load(spec.model_dump(mode="json"), stack=stack), output=out)
    assert result.success and result.report["success_rate"] == 1.0, result.report
    assert result.report["stack"] == stack
    report = api.verify(out)
    assert report.success, ([(s.name, s.detail, s.output[-1500:]) for s in report.failed_steps()],
                            report.failed_checks()[:5])
    assert report.server_errors == 0 and len(report.checks) > 50
    matrix = report.matrix_summary()
    assert matrix["cells"] == matrix["checked"] > 0 and matrix["failed"] == 0
    if stack == "express-ts":
        assert_typechecked(report)
    if spec.options.tests:
        assert report.tests is not None and report.tests.passed == report.tests.total > 10
    else:
        assert not (out / "tests").exists()
