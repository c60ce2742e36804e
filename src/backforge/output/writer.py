"""Write generated files into the output folder.

A folder is ours when it holds `.backforge/` (created first thing by every run, with
its lock). A non-empty folder that is not ours is refused unless `force` is given,
and the check happens before anything is written. A run into a folder stages its
files through a transaction (output/journal.py) so they become visible together;
`write_atomic` is for the single files written outside a run (verify's report).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Protocol

from backforge.errors import OutputError

if TYPE_CHECKING:  # annotations only: the no-op answer (fastpath.py) imports this module
    from backforge.engine.protocols import GeneratedFile  # without loading any stage
    from backforge.plan.model import Unit

MARKER_DIR = ".backforge"
EXECUTABLE_SUFFIXES = (".sh",)


def check_output_dir(root: Path, *, force: bool = False) -> None:
    """Refuse a folder that is a file, or non-empty and not created by backforge."""
    if root.exists() and not root.is_dir():
        raise OutputError(str(root), "exists and is not a folder", "choose another --output path")
    if not root.exists() or force or (root / MARKER_DIR).is_dir():
        return
    if any(root.iterdir()):
        raise OutputError(str(root), "is not empty and was not created by backforge",
                          "choose an empty folder, or pass --force to write into it")


def safe_relative(path: str) -> PurePosixPath:
    """A generated path must stay inside the output folder."""
    rel = PurePosixPath(path)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise ValueError(f"unsafe generated path {path!r}")
    return rel


def write_atomic(target: Path, content: str | bytes) -> None:
    """Write to a temp file beside the target, then rename: readers never see half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode() if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        mode = 0o755 if target.suffix in EXECUTABLE_SUFFIXES else 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Stager(Protocol):
    def put(self, path: str, content: str | bytes) -> None: ...


class DirectoryWriter:
    """The engine's Sink for a first run into a folder: stages every file in the run's
    transaction (`txn`; None: write each file at once, atomically); records what it
    wrote."""

    def __init__(self, root: Path, txn: Stager | None = None) -> None:
        self.root = root
        self.txn = txn
        self.written: list[str] = []

    def write(self, unit: Unit, files: Sequence[GeneratedFile]) -> None:
        for f in files:
            rel = safe_relative(f.path)
            if self.txn is not None:
                self.txn.put(str(rel), f.content)
            else:
                write_atomic(self.root / rel, f.content)
            self.written.append(f.path)

    def forget(self, paths: Sequence[str]) -> None:
        """The unit's write was undone (see regenerate._BaseCopies)."""
        gone = set(paths)
        self.written = [p for p in self.written if p not in gone]


class MemorySink:
    """A Sink that keeps files in memory (library use without an output folder)."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}

    def write(self, unit: Unit, files: Sequence[GeneratedFile]) -> None:
        for f in files:
            self.files[str(safe_relative(f.path))] = f.content
