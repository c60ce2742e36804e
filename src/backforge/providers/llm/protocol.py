"""The one response protocol every model answers in, and its tolerant parser.

    {"files": [{"path": "...", "content": "..."}], "dependencies": {}, "devDependencies": {}}

Models wrap JSON in code fences, put prose before it or leave trailing commas;
all of that is repaired here. What cannot be repaired raises `BadResponse`, a
retryable ProviderError, so the engine's next attempt gets another chance.

Caps, checked here before anything else looks at an answer: at most
`MAX_ANSWER_BYTES` of text (a unit's files are a few hundred kB at most; the biggest,
the OpenAPI document of a 500-table project, stays well under) and, when the caller
knows the unit, at most its declared files plus `EXTRA_FILES` files. An answer over a
cap is a BadResponse too: retried, never stored in the cache, never validated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from backforge.engine.protocols import GeneratedFile, Generation, RetryableError, Usage

MAX_ANSWER_BYTES = 2_000_000
EXTRA_FILES = 50  # files an answer may hold beyond the unit's declared ones

_FENCE = re.compile(r"```[A-Za-z0-9_-]*[ \t]*\n(.*?)\n?```", re.DOTALL)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


class BadResponse(RetryableError):
    """The model's answer is not the JSON protocol, even after repair."""

    def __init__(self, reason: str, text: str) -> None:
        excerpt = text.strip().replace("\n", " ")[:120]
        super().__init__(f"bad response: {reason} (answer starts: {excerpt!r})")
        self.reason = reason


def check_size(text: str, max_bytes: int = MAX_ANSWER_BYTES) -> None:
    """BadResponse when the answer is over the byte cap (checked before parsing it)."""
    if len(text) > max_bytes or len(text.encode("utf-8", "replace")) > max_bytes:
        raise BadResponse(f"the answer is over the cap of {max_bytes:,} bytes "
                          f"({len(text):,} characters)", text)


def file_cap(declared: int) -> int:
    """The most files an answer for a unit of `declared` files may hold."""
    return declared + EXTRA_FILES


def parse_response(text: str, usage: Usage | None = None, *, max_files: int | None = None,
                   max_bytes: int = MAX_ANSWER_BYTES) -> Generation:
    """Turn a model's answer into a Generation; raise BadResponse when beyond repair or
    over a cap (`max_files`: None, no count cap)."""
    check_size(text, max_bytes)
    data = _load(text)
    if not isinstance(data, dict):
        raise BadResponse("the answer is not a JSON object", text)
    files = data.get("files")
    if not isinstance(files, list):
        raise BadResponse('no "files" list', text)
    if max_files is not None and len(files) > max_files:
        raise BadResponse(f"the answer holds {len(files):,} files, over the cap of "
                          f"{max_files:,} for this unit", text)
    out: list[GeneratedFile] = []
    for i, item in enumerate(files):
        if not isinstance(item, dict) or not isinstance(item.get("path"), str) \
                or not isinstance(item.get("content"), str):
            raise BadResponse(f'files[{i}] needs string "path" and "content"', text)
        out.append(GeneratedFile(_clean_path(item["path"]), item["content"]))
    return Generation(tuple(out), _deps(data.get("dependencies"), "dependencies", text),
                      _deps(data.get("devDependencies"), "devDependencies", text),
                      usage or Usage())


def _load(text: str) -> Any:
    for candidate in _candidates(text):
        for attempt in (candidate, _TRAILING_COMMA.sub(r"\1", candidate)):
            try:
                return json.loads(attempt)
            except ValueError:
                continue
    raise BadResponse("no parseable JSON object (truncated or malformed)", text)


def _candidates(text: str) -> list[str]:
    """Where the JSON may be: the whole answer, each fenced block, the outermost braces."""
    out = [text.strip()]
    out += [m.group(1).strip() for m in _FENCE.finditer(text)]
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        out.append(text[start:end + 1])
    return out


def _clean_path(path: str) -> str:
    # Models sometimes write "./src/x.js"; the engine's path checks reject anything odd left.
    path = path.strip().replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def _deps(value: Any, key: str, text: str) -> Mapping[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                              for k, v in value.items()):
        raise BadResponse(f'"{key}" must map package names to version strings', text)
    return dict(value)


def render_response(generation: Generation) -> str:
    """The protocol JSON for a Generation (what the fake server answers with)."""
    return json.dumps({
        "files": [{"path": f.path, "content": f.content} for f in generation.files],
        "dependencies": dict(generation.dependencies),
        "devDependencies": dict(generation.dev_dependencies),
    }, indent=1)
