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

On open the file is checked (`PRAGMA quick_check`, the schema version in
`user_version` and the answers table's columns). A file that is not SQLite, is
damaged, or holds another schema is moved aside to
`llm-cache.sqlite3.corrupt-<UTC timestamp>` (with its -wal/-shm files), a new cache
starts, and one warning says so (the `backforge.providers.llm` logger: printed on
stderr by the CLI). Only an unusable location (a file where the folder should be,
no permission) stays an input error.
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
SCHEMA_VERSION = 1  # PRAGMA user_version of a cache this code writes
_COLUMNS = ("key", "provider", "model", "text", "prompt_tokens", "completion_tokens",
            "created")
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


class _Corrupt(Exception):
    """The file is not a usable cache (the reason is the message)."""


def _check(db: sqlite3.Connection) -> None:
    """Raise _Corrupt unless `db` is intact and holds this cache's schema (or nothing)."""
    try:
        result = db.execute("PRAGMA quick_check").fetchall()
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        columns = tuple(r[1] for r in db.execute("PRAGMA table_info(answers)"))
    except sqlite3.OperationalError:
        raise  # locked, unreadable: not the file's content
    except sqlite3.DatabaseError as exc:  # "file is not a database", "malformed"
        raise _Corrupt(str(exc)) from None
    if result != [("ok",)]:
        raise _Corrupt(f"integrity check failed: {result[0][0] if result else '?'}")
    if not tables:
        return  # a new, empty file
    if version not in (0, SCHEMA_VERSION) or tables != {"answers"} or columns != _COLUMNS:
        raise _Corrupt(f"not this cache's schema (version {version}, tables "
                       f"{', '.join(sorted(tables))})")


class ResponseCache:
    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.hits = self.misses = self.stores = 0
        self.moved_aside: Path | None = None  # where a corrupt file went, if one did
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._open()
            except _Corrupt as exc:
                self.moved_aside = self._move_aside()
                log.warning("the LLM response cache %s was unusable (%s); moved it to %s "
                            "and started a new one", self.path, exc, self.moved_aside)
                self._open()
        except (OSError, sqlite3.Error, _Corrupt) as exc:
            raise CacheError(self.path, str(exc)) from None

    def _open(self) -> None:
        db = self._connect()
        try:
            _check(db)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute(_SCHEMA)
                db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            except sqlite3.OperationalError:
                raise
            except sqlite3.DatabaseError as exc:
                raise _Corrupt(str(exc)) from None
        finally:
            db.close()

    def _move_aside(self) -> Path:
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        os.replace(self.path, target)
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                os.replace(side, target.with_name(target.name + suffix))
        return target

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
