"""The job store: API keys (hashed), jobs and their events.

`JobStore` is the interface and every query (one SQL text serves both engines); two engines
implement it: `SqliteStore`, one SQLite file (WAL) for the embedded server and the workers
of one host, and `PostgresStore` (service/pgstore.py) for API instances and workers on
several hosts. `open_store(config)` picks by `ServeConfig.store`. Every write commits at
once, so a killed server loses nothing it acknowledged.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import sqlite3
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from backforge.errors import InputError

if TYPE_CHECKING:
    from backforge.service.config import ServeConfig

__all__ = ["ApiKey", "Job", "JobStatus", "JobStore", "SqliteStore", "create_key", "hash_key",
           "open_store"]

KEY_PREFIX = "bfk_"

SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, hash TEXT NOT NULL UNIQUE,
  created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
  key_id TEXT NOT NULL REFERENCES api_keys(id), status TEXT NOT NULL, reason TEXT,
  spec_name TEXT NOT NULL, fmt TEXT, options TEXT NOT NULL, base_job TEXT,
  created REAL NOT NULL, started REAL, finished REAL, result TEXT,
  attempts INTEGER NOT NULL DEFAULT 0, cancel_requested INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS jobs_by_key ON jobs(key_id, status);
CREATE TABLE IF NOT EXISTS events (
  job_id TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (job_id, seq)) WITHOUT ROWID;
"""


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"  # the server stopped while it ran

    @property
    def terminal(self) -> bool:
        return self not in (JobStatus.QUEUED, JobStatus.RUNNING)


ACTIVE = (JobStatus.QUEUED.value, JobStatus.RUNNING.value)


@dataclass(frozen=True)
class ApiKey:
    id: str
    name: str


@dataclass(frozen=True)
class Job:
    id: str
    key_id: str
    status: JobStatus
    reason: str | None
    spec_name: str
    fmt: str | None
    options: dict[str, Any]
    base_job: str | None
    created: float
    started: float | None
    finished: float | None
    result: dict[str, Any] | None
    attempts: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status.value, "reason": self.reason,
                "attempts": self.attempts,
                "spec": self.spec_name, "format": self.fmt, "options": self.options,
                "base_job": self.base_job, "created": self.created, "started": self.started,
                "finished": self.finished, "result": self.result}


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class Cursor(Protocol):
    rowcount: int

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


Execute = Callable[[str, tuple], Cursor]


class JobStore(ABC):
    """Keys, jobs and events; safe to share between threads. Subclasses provide the
    connection (`_tx`, `_query`), the schema and how a job's run is locked."""

    #: raised by the engine when a unique key is taken
    duplicate: type[Exception] | tuple[type[Exception], ...] = ()
    #: run in add_event's transaction before the next sequence number is read, so two
    #: writers of one job cannot both take it (SQLite's BEGIN IMMEDIATE already excludes)
    lock_job_sql: str | None = None

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def _tx(self) -> AbstractContextManager[Execute]:
        """A transaction; yields `execute(sql, args)` (qmark parameters)."""

    @abstractmethod
    def _query(self, sql: str, args: tuple = ()) -> list[tuple]: ...

    def run_lock(self, job_id: str, folder: Path) -> Callable[[], None] | None:
        """Hold the right to run `job_id` (its release function), or None when a live
        worker holds it. The holder's death frees it, however it dies. Default: a flock on
        the job folder's run.lock, which needs every worker on one kernel."""
        return _try_lock(folder / "run.lock")

    # -- keys -----------------------------------------------------------------------------

    def add_key(self, name: str, key: str) -> ApiKey:
        record = ApiKey(uuid.uuid4().hex[:12], name)
        try:
            with self._tx() as execute:
                execute("INSERT INTO api_keys VALUES (?, ?, ?, ?)",
                           (record.id, name, hash_key(key), time.time()))
        except self.duplicate:
            raise InputError(f"keys create: a key named '{name}' exists already; "
                             "choose another name") from None
        return record

    def key_for(self, key: str) -> ApiKey | None:
        rows = self._query("SELECT id, name FROM api_keys WHERE hash = ?", (hash_key(key),))
        return ApiKey(*rows[0]) if rows else None

    def key_count(self) -> int:
        return self._query("SELECT count(*) FROM api_keys")[0][0]

    # -- jobs -----------------------------------------------------------------------------

    def add_job(self, job_id: str, key_id: str, spec_name: str, fmt: str | None,
                options: dict[str, Any], base_job: str | None) -> None:
        with self._tx() as execute:
            execute("INSERT INTO jobs (id, key_id, status, spec_name, fmt, options, "
                       "base_job, created) VALUES (?, ?, 'queued', ?, ?, ?, ?, ?)",
                       (job_id, key_id, spec_name, fmt, json.dumps(options), base_job,
                        time.time()))

    def job(self, job_id: str, key_id: str | None = None) -> Job | None:
        """The job; None when it does not exist or (with key_id) belongs to another key."""
        sql = ("SELECT id, key_id, status, reason, spec_name, fmt, options, base_job, "
               "created, started, finished, result, attempts FROM jobs WHERE id = ?")
        args: tuple = (job_id,)
        if key_id is not None:
            sql += " AND key_id = ?"
            args = (job_id, key_id)
        rows = self._query(sql, args)
        if not rows:
            return None
        r = rows[0]
        return Job(r[0], r[1], JobStatus(r[2]), r[3], r[4], r[5], json.loads(r[6]), r[7],
                   r[8], r[9], r[10], json.loads(r[11]) if r[11] else None, r[12])

    def jobs_of(self, key_id: str, limit: int = 100) -> list[Job]:
        ids = self._query("SELECT id FROM jobs WHERE key_id = ? ORDER BY seq DESC LIMIT ?",
                          (key_id, limit))
        return [j for (i,) in ids if (j := self.job(i)) is not None]

    def active_count(self, key_id: str) -> int:
        return self._query("SELECT count(*) FROM jobs WHERE key_id = ? AND status IN (?, ?)",
                           (key_id, *ACTIVE))[0][0]

    def counts(self) -> dict[str, int]:
        return dict(self._query("SELECT status, count(*) FROM jobs GROUP BY status"))

    def durations(self, limit: int = 50) -> list[float]:
        """How long the last `limit` succeeded jobs ran (s), newest first."""
        return [d for (d,) in self._query(
            "SELECT finished - started FROM jobs WHERE status = 'succeeded' AND started "
            "IS NOT NULL AND finished IS NOT NULL ORDER BY seq DESC LIMIT ?", (limit,))]

    def running_since(self, key_id: str) -> list[float]:
        """When the key's running jobs started (epoch s)."""
        return [t for (t,) in self._query(
            "SELECT started FROM jobs WHERE key_id = ? AND status = 'running' AND started "
            "IS NOT NULL", (key_id,))]

    # -- expiry ---------------------------------------------------------------------------

    def expired(self, before: float, limit: int = 500) -> list[str]:
        """Ended jobs that finished before `before` (epoch s), oldest first."""
        return [i for (i,) in self._query(
            "SELECT id FROM jobs WHERE status NOT IN (?, ?) AND finished < ? ORDER BY seq "
            "LIMIT ?", (*ACTIVE, before, limit))]

    def delete_job(self, job_id: str) -> None:
        """Forget a job: its row and its events (its files are the artifact store's)."""
        with self._tx() as execute:
            execute("DELETE FROM events WHERE job_id = ?", (job_id,))
            execute("DELETE FROM jobs WHERE id = ?", (job_id,))

    def queued(self) -> list[str]:
        return [i for (i,) in self._query(
            "SELECT id FROM jobs WHERE status = 'queued' ORDER BY seq")]

    def claim(self, job_id: str, *, rerun: bool = False, max_attempts: int = 2) -> bool:
        """queued -> running; False when the job is no longer queued (cancelled, ended).
        With `rerun` (a queue's redelivery after its worker died: the caller holds the
        job's lock, so no live worker runs it) a running job is claimed again, at most
        `max_attempts` times in all."""
        with self._tx() as execute:
            cur = execute("UPDATE jobs SET status = 'running', started = ?, "
                             "attempts = attempts + 1 WHERE id = ? AND (status = 'queued' "
                             "OR (status = 'running' AND ?)) AND attempts < ?",
                             (time.time(), job_id, rerun, max_attempts))
            return cur.rowcount == 1

    def attempts(self, job_id: str) -> int:
        rows = self._query("SELECT attempts FROM jobs WHERE id = ?", (job_id,))
        return rows[0][0] if rows else 0

    def request_cancel(self, job_id: str) -> bool:
        """Ask a running job's worker (in any process) to stop; False when not running."""
        with self._tx() as execute:
            cur = execute("UPDATE jobs SET cancel_requested = 1 "
                             "WHERE id = ? AND status = 'running'", (job_id,))
            return cur.rowcount == 1

    def cancel_requested(self, job_id: str) -> bool:
        rows = self._query("SELECT cancel_requested FROM jobs WHERE id = ?", (job_id,))
        return bool(rows and rows[0][0])

    def cancel_queued(self, job_id: str) -> bool:
        with self._tx() as execute:
            cur = execute("UPDATE jobs SET status = 'cancelled', finished = ?, reason = ? "
                             "WHERE id = ? AND status = 'queued'",
                             (time.time(), "cancelled on request before it started", job_id))
            return cur.rowcount == 1

    def finish(self, job_id: str, status: JobStatus, reason: str | None,
               result: dict[str, Any] | None) -> None:
        with self._tx() as execute:
            execute("UPDATE jobs SET status = ?, reason = ?, result = ?, finished = ? "
                       "WHERE id = ?", (status.value, reason,
                                        json.dumps(result) if result is not None else None,
                                        time.time(), job_id))

    def interrupt_running(self, reason: str) -> list[str]:
        """At start-up: jobs a previous process left running did not finish."""
        with self._tx() as execute:
            ids = [i for (i,) in execute("SELECT id FROM jobs WHERE status = 'running'")]
            execute("UPDATE jobs SET status = 'interrupted', reason = ?, finished = ? "
                       "WHERE status = 'running'", (reason, time.time()))
        return ids

    # -- events ---------------------------------------------------------------------------

    def add_event(self, job_id: str, data: str) -> int:
        with self._tx() as execute:
            if self.lock_job_sql:
                execute(self.lock_job_sql, (job_id,))
            (last,) = execute("SELECT coalesce(max(seq), 0) FROM events WHERE job_id = ?",
                                 (job_id,)).fetchone()
            execute("INSERT INTO events VALUES (?, ?, ?)", (job_id, last + 1, data))
        return last + 1

    def events_after(self, job_id: str, after: int, limit: int = 500) -> list[tuple[int, str]]:
        return self._query("SELECT seq, data FROM events WHERE job_id = ? AND seq > ? "
                           "ORDER BY seq LIMIT ?", (job_id, after, limit))


class SqliteStore(JobStore):
    """One SQLite file (WAL), one connection guarded by a lock: SQLite serializes writers
    anyway, and the events of a job are written by its worker thread while event streams
    read them. Shared by processes of one host only (SQLite's locking needs one kernel)."""

    duplicate = sqlite3.IntegrityError

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None,
                                   timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # WAL: durable across a process kill
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[Execute]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db.execute
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()


def open_store(config: ServeConfig) -> JobStore:
    """The store `config` names: PostgreSQL for a postgresql:// URL, else the SQLite file
    in the data folder."""
    if config.store and config.store.startswith(("postgresql://", "postgres://")):
        # Not at the top: psycopg is an optional extra the embedded server never needs.
        from backforge.service.pgstore import PostgresStore

        return PostgresStore(config.store)
    if config.store:
        raise InputError(f"store: '{_redact(config.store)}' is not a postgresql:// URL; "
                         "leave it unset for the SQLite file in the data folder")
    return SqliteStore(config.database)


def _redact(url: str) -> str:
    """A URL without its password, for messages."""
    head, sep, tail = url.rpartition("@")
    if not sep:
        return url
    scheme, _, userinfo = head.partition("://")
    return f"{scheme}://{userinfo.split(':')[0]}:***@{tail}"


def _try_lock(path: Path) -> Callable[[], None] | None:
    """An exclusive flock on `path` (its release), or None when another process or thread
    holds it; the kernel drops it when the holder dies, however it dies."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return lambda: os.close(fd)  # closing releases the flock


def create_key(store: JobStore, name: str) -> str:
    """A new API key named `name`: returned once, only its SHA-256 is stored."""
    name = name.strip()
    if not name or len(name) > 64 or not name.isprintable():
        raise InputError("keys create: NAME must be 1-64 printable characters")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    store.add_key(name, key)
    return key
