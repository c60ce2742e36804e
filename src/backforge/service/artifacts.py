"""A job's output folder as a download: the zip archive, one file, the file list.

Paths from a request never leave the folder: `..`, absolute paths and symlinks that
resolve outside are refused. The zip is deterministic (sorted names, fixed times), so
the same output always gives the same archive bytes.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path, PurePosixPath

__all__ = ["file_list", "resolve", "zip_folder"]

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def file_list(root: Path) -> list[str]:
    if not root.is_dir():
        return []
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            out.append((Path(dirpath) / name).relative_to(root).as_posix())
    return sorted(out)


def zip_folder(root: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for rel in file_list(root):
            path = root / rel
            if path.is_symlink():
                continue  # generated output holds none; never follow one out of the folder
            info = zipfile.ZipInfo(rel, FIXED_TIME)
            info.external_attr = (path.stat().st_mode & 0o777 | 0o100000) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def resolve(root: Path, requested: str) -> Path | None:
    """The file `requested` names inside `root`, or None (missing, or outside the folder)."""
    rel = PurePosixPath(requested)
    if not requested or rel.is_absolute() or ".." in rel.parts or "\\" in requested \
            or "\0" in requested:
        return None
    target = (root / rel).resolve()
    try:
        target.relative_to(root.resolve())
    except ValueError:
        return None
    return target if target.is_file() else None
