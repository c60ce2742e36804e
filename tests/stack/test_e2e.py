"""End to end for the stack's own edge-case specs (the three examples are in
tests/verify): `edge` (reserved words, prototype keys, unicode, every type, composite
and natural keys, cycles, custom endpoints in every spelling) and `bare` (no API
prefix, no tests, no docker). Runs `backforge verify`: install, lint, PostgreSQL,
migrate up/down/up, seed, boot, API contract, shutdown, npm test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from backforge import api
from tests.stack.specs import project

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", ["edge", "bare"])
def test_edge_specs_verify_end_to_end(name: str, tmp_path: Path) -> None:
    spec = project(name)
    out = tmp_path / name
    assert api.generate(spec.model_dump(mode="json"), output=out).success
    report = api.verify(out)
    assert report.success, ([(s.name, s.detail, s.output[-1500:]) for s in report.failed_steps()],
                            report.failed_checks()[:5])
    assert report.server_errors == 0 and len(report.checks) > 50
    if spec.options.tests:
        assert report.tests is not None and report.tests.passed == report.tests.total > 10
    else:
        assert not (out / "tests").exists()
