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


@pytest.fixture(autouse=True)
def _private_llm_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own empty LLM response cache, never the user's ~/.cache: a
    cached answer from an earlier test would hide the requests (and faults) under test."""
    monkeypatch.setenv("BACKFORGE_CACHE_DIR", str(tmp_path_factory.mktemp("llm-cache")))
