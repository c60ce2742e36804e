"""The generated taskmanager the regeneration tests share (tests/conftest.py makes it
once per session); a test that writes works on its own copy (`project`)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def pristine(generated_taskmanager: Path) -> Path:
    return generated_taskmanager


@pytest.fixture
def project(taskmanager_copy: Path) -> Path:
    return taskmanager_copy
