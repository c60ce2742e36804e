"""The LLM response cache: a SQLite file that replays a model's answer to an identical request.

Where: `$BACKFORGE_CACHE_DIR/llm-cache.sqlite3` when set (tests), else
`$XDG_CACHE_HOME/backforge/llm-cache.sqlite3`, else `~/.cache/backforge/...`.
The key is a sha256 over the provider name, model, base URL, PROMPT_VERSION and
the exact request payload (system and user prompt, temperature, max_tokens), so
any change to the prompt (a changed table, a repair prompt's issues) is a miss.
The value is the raw answer text and its usage. Only answers that parsed are
stored (the caller says so by calling `put`), never errors.

Each operation opens its own short-lived connection (WAL mode, a busy timeout),
so concurrent units, threads and processes can share one file safely. A cache
that breaks mid-run (disk full, corrupt file) is logged and treated as a miss:
it must never fail a generation.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backforge.engine.protocols import Usage
from backforge.errors import InputError
from backforge.providers.llm.prompts import PROMPT_VERSION

log = logging.getLogger("backforge.providers.llm")

CACHE_DIR_ENV = "BACKFORGE_CACHE_DIR"
FILE_NAME = "llm-cache.sqlite3"
_SCHEMA = """CREATE TABLE IF NOT EXISTS answers (
    key TEXT PRIMARY KEY, provider TEXT NOT NULL, model TEXT NOT NULL, text TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, created REAL NOT NULL)"""


class CacheError(InputError):
    """The cache file cannot be created or opened (exit 2, before anything is written)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"cannot open the LLM response cache {path}: {reason}; pass --no-cache "
                         f"or set {CACHE_DIR_ENV} to a writable folder")


@dataclass(frozen=True)
class CachedAnswer:
    text: str
    usage: Usage  # what the answer cost when it was first asked


def default_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get(CACHE_DIR_ENV):
        return Path(env[CACHE_DIR_ENV]) / FILE_NAME
    base = Path(env["XDG_CACHE_HOME"]) if env.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return base / "backforge" / FILE_NAME


def cache_key(provider: str, model: str, base_url: str, payload: Mapping[str, Any]) -> str:
    blob = json.dumps({"provider": provider, "model": model, "base_url": base_url,
                       "prompt_version": PROMPT_VERSION, "payload": payload},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ResponseCache:
    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.hits = self.misses = self.stores = 0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise CacheError(self.path, str(exc)) from None

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10.0, isolation_level=None)

    def get(self, key: str) -> CachedAnswer | None:
        try:
            db = self._connect()
            try:
                row = db.execute("SELECT text, prompt_tokens, completion_tokens FROM answers "
                                 "WHERE key = ?", (key,)).fetchone()
            finally:
                db.close()
        except sqlite3.Error as exc:
            log.warning("LLM cache %s unreadable (%s): treated as a miss", self.path, exc)
            row = None
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        return CachedAnswer(row[0], Usage(int(row[1]), int(row[2])))

    def put(self, key: str, provider: str, model: str, text: str, usage: Usage) -> None:
        try:
            db = self._connect()
            try:
                db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (key, provider, model, text, usage.prompt_tokens,
                            usage.completion_tokens, time.time()))
            finally:
                db.close()
        except sqlite3.Error as exc:
            log.warning("LLM cache %s not written (%s)", self.path, exc)
            return
        self.stores += 1

    def count(self) -> int:
        """Answers stored (a method, not __len__, so an empty cache is still truthy)."""
        db = self._connect()
        try:
            return int(db.execute("SELECT count(*) FROM answers").fetchone()[0])
        finally:
            db.close()
