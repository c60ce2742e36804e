"""The shape of the table and project contexts the SQL layer reads.

A stack builds its own context objects (with its own naming for files and
functions); the SQL layer needs only these attributes, so it depends on a
protocol instead of on any stack.
"""

from __future__ import annotations

from typing import Protocol

from backforge.spec.model import Project, Table
from backforge.sql.columns import Column


class SqlTable(Protocol):
    """One spec table as its columns (spec fields, a generated key, timestamps)."""

    @property
    def table(self) -> Table: ...
    @property
    def name(self) -> str: ...  # the spec table name
    @property
    def sql(self) -> str: ...  # the SQL table name
    @property
    def quoted(self) -> str: ...
    @property
    def columns(self) -> tuple[Column, ...]: ...
    @property
    def pk(self) -> tuple[Column, ...]: ...
    @property
    def unique_columns(self) -> tuple[Column, ...]: ...
    @property
    def created(self) -> Column | None: ...
    @property
    def updated(self) -> Column | None: ...


class SqlProject(Protocol):
    """The whole spec as tables."""

    @property
    def project(self) -> Project: ...
    @property
    def tables(self) -> tuple[SqlTable, ...]: ...
    def table(self, name: str) -> SqlTable: ...
