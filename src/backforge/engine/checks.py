"""What the engine checks itself, whatever the injected validator says: presence and paths.

Also the registry of validated output that every later unit's context sees.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
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


class Snapshot(Mapping[str, str]):
    """The first `size` files of an append-only store: O(1) to take, and it never changes
    (a later unit's files land after `size`; a rewritten path copies the store)."""

    __slots__ = ("_contents", "_index", "_order", "_size")

    def __init__(self, contents: dict[str, str], index: dict[str, int], order: list[str],
                 size: int) -> None:
        self._contents, self._index, self._order, self._size = contents, index, order, size

    def __getitem__(self, path: str) -> str:
        at = self._index.get(path)
        if at is None or at >= self._size:
            raise KeyError(path)
        return self._contents[path]

    def __contains__(self, path: object) -> bool:
        at = self._index.get(path)  # type: ignore[call-overload]
        return at is not None and at < self._size

    def __iter__(self) -> Iterator[str]:
        order = self._order
        return (order[i] for i in range(self._size))

    def __len__(self) -> int:
        return self._size

    def delta(self, older: Mapping[str, str]) -> tuple[list[str], list[str]] | None:
        """(paths added, paths removed) going from `older` to this snapshot, when both are
        snapshots of the same store; None otherwise (compare them as mappings)."""
        if not isinstance(older, Snapshot) or older._order is not self._order:
            return None
        if older._size <= self._size:
            return self._order[older._size:self._size], []
        return [], self._order[self._size:older._size]


class Registry:
    """Files and npm dependencies of every unit validated so far.

    Snapshots (`files`) never change, so a context handed to a provider stays the same
    while other units validate during its call; adding a unit costs its own files, not
    the project's (the store only grows; a path rewritten with new content, which the
    ownership check normally refuses, copies it).
    """

    def __init__(self) -> None:
        self._contents: dict[str, str] = {}
        self._index: dict[str, int] = {}
        self._order: list[str] = []
        self._owners: dict[str, str] = {}
        self._deps: dict[str, str] = {}
        self._dev_deps: dict[str, str] = {}
        self.files: Mapping[str, str] = Snapshot({}, {}, [], 0)
        self.all_dependencies: Mapping[str, str] = MappingProxyType({})

    @property
    def owners(self) -> Mapping[str, str]:
        return MappingProxyType(self._owners)

    def add(self, unit: Unit, generation: Generation) -> None:
        files = generation.file_map()
        if any(self._contents.get(p, c) != c for p, c in files.items()):
            # Snapshots taken so far share the store: give them their own.
            self._contents, self._index = dict(self._contents), dict(self._index)
            self._order = list(self._order)
        for path, content in files.items():
            if path not in self._index:
                self._index[path] = len(self._order)
                self._order.append(path)
            self._contents[path] = content
        self._owners.update({f.path: unit.id for f in generation.files})
        self.files = Snapshot(self._contents, self._index, self._order, len(self._order))
        if generation.dependencies or generation.dev_dependencies:
            self._deps.update(generation.dependencies)
            self._dev_deps.update(generation.dev_dependencies)
            self.all_dependencies = MappingProxyType({**self._dev_deps, **self._deps})

    def dependencies(self) -> dict[str, str]:
        return dict(self._deps)

    def dev_dependencies(self) -> dict[str, str]:
        return dict(self._dev_deps)
