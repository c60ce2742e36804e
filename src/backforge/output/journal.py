"""Atomic, exclusive runs: the folder lock, the staged transaction and its recovery.

One run per folder: `FolderLock` takes a non-blocking `flock` on `.backforge/lock`
(and writes the holder's pid into it) before anything else is written; the kernel
releases it when the process ends, however it ends. Creating the lock also creates
`.backforge/`, the marker that makes the folder backforge's from the first moment.

All of a run's writes - project files, migrations, base copies, manifest, spec and
report - go through one `Transaction`:

1. stage: every new content is written under `.backforge/staging/<path>` while the
   engine runs (units are staged as they validate); deletions are only recorded.
   Nothing in the project changes yet.
2. commit: `.backforge/journal.json` (every operation, with the sha256 of each staged
   content) is written to a temp name, fsynced and renamed into place. That rename is
   the commit point: a journal that exists is complete.
3. apply: each staged file is renamed over its target (a rename never shows half a
   file), each deletion is done; then the staging folder and the journal are removed.

Recovery (`recover`, at the start of the next run, under the lock): a journal means a
committed run was stopped while applying: roll forward (apply again; a staged file that
is gone was already renamed into place, so applying twice is harmless). Staging without
a journal means the run never committed: roll back (delete the staging folder). Either
way the folder ends as one whole run left it, never as a mix.

Durability: the journal is fsynced; staged contents are not fsynced one by one (that
would cost a sync per generated file), so the guarantee covers a killed or crashed
process (SIGKILL, Ctrl-C, an exception, OOM), not a power loss in the seconds after
a commit.

Test hook: every write boundary (a staged file, the commit, each applied operation,
the end) calls `boundary()`. With `BACKFORGE_TEST_CRASH_AFTER=N` in the environment the
process stops at the Nth boundary of the run: `os._exit(137)` (what SIGKILL leaves
behind), or with `N:raise` a `SimulatedCrash` (a BaseException, for in-process tests);
`0` never stops but lists the boundaries. It exists for the fault-injection tests
(tests/crash/) only; unset, it only counts.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from backforge.errors import BackforgeError, OutputError
from backforge.output.writer import EXECUTABLE_SUFFIXES, MARKER_DIR, safe_relative

LOCK = "lock"
JOURNAL = "journal.json"
STAGING = "staging"
IGNORE = ".gitignore"
CRASH_AFTER_ENV = "BACKFORGE_TEST_CRASH_AFTER"
FORMAT = 1
# What belongs to one machine and one moment, not to the project's history.
# The stat cache (output/fastpath.py) holds inode numbers and ctimes: this machine's.
IGNORED = f"{LOCK}\n{JOURNAL}\n{JOURNAL}.tmp\n{STAGING}/\nstat-cache.json\n.stat-cache.json.*\n"


# -- the test hook ------------------------------------------------------------------------


class SimulatedCrash(BaseException):
    """Raised by the test hook (`BACKFORGE_TEST_CRASH_AFTER=N:raise`): a process death
    that in-process tests can catch. A BaseException, so no `except Exception` hides it."""


class _Boundaries:
    """The one place the crash hook lives; counts the write boundaries of a run (and,
    with the hook set, names them: `0` never stops, it only lists them)."""

    def __init__(self) -> None:
        self.count = 0
        self.names: list[str] = []

    def reset(self) -> None:
        self.count = 0
        self.names = []

    def __call__(self, what: str) -> None:
        self.count += 1
        limit = os.environ.get(CRASH_AFTER_ENV)
        if not limit:
            return
        self.names.append(what)
        n, _, mode = limit.partition(":")
        if self.count == int(n):
            if mode == "raise":
                raise SimulatedCrash(f"test hook: stopped at write boundary {n} ({what})")
            os._exit(137)


boundary = _Boundaries()


# -- the lock -----------------------------------------------------------------------------


class FolderLockedError(OutputError):
    """Another backforge run holds the folder's lock. An input error (exit 2) like any
    unusable output folder: nothing was written, and the fix is the user's (wait for the
    other run or stop it)."""

    def __init__(self, root: Path, pid: int | None) -> None:
        self.pid = pid
        who = f"pid {pid}" if pid else "a process whose pid is not written yet"
        super().__init__(str(root), f"another backforge run ({who}) is using this folder",
                         "wait for it to finish, or stop it, then run again")


def _holder(fd: int) -> int | None:
    for _ in range(20):  # the holder writes its pid right after taking the lock
        text = os.pread(fd, 32, 0).decode(errors="replace").strip()
        if text.isdigit():
            return int(text)
        time.sleep(0.005)
    return None


class FolderLock:
    """`with FolderLock(root):` - one run per folder (see the module docstring)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.fd: int | None = None

    def acquire(self) -> FolderLock:
        marker = self.root / MARKER_DIR
        marker.mkdir(parents=True, exist_ok=True)
        fd = os.open(marker / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            pid = _holder(fd) if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN) else None
            os.close(fd)
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise
            raise FolderLockedError(self.root, pid) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self.fd = fd
        ignore = marker / IGNORE
        try:
            current = ignore.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            current = None
        if current != IGNORED:  # also one a kill left half-written
            ignore.write_text(IGNORED, encoding="utf-8")
        boundary.reset()
        return self

    def release(self) -> None:
        if self.fd is not None:
            # The file stays: unlinking a lock file races with a run opening it.
            os.ftruncate(self.fd, 0)
            os.close(self.fd)  # closing the last descriptor releases the flock
            self.fd = None

    def __enter__(self) -> Self:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


# -- the transaction ----------------------------------------------------------------------


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Op:
    path: str  # relative to the folder, may be under .backforge/
    sha: str | None  # sha256 of the staged content; None: delete

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "sha256": self.sha} if self.sha else \
            {"path": self.path, "delete": True}


class DeadlinePassed(BackforgeError):
    """The run's deadline passed while a unit's files were being staged."""

    def __init__(self, path: str) -> None:
        super().__init__(f"the run's deadline passed while staging {path}: the unit's files "
                         "were not kept")


class Transaction:
    """A run's writes, staged and then made visible together by `commit`. `deadline`
    (time.monotonic()): staging after it raises DeadlinePassed, so a giant answer
    cannot hold the run past --deadline."""

    def __init__(self, root: Path, deadline: float | None = None) -> None:
        self.root = root
        self.deadline = deadline
        self.staging = root / MARKER_DIR / STAGING
        self.ops: dict[str, Op] = {}
        self._added: list[str] = []  # paths in staging order, for `rollback_to`

    def savepoint(self) -> int:
        return len(self._added)

    def rollback_to(self, mark: int) -> list[str]:
        """Forget what was staged since `savepoint()` returned `mark` (a unit whose files
        could not all be staged); returns those paths."""
        gone = self._added[mark:]
        del self._added[mark:]
        for rel in gone:
            op = self.ops.pop(rel, None)
            if op is not None and op.sha is not None:
                (self.staging / rel).unlink(missing_ok=True)
        return gone

    def put(self, path: str, content: str | bytes) -> None:
        """Stage `content` for `path` (replacing what this run staged for it before)."""
        rel = str(safe_relative(path))
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise DeadlinePassed(rel)
        data = content.encode(errors="surrogateescape") if isinstance(content, str) else content
        staged = self.staging / rel
        staged.parent.mkdir(parents=True, exist_ok=True)
        with open(staged, "wb") as fh:
            fh.write(data)
        os.chmod(staged, 0o755 if staged.suffix in EXECUTABLE_SUFFIXES else 0o644)
        self.ops[rel] = Op(rel, _sha(data))
        self._added.append(rel)
        boundary(f"staged {rel}")

    def put_if_changed(self, path: str, content: str | bytes) -> bool:
        """`put` unless the folder already holds exactly these bytes (and this run staged
        nothing else for it): an unchanged run writes nothing and keeps mtimes."""
        rel = str(safe_relative(path))
        data = content.encode(errors="surrogateescape") if isinstance(content, str) else content
        if rel not in self.ops:
            try:
                if (self.root / rel).read_bytes() == data:
                    return False
            except OSError:
                pass
        self.put(rel, data)
        return True

    def delete(self, path: str) -> None:
        rel = str(safe_relative(path))
        if rel in self.ops and self.ops[rel].sha is not None:
            (self.staging / rel).unlink(missing_ok=True)
        self.ops[rel] = Op(rel, None)
        self._added.append(rel)

    def staged(self, path: str) -> bytes | None:
        """What this run staged for `path` (None: nothing, or a deletion)."""
        op = self.ops.get(str(safe_relative(path)))
        return (self.staging / op.path).read_bytes() if op and op.sha else None

    def commit(self) -> int:
        """Write the journal (the commit point), then apply it. Returns the number of
        operations; with none, nothing is written at all."""
        if not self.ops:
            shutil.rmtree(self.staging, ignore_errors=True)
            return 0
        journal = self.root / MARKER_DIR / JOURNAL
        tmp = journal.with_name(JOURNAL + ".tmp")
        ops = sorted(self.ops.values(), key=_apply_order)
        text = json.dumps({"format": FORMAT, "ops": [o.to_dict() for o in ops]}, indent=1)
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, journal)
        _fsync_dir(journal.parent)
        boundary("journal committed")
        apply(self.root, ops)
        return len(ops)


def _apply_order(op: Op) -> tuple[int, str]:
    # The manifest goes last: when a reader skips recovery, the old manifest still
    # describes the old files as long as possible. Order does not matter for recovery.
    return (1 if op.path.startswith(f"{MARKER_DIR}/") else 0, op.path)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def apply(root: Path, ops: list[Op]) -> None:
    """Make the journal's operations visible; safe to repeat after a crash."""
    staging = root / MARKER_DIR / STAGING
    for op in ops:
        target = root / op.path
        if op.sha is None:
            if target.is_file() or target.is_symlink():
                target.unlink()
        else:
            staged = staging / op.path
            if staged.is_file():  # gone: renamed into place by the interrupted apply
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.is_dir() and not target.is_symlink():
                    shutil.rmtree(target)
                os.replace(staged, target)
        boundary(f"applied {op.path}")
    shutil.rmtree(staging, ignore_errors=True)
    (root / MARKER_DIR / JOURNAL).unlink(missing_ok=True)
    boundary("journal removed")


def _read_ops(journal: Path) -> list[Op] | None:
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        return [Op(str(safe_relative(o["path"])), None if o.get("delete") else str(o["sha256"]))
                for o in data["ops"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def recover(root: Path) -> str | None:
    """Finish or undo what an interrupted run left (call it holding the lock).
    Returns "rolled forward", "rolled back" or None (nothing to do)."""
    marker = root / MARKER_DIR
    journal, staging = marker / JOURNAL, marker / STAGING
    (marker / (JOURNAL + ".tmp")).unlink(missing_ok=True)  # an uncommitted journal
    if journal.is_file():
        ops = _read_ops(journal)
        if ops is not None:
            apply(root, ops)
            return "rolled forward"
        journal.unlink()  # cannot happen through commit (rename of a complete file)
    if staging.exists():
        shutil.rmtree(staging)
        return "rolled back"
    return None


def pending(root: Path) -> bool:
    """An interrupted run left something to recover."""
    marker = root / MARKER_DIR
    return (marker / JOURNAL).exists() or (marker / STAGING).exists()
