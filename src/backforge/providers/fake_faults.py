"""Content faults the fake LLM server injects into otherwise correct template output:
the mistakes models make that only validation can catch."""

from __future__ import annotations

import re
from dataclasses import replace

from backforge.engine.protocols import GeneratedFile, Generation

CONTENT_FAULTS = ("missing-file", "renamed-export", "wrong-import", "syntax")

# `const { a, b } = require('../x')`: the first destructured name of a relative require.
_DESTRUCTURED = re.compile(r"(const\s*\{\s*)(\w+)(?=[^}]*\}\s*=\s*require\(\s*['\"]\.)")
_RELATIVE_REQUIRE = re.compile(r"(require\(\s*(['\"])\.{1,2}/[^'\"]+?)(\.js)?\2")


def apply_content_fault(kind: str, generation: Generation) -> Generation:
    """The generation with one `kind` mistake; a unit with no place for a rename or a
    wrong import gets a syntax error instead, so the fault is never a silent no-op."""
    files = list(generation.files)
    if not files:
        return generation
    if kind == "missing-file":
        files = files[1:]
    elif not _patch(files, kind):
        _break_syntax(files)
    return replace(generation, files=tuple(files))


_PATCHES = {"renamed-export": (_DESTRUCTURED, r"\1\2Renamed"),
            "wrong-import": (_RELATIVE_REQUIRE, r"\1-missing\3\2")}


def _patch(files: list[GeneratedFile], kind: str) -> bool:
    if kind not in _PATCHES:
        return False
    pattern, replacement = _PATCHES[kind]
    for i, f in enumerate(files):
        if f.path.endswith(".js") and pattern.search(f.content):
            files[i] = GeneratedFile(f.path, pattern.sub(replacement, f.content, count=1))
            return True
    return False


def _break_syntax(files: list[GeneratedFile]) -> None:
    for i, f in enumerate(files):
        if f.path.endswith(".js"):
            files[i] = GeneratedFile(f.path, f.content + "\nfunction broken( {\n")
            return
    # No JavaScript (e.g. config files only): break the first JSON-ish file instead.
    f = files[0]
    files[0] = GeneratedFile(f.path, f.content + "\n{{{ unbalanced\n")
