"""Node's module resolution rules for CommonJS/ES specifiers, as far as a
static check of a generated project needs them."""

from __future__ import annotations

import posixpath
from collections.abc import Collection

from backforge.validate.languages.node_builtins import BUILTIN_MODULES, PREFIX_ONLY_MODULES

# The order Node tries for `require('./x')`: the file, then extensions, then a folder index.
# (A folder's package.json "main" is not followed: generated projects never use it.)
_FILE_SUFFIXES = ("", ".js", ".json")
_INDEX_FILES = ("index.js", "index.json")


def is_relative(specifier: str) -> bool:
    return specifier.startswith(("./", "../", "/")) or specifier in (".", "..")


def is_builtin(specifier: str) -> bool:
    if specifier.startswith("node:"):
        name = specifier[5:]
        return name in BUILTIN_MODULES or name in PREFIX_ONLY_MODULES
    return specifier in BUILTIN_MODULES


def package_of(specifier: str) -> str | None:
    """`@a/b/sub` -> `@a/b`, `x/y` -> `x`; None for something no package can be."""
    if not specifier or is_relative(specifier) or specifier.startswith("node:"):
        return None
    parts = specifier.split("/")
    if specifier.startswith("@"):
        if len(parts) < 2 or len(parts[0]) < 2 or not parts[1]:
            return None
        return f"{parts[0]}/{parts[1]}"
    return parts[0]


def target_path(from_path: str, specifier: str) -> str | None:
    """The normalized project path a relative specifier points at (before extensions)."""
    if specifier.startswith("/"):
        return None  # absolute paths depend on the machine: never a project file
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), specifier))
    if joined == ".." or joined.startswith("../"):
        return None  # escapes the project root
    return "" if joined == "." else joined


def resolve(from_path: str, specifier: str, known_paths: Collection[str]) -> str | None:
    base = target_path(from_path, specifier)
    if base is None:
        return None
    if base and not specifier.endswith("/"):
        for suffix in _FILE_SUFFIXES:
            if base + suffix in known_paths:
                return base + suffix
    prefix = f"{base}/" if base else ""
    for index in _INDEX_FILES:
        if prefix + index in known_paths:
            return prefix + index
    return None


def specifier_for(from_path: str, target: str, *, esm: bool = False) -> str:
    """The relative specifier `from_path` should use for `target`: extension-less and
    folder-style for CommonJS (`'../db'` for src/db/index.js), exact for ES modules."""
    path = target
    if not esm:
        stem, ext = posixpath.splitext(target)
        path = stem if ext in (".js", ".cjs") else target
        if posixpath.basename(path) == "index" and ext == ".js":
            path = posixpath.dirname(path)
    base = posixpath.dirname(from_path) or "."
    rel = posixpath.relpath(path or ".", base)
    return rel if rel.startswith("../") or rel == ".." else f"./{rel}"


# TypeScript's resolution (moduleResolution node16/nodenext/bundler, as tsc, tsx and vitest
# apply it): an extension-less specifier tries the TypeScript sources first, and a `.js`
# specifier names the `.ts` file it compiles from.
_TS_FILE_SUFFIXES = ("", ".ts", ".tsx", ".d.ts", ".js", ".json")
_TS_INDEX_FILES = ("index.ts", "index.tsx", "index.d.ts", "index.js")
_TS_FOR_JS = {".js": (".ts", ".tsx"), ".mjs": (".mts",), ".cjs": (".cts",)}


def resolve_ts(from_path: str, specifier: str, known_paths: Collection[str]) -> str | None:
    base = target_path(from_path, specifier)
    if base is None:
        return None
    stem, ext = posixpath.splitext(base)
    for suffix in _TS_FOR_JS.get(ext, ()) if base else ():
        if stem + suffix in known_paths:
            return stem + suffix
    if base and not specifier.endswith("/"):
        for suffix in _TS_FILE_SUFFIXES:
            if base + suffix in known_paths:
                return base + suffix
    prefix = f"{base}/" if base else ""
    return next((prefix + index for index in _TS_INDEX_FILES if prefix + index in known_paths),
                None)


def ts_specifier_for(from_path: str, target: str) -> str:
    """The extension-less specifier a TypeScript file compiled to CommonJS uses for
    `target` (`'../db'` for src/db/index.ts)."""
    stem, ext = posixpath.splitext(target)
    path = stem if ext in (".ts", ".tsx", ".js") else target
    if posixpath.basename(path) == "index" and ext in (".ts", ".tsx", ".js"):
        path = posixpath.dirname(path)
    base = posixpath.dirname(from_path) or "."
    rel = posixpath.relpath(path or ".", base)
    return rel if rel.startswith("../") or rel == ".." else f"./{rel}"
