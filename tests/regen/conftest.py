"""A generated taskmanager project shared by the regeneration tests: generated once per
session, never changed; a test that writes works on its own copy (`project`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backforge import api
from tests.regen.support import SPECS

SPEC = SPECS / "taskmanager.yaml"


@pytest.fixture(scope="session")
def pristine(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pristine") / "tm"
    assert api.generate(SPEC, output=root).exit_code == 0
    return root


@pytest.fixture
def project(pristine: Path, tmp_path: Path) -> Path:
    root = tmp_path / "tm"
    shutil.copytree(pristine, root)
    return root
