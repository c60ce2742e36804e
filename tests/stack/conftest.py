from __future__ import annotations

import pytest

from tests.stack.specs import SPECS


@pytest.fixture(params=sorted(SPECS))
def spec_name(request: pytest.FixtureRequest) -> str:
    return request.param
