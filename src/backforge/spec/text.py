"""Characters no spec string may carry, wherever it is.

Almost every spec string is quoted per target language when it is rendered
(`backforge.render.quoting`), but NUL cannot be quoted everywhere: PostgreSQL text
and identifiers cannot hold it and a shell word cannot either. It is refused at
load, with the place, before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from backforge.spec.problems import Problem

_FIX = "remove the NUL character (U+0000)"


def text_problems(data: Any) -> list[Problem]:
    """One problem per string (value or key) that holds a NUL character."""
    return [Problem(path, "contains a NUL character, which no generated file can hold",
                    _FIX) for path in _nul_paths(data)]


def _nul_paths(data: Any) -> Iterator[str]:
    stack: list[tuple[str, Any]] = [("", data)]  # iterative: depth is another check's job
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                yield path
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                where = f"{path}.{key}" if path else str(key)
                if isinstance(key, str) and "\x00" in key:
                    yield where
                stack.append((where, item))
        elif isinstance(value, (list, tuple)):
            stack.extend((f"{path}[{i}]", item) for i, item in reversed(list(enumerate(value))))
