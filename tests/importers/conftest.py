"""Fixtures for the importer tests: the shared SQL corpus and a scratch folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backforge.spec import load
from backforge.spec.load import LoadedSpec

ROOT = Path(__file__).resolve().parents[2]
# Real-world schemas as SQL DDL: $BACKFORGE_SQL_CORPUS, else ../shared/corpus/sql beside
# the clone (where CI keeps it). Not in the repository: the tests skip loudly without it.
CORPUS = Path(os.environ.get("BACKFORGE_SQL_CORPUS") or ROOT.parent / "shared" / "corpus" / "sql")
DATA = Path(__file__).resolve().parent / "data"
UNAVAILABLE = {"vector": "real[]", "geometry": "text"}  # extension type -> stand-in
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


def without_unavailable_types(loaded: LoadedSpec) -> LoadedSpec:
    """The spec for a server without pgvector and PostGIS (like this one): the columns of
    those types get a stand-in type the server has (`real[]` for pagila's `vector(20)`,
    `text` for openstreetmap's `geometry`) and the extensions are dropped."""
    def fix(field):
        base = (field.db_type or "").lower().rsplit(".", 1)[-1]
        for name, stand_in in UNAVAILABLE.items():
            if base == name or base.startswith(name + "("):
                return field.model_copy(update={"db_type": stand_in})
        return field

    project = loaded.project
    tables = tuple(t.model_copy(update={"fields": tuple(fix(f) for f in t.fields)})
                   for t in project.tables)
    database = project.database.model_copy(update={"extensions": tuple(
        e for e in project.database.extensions if e not in ("vector", "postgis"))})
    return load(project.model_copy(update={"tables": tables, "database": database})
                .model_dump(mode="json"))
