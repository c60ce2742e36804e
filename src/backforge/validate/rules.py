"""The first validation layer's rules: each turns registry facts into Issues that
name the file, the line and a one-line fix (read by a person and by an LLM repair
prompt alike).

Rule ids: js-syntax, ts-syntax, json-syntax (a language's `syntax_rule`), import-unresolved,
import-name-missing, package-undeclared, file-missing, critical-file-missing.
"""

from __future__ import annotations

import difflib
import json
import posixpath
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from backforge.engine.protocols import Issue, Severity
from backforge.plan.model import Unit
from backforge.validate.languages import Language
from backforge.validate.model import Import, ImportKind, ParsedFile
from backforge.validate.registry import Registry

# package.json sections whose packages a require may load.
DEPENDENCY_SECTIONS = ("dependencies", "devDependencies", "peerDependencies",
                       "optionalDependencies")
_MAX_LISTED = 12  # exports listed in a hint: enough to pick from, short enough to read


def declared_packages(*sections: Mapping[str, Any] | None,
                      package_json: Mapping[str, Any] | None = None) -> frozenset[str]:
    """Every package name declared by the given dependency maps and package.json."""
    names: set[str] = set()
    for section in sections:
        names.update(section or ())
    if package_json:
        for key in DEPENDENCY_SECTIONS:
            section = package_json.get(key)
            if isinstance(section, Mapping):
                names.update(section)
    return frozenset(names)


def load_package_json(content: str | None) -> dict[str, Any] | None:
    """The parsed package.json, or None when absent or broken (json-syntax reports that)."""
    if content is None:
        return None
    try:
        value = json.loads(content)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def presence_issues(unit: Unit, paths: Collection[str]) -> list[Issue]:
    """Required and critical files of `unit` missing from `paths`.

    A missing critical file is an error; a missing required file is a warning, because
    a unit may still validate with >= 90 % of its required files (DESIGN.md)."""
    present = set(paths)
    critical = set(unit.critical)
    issues: list[Issue] = []
    for path in dict.fromkeys((*unit.required, *unit.critical)):
        if path in present:
            continue
        if path in critical:
            issues.append(Issue("critical-file-missing", f"critical file {path} was not produced",
                                path, None, Severity.ERROR,
                                f"produce {path}: the unit cannot be validated without it"))
        else:
            issues.append(Issue("file-missing", f"required file {path} was not produced", path,
                                None, Severity.WARNING, f"produce {path}"))
    return issues


def file_issues(path: str, registry: Registry,
                declared: Collection[str] | None) -> list[Issue]:
    """Syntax, import and package issues of one registered file."""
    parsed = registry.get(path)
    lang = registry.language_of(path)
    if parsed is None or lang is None:
        return []
    issues = syntax_issues(parsed, lang)
    for imp in parsed.imports:
        issue = import_issue(parsed, imp, lang, registry, declared)
        if issue is not None:
            issues.append(issue)
        elif imp.is_relative:
            issues.extend(name_issues(parsed, imp, registry))
    return issues


def syntax_issues(parsed: ParsedFile, lang: Language) -> list[Issue]:
    return [Issue(lang.syntax_rule, p.message, parsed.path, p.line, Severity.ERROR,
                  f"fix the {lang.name} syntax at line {p.line}, column {p.column} "
                  "so the file parses")
            for p in parsed.syntax_errors]


def _call(imp: Import) -> str:
    if imp.kind is ImportKind.MODULE:
        return f'source = "{imp.specifier}"'
    if imp.kind is ImportKind.REQUIRE:
        return f"require('{imp.specifier}')"
    return f"import '{imp.specifier}'" if imp.kind is not ImportKind.DYNAMIC \
        else f"import('{imp.specifier}')"


def import_issue(parsed: ParsedFile, imp: Import, lang: Language, registry: Registry,
                 declared: Collection[str] | None) -> Issue | None:
    """Where the specifier leads: an unresolved file, an undeclared package, or nothing.
    `declared=None`: the declarations cannot be read (package.json does not parse, which
    is reported there), so packages are not judged."""
    if imp.is_relative:
        if registry.resolve(parsed.path, imp.specifier) is not None:
            return None
        hint = _module_hint(parsed.path, imp.specifier, registry) \
            if imp.kind is ImportKind.MODULE \
            else _unresolved_hint(parsed.path, imp.specifier, registry)
        return Issue("import-unresolved",
                     f"{_call(imp)} resolves to no file of the project", parsed.path, imp.line,
                     Severity.ERROR, hint)
    if lang.is_builtin(imp.specifier):
        return None
    package = lang.package_of(imp.specifier)
    if package is None:
        return Issue("import-unresolved",
                     f"{_call(imp)} is neither a builtin module nor a valid package name",
                     parsed.path, imp.line, Severity.ERROR,
                     "use a Node builtin (e.g. 'node:fs'), a relative path or a package name")
    if declared is None or package in declared:
        return None
    return Issue("package-undeclared",
                 f"{_call(imp)} loads package '{package}', which is not declared",
                 parsed.path, imp.line, Severity.ERROR,
                 f"add \"{package}\" to package.json dependencies (and the unit's dependencies)")


def _unresolved_hint(path: str, specifier: str, registry: Registry) -> str:
    wanted = posixpath.normpath(posixpath.join(posixpath.dirname(path), specifier))
    suffix = posixpath.splitext(path)[1]  # a file of the importer's own language
    candidates = [p for p in registry if registry.language_of(p) is not None and p != path]
    stripped = {posixpath.splitext(p)[0]: p for p in candidates}
    # The usual slip is a wrong depth (`../utils/x` for `../../utils/x`): same folder and
    # file name. Otherwise only a near spelling of the whole path (`../model/tasks`).
    tail = wanted.split("/")[-2:]
    same_name = [s for s in stripped if s.split("/")[-2:] == tail]
    close = difflib.get_close_matches(wanted, same_name or list(stripped), n=1,
                                      cutoff=0.0 if same_name else 0.9)
    if close:
        target = stripped[close[0]]
        rel = posixpath.relpath(posixpath.splitext(target)[0], posixpath.dirname(path) or ".")
        rel = rel if rel.startswith("../") else f"./{rel}"
        return f"did you mean '{rel}' ({target})? otherwise create {wanted}{suffix}"
    return f"create {wanted}{suffix} or correct the path"


def _module_hint(path: str, specifier: str, registry: Registry) -> str:
    """A module source names a folder: suggest the closest folder that holds .tf files."""
    base = posixpath.dirname(path)
    wanted = posixpath.normpath(posixpath.join(base, specifier))
    folders = sorted({posixpath.dirname(p) for p in registry
                      if p.endswith(".tf") and posixpath.dirname(p) != base})
    close = difflib.get_close_matches(wanted, folders, n=1, cutoff=0.5)
    if close:
        rel = posixpath.relpath(close[0], base or ".")
        rel = rel if rel.startswith("../") else f"./{rel}"
        return f'did you mean source = "{rel}" ({close[0]})? otherwise create {wanted}/main.tf'
    return f"create the module folder {wanted} with its .tf files, or correct the source"


def name_issues(parsed: ParsedFile, imp: Import, registry: Registry) -> list[Issue]:
    """Destructured/named imports that the (resolved, registered) target does not export."""
    target = registry.resolve(parsed.path, imp.specifier)
    exports = registry.exports_of(target) if target is not None else None
    if exports is None or exports.opaque:
        return []
    target_file = registry.get(target) if target is not None else None
    if target_file is not None and not target_file.ok:
        return []  # its exports are unknowable until its syntax error (reported there) is fixed
    wanted: Iterable[str] = imp.names
    if imp.default and exports.is_esm:
        wanted = (*imp.names, "default")  # a CommonJS module always has a default import
    issues: list[Issue] = []
    for name in wanted:
        if name in exports.names:
            continue
        issues.append(Issue("import-name-missing",
                            f"'{name}' is not exported by {target} ({_call(imp)})",
                            parsed.path, imp.line_of(name), Severity.ERROR,
                            _name_hint(name, target, exports.names)))
    return issues


def _name_hint(name: str, target: str, exports: Collection[str]) -> str:
    if not exports:
        return f"export '{name}' from {target} (it exports no names)"
    close = difflib.get_close_matches(name, list(exports), n=1, cutoff=0.5)
    listed = ", ".join(sorted(exports)[:_MAX_LISTED]) + (", ..." if len(exports) > _MAX_LISTED
                                                          else "")
    prefix = f"did you mean '{close[0]}'? " if close else ""
    return f"{prefix}export '{name}' from {target}, or import one of: {listed}"
