"""The engine's own protocols and value types.

Providers, validators and sinks implement these; the engine never imports a
concrete one. Everything here is a frozen dataclass or an enum.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from backforge.errors import BackforgeError
from backforge.plan.model import Plan, Unit


@dataclass(frozen=True)
class GeneratedFile:
    path: str  # relative, POSIX separators
    content: str


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass(frozen=True)
class Generation:
    """What one provider call produced for one unit."""

    files: tuple[GeneratedFile, ...]
    dependencies: Mapping[str, str] = field(default_factory=dict)  # npm name -> range
    dev_dependencies: Mapping[str, str] = field(default_factory=dict)
    usage: Usage = Usage()
    cached: bool = False  # replayed from a response cache: no tokens were spent on it

    def file_map(self) -> dict[str, str]:
        return {f.path: f.content for f in self.files}


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    rule: str  # e.g. "js-syntax", "import-unresolved", "file-missing"
    message: str
    file: str | None = None
    line: int | None = None
    severity: Severity = Severity.ERROR
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.file and self.line else (self.file or "-")
        hint = f" (fix: {self.hint})" if self.hint else ""
        return f"{where}: [{self.rule}] {self.message}{hint}"


@dataclass(frozen=True)
class UnitContext:
    """Everything a provider or validator may know when working on one unit."""

    plan: Plan
    attempt: int  # 1-based
    files: Mapping[str, str]  # every file of every unit validated so far
    dependencies: Mapping[str, str]  # npm packages declared by validated units so far
    previous: Generation | None = None  # the last attempt's output, on a retry
    issues: tuple[Issue, ...] = ()  # the last attempt's validation issues, on a retry
    # Contract-first runs (EngineOptions.schedule): the unit is bound by its own interface
    # contract (what the plan says it exports), since other units are written against it.
    contract_first: bool = False
    # False while the unit's dependencies have not landed yet: their files are not in
    # `files`, so providers and validators work from the dependencies' contracts.
    dependencies_ready: bool = True


class Provider(Protocol):
    name: str

    async def generate(self, unit: Unit, ctx: UnitContext) -> Generation: ...


class Validator(Protocol):
    def validate(self, unit: Unit, generation: Generation, ctx: UnitContext) -> list[Issue]: ...


class Sink(Protocol):
    """Receives a unit's files once the unit is validated (or kept as partial)."""

    def write(self, unit: Unit, files: Sequence[GeneratedFile]) -> None: ...


class ProviderError(BackforgeError):
    """A provider call failed. `retryable` says whether the engine may try again."""

    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None,
                 usage: Usage | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.usage = usage  # tokens the failed call still cost (an answer that did not parse)


class RetryableError(ProviderError):
    """Rate limits, 5xx, dropped connections: try again after backoff (or retry_after)."""


class ProviderTimeout(RetryableError):
    """The call exceeded the per-call timeout: retried at once."""


class PermanentError(ProviderError):
    """Wrong key, bad request: retrying cannot help."""

    retryable = False
