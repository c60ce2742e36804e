"""The output boundary: which paths a unit may write and what its package manifest may
say (DESIGN.md, "Trust boundaries"), checked on the unit's answer before the engine
accepts it, so a violating file is never written.

Rules (each an error naming the file, so a repair prompt can act on it):
- path-reserved: `.backforge/` or `.git/` anywhere in the path (no stack may write there).
- path-forbidden: a path the stack forbids (`node_modules/`, `.npmrc`, `.env`, ...)
  that is not one of the unit's declared files.
- manifest-outside-config: the package manifest written by another unit, or anywhere
  but the project root.
- path-undeclared: neither a declared file of the unit nor a new, visible file in a
  folder the stack allows that unit to add helpers to.
- extra-files-cap / extra-file-too-large: more extra files, or bigger ones, than the
  stack's caps.
- manifest-script: a script the stack does not have (install hooks such as
  `preinstall`/`postinstall`/`prepare`, `pre*`/`post*` hooks of any script), or a
  known script whose command differs from the stack's.
- manifest-field: a field that runs or redirects code at install time (`bin`,
  `overrides`, `resolutions`, `workspaces`, `packageManager`, ...).
- package-not-allowed / package-version-unsafe: a dependency (in the manifest or the
  answer's `dependencies`) outside the stack's fixed set, or a version that is not a
  semver range (URLs, git, `file:`, `npm:` aliases).

Unsafe path text (absolute, `..`, NUL, over-long) is the engine's own `unsafe-path`
check (engine/checks.py); such paths are skipped here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from fnmatch import fnmatchcase

from backforge.engine.checks import path_problem
from backforge.engine.protocols import GeneratedFile, Issue, Severity
from backforge.plan.model import OutputPolicy, Unit

RESERVED_DIRS = (".backforge", ".git")
# Manifest fields that make npm run or fetch something other than the declared packages.
FORBIDDEN_FIELDS = ("bin", "overrides", "resolutions", "workspaces", "packageManager",
                    "bundleDependencies", "bundledDependencies", "pnpm", "publishConfig",
                    "directories", "man")
DEPENDENCY_FIELDS = ("dependencies", "devDependencies", "peerDependencies",
                     "optionalDependencies")
MAX_LISTED = 20  # path issues listed one by one; the rest are counted in one more issue
_SEMVER_RANGE = re.compile(r"[0-9A-Za-z.^~<>=|*+\- ]{1,64}")


def _issue(rule: str, message: str, path: str | None, hint: str,
           line: int | None = None) -> Issue:
    return Issue(rule, message, path, line, Severity.ERROR, hint)


def _line_of(content: str, needle: str) -> int | None:
    at = content.find(needle)
    return content.count("\n", 0, at) + 1 if at >= 0 else None


def path_issues(unit: Unit, files: Sequence[GeneratedFile],
                policy: OutputPolicy) -> list[Issue]:
    """Where each file of the answer may go (see the module docstring)."""
    declared = set(unit.required) | set(unit.critical)
    folders = policy.extra_folders.get(unit.module, ())
    patterns = policy.declared_patterns.get(unit.module, ())
    issues: list[Issue] = []
    extras: list[GeneratedFile] = []
    for f in files:
        path = f.path
        if path_problem(path) is not None:
            continue  # reported by the engine as unsafe-path
        parts = path.split("/")
        if any(p in RESERVED_DIRS for p in parts):
            issues.append(_issue("path-reserved", f"{path} is inside a folder backforge or git "
                                 "owns", path, "write only the unit's own files"))
        elif policy.manifest is not None and parts[-1] == policy.manifest and (
                unit.module != policy.manifest_module or path != policy.manifest):
            issues.append(_issue("manifest-outside-config",
                                 f"{path}: only the {policy.manifest_module} unit writes "
                                 f"{policy.manifest}, at the project root", path,
                                 f"remove {path}; declare packages in the answer's "
                                 "dependencies instead"))
        elif path in declared or not policy.bounded or _patterned(path, patterns):
            continue
        elif any(fnmatchcase(path, glob) for glob in policy.forbidden_paths):
            issues.append(_issue("path-forbidden", f"{path} is a path no unit may write",
                                 path, "remove it"))
        elif any(p.startswith(".") for p in parts) \
                or not any(path.startswith(folder + "/") for folder in folders):
            where = ", ".join(f"{folder}/" for folder in folders) or "nowhere"
            issues.append(_issue("path-undeclared",
                                 f"{path} is not a file of unit {unit.id}", path,
                                 f"write only the declared files ({', '.join(sorted(declared))})"
                                 f"; helpers may go in: {where}"))
        else:
            extras.append(f)
    issues += _extra_issues(extras, policy)
    if len(issues) > MAX_LISTED:
        rest = issues[MAX_LISTED:]
        issues = [*issues[:MAX_LISTED], _issue(
            rest[0].rule, f"{len(rest):,} more path issues like the ones above", rest[0].file,
            "write only the unit's declared files")]
    return issues


def _patterned(path: str, patterns: Sequence[str]) -> bool:
    depth = path.count("/")
    return any(glob.count("/") == depth and fnmatchcase(path, glob) for glob in patterns)


def _extra_issues(extras: Sequence[GeneratedFile], policy: OutputPolicy) -> list[Issue]:
    issues: list[Issue] = []
    if len(extras) > policy.max_extra_files:
        first = extras[policy.max_extra_files].path
        issues.append(_issue("extra-files-cap",
                             f"{len(extras)} files beyond the declared ones (at most "
                             f"{policy.max_extra_files})", first,
                             "fold the helpers into fewer files"))
    for f in extras:
        size = len(f.content.encode("utf-8", "replace"))
        if size > policy.max_extra_bytes:
            issues.append(_issue("extra-file-too-large",
                                 f"{f.path} is {size:,} bytes (at most "
                                 f"{policy.max_extra_bytes:,} for a helper file)", f.path,
                                 "keep helper files small"))
    return issues


def manifest_issues(path: str, content: str, policy: OutputPolicy) -> list[Issue]:
    """Scripts, install-time fields and packages of the package manifest."""
    try:
        data = json.loads(content)
    except ValueError:
        return []  # json-syntax reports it
    if not isinstance(data, dict):
        return []
    issues: list[Issue] = []
    scripts = data.get("scripts")
    for name, command in (scripts.items() if isinstance(scripts, dict) else ()):
        expected = policy.scripts.get(name)
        if expected is None or command != expected:
            what = "is not a script of this stack" if expected is None \
                else f"runs {command!r}, not {expected!r}"
            issues.append(_issue("manifest-script", f"script {name!r} {what}", path,
                                 "keep exactly the stack's scripts: "
                                 + ", ".join(policy.scripts), _line_of(content, f'"{name}"')))
    for name in FORBIDDEN_FIELDS:
        if name in data:
            issues.append(_issue("manifest-field", f"field {name!r} runs or fetches code "
                                 "at install time", path, f"remove {name!r}",
                                 _line_of(content, f'"{name}"')))
    for section in DEPENDENCY_FIELDS:
        value = data.get(section)
        if isinstance(value, dict):
            issues += package_issues(value, policy, path, content)
    return issues


def package_issues(packages: Mapping[str, object], policy: OutputPolicy, path: str | None,
                   content: str = "") -> list[Issue]:
    issues: list[Issue] = []
    for name, version in packages.items():
        line = _line_of(content, f'"{name}"') if content else None
        if name not in policy.packages:
            issues.append(_issue("package-not-allowed",
                                 f"package {name!r} is not one this stack uses", path,
                                 "use only: " + ", ".join(sorted(policy.packages)), line))
        elif not isinstance(version, str) or not _SEMVER_RANGE.fullmatch(version):
            issues.append(_issue("package-version-unsafe",
                                 f"{name}: version {version!r} is not a semver range", path,
                                 "use a range such as ^1.2.3 (no URL, git, file: or npm:)",
                                 line))
    return issues


def boundary_issues(unit: Unit, files: Sequence[GeneratedFile],
                    dependencies: Mapping[str, str], dev_dependencies: Mapping[str, str],
                    policy: OutputPolicy) -> list[Issue]:
    """Every boundary issue of one unit's answer."""
    issues = path_issues(unit, files, policy)
    if policy.manifest is None:
        return issues
    for f in files:
        if f.path == policy.manifest and unit.module == policy.manifest_module:
            issues += manifest_issues(f.path, f.content, policy)
    issues += package_issues({**dev_dependencies, **dependencies}, policy, policy.manifest)
    return issues


def over_cap(unit: Unit, files: Sequence[GeneratedFile], policy: OutputPolicy) -> bool:
    """Far more files than the unit may write: not worth parsing before a retry."""
    return policy.bounded and len(files) > len(set(unit.required) | set(unit.critical)) \
        + policy.max_extra_files


__all__ = ["FORBIDDEN_FIELDS", "RESERVED_DIRS", "boundary_issues", "manifest_issues",
           "over_cap", "package_issues", "path_issues"]
