"""Entry points of validation.

`UnitValidator` is the engine's `Validator`: it checks one unit's files against
everything validated so far. `validate_tree` runs the same checks over a whole
finished project (end of a run, `backforge validate DIR`), where the checks that
need every file (unused dependencies) also run.
"""

from __future__ import annotations

import posixpath
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from backforge.engine.protocols import Generation, Issue, UnitContext
from backforge.plan.model import OutputPolicy, Unit
from backforge.validate.boundary import boundary_issues, over_cap
from backforge.validate.checks import Check, Scope, checks_for, run_checks
from backforge.validate.checks.safety import SafetyCheck
from backforge.validate.contracts import contract_issues, contracts_for
from backforge.validate.languages import Language
from backforge.validate.registry import Registry
from backforge.validate.rules import declared_packages, load_package_json

PACKAGE_JSON = "package.json"


def _stack(stack_name: str) -> Any:
    # stacks/ imports validate/ (render uses the registry): a top-level import would cycle.
    from backforge.errors import UnknownStackError
    from backforge.stacks import get_stack

    try:
        return get_stack(stack_name)
    except UnknownStackError:
        return None


def stack_rules_of(stack_name: str) -> tuple[str, ...]:
    """The rule ids a stack opts into (its `rules` attribute); () for an unknown stack."""
    return tuple(getattr(_stack(stack_name), "rules", ()))


def stack_policy_of(stack_name: str) -> OutputPolicy:
    """The stack's output boundary (its `output_policy`); the strictest default without one."""
    policy = getattr(_stack(stack_name), "output_policy", None)
    return policy if isinstance(policy, OutputPolicy) else OutputPolicy()


class UnitValidator:
    """Validates one unit's generation: every check of `checks_for(stack_rules)`.

    Keeps one Registry for the whole run, re-synced to `ctx.files` plus the unit's
    own files on every call, so each file is parsed once however many units follow.
    `stack_rules=None` takes the rules of the plan's stack (`ctx.plan.stack`).
    Presence is the engine's job (see `presence_issues`).

    Before any of that, the output boundary and the code safety gate of the stack's
    `OutputPolicy` (`policy=None`: the plan's stack's): paths the unit may write, its
    package manifest, and forbidden APIs. An answer with far more files than the unit
    may write is judged on its paths alone (parsing 100,000 files helps no repair)."""

    def __init__(self, languages: Sequence[Language] | None = None,
                 stack_rules: Iterable[str] | None = None,
                 policy: OutputPolicy | None = None) -> None:
        self.registry = Registry(languages)
        # Contract-first answers are checked against their dependencies' contracts (stand-in
        # files) in a registry of their own, so the run's registry keeps its real files.
        self.contract_registry = Registry(languages)
        self._lock = threading.Lock()  # the registry is shared state; callers may use threads
        self._package_json: tuple[str | None, dict[str, Any] | None] = (None, None)
        self._checks: tuple[Check, ...] | None = \
            None if stack_rules is None else checks_for(stack_rules)
        self._policy = policy

    def validate(self, unit: Unit, generation: Generation, ctx: UnitContext) -> list[Issue]:
        with self._lock:
            if self._policy is None:
                self._policy = stack_policy_of(ctx.plan.stack)
            if self._checks is None:
                self._checks = (*checks_for(stack_rules_of(ctx.plan.stack)),
                                SafetyCheck(self._policy))
            issues = boundary_issues(unit, generation.files, generation.dependencies,
                                     generation.dev_dependencies, self._policy)
            if over_cap(unit, generation.files, self._policy):
                return issues
            own = generation.file_map()
            contracts = contracts_for(ctx.plan) if ctx.contract_first else None
            if contracts is not None and not ctx.dependencies_ready:
                registry = self.contract_registry
                registry.sync({**contracts.base(unit), **own}, likely_new=own.keys())
                known = {**contracts.packages(unit), **ctx.dependencies}
            else:
                registry, known = self.registry, ctx.dependencies
                registry.sync_unit(ctx.files, own)
            manifest = self._manifest(registry)
            declared = declared_packages(generation.dependencies, generation.dev_dependencies,
                                         known, package_json=manifest)
            scope = Scope(registry, tuple(own), declared, manifest)
            issues += run_checks(self._checks, scope)
            if contracts is not None:
                issues += contract_issues(contracts.of(unit.id), registry, own)
            return issues

    def _manifest(self, registry: Registry) -> dict[str, Any] | None:
        content = registry.content(PACKAGE_JSON)
        if content is not self._package_json[0]:
            self._package_json = (content, load_package_json(content))
        return self._package_json[1]


def _vendored(path: str) -> bool:
    return "node_modules" in path.split("/")


def validate_tree(files: Mapping[str, str], package_json: Mapping[str, Any] | None = None,
                  *, dependencies: Mapping[str, str] | None = None,
                  registry: Registry | None = None,
                  languages: Sequence[Language] | None = None,
                  stack_rules: Iterable[str] = ()) -> list[Issue]:
    """Every issue of a finished project, sorted by file and line.

    `files` maps relative POSIX paths to contents; `node_modules/` is skipped. Packages
    count as declared when in `package_json` (else the project's own package.json) or
    in `dependencies` (e.g. what the run's units declared). `stack_rules` are the rule
    ids the project's stack opts into (e.g. ("named-exports", "parameterized-sql")).
    Pass the run's `UnitValidator().registry` as `registry` to reuse its parses (it is
    re-synced to `files`); a fresh one parses large projects on every core."""
    project = {posixpath.normpath(p): c for p, c in files.items() if not _vendored(p)}
    registry = registry if registry is not None else Registry(languages)
    registry.sync(project)
    manifest = package_json if package_json is not None \
        else load_package_json(project.get(PACKAGE_JSON))
    unreadable = manifest is None and PACKAGE_JSON in project
    declared = None if unreadable else declared_packages(dependencies, package_json=manifest)
    scope = Scope(registry, tuple(sorted(project)), declared, manifest, whole=True)
    issues = run_checks(checks_for(stack_rules), scope)
    return sorted(issues, key=lambda i: (i.file or "", i.line or 0, i.rule))
