"""Stack-neutral result of a schema evolution: the new append-only migration
files, the data they would destroy and the API changes the new schema causes.

A stack's `evolve(old, new, existing)` builds an `Evolution`; the output stage
(regeneration, `backforge plan`) decides from it whether to refuse
(`destructive` without `--allow-destructive`) and what to report. This module
owns only the value types; the diffing lives in sql/evolve.py (SQL) and
rest/apidiff.py (API), wired together by each stack's `evolve`.
"""

from __future__ import annotations

from dataclasses import dataclass

from backforge.engine.protocols import GeneratedFile


@dataclass(frozen=True)
class DataLoss:
    """One change whose up migration deletes or alters stored data."""

    change: str  # "drop column tasks.priority"
    detail: str  # "every value of tasks.priority (integer) is deleted"

    def to_dict(self) -> dict:
        return {"change": self.change, "detail": self.detail}


@dataclass(frozen=True)
class ApiChange:
    """One difference in the generated HTTP API (endpoint or schema property)."""

    kind: str  # "added" | "removed" | "changed"
    target: str  # "POST /api/v1/tasks", "GET /api/v1/tasks/{id}", "Task.priority"
    detail: str
    breaking: bool

    def to_dict(self) -> dict:
        return {"kind": self.kind, "target": self.target, "detail": self.detail,
                "breaking": self.breaking}


@dataclass(frozen=True)
class Evolution:
    """The migration from an old schema to a new one, and what it costs.

    `files` is empty when the database schema did not change (the API may still
    have changed, e.g. a new custom endpoint). `warnings` lists changes that are
    not data loss but may make the up migration fail on a populated database
    (a NOT NULL column without default added to an existing table): the
    migration runs in one transaction, so such a failure leaves the database
    untouched; the user must add a default to the spec or fill the table.
    """

    changes: tuple[str, ...]  # one line per schema change, in migration order
    files: tuple[GeneratedFile, ...]  # the NEW migration files (up + down)
    data_loss: tuple[DataLoss, ...]
    api: tuple[ApiChange, ...]
    warnings: tuple[str, ...] = ()

    @property
    def destructive(self) -> bool:
        """True when applying the up migration loses data (needs --allow-destructive)."""
        return bool(self.data_loss)

    @property
    def breaking(self) -> bool:
        """True when any API change can break an existing client."""
        return any(a.breaking for a in self.api)

    @property
    def empty(self) -> bool:
        """True when neither the schema nor the API changed."""
        return not self.changes and not self.api

    def to_dict(self) -> dict:
        return {
            "changes": list(self.changes),
            "files": [f.path for f in self.files],
            "destructive": self.destructive,
            "data_loss": [d.to_dict() for d in self.data_loss],
            "api": [a.to_dict() for a in self.api],
            "breaking": self.breaking,
            "warnings": list(self.warnings),
        }
