"""Fixtures for the importer tests: the shared SQL corpus and a scratch folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Real-world schemas as SQL DDL: $BACKFORGE_SQL_CORPUS, else ../shared/corpus/sql beside
# the clone (where CI keeps it). Not in the repository: the tests skip loudly without it.
CORPUS = Path(os.environ.get("BACKFORGE_SQL_CORPUS") or ROOT.parent / "shared" / "corpus" / "sql")
DATA = Path(__file__).resolve().parent / "data"
CORPUS_FILES = sorted(p.name for p in CORPUS.glob("*.sql")) if CORPUS.is_dir() else []


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"SKIPPED LOUDLY: the schema corpus is not at {CORPUS} (set "
                    "BACKFORGE_SQL_CORPUS to a folder of .sql schemas; CI keeps shared/ beside "
                    "the repo clone); the importer corpus tests did not run")
    return CORPUS


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
