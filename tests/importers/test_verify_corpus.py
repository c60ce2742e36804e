"""Each corpus schema, imported and generated in each Express stack, verified for real by
`backforge verify`: npm install, lint (express-ts: `tsc --noEmit` first, zero errors),
migrations up/down/up, seeds, boot, API contract checks with the authorisation matrix,
the project's tests (jest or vitest).

The server here lacks pgvector and PostGIS: see `without_unavailable_types`.
"""

from __future__ import annotations

import shutil

import pytest

from backforge import api
from backforge.spec import load
from backforge.verify.model import StepStatus
from backforge.verify.postgres import find_bin
from tests.conftest import assert_typechecked
from tests.importers.conftest import CORPUS_FILES, without_unavailable_types

pytestmark = pytest.mark.slow

STACKS = ("express-js", "express-ts")


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("name", CORPUS_FILES)
def test_imported_schema_verifies_end_to_end(corpus, tmp_path, name, stack):
    for tool in ("npm", "node", "initdb", "psql"):
        if shutil.which(tool) is None and find_bin(tool) is None:
            pytest.skip(f"SKIPPED LOUDLY: {tool} is not installed; corpus verify did not run")
    loaded = without_unavailable_types(load(corpus / name, stack=stack))
    assert loaded.project.stack == stack
    out = tmp_path / "project"
    result = api.generate(loaded, output=out)
    assert result.success and result.report["success_rate"] == 1.0, result.report
    assert result.report["stack"] == stack
    report = api.verify(out)
    assert report.success, [(s.name, s.detail, s.output[-1500:]) for s in report.failed_steps()]
    assert report.server_errors == 0 and not report.failed_checks() and len(report.checks) > 50
    steps = {s.name: s for s in report.steps}
    assert all(steps[n].status is StepStatus.PASSED for n in
               ("lint", "migrate", "migrate-down-up", "seed", "boot", "contract", "tests"))
    if stack == "express-ts":
        assert_typechecked(report)
        assert not list((out / "src").rglob("*.js"))
    matrix = report.matrix_summary()
    assert matrix["cells"] == matrix["checked"] > 0 and matrix["failed"] == 0
    assert report.tests is not None and report.tests.failed == 0
    assert report.tests.passed == report.tests.total > 10
