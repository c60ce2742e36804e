"""What the engine checks itself, whatever the injected validator says: presence and paths.

Also the registry of validated output that every later unit's context sees.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from backforge.engine.protocols import GeneratedFile, Generation, Issue, Severity
from backforge.plan.model import Unit


def errors_in(issues: Sequence[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity is Severity.ERROR]


# What every file system takes (ext4, APFS, NTFS: 255 per name); the whole path is
# capped well under PATH_MAX so a hostile answer cannot make writes fail half-way.
MAX_NAME_BYTES = 255
MAX_PATH_BYTES = 1024


def path_problem(path: str) -> str | None:
    """Why a generated path is unsafe to write, or None."""
    if not path or path.strip() != path:
        return "empty or padded with spaces"
    if any(ord(c) < 32 or ord(c) == 127 for c in path):
        return "holds a NUL or control character"
    try:
        encoded = path.encode("utf-8")
    except UnicodeEncodeError:
        return "not valid Unicode text (a lone surrogate)"
    if len(encoded) > MAX_PATH_BYTES:
        return f"longer than {MAX_PATH_BYTES} bytes"
    if any(len(part) > MAX_NAME_BYTES for part in encoded.split(b"/")):
        return f"has a name longer than {MAX_NAME_BYTES} bytes"
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return "absolute"
    if "\\" in path:
        return "uses backslashes (paths are POSIX)"
    if any(part in ("", ".", "..") for part in path.split("/")):
        return "has an empty, '.' or '..' segment"
    return None


def path_issues(files: Sequence[GeneratedFile], owners: Mapping[str, str],
                unit_id: str) -> list[Issue]:
    """Unsafe paths, a path twice in one answer, a path another validated unit already wrote."""
    issues = []
    for path, count in Counter(f.path for f in files).items():
        problem = path_problem(path)
        if problem:
            shown = repr(path) if len(path) <= 80 else f"{path[:77]!r}..."
            issues.append(Issue("unsafe-path", f"path {shown} is {problem}", file=path,
                                hint="write a relative POSIX path inside the project, "
                                     "e.g. src/utils/x.js"))
        if count > 1:
            issues.append(Issue("duplicate-file", f"{path} appears {count} times", file=path))
        owner = owners.get(path)
        if owner is not None and owner != unit_id:
            issues.append(Issue("file-conflict", f"{path} was already written by unit {owner}",
                                file=path, hint=f"leave {path} to {owner}"))
    return issues


def presence_issues(unit: Unit, files: Sequence[GeneratedFile],
                    required_ratio: float) -> list[Issue]:
    """Every critical file must be there; missing required files are errors only below the ratio."""
    present = {f.path for f in files}
    issues = [Issue("critical-file-missing", f"critical file {p} is missing", file=p)
              for p in unit.critical if p not in present]
    missing = [p for p in unit.required if p not in present]
    if not missing:
        return issues
    ratio = 1 - len(missing) / len(unit.required)
    enough = ratio >= required_ratio - 1e-9
    severity = Severity.WARNING if enough else Severity.ERROR
    note = "" if enough else f" ({ratio:.0%} of required files present, {required_ratio:.0%} needed)"
    issues.extend(Issue("file-missing", f"required file {p} is missing{note}", file=p,
                        severity=severity)
                  for p in missing if p not in unit.critical)
    return issues


class Registry:
    """Files and npm dependencies of every unit validated so far.

    Snapshots are replaced, never mutated, so a context handed to a provider
    stays the same while other units validate during its call.
    """

    def __init__(self) -> None:
        self._files: dict[str, str] = {}
        self._owners: dict[str, str] = {}
        self._deps: dict[str, str] = {}
        self._dev_deps: dict[str, str] = {}
        self.files: Mapping[str, str] = MappingProxyType({})
        self.all_dependencies: Mapping[str, str] = MappingProxyType({})

    @property
    def owners(self) -> Mapping[str, str]:
        return MappingProxyType(self._owners)

    def add(self, unit: Unit, generation: Generation) -> None:
        self._files = {**self._files, **generation.file_map()}
        self._owners.update({f.path: unit.id for f in generation.files})
        self._deps.update(generation.dependencies)
        self._dev_deps.update(generation.dev_dependencies)
        self.files = MappingProxyType(self._files)
        self.all_dependencies = MappingProxyType({**self._dev_deps, **self._deps})

    def dependencies(self) -> dict[str, str]:
        return dict(self._deps)

    def dev_dependencies(self) -> dict[str, str]:
        return dict(self._dev_deps)
