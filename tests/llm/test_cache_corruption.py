"""Issue 12: a corrupt response cache is detected on open, moved aside with one warning,
and replaced by a new one; the run that found it works, and so does the next."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from backforge import api
from backforge.engine.protocols import Usage
from backforge.providers.fake_server import FakeLLMServer
from backforge.providers.llm.cache import FILE_NAME, SCHEMA_VERSION, ResponseCache, default_path
from tests.llm.conftest import SMALL_SPEC

LOGGER = "backforge.providers.llm"


def _real_cache(path: Path, rows: int = 300) -> None:
    cache = ResponseCache(path)
    for i in range(rows):
        cache.put(f"k{i}", "openai", "m", "x" * 2000, Usage(1, 2))


def garbage(path: Path) -> None:
    path.write_bytes(b"this was never a database\n" * 100)


def header_then_garbage(path: Path) -> None:
    """A valid SQLite header (the first 100 bytes of a real cache), garbage after it."""
    _real_cache(path)
    for side in ("-wal", "-shm"):
        Path(f"{path}{side}").unlink(missing_ok=True)
    data = path.read_bytes()
    assert data.startswith(b"SQLite format 3\x00")
    path.write_bytes(data[:100] + bytes(range(256)) * ((len(data) - 100) // 256 + 1))


def wrong_schema(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE answers (key TEXT PRIMARY KEY, blob BLOB)")
    db.commit()
    db.close()


def future_version(path: Path) -> None:
    _real_cache(path, rows=1)
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.commit()
    db.close()


@pytest.mark.parametrize("spoil", [garbage, header_then_garbage, wrong_schema, future_version])
def test_a_corrupt_cache_is_moved_aside_and_replaced(tmp_path, caplog, spoil) -> None:
    path = tmp_path / FILE_NAME
    spoil(path)
    spoiled = path.read_bytes()
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        cache = ResponseCache(path)
    warnings = [r for r in caplog.records if r.name == LOGGER and r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "moved it to" in warnings[0].getMessage()
    aside = cache.moved_aside
    assert aside is not None and aside.name.startswith(f"{FILE_NAME}.corrupt-")
    assert aside.read_bytes() == spoiled  # kept, not deleted: the user may want it
    # The new cache works, and a second open finds nothing wrong.
    assert cache.count() == 0
    cache.put("k", "openai", "m", "answer", Usage(3, 4))
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        again = ResponseCache(path)
    assert again.moved_aside is None and not caplog.records
    hit = again.get("k")
    assert hit is not None and hit.text == "answer" and hit.usage == Usage(3, 4)


def test_a_healthy_cache_of_the_previous_release_is_kept(tmp_path) -> None:
    """Caches written before the version stamp (user_version 0, same table) stay."""
    path = tmp_path / FILE_NAME
    _real_cache(path, rows=2)
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version=0")
    db.commit()
    db.close()
    cache = ResponseCache(path)
    assert cache.moved_aside is None and cache.count() == 2


def test_a_run_with_a_corrupt_cache_succeeds_and_fills_a_new_one(tmp_path, caplog) -> None:
    path = default_path()  # the suite points it at a private folder
    path.parent.mkdir(parents=True, exist_ok=True)
    header_then_garbage(path)
    options = api.GenerateOptions(provider="openai", backoff_base=0.01, call_timeout=10.0,
                                  concurrency=4)
    with FakeLLMServer(latency_ms=1) as url:
        with caplog.at_level(logging.WARNING, logger=LOGGER):
            first = api.generate(SMALL_SPEC, api.GenerateOptions(**{**options.__dict__,
                                                                    "base_url": url}))
        assert first.success
        assert sum("moved it to" in r.getMessage() for r in caplog.records) == 1
        second = api.generate(SMALL_SPEC, api.GenerateOptions(**{**options.__dict__,
                                                                 "base_url": url}))
    assert second.success and second.report["usage"]["cache_hits"] > 0
    assert list(path.parent.glob(f"{FILE_NAME}.corrupt-*"))
