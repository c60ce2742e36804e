"""Problems found in a spec, and where they are in the user's own file.

Every stage after reading works on a native-shaped Project, so it names places
with native paths (`tables[2].fields[1].references`). A `Locator` turns such a
path back into the input's own syntax (`schema[2].fields[1].references` for
design-tool JSON) so the message points at what the user actually wrote.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

_EMPTY: Mapping[str, str] = MappingProxyType({})
_FIELD_PATH = re.compile(r"^tables\[(\d+)\]\.fields\[(\d+)\](.*)$", re.DOTALL)


@dataclass(frozen=True)
class Problem:
    path: str  # native path, e.g. "tables[2].fields[1].references"; "" for the whole spec
    message: str
    hint: str | None = None

    def render(self, locator: Locator | None = None) -> str:
        where = locator.translate(self.path) if locator else self.path
        text = f"{where or '(spec)'}: {self.message}"
        return f"{text}; fix: {self.hint}" if self.hint else text


@dataclass(frozen=True)
class Note:
    """A normalization made while loading, e.g. an added primary key."""

    path: str  # native path of what it is about, "" for the whole spec
    text: str

    def render(self, locator: Locator | None = None) -> str:
        where = locator.translate(self.path) if locator and self.path else self.path
        return f"{where} {self.text}" if where else self.text


@dataclass(frozen=True)
class Locator:
    """Maps native paths to the source's paths.

    `paths` holds native prefix -> source prefix (empty for native input:
    the identity). `prepended` lists tables that got a generated `id` field at
    position 0, so their later field indices are one more than in the file.
    """

    paths: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    prepended: frozenset[int] = frozenset()

    def with_prepended(self, tables: frozenset[int]) -> Locator:
        return Locator(self.paths, tables)

    def translate(self, path: str) -> str:
        path = self._unshift(path)
        if not self.paths:
            return path
        cut = len(path)
        while cut > 0:
            head = path[:cut]
            if head in self.paths:
                return self.paths[head] + path[cut:]
            cut = max(path.rfind(".", 0, cut), path.rfind("[", 0, cut))
        return self.paths.get("", "") + path if "" in self.paths else path

    def _unshift(self, path: str) -> str:
        m = _FIELD_PATH.match(path)
        if not m or int(m.group(1)) not in self.prepended:
            return path
        index = int(m.group(2))
        if index == 0:  # the generated id itself: point at its table
            return f"tables[{m.group(1)}]"
        return f"tables[{m.group(1)}].fields[{index - 1}]{m.group(3)}"


def render_all(problems: list[Problem], locator: Locator | None = None) -> list[str]:
    """Rendered problem lines, duplicates dropped, in discovery order."""
    return list(dict.fromkeys(p.render(locator) for p in problems))


class SqlRejected(ValueError):
    """Raw SQL the gate refuses; `message` says what was found, `hint` what to write."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
