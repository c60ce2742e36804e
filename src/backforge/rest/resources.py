"""The shape of the resource model the REST layer reads.

A stack builds its own table, project and endpoint contexts (with its own
identifiers and route syntax); the REST layer needs only these attributes.
"""

from __future__ import annotations

from typing import Any, Protocol

from backforge.sql.columns import Column
from backforge.sql.tables import SqlTable


class RestEndpoint(Protocol):
    """One custom endpoint, its path in OpenAPI form without the API prefix."""

    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def table(self) -> str | None: ...
    @property
    def auth(self) -> bool: ...
    @property
    def name(self) -> str: ...
    @property
    def params(self) -> tuple[str, ...]: ...


class RestTable(SqlTable, Protocol):
    """A table as a REST collection of items."""

    @property
    def writable(self) -> tuple[Column, ...]: ...
    @property
    def updatable(self) -> tuple[Column, ...]: ...
    @property
    def filterable(self) -> tuple[Column, ...]: ...
    @property
    def can_update(self) -> bool: ...
    @property
    def endpoints(self) -> tuple[Any, ...]: ...  # RestEndpoint
    @property
    def collection_path(self) -> str: ...
    @property
    def item_path_openapi(self) -> str: ...


class RestProject(Protocol):
    """The whole API: tables, custom endpoints, prefix and whether writes need a token."""

    @property
    def tables(self) -> tuple[RestTable, ...]: ...
    @property
    def endpoints(self) -> tuple[RestEndpoint, ...]: ...
    @property
    def prefix(self) -> str: ...
    @property
    def auth(self) -> bool: ...
    def table(self, name: str) -> RestTable: ...
