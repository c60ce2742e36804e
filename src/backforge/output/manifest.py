"""The regeneration manifest (`.backforge/manifest.json`) and the base copies.

The manifest records, for every unit backforge wrote, the hash of the inputs
that produced it and the sha256 of each file as backforge wrote it; the base
copies (`.backforge/base/<path>.base`) keep those exact bytes so a later run
can three-way merge the user's edits. The `.base` suffix keeps the project's
own tools (eslint `.`, jest's test discovery, node resolution) from treating
the copies as live code. The JSON is deterministic: sorted keys, no times.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backforge.errors import InputError
from backforge.output.writer import MARKER_DIR, safe_relative, write_atomic

MANIFEST = "manifest.json"
BASE_DIR = "base"
BASE_SUFFIX = ".base"
FORMAT = 1


class ManifestError(InputError):
    """The folder's manifest cannot be read: regenerating would be guesswork."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path, self.reason = path, reason
        super().__init__(f"{path}: {reason} (delete .backforge/manifest.json to regenerate "
                         "from scratch with --force, losing the three-way merge)")


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def canonical_hash(data: Any) -> str:
    """The sha256 of `data` as canonical JSON (sorted keys, no spaces)."""
    return sha256_text(json.dumps(data, sort_keys=True, separators=(",", ":"),
                                  ensure_ascii=False, default=str))


def folder_hash(folders: Iterable[Path]) -> str:
    """The hash of every file under `folders` (relative path + bytes), order-independent
    of the file system: the stack's template version."""
    digest = hashlib.sha256()
    for root in folders:
        if not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file()
                           and "__pycache__" not in p.parts):
            digest.update(f"{root.name}/{path.relative_to(root).as_posix()}\0".encode())
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class UnitEntry:
    """One unit as last generated: its input hash, its files and declared packages."""

    id: str
    module: str
    table: str | None
    input_hash: str
    files: tuple[str, ...]
    dependencies: Mapping[str, str] = field(default_factory=dict)
    dev_dependencies: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"module": self.module, "table": self.table, "input_hash": self.input_hash,
                "files": list(self.files), "dependencies": dict(self.dependencies),
                "dev_dependencies": dict(self.dev_dependencies)}

    @classmethod
    def from_dict(cls, uid: str, data: Mapping[str, Any]) -> UnitEntry:
        return cls(uid, str(data["module"]), data.get("table"), str(data["input_hash"]),
                   tuple(str(p) for p in data["files"]), dict(data.get("dependencies") or {}),
                   dict(data.get("dev_dependencies") or {}))


@dataclass(frozen=True)
class Manifest:
    backforge: str
    stack: str
    spec_hash: str
    provider: str
    model: str | None
    template_version: str
    units: Mapping[str, UnitEntry]
    files: Mapping[str, str]  # path -> sha256 of what backforge wrote
    # Files written with conflict markers that the user has not resolved yet: the next
    # run reports them as conflicts again while the markers are there.
    conflicts: tuple[str, ...] = ()

    def owner(self, path: str) -> str | None:
        return next((u.id for u in self.units.values() if path in u.files), None)

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "backforge": self.backforge, "stack": self.stack,
                "spec_hash": self.spec_hash, "provider": self.provider, "model": self.model,
                "template_version": self.template_version,
                "units": {uid: u.to_dict() for uid, u in self.units.items()},
                "files": dict(self.files), "conflicts": list(self.conflicts)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Manifest:
        units = {uid: UnitEntry.from_dict(uid, u) for uid, u in data["units"].items()}
        return cls(str(data["backforge"]), str(data["stack"]), str(data["spec_hash"]),
                   str(data["provider"]), data.get("model"), str(data["template_version"]),
                   units, {str(k): str(v) for k, v in data["files"].items()},
                   tuple(str(p) for p in data.get("conflicts") or ()))


def base_path(path: str) -> str:
    """Where the base copy of `path` lives, relative to the folder."""
    rel = safe_relative(path)
    return f"{MARKER_DIR}/{BASE_DIR}/{(rel.parent / (rel.name + BASE_SUFFIX)).as_posix()}"


def manifest_path(root: Path) -> Path:
    return root / MARKER_DIR / MANIFEST


def has_manifest(root: Path) -> bool:
    return manifest_path(root).is_file()


def load_manifest(root: Path) -> Manifest | None:
    """The folder's manifest, None when there is none; ManifestError when unreadable."""
    path = manifest_path(root)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ManifestError(path, f"unknown manifest format {data.get('format')!r}")
        return Manifest.from_dict(data)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ManifestError(path, f"unreadable ({type(exc).__name__}: {exc})") from None


def write_if_changed(target: Path, text: str) -> bool:
    """Write only when the bytes differ, so an unchanged run leaves mtimes alone."""
    try:
        if target.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    write_atomic(target, text)
    return True


def save_manifest(root: Path, manifest: Manifest) -> bool:
    return write_if_changed(manifest_path(root), manifest.to_json())


def base_file(root: Path, path: str) -> Path:
    rel = safe_relative(path)
    return root / MARKER_DIR / BASE_DIR / rel.parent / f"{rel.name}{BASE_SUFFIX}"


def files_as_recorded(root: Path, manifest: Manifest) -> dict[str, str] | None:
    """path -> content of every file the manifest lists, when each one and its base copy
    still hold exactly the bytes backforge wrote (sha256); None at the first difference.
    Hashing every file (no size/mtime shortcut) costs ~30 ms for a 150-table project."""
    files: dict[str, str] = {}
    for path, sha in manifest.files.items():
        try:
            data = (root / safe_relative(path)).read_bytes()
            if hashlib.sha256(data).hexdigest() != sha \
                    or hashlib.sha256(base_file(root, path).read_bytes()).hexdigest() != sha:
                return None
            files[path] = data.decode("utf-8")
        except (OSError, UnicodeDecodeError, ValueError):
            return None
    return files


def read_base(root: Path, path: str, sha: str | None = None) -> str | None:
    """The base copy of `path`; None when missing, unreadable or not matching `sha`."""
    try:
        text = base_file(root, path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return text if sha is None or sha256_text(text) == sha else None
