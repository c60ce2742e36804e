"""The generated hostile corpus, once per session: the fast harness and the slow one
(PostgreSQL, npm) look at the same outputs."""

from __future__ import annotations

import pytest

from tests.hostile.support import Generated, generate_corpus


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Generated]:
    return generate_corpus(tmp_path_factory.mktemp("hostile"))
