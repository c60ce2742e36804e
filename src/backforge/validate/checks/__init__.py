"""Checks: each turns registry facts into Issues with a rule id, file, line and a
one-line fix hint.

A check sees a `Scope`: the registry (every known file, parsed), the paths to
report on (a unit's own files inside the pipeline, or every file of a finished
project) and whether the project is complete (only then may a check judge that
something is *never* used). Checks are independent of any provider and stack:

- `base_checks()`: what every project gets (syntax, imports, packages, SQL schema,
  SQL column names, .env.example, docker-compose, unused dependencies);
- `STACK_RULES`: rules a stack opts into by id (its `rules` attribute), e.g.
  express-js: ("named-exports", "parameterized-sql").

A Python stack adds its own Language (parse, exports/imports, path resolution) and,
if it needs them, its own checks: nothing here or in the engine changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from backforge.engine.protocols import Issue
from backforge.validate.registry import Registry


@dataclass(frozen=True)
class Scope:
    registry: Registry
    paths: tuple[str, ...]  # the files to report on
    # Packages declared (package.json and the units' dependencies); None when package.json
    # exists but does not parse: then no package is judged undeclared.
    declared: frozenset[str] | None
    manifest: Mapping[str, Any] | None  # the parsed package.json, if any
    whole: bool = False  # every file of the project is here: absence can be judged


class Check(Protocol):
    name: str
    rules: tuple[str, ...]  # the rule ids it may report

    def check(self, scope: Scope) -> list[Issue]: ...


def base_checks() -> tuple[Check, ...]:
    from backforge.validate.checks.compose import ComposeCheck
    from backforge.validate.checks.deps import UnusedDependencyCheck
    from backforge.validate.checks.env import EnvExampleCheck
    from backforge.validate.checks.files import FileCheck
    from backforge.validate.checks.sql import QueryColumnCheck, SqlSchemaCheck

    return (FileCheck(), SqlSchemaCheck(), QueryColumnCheck(), EnvExampleCheck(),
            ComposeCheck(), UnusedDependencyCheck())


def _named_exports() -> Check:
    from backforge.validate.checks.stack import NamedExportsCheck

    return NamedExportsCheck()


def _parameterized_sql() -> Check:
    from backforge.validate.checks.stack import ParameterizedSqlCheck

    return ParameterizedSqlCheck()


# Rules a stack opts into by id (the implementations live here, not in the stack).
STACK_RULES: Mapping[str, Callable[[], Check]] = {
    "named-exports": _named_exports,
    "parameterized-sql": _parameterized_sql,
}


def checks_for(stack_rules: Iterable[str] = ()) -> tuple[Check, ...]:
    """The base checks plus the stack's opted-in rules; an unknown rule id is an error."""
    extra = []
    for rule in stack_rules:
        make = STACK_RULES.get(rule)
        if make is None:
            raise ValueError(f"unknown stack rule '{rule}'; known: {', '.join(STACK_RULES)}")
        extra.append(make())
    return (*base_checks(), *extra)


def run_checks(checks: Sequence[Check], scope: Scope) -> list[Issue]:
    return [issue for check in checks for issue in check.check(scope)]


__all__ = ["STACK_RULES", "Check", "Scope", "base_checks", "checks_for", "run_checks"]
