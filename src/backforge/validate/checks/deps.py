"""dependency-unused (a warning): package.json declares a package that no file
imports and no script or tool setting names. Judged only over a whole project:
inside the pipeline the files that will use a package may not exist yet.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from backforge.engine.protocols import Issue, Severity
from backforge.validate.checks import Scope

PACKAGE_JSON = "package.json"
_SECTIONS = ("dependencies", "devDependencies")
# Type declarations are read by the compiler and editors, never imported.
_TYPES_PREFIX = "@types/"
# Packages whose command has another name than the package (scripts name the command).
_COMMANDS = {"typescript": ("tsc",)}


def _used_packages(scope: Scope) -> set[str]:
    used: set[str] = set()
    registry = scope.registry
    for parsed in registry.parsed_files():
        lang = registry.language_of(parsed.path)
        if lang is None or not parsed.imports:
            continue
        for imp in parsed.imports:
            package = None if imp.is_relative else lang.package_of(imp.specifier)
            if package is not None:
                used.add(package)
    return used


def _tool_text(manifest: Mapping[str, Any]) -> str:
    """Everything in package.json that can name a package besides the dependency lists:
    scripts (`jest --runInBand`), tool settings (`"jest": {"preset": ...}`)."""
    rest = {k: v for k, v in manifest.items() if k not in (*_SECTIONS, "peerDependencies",
                                                             "optionalDependencies")}
    return json.dumps(rest)


def _mentioned(package: str, text: str) -> bool:
    bare = package.rsplit("/", 1)[-1]
    pattern = rf"(?<![\w@/.-])(?:{re.escape(package)}|{re.escape(bare)})(?![\w-])"
    return re.search(pattern, text) is not None


def _declaration_line(content: str, package: str) -> int | None:
    needle = re.compile(rf'^\s*"{re.escape(package)}"\s*:', re.MULTILINE)
    match = needle.search(content)
    return content.count("\n", 0, match.start()) + 1 if match else None


class UnusedDependencyCheck:
    name = "dependencies"
    rules = ("dependency-unused",)

    def check(self, scope: Scope) -> list[Issue]:
        manifest = scope.manifest
        if not scope.whole or not manifest or PACKAGE_JSON not in scope.paths:
            return []
        used = _used_packages(scope)
        tools = _tool_text(manifest)
        content = scope.registry.content(PACKAGE_JSON) or ""
        issues: list[Issue] = []
        for section in _SECTIONS:
            declared = manifest.get(section)
            if not isinstance(declared, Mapping):
                continue
            for package in declared:
                if package in used or package.startswith(_TYPES_PREFIX) \
                        or any(_mentioned(name, tools)
                               for name in (package, *_COMMANDS.get(package, ()))):
                    continue
                issues.append(Issue(
                    "dependency-unused", f"{section} declares {package}, which no file "
                    "imports and no script uses", PACKAGE_JSON,
                    _declaration_line(content, package), Severity.WARNING,
                    f"remove {package} from {section}, or use it"))
        return issues
