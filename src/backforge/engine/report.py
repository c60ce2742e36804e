"""The run report: per unit and module status, every attempt with its issues, tokens, notes.

Everything is a frozen dataclass; `RunReport.to_dict()` is JSON-ready with a
fixed key order (units and modules in plan order, times rounded to ms), so the
same run gives byte-identical JSON. Nothing is lost: every attempt's issues and
the paths of every kept file are here, even for a failed run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from backforge.engine.budget import RunUsage, StopReason
from backforge.engine.protocols import Issue, Usage


class UnitStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    VALIDATED = "validated"
    PARTIAL = "partial"  # files came, but not valid after the last attempt
    FAILED = "failed"  # nothing usable came
    BLOCKED = "blocked"  # a dependency did not validate: not attempted
    CANCELLED = "cancelled"  # the deadline or a budget stopped it (or it never started)

    def is_terminal(self) -> bool:
        return self not in (UnitStatus.PENDING, UnitStatus.RUNNING)


class AttemptOutcome(StrEnum):
    VALIDATED = "validated"
    INVALID = "invalid"  # files came but validation found errors or files missing
    ERROR = "error"  # a retryable provider error (rate limit, 5xx, dropped connection)
    TIMEOUT = "timeout"  # the call exceeded the per-call timeout
    PERMANENT = "permanent-error"  # retrying cannot help
    CRASHED = "crashed"  # the provider raised something that is not a ProviderError
    WRITE_FAILED = "write-failed"  # valid, but the sink could not write it
    CANCELLED = "cancelled"  # the deadline or a budget stopped the attempt
    # Contract-first: valid against its own and its dependencies' contracts, waiting for
    # the whole-tree check (it becomes VALIDATED or INVALID once its dependencies landed).
    LANDED = "landed"


def _r(seconds: float) -> float:
    return round(seconds, 3)


def issue_dict(issue: Issue) -> dict[str, Any]:
    return {"rule": issue.rule, "message": issue.message, "file": issue.file,
            "line": issue.line, "severity": issue.severity.value, "hint": issue.hint}


def usage_dict(usage: Usage) -> dict[str, int]:
    return {"prompt_tokens": usage.prompt_tokens, "completion_tokens": usage.completion_tokens,
            "total_tokens": usage.prompt_tokens + usage.completion_tokens}


@dataclass(frozen=True)
class AttemptRecord:
    attempt: int  # 1-based
    started: float  # seconds since the run started, when the provider call began
    duration: float  # call plus validation
    outcome: AttemptOutcome
    error: str | None = None
    issues: tuple[Issue, ...] = ()
    files: tuple[str, ...] = ()  # paths the provider returned
    usage: Usage = field(default_factory=Usage)
    retry_delay: float | None = None  # the wait before the next attempt, when one followed
    cached: bool = False  # the answer came from a response cache (no tokens spent)
    hedged: float | None = None  # s into the call when a second request went out (a hedge)

    def to_dict(self) -> dict[str, Any]:
        return {
            "attempt": self.attempt, "started": _r(self.started), "duration": _r(self.duration),
            "outcome": self.outcome.value, "error": self.error,
            "retry_delay": None if self.retry_delay is None else _r(self.retry_delay),
            "issues": [issue_dict(i) for i in self.issues], "files": list(self.files),
            "usage": usage_dict(self.usage), "cached": self.cached,
            "hedged": None if self.hedged is None else _r(self.hedged),
        }


@dataclass(frozen=True)
class UnitReport:
    id: str
    module: str
    table: str | None
    status: UnitStatus
    reason: str | None  # why it is not validated (None when it is)
    attempts: tuple[AttemptRecord, ...]
    files: tuple[str, ...]  # kept files: written ones when validated, else the last produced

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "module": self.module, "table": self.table,
                "status": self.status.value, "reason": self.reason,
                "files": list(self.files), "attempts": [a.to_dict() for a in self.attempts]}


@dataclass(frozen=True)
class ModuleReport:
    name: str
    status: UnitStatus  # validated, partial, failed, blocked or cancelled
    critical: bool
    units: tuple[str, ...]  # unit ids, in plan order

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status.value, "critical": self.critical,
                "units": list(self.units)}


def module_status(units: Iterable[UnitReport]) -> UnitStatus:
    """Validated when every unit is; partial when any unit produced files; else the worst cause."""
    units = list(units)
    if all(u.status is UnitStatus.VALIDATED for u in units):
        return UnitStatus.VALIDATED
    if any(u.files for u in units):
        return UnitStatus.PARTIAL
    for status in (UnitStatus.FAILED, UnitStatus.CANCELLED):
        if any(u.status is status for u in units):
            return status
    return UnitStatus.BLOCKED


def run_success(modules: Iterable[ModuleReport], success_ratio: float) -> tuple[bool, float]:
    """(success, validated share): enough modules validated and every critical one."""
    modules = list(modules)
    if not modules:
        return True, 1.0
    validated = sum(m.status is UnitStatus.VALIDATED for m in modules)
    rate = validated / len(modules)
    critical_ok = all(m.status is UnitStatus.VALIDATED for m in modules if m.critical)
    # Compare counts, not floats, so 19/20 against 0.95 is exact.
    enough = validated >= success_ratio * len(modules) - 1e-9
    return enough and critical_ok, rate


@dataclass(frozen=True)
class RunReport:
    success: bool
    success_rate: float  # validated modules / modules
    duration: float
    modules: tuple[ModuleReport, ...]
    units: tuple[UnitReport, ...]
    notes: tuple[str, ...] = ()
    # Tokens of every answer (unusable ones too), cost and cache hits; per attempt: units.
    usage: RunUsage = field(default_factory=RunUsage)
    stopped_by: StopReason | None = None  # the deadline or budget that stopped the run
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def unit(self, uid: str) -> UnitReport:
        return next(u for u in self.units if u.id == uid)

    def module(self, name: str) -> ModuleReport:
        return next(m for m in self.modules if m.name == name)

    def counts(self) -> dict[str, int]:
        """Units per status, every status listed (in enum order) for a stable shape."""
        return {s.value: sum(u.status is s for u in self.units) for s in UnitStatus}

    def missing(self) -> list[str]:
        """One line per unit that is not validated: `unit (module): status: reason`."""
        return [f"{u.id} ({u.module}): {u.status.value}: {u.reason or 'no reason recorded'}"
                for u in self.units if u.status is not UnitStatus.VALIDATED]

    def with_extra(self, **extra: Any) -> RunReport:
        """A copy with more `extra` sections (e.g. renames, verify): keys are appended."""
        return dataclasses.replace(self, extra=MappingProxyType({**self.extra, **extra}))

    def with_notes(self, *notes: str) -> RunReport:
        return dataclasses.replace(self, notes=self.notes + tuple(notes))

    def to_dict(self) -> dict[str, Any]:
        return {
            "success": self.success,
            "success_rate": round(self.success_rate, 4),
            "duration": _r(self.duration),
            "counts": self.counts(),
            "usage": self.usage.to_dict(),
            "stopped_by": None if self.stopped_by is None else self.stopped_by.value,
            "modules": [m.to_dict() for m in self.modules],
            "units": [u.to_dict() for u in self.units],
            "missing": self.missing(),
            "notes": list(self.notes),
            "extra": dict(self.extra),
        }
