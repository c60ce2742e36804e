"""The safety gate for generated code: every forbidden API a file uses (see
`languages/js_safety.py` for the rules) is an error, unless the stack's `OutputPolicy`
allows that rule for that file (its config module reads `process.env`).

It runs on every unit of every provider: template output passes it cleanly (a test
proves it on the examples), so a model-written unit is held to exactly what the
templates need. It does not run on `backforge validate DIR`: a folder's hand edits
are the user's to make; the gate bounds what a generator may write.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from backforge.engine.protocols import Issue, Severity
from backforge.plan.model import OutputPolicy
from backforge.validate.checks import Scope
from backforge.validate.model import Hazard

SAFETY_RULES = ("unsafe-child-process", "unsafe-eval", "unsafe-function-constructor",
                "unsafe-vm", "unsafe-worker", "unsafe-native", "unsafe-fs-write",
                "unsafe-network", "unsafe-env-read", "unsafe-dynamic-require",
                "unsafe-dynamic-access")
_HINTS = {
    "unsafe-env-read": "read settings through the config module ({config}) instead of "
                       "process.env",
    "unsafe-fs-write": "the backend never writes files: keep data in PostgreSQL",
    "unsafe-network": "the backend makes no outbound calls: remove it",
    "unsafe-dynamic-require": "require a literal module path, e.g. require('../utils')",
}


def allowed(policy: OutputPolicy, rule: str, path: str) -> bool:
    if rule == "unsafe-env-read" and path == policy.config_module:
        return True
    return any(fnmatchcase(path, glob) for glob in policy.code_allowances.get(rule, ()))


def hazard_issue(path: str, hazard: Hazard, policy: OutputPolicy) -> Issue:
    hint = _HINTS.get(hazard.rule, "remove it: this stack's code never needs it")
    return Issue(hazard.rule, f"{hazard.message}, which this stack's code never needs",
                 path, hazard.line, Severity.ERROR,
                 hint.format(config=policy.config_module or "the config module"))


class SafetyCheck:
    name = "safety"
    rules = SAFETY_RULES

    def __init__(self, policy: OutputPolicy | None = None) -> None:
        self.policy = policy or OutputPolicy()

    def check(self, scope: Scope) -> list[Issue]:
        issues: list[Issue] = []
        for path in scope.paths:
            parsed = scope.registry.get(path)
            if parsed is None:
                continue
            issues.extend(hazard_issue(path, h, self.policy) for h in parsed.hazards
                          if not allowed(self.policy, h.rule, path))
        return issues
