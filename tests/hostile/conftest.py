"""The generated hostile corpus, once per session and stack: the fast harness and the
slow one (PostgreSQL, npm) look at the same outputs, and every test of the corpus runs
for each Express stack (spec text must stay inert in JavaScript and in TypeScript)."""

from __future__ import annotations

import pytest

from tests.hostile.support import STACKS, Generated, generate_corpus


@pytest.fixture(scope="session", params=STACKS)
def corpus(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> dict[str, Generated]:
    # short: the canary's path lands twice in a 200-character default (native-default-mixed)
    folder = tmp_path_factory.mktemp(request.param.replace("express-", "h-"))
    return generate_corpus(folder, request.param)
