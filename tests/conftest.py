"""Shared fixtures: paths of the bundled example specs and the shared corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
EXAMPLES = ("taskmanager.yaml", "shop.yaml", "blog.project.json")


@pytest.fixture
def data_dir() -> Path:
    return DATA
