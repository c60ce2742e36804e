"""The generated hostile corpus, once per session and stack: the fast harness and the
slow one (PostgreSQL, npm) look at the same outputs, and every test of the corpus runs
for each Express stack (spec text must stay inert in JavaScript and in TypeScript)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile.support import STACKS, Generated, generate_corpus


@pytest.fixture(scope="session", params=STACKS)
def corpus(request: pytest.FixtureRequest) -> Iterator[dict[str, Generated]]:
    # Short and fixed in length: the canary's path lands twice in a 200-character default
    # (native-default-mixed), and pytest's own folders grow (pytest-1000/, popen-gw1/).
    folder = Path(tempfile.mkdtemp(prefix=request.param.replace("express-", "bf-h-")))
    try:
        yield generate_corpus(folder, request.param)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
