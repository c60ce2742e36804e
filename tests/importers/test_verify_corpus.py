"""Each corpus schema, imported and generated, verified for real by `backforge verify`:
npm install, migrations up/down/up, seeds, boot, API contract checks, the project's tests.

The server here lacks pgvector and PostGIS: see `without_unavailable_types`.
"""

from __future__ import annotations

import shutil

import pytest

from backforge import api
from backforge.spec import load
from backforge.verify.postgres import find_bin
from tests.importers.conftest import CORPUS_FILES, without_unavailable_types

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_imported_schema_verifies_end_to_end(corpus, tmp_path, name):
    for tool in ("npm", "node", "initdb", "psql"):
        if shutil.which(tool) is None and find_bin(tool) is None:
            pytest.skip(f"SKIPPED LOUDLY: {tool} is not installed; corpus verify did not run")
    loaded = without_unavailable_types(load(corpus / name))
    out = tmp_path / "project"
    result = api.generate(loaded, output=out)
    assert result.success, result.report
    report = api.verify(out)
    assert report.success, [f"{s.name}: {s.detail}" for s in report.failed_steps()]
    assert report.server_errors == 0 and not report.failed_checks()
