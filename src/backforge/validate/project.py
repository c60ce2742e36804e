"""Validating a project folder that already exists (generated, maybe edited by hand).

`read_project(root)` loads its text files; `assess(...)` groups the issues by
module and applies DESIGN.md's thresholds with the engine's own rules (the
same `presence_issues`, `module_status` and `run_success` a run uses), so a
folder gets the verdict its generation would have got:

- a unit is validated when all its critical files and >= 90 % of its required
  files are present and its files have zero errors; partial when it has files
  but is not validated; failed when none of its files is there;
- a module is validated when all its units are; the project succeeds when
  >= 95 % of modules and every critical module are validated.
Warnings never block.

Without the plan (no spec to build it from) presence cannot be judged: modules
are then validated exactly when their files have no errors, and the result says so.

Files the user deleted on purpose (`deleted`: recorded in the folder's manifest as
written by backforge, absent now) are not required any more: a unit whose only files
were deleted counts as validated, and the result lists them (info, never an error).
Critical files stay required whatever the manifest says: the project cannot work
without them.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backforge.engine.checks import errors_in, presence_issues
from backforge.engine.protocols import GeneratedFile, Issue
from backforge.engine.report import (
    ModuleReport,
    UnitReport,
    UnitStatus,
    issue_dict,
    module_status,
    run_success,
)
from backforge.plan.model import ModuleDef, Plan, Unit

# Folders that are never part of the project's own source.
SKIPPED_DIRS = frozenset({"node_modules", ".git", ".backforge", ".terraform", "coverage",
                          "__pycache__", ".venv"})
MAX_FILE_BYTES = 2_000_000  # bigger files are data or build output, not generated source
OTHER = "other"  # issues on files no module owns


def read_project(root: Path) -> dict[str, str]:
    """Every text file under `root` (POSIX relative path -> content), vendored and
    tool folders skipped; binary and oversized files are left out."""
    files: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part in SKIPPED_DIRS for part in rel.parts[:-1]) or not path.is_file():
            continue
        if path.stat().st_size > MAX_FILE_BYTES:
            continue
        try:
            files[rel.as_posix()] = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
    return files


@dataclass(frozen=True)
class ModuleMap:
    """Which module owns a path: exact paths first, then the module that owns most
    known files in the nearest enclosing folder (a hand-added src/models/x.js is models)."""

    exact: Mapping[str, str]
    folders: Mapping[str, str]

    @classmethod
    def from_paths(cls, owned: Iterable[tuple[str, str]]) -> ModuleMap:
        exact: dict[str, str] = {}
        votes: dict[str, Counter[str]] = {}
        for path, module in owned:
            exact.setdefault(path, module)
            folder = posixpath.dirname(path)
            votes.setdefault(folder, Counter())[module] += 1
        folders = {f: c.most_common(1)[0][0] for f, c in votes.items()}
        return cls(exact, folders)

    @classmethod
    def from_plan(cls, plan: Plan) -> ModuleMap:
        return cls.from_paths((p, u.module) for u in plan.units.values()
                              for p in (*u.required, *u.critical))

    def merged(self, other: ModuleMap) -> ModuleMap:
        """This map, with `other` filling in what it does not know."""
        return ModuleMap({**other.exact, **self.exact}, {**other.folders, **self.folders})

    def module_of(self, path: str | None) -> str:
        if path is None:
            return OTHER
        if path in self.exact:
            return self.exact[path]
        folder = posixpath.dirname(path)
        while True:
            if folder in self.folders:
                return self.folders[folder]
            if not folder:
                return OTHER
            folder = posixpath.dirname(folder)


@dataclass(frozen=True)
class ModuleResult:
    name: str
    status: UnitStatus
    critical: bool
    issues: tuple[Issue, ...] = ()
    units: tuple[str, ...] = ()

    @property
    def errors(self) -> int:
        return len(errors_in(self.issues))

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status.value, "critical": self.critical,
                "units": list(self.units), "errors": self.errors,
                "warnings": len(self.issues) - self.errors,
                "issues": [issue_dict(i) for i in self.issues]}


@dataclass(frozen=True)
class ProjectAssessment:
    modules: tuple[ModuleResult, ...]
    issues: tuple[Issue, ...]  # every issue, presence included, sorted by file and line
    success: bool
    success_rate: float
    presence_checked: bool  # a plan was known: required and critical files were checked
    notes: tuple[str, ...] = field(default=())
    deleted: tuple[str, ...] = ()  # generated files the user deleted on purpose (info)

    @property
    def errors(self) -> int:
        return len(errors_in(self.issues))

    def to_dict(self) -> dict[str, Any]:
        return {"success": self.success, "success_rate": round(self.success_rate, 4),
                "presence_checked": self.presence_checked, "errors": self.errors,
                "warnings": len(self.issues) - self.errors,
                "modules": [m.to_dict() for m in self.modules], "notes": list(self.notes),
                "deleted": list(self.deleted)}


def _still_required(unit: Unit, deleted: Collection[str]) -> Unit:
    """`unit` without the non-critical files the user deleted on purpose."""
    if not deleted:
        return unit
    keep = tuple(p for p in unit.required if p not in deleted or p in unit.critical)
    return unit if keep == unit.required else dataclasses.replace(unit, required=keep)


def _unit_reports(plan: Plan, files: Mapping[str, str], by_file: Mapping[str, list[Issue]],
                  required_ratio: float, deleted: Collection[str] = ()
                  ) -> tuple[list[UnitReport], dict[str, list[Issue]]]:
    """Each planned unit judged on the folder's files; the issues it owns, per module."""
    reports: list[UnitReport] = []
    owned: dict[str, list[Issue]] = {}
    for planned in plan.units.values():
        unit = _still_required(planned, deleted)
        paths = tuple(dict.fromkeys(p for p in (*unit.required, *unit.critical) if p in files))
        present = [GeneratedFile(p, files[p]) for p in paths]
        issues = presence_issues(unit, present, required_ratio) if unit.required else []
        issues += [i for p in paths for i in by_file.get(p, ())]
        if not unit.required and not unit.critical:
            status = UnitStatus.VALIDATED  # every file of it was deleted on purpose
        elif not paths:
            status = UnitStatus.FAILED
        else:
            status = UnitStatus.PARTIAL if errors_in(issues) else UnitStatus.VALIDATED
        reports.append(UnitReport(unit.id, unit.module, unit.table, status, None, (), paths))
        owned.setdefault(unit.module, []).extend(issues)
    return reports, owned


def assess(files: Mapping[str, str], issues: Sequence[Issue], modules: ModuleMap, *,
           plan: Plan | None = None, module_defs: Sequence[ModuleDef] = (),
           required_ratio: float = 0.9, success_ratio: float = 0.95,
           notes: Sequence[str] = (), deleted: Collection[str] = ()) -> ProjectAssessment:
    """Group `issues` by module and judge every module (see the module docstring).

    With `plan`, its units are judged on presence and errors. Without it, every module
    of `module_defs` that owns a file of the folder is judged on its files' errors."""
    by_file: dict[str, list[Issue]] = {}
    for issue in issues:
        by_file.setdefault(issue.file or "", []).append(issue)
    results: list[ModuleResult] = []
    planned: set[str] = set()
    if plan is not None:
        reports, owned = _unit_reports(plan, files, by_file, required_ratio, set(deleted))
        planned = {p for u in plan.units.values() for p in (*u.required, *u.critical)}
        for mod in plan.modules:
            units = [r for r in reports if r.module == mod.name]
            results.append(ModuleResult(mod.name, module_status(units), mod.critical,
                                        tuple(owned.get(mod.name, ())),
                                        tuple(r.id for r in units)))
    else:
        owners = Counter(modules.module_of(p) for p in files)
        results = [ModuleResult(d.name, UnitStatus.VALIDATED, d.critical)
                   for d in module_defs if owners[d.name]]
    # Issues on files the plan does not list (every issue, without a plan).
    loose: dict[str, list[Issue]] = {}
    for issue in issues:
        if issue.file not in planned:
            loose.setdefault(modules.module_of(issue.file), []).append(issue)
    results = _merge_loose(results, loose)
    all_issues = sorted({i for m in results for i in m.issues},
                        key=lambda i: (i.file or "", i.line or 0, i.rule))
    graded = [ModuleReport(m.name, m.status, m.critical, m.units) for m in results
              if m.name != OTHER]
    success, rate = run_success(graded, success_ratio)
    if any(m.name == OTHER and m.errors for m in results):
        success = False  # errors anywhere block, whoever owns the file
    return ProjectAssessment(tuple(results), tuple(all_issues), success, rate,
                             plan is not None, tuple(notes), tuple(sorted(deleted)))


def _merge_loose(results: list[ModuleResult],
                 loose: Mapping[str, list[Issue]]) -> list[ModuleResult]:
    by_name = {m.name: m for m in results}
    for name, extra in loose.items():
        old = by_name.get(name)
        merged = (*(old.issues if old else ()), *extra)
        status = old.status if old else UnitStatus.VALIDATED
        if errors_in(merged) and status is UnitStatus.VALIDATED:
            status = UnitStatus.PARTIAL
        by_name[name] = ModuleResult(name, status, old.critical if old else False, merged,
                                     old.units if old else ())
    known = [m.name for m in results]
    extra_names = sorted((n for n in by_name if n not in known), key=lambda n: (n == OTHER, n))
    return [by_name[n] for n in (*known, *extra_names)]
