"""What a verification produced: steps, API checks, the generated tests' counts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class StepStatus(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class StepResult:
    name: str  # install, database, migrate, migrate-down-up, seed, boot, contract, shutdown, tests
    status: StepStatus
    duration: float
    detail: str = ""  # one line on success; the cause on failure
    output: str = ""  # the tail of the command's output or the server log, on failure


@dataclass(frozen=True)
class CheckResult:
    table: str | None  # None for project-wide checks (health, docs, auth)
    name: str
    passed: bool
    message: str = ""
    request: str = ""  # "POST /api/v1/tasks {json}"
    response: str = ""  # "500 {json}"
    log: str = ""  # server log lines written while the request ran


@dataclass(frozen=True)
class MatrixResult:
    """One cell of the authorisation matrix (backforge.rest.matrix) as the app answered."""

    table: str
    operation: str  # list, read, create, update, delete
    principal: str  # anonymous, owner, other, admin
    expected: int
    got: int | None  # None: not checked (`note` says why)
    passed: bool
    reason: str  # the rule and why it gives `expected`
    note: str = ""  # what else failed (a refused write that changed the row), or why skipped

    @property
    def checked(self) -> bool:
        return self.got is not None


@dataclass(frozen=True)
class TestCounts:
    passed: int = 0
    failed: int = 0
    total: int = 0


@dataclass(frozen=True)
class VerifyReport:
    success: bool
    duration: float
    steps: tuple[StepResult, ...]
    checks: tuple[CheckResult, ...] = ()
    tests: TestCounts | None = None
    database: str = "ephemeral"  # or "external"
    server_errors: int = 0  # 5xx responses seen during the contract checks
    matrix: tuple[MatrixResult, ...] = ()  # the authorisation matrix, cell by cell

    def matrix_summary(self) -> dict[str, int]:
        return {"cells": len(self.matrix),
                "checked": sum(m.checked for m in self.matrix),
                "failed": sum(not m.passed for m in self.matrix),
                "not_checked": sum(not m.checked for m in self.matrix),
                "principals": len({m.principal for m in self.matrix}),
                "tables": len({m.table for m in self.matrix})}

    def failed_steps(self) -> list[StepResult]:
        return [s for s in self.steps if s.status is StepStatus.FAILED]

    def failed_checks(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed]

    def tables(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for c in self.checks:
            row = out.setdefault(c.table or "(project)", {"passed": 0, "failed": 0})
            row["passed" if c.passed else "failed"] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "success": self.success,
            "duration": round(self.duration, 3),
            "database": self.database,
            "steps": [{**asdict(s), "status": str(s.status), "duration": round(s.duration, 3)}
                      for s in self.steps],
            "tables": self.tables(),
            "checks": {"total": len(self.checks), "failed": len(self.failed_checks()),
                       "server_errors": self.server_errors},
            "failures": [asdict(c) for c in self.failed_checks()],
            "tests": asdict(self.tests) if self.tests else None,
            "matrix": {**self.matrix_summary(), "results": [asdict(m) for m in self.matrix]},
        }


@dataclass
class Recorder:
    """Collects check results while the contract runs against the live server."""

    results: list[CheckResult] = field(default_factory=list)
    server_errors: int = 0
    matrix: list[MatrixResult] = field(default_factory=list)

    @property
    def checks(self) -> int:
        return len(self.results)

    def add(self, result: CheckResult) -> bool:
        self.results.append(result)
        return result.passed
