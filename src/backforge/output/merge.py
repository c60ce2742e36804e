"""Three-way merge of a regenerated file with the user's copy, and the merging sink.

base = what backforge wrote last time (the manifest's base copy), ours = the
user's file on disk, theirs = the new generation. The decision per file:

- theirs == base: the generation did not change; the user's file is left alone
- ours == base (or ours == theirs): the user did not touch it; write theirs
- the user changed it: `git merge-file` (clean: write the merge; conflicts:
  write it with standard markers labelled yours / base / backforge)
- the user deleted a file backforge wrote: it stays deleted
- a new file where the user already has one: merged with an empty base
- a file left in conflict by an earlier run that still holds its markers stays a
  conflict (`unresolved`), so the run keeps exiting 3 until the user resolves it
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from backforge.engine.protocols import GeneratedFile
from backforge.errors import BackforgeError, InputError
from backforge.output.writer import safe_relative
from backforge.plan.model import Unit

LABELS = ("yours", "base", "backforge")
# The opening and closing markers `merge_text` writes, each on a line of its own.
_MARKERS = re.compile(rf"^<{{7}} {LABELS[0]}$.*?^>{{7}} {LABELS[2]}$", re.MULTILINE | re.DOTALL)


class Action(StrEnum):
    ADDED = "added"  # a new file, written
    UPDATED = "updated"  # the user never touched it: the new generation, written
    MERGED = "merged"  # the user's edits and the new generation, merged cleanly
    CONFLICT = "conflict"  # merged with conflict markers
    UNCHANGED = "unchanged"  # nothing to write
    USER_DELETED = "user-deleted"  # the user deleted it: stays deleted
    KEPT = "kept"  # gone from the spec but edited by the user: kept
    DELETED = "deleted"  # gone from the spec, never edited: removed

    @property
    def writes(self) -> bool:
        return self in (Action.ADDED, Action.UPDATED, Action.MERGED, Action.CONFLICT)


@dataclass(frozen=True)
class FileDecision:
    path: str
    action: Action
    content: str | None = None  # what to write (None: write nothing)
    unit: str | None = None
    conflicts: int = 0

    def to_dict(self) -> dict:
        out: dict = {"path": self.path, "action": str(self.action), "unit": self.unit}
        if self.conflicts:
            out["conflicts"] = self.conflicts
        return out


class GitMissingError(InputError):
    """Merging the user's edits needs `git merge-file`."""

    def __init__(self) -> None:
        super().__init__("git is not on PATH: it is needed to merge your edits with the new "
                         "generation (`git merge-file`); install git and run again")


class MergeError(BackforgeError):
    def __init__(self, path: str, detail: str) -> None:
        super().__init__(f"{path}: git merge-file failed: {detail}")


def require_git() -> str:
    git = shutil.which("git")
    if git is None:
        raise GitMissingError()
    return git


def merge_text(path: str, ours: str, base: str, theirs: str) -> tuple[str, int]:
    """`git merge-file -p`: the merged text and the number of conflicts."""
    git = require_git()
    with tempfile.TemporaryDirectory(prefix="backforge-merge-") as tmp:
        names = []
        for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
            p = Path(tmp) / name
            p.write_bytes(text.encode())
            names.append(str(p))
        cmd = [git, "merge-file", "-p", *(x for label in LABELS for x in ("-L", label)),
               *names]
        done = subprocess.run(cmd, capture_output=True, check=False)
    if done.returncode < 0 or done.returncode > 127:
        raise MergeError(path, done.stderr.decode(errors="replace").strip()
                         or f"exit {done.returncode}")
    return done.stdout.decode(errors="surrogateescape"), done.returncode


def conflict_markers(text: str | None) -> int:
    """How many conflict blocks (as backforge labels them) `text` still holds."""
    return len(_MARKERS.findall(text)) if text else 0


def read_user(root: Path, path: str) -> str | None:
    """The user's copy (None: no such file). Bytes that are not UTF-8 are kept through
    the merge as surrogates rather than refused."""
    try:
        return (root / safe_relative(path)).read_bytes().decode(errors="surrogateescape")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def decide(path: str, ours: str | None, base: str | None, theirs: str, *,
           known: bool) -> FileDecision:
    """What to do with one generated file. `known`: backforge wrote it before (it is in
    the old manifest), so a missing user copy means the user deleted it."""
    if ours is None:
        if known:
            return FileDecision(path, Action.USER_DELETED)
        return FileDecision(path, Action.ADDED, theirs)
    if ours == theirs or (base is not None and theirs == base):
        return FileDecision(path, Action.UNCHANGED)
    if base is not None and ours == base:
        return FileDecision(path, Action.UPDATED, theirs)
    merged, conflicts = merge_text(path, ours, base or "", theirs)
    if merged == ours:
        return FileDecision(path, Action.UNCHANGED)
    return FileDecision(path, Action.CONFLICT if conflicts else Action.MERGED, merged,
                        conflicts=conflicts)


def decide_orphan(path: str, ours: str | None, base: str | None) -> FileDecision:
    """A file backforge wrote before that the new spec no longer produces."""
    if ours is None:
        return FileDecision(path, Action.USER_DELETED)
    if base is not None and ours == base:
        return FileDecision(path, Action.DELETED)
    return FileDecision(path, Action.KEPT)


class Staging(Protocol):
    def put(self, path: str, content: str | bytes) -> None: ...

    def delete(self, path: str) -> None: ...


class MergingSink:
    """The engine's Sink for a folder backforge generated before: merges instead of
    overwriting, staging the results in the run's transaction `txn` (the folder itself
    changes only when the run commits). Without `txn` (`backforge plan`) it decides
    everything and writes nothing."""

    def __init__(self, root: Path, bases: Mapping[str, str | None], *,
                 txn: Staging | None = None) -> None:
        self.root = root
        self.bases = dict(bases)  # every path of the old manifest -> its base copy
        self.txn = txn
        self.dry_run = txn is None
        self.decisions: dict[str, FileDecision] = {}
        self.generated: dict[str, str] = {}  # path -> what backforge generated now
        self.written: list[str] = []

    def write(self, unit: Unit, files: Sequence[GeneratedFile]) -> None:
        for f in files:
            path = str(safe_relative(f.path))
            d = decide(path, read_user(self.root, path), self.bases.get(path), f.content,
                       known=path in self.bases)
            self.generated[path] = f.content
            self._apply(FileDecision(d.path, d.action, d.content, unit.id, d.conflicts))

    def forget(self, paths: Sequence[str]) -> None:
        """The unit's write was undone (see regenerate._BaseCopies)."""
        gone = {str(safe_relative(p)) for p in paths}
        for path in gone:
            self.decisions.pop(path, None)
            self.generated.pop(path, None)
        self.written = [p for p in self.written if p not in gone]

    def remove_orphans(self, orphans: Mapping[str, str]) -> None:
        """`orphans`: path -> the unit that produced it last time."""
        for path, uid in sorted(orphans.items()):
            d = decide_orphan(path, read_user(self.root, path), self.bases.get(path))
            self._apply(FileDecision(path, d.action, None, uid))

    def _apply(self, decision: FileDecision) -> None:
        self.decisions[decision.path] = decision
        if self.txn is None:
            return
        if decision.action.writes and decision.content is not None:
            self.txn.put(decision.path, decision.content.encode(errors="surrogateescape"))
            self.written.append(decision.path)
        elif decision.action is Action.DELETED:
            self.txn.delete(decision.path)

    def unresolved(self, paths: Sequence[str], staged: Mapping[str, str | None]) -> None:
        """Files an earlier run left in conflict: those whose content after this run
        (`staged`: what this run writes, else the user's file) still holds markers are
        conflicts again, written or not."""
        for path in paths:
            d = self.decisions.get(path)
            if d is not None and d.action is Action.CONFLICT:
                continue
            text = staged.get(path)
            text = text if text is not None else read_user(self.root, path)
            count = conflict_markers(text)
            if count:
                self.decisions[path] = FileDecision(path, Action.CONFLICT, None,
                                                    d.unit if d else None, count)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for d in self.decisions.values():
            out[str(d.action)] = out.get(str(d.action), 0) + 1
        return dict(sorted(out.items()))

    def conflicts(self) -> list[FileDecision]:
        return [d for d in self.decisions.values() if d.action is Action.CONFLICT]
