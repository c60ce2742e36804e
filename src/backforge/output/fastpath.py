"""The command line's no-op answer, without loading any stage, and the stat cache it reads.

An unchanged re-run must cost milliseconds, and at 150 tables most of a no-op run was
start-up: pydantic and the spec models (~0.2 s), loading the spec (~0.1 s), hashing
every file twice (the file and its base copy). This module answers "up to date" from
what the last complete run recorded, importing only the output stage's light modules:

- the spec: the fingerprint of its text and load arguments (backforge/fingerprint.py)
  is one the last run loaded into the manifest's spec hash, with the manifest's
  backforge version (loading is a pure function of the two);
- the stack's templates and prompts: `template_version_of`, recomputed from the files;
- every recorded file, its base copy and `.backforge/spec.json`: by the stat cache.

The stat cache (`.backforge/stat-cache.json`, machine-local and git-ignored) maps each
path to (size, mtime_ns, ctime_ns, inode, sha256) as the run that wrote the manifest
left it. A file whose stat tuple is unchanged is trusted without reading it; any other
is read and hashed, so a copied or checked-out folder (new inodes and ctimes) is
checked byte for byte. ctime cannot be set by a user (`touch -d`, `cp -p` and `tar`
set mtime, never ctime), so an edit always changes the tuple, with one exception
handled like git's "racily clean" entries: a file changed in the same clock tick as the
stats were taken could keep all four values. The cache stores `epoch`, the file
system's time read before any stat, and trusts only entries whose mtime and ctime are
older than it; newer ones are hashed on every run.

The cache is written only after a complete run (every unit validated, no conflict
markers) and removed before any run commits, so it never outlives the run it
describes; it is tied to the manifest by the manifest's sha256. A no-op never writes it.
`generate --check` (for CI) and the library's `backforge.generate` do not use it: they
hash every file (regenerate.up_to_date), so a check never rests on file times.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backforge import __version__
from backforge.errors import BackforgeError
from backforge.fingerprint import spec_fingerprint
from backforge.output import journal
from backforge.output.manifest import (
    BASE_DIR,
    BASE_SUFFIX,
    MANIFEST,
    Manifest,
    canonical_hash,
    folder_hash,
)
from backforge.output.writer import MARKER_DIR

__all__ = ["STAT_CACHE", "StatCache", "cli_answer", "forget", "record", "run_complete",
           "stack_folder", "template_version_of", "up_to_date_message"]

STAT_CACHE = "stat-cache.json"
FORMAT = 1
SPEC_JSON = f"{MARKER_DIR}/spec.json"
_PACKAGE = Path(__file__).resolve().parents[1]
# Python files whose text shapes what a model is asked: the prompt builder, the spec
# slices (PROMPT_VERSION lives there) and the contract derivation (contract-first
# prompts list the dependencies' contracts: their exports and signatures).
PROMPT_SOURCES = ("providers/llm/prompts.py", "providers/llm/slices.py",
                  "validate/contracts.py")


def stack_folder(name: str) -> Path:
    """The package folder of stack `name` (its templates/ and prompts/ live there)."""
    return _PACKAGE / "stacks" / name.replace("-", "_")


def template_version_of(folder: Path) -> str:
    """The hash of a stack's templates and prompts folders, of the Python sources that
    build prompts (PROMPT_SOURCES) and of the backforge version (which covers the rest
    of the Python code that renders)."""
    sources = [(_PACKAGE / p).read_text(encoding="utf-8") for p in PROMPT_SOURCES]
    return canonical_hash([folder_hash([folder / "templates", folder / "prompts"]),
                           *sources, __version__])


def run_complete(report: Mapping[str, Any]) -> bool:
    """The run behind `report` left nothing for a re-run to do: it succeeded and every
    unit validated (none failed, partial, blocked or cancelled by the deadline)."""
    counts = report.get("counts")
    return bool(report.get("success")) and isinstance(counts, Mapping) \
        and bool(counts.get("validated")) \
        and all(v == 0 for k, v in counts.items() if k != "validated")


def up_to_date_message(files: int, output: Path | str) -> str:
    return (f"up to date: {files} files as .backforge/manifest.json records them; "
            f"nothing rendered or written -> {output}")


# -- the stat cache ---------------------------------------------------------------------


Stat = tuple[int, int, int, int]


def _stat(path: str | Path) -> Stat:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def _sha256(path: str | Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


@dataclass(frozen=True)
class StatCache:
    manifest: str  # sha256 of the manifest.json it describes
    epoch: int  # the file system's time before the stats were taken (ns)
    files: Mapping[str, tuple[Stat, str]]  # path in the folder -> (stat, sha256)
    sources: tuple[str, ...]  # spec fingerprints that load into the manifest's spec hash

    def current(self, root: Path, path: str, sha: str) -> bool:
        """`path` holds the bytes whose sha256 is `sha`: by its unchanged stat when the
        cache recorded it with that sha256 before `epoch`, else by hashing it."""
        target = os.path.join(root, path)  # str, not Path: 2 x 1124 files at 150 tables
        try:
            now = _stat(target)
            known = self.files.get(path)
            if known is not None and known == (now, sha) and max(now[1], now[2]) < self.epoch:
                return True
            return _sha256(target) == sha
        except OSError:
            return False

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "manifest": self.manifest, "epoch": self.epoch,
                           "sources": list(self.sources),
                           "files": {p: [*st, sha] for p, (st, sha) in self.files.items()}},
                          separators=(",", ":"), sort_keys=True)

    @classmethod
    def load(cls, root: Path) -> StatCache | None:
        """The folder's cache; None when there is none, it cannot be read or it describes
        another manifest than the folder's."""
        try:
            data = json.loads((root / MARKER_DIR / STAT_CACHE).read_bytes())
            if data.get("format") != FORMAT \
                    or _sha256(root / MARKER_DIR / MANIFEST) != data["manifest"]:
                return None  # it describes another manifest: not this folder's cache
            files = {str(p): ((int(e[0]), int(e[1]), int(e[2]), int(e[3])), str(e[4]))
                     for p, e in data["files"].items()}
            return cls(str(data["manifest"]), int(data["epoch"]), files,
                       tuple(str(s) for s in data["sources"]))
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None


def forget(root: Path) -> None:
    """Remove the cache: called before a run commits anything."""
    (root / MARKER_DIR / STAT_CACHE).unlink(missing_ok=True)


def record(root: Path, expected: Mapping[str, str], source: str | None) -> None:
    """Write the cache for the folder as a complete run just committed it: `expected` is
    path -> sha256 of every file to vouch for (project files, base copies, spec.json),
    `source` the spec's fingerprint (None: a mapping or a database, not recorded).
    Best effort: a cache that cannot be written only makes the next no-op hash."""
    marker = root / MARKER_DIR
    try:
        manifest = _sha256(marker / MANIFEST)
        fd, tmp = tempfile.mkstemp(dir=marker, prefix=f".{STAT_CACHE}.", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            # The file system's clock, read before any stat (see the module docstring).
            epoch = os.fstat(fh.fileno()).st_mtime_ns
            files = {p: (_stat(root / p), sha) for p, sha in expected.items()}
            fh.write(StatCache(manifest, epoch, files, (source,) if source else ()).to_json())
        os.replace(tmp, marker / STAT_CACHE)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


def expected_files(manifest: Manifest, spec_json: str) -> dict[str, str]:
    """Every path a complete run vouches for, with its sha256 (ValueError for a path
    that leaves the folder)."""
    out = dict(manifest.files)
    for path, sha in manifest.files.items():
        if path.startswith("/") or ".." in path.split("/") or "\\" in path:
            raise ValueError(f"unsafe path {path!r} in the manifest")
        out[f"{MARKER_DIR}/{BASE_DIR}/{path}{BASE_SUFFIX}"] = sha  # = base_path(path)
    out[SPEC_JSON] = spec_json
    return out


# -- the answer -------------------------------------------------------------------------


def _spec_text(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8-sig")  # as spec/reader.read_text decodes
    except (OSError, UnicodeDecodeError):
        return None


def _answer(root: Path, spec: Path, fmt: str | None, stack: str | None) -> int | None:
    marker = root / MARKER_DIR
    cache = StatCache.load(root)
    if cache is None or journal.pending(root):
        return None
    try:
        manifest = Manifest.from_dict(json.loads((marker / MANIFEST).read_bytes()))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    spec_text = _spec_text(spec)
    if manifest.conflicts or manifest.backforge != __version__ \
            or (manifest.provider, manifest.model) != ("template", None) \
            or spec_text is None \
            or spec_fingerprint(spec_text, spec.suffix, fmt, stack) not in cache.sources \
            or not (marker / "report.json").is_file() \
            or manifest.template_version != template_version_of(stack_folder(manifest.stack)):
        return None
    spec_json = cache.files.get(SPEC_JSON)
    if spec_json is None:
        return None
    try:
        expected = expected_files(manifest, spec_json[1])
    except ValueError:
        return None
    if not all(cache.current(root, p, sha) for p, sha in expected.items()):
        return None
    return len(manifest.files)


def cli_answer(output: str | None, spec: str | None, *, fmt: str | None,
               stack: str | None, provider: str) -> int | None:
    """The number of recorded files when `generate SPEC -o OUTPUT` (template provider)
    would change nothing, by the stat cache; None when that is not certain this way (no
    cache, a difference, another provider, a lock held, an interrupted run): the full
    command then decides. Takes the folder's lock for the answer, like a run. Never
    raises for the folder's state: errors are the full command's to report."""
    if output is None or spec is None or provider != "template":
        return None
    root = Path(output)
    if not (root / MARKER_DIR / STAT_CACHE).is_file():
        return None
    try:
        lock = journal.FolderLock(root).acquire()
    except (OSError, BackforgeError):  # e.g. FolderLockedError: the full command reports it
        return None
    try:
        return _answer(root, Path(spec), fmt, stack)
    finally:
        lock.release()
