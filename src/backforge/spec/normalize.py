"""Normalizations every spec gets after validation, each one reported as a note.

- A table without a primary key gets one: its only auto-increment field, else
  its field named `id` (when that type can be a key), else a new `id` column
  (bigint, auto increment) in first position.
- Endpoint paths are made canonical: `:id` becomes `{id}`, a leading `/`, no
  trailing `/`, and a path that repeats the API prefix loses it (the stacks
  mount custom endpoints under the prefix already).
- The API prefix itself gets a leading `/` and no trailing `/`; `/` means none.
- A field the database fills (auto increment, uuid primary key) is not
  `required` input: clients may omit it. Key columns are NOT NULL regardless.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from backforge.spec.model import Field, FieldType, Project, Table
from backforge.spec.naming import sql_identifier, url_segment
from backforge.spec.problems import Note, Problem

# Types PostgreSQL can index as a primary key and an API can put in a URL.
PK_TYPES = frozenset({FieldType.INTEGER, FieldType.BIGINT, FieldType.UUID, FieldType.STRING,
                      FieldType.TEXT, FieldType.DECIMAL, FieldType.DATE, FieldType.DATETIME,
                      FieldType.ENUM})


@dataclass(frozen=True)
class Normalized:
    project: Project
    notes: tuple[Note, ...]
    problems: tuple[Problem, ...]
    prepended: frozenset[int]  # tables that got a new `id` at fields[0]


def normalize(project: Project, untyped: frozenset[tuple[int, str]] = frozenset()) -> Normalized:
    """`untyped` holds (table index, field name) of fields whose type was not understood."""
    notes: list[Note] = []
    problems: list[Problem] = []
    prepended: set[int] = set()
    tables = []
    for ti, table in enumerate(project.tables):
        new, note, problem = _primary_key(ti, table, untyped)
        tables.append(_generated_keys_optional(new))
        if note:
            notes.append(note)
        if problem:
            problems.append(problem)
        if len(new.fields) > len(table.fields):
            prepended.add(ti)
    prefix = api_prefix(project.options.api_prefix)
    endpoints = []
    for ei, endpoint in enumerate(project.endpoints):
        path, stripped = endpoint_path(endpoint.path, prefix)
        if stripped:
            notes.append(Note(f"endpoints[{ei}]", f"({endpoint.path}) starts with the API prefix "
                                                  f"{prefix}: stored as {path}"))
        endpoints.append(endpoint if path == endpoint.path
                         else endpoint.model_copy(update={"path": path}))
    options = project.options
    if prefix != options.api_prefix:
        if prefix != _plain_prefix(options.api_prefix):
            notes.append(Note("options.api_prefix", f"({options.api_prefix!r}) has characters "
                                                    f"a URL path cannot hold: stored as {prefix}"))
        options = options.model_copy(update={"api_prefix": prefix})
    normalized = project.model_copy(update={"tables": tuple(tables), "options": options,
                                            "endpoints": tuple(endpoints)})
    return Normalized(normalized, tuple(notes), tuple(problems), frozenset(prepended))


def _primary_key(ti: int, table: Table, untyped: frozenset[tuple[int, str]]
                 ) -> tuple[Table, Note | None, Problem | None]:
    if table.primary_key:
        return table, None, None
    label = f"({table.name}) has no primary key"
    auto = [f for f in table.fields if f.auto_increment]
    if len(auto) == 1:
        note = f"{label}: made its auto-increment field '{auto[0].name}' the primary key"
        return _promote(table, auto[0]), Note(f"tables[{ti}]", note), None
    fi, id_field = next(((i, f) for i, f in enumerate(table.fields)
                         if sql_identifier(f.name) == "id"), (None, None))
    if id_field is None:
        new_id = Field(name="id", type=FieldType.BIGINT, primary_key=True, auto_increment=True)
        added = table.model_copy(update={"fields": (new_id, *table.fields)})
        note = f"{label}: added an 'id' column (bigint, auto increment)"
        return added, Note(f"tables[{ti}]", note), None
    if id_field.type in PK_TYPES or (ti, id_field.name) in untyped:
        note = f"{label}: made its field '{id_field.name}' the primary key"
        return _promote(table, id_field), Note(f"tables[{ti}]", note), None
    problem = Problem(
        f"tables[{ti}].fields[{fi}].type",
        f"table '{table.name}' has no primary key and its field '{id_field.name}' has type "
        f"{id_field.type.value}, which cannot be a primary key",
        "mark a primary key (primary_key: true) or give 'id' a type such as uuid or bigint")
    return table, None, problem


def _generated_keys_optional(table: Table) -> Table:
    if not any(f.generated and f.required for f in table.fields):
        return table
    fields = tuple(f.model_copy(update={"required": False}) if f.generated and f.required else f
                   for f in table.fields)
    return table.model_copy(update={"fields": fields})


def _promote(table: Table, key: Field) -> Table:
    promoted = key.model_copy(update={"primary_key": True, "unique": False})
    fields = tuple(promoted if f is key else f for f in table.fields)
    return table.model_copy(update={"fields": fields})


def _plain_prefix(prefix: str) -> str:
    """The prefix with only its slashes normalized (what a friendly spec means)."""
    segments = [s for s in prefix.strip().split("/") if s]
    return "/" + "/".join(segments) if segments else ""


_URL_SEGMENT = re.compile(r"^[A-Za-z0-9._~-]+$")


def api_prefix(prefix: str) -> str:
    """`api/v1/` -> `/api/v1`; `/` or blank -> `` (no prefix). A segment with characters
    outside the URL-safe set (spaces, quotes, `$(...)`) is rewritten as a kebab-case
    segment: the prefix lands in code, shell examples and docs."""
    segments = [s if _URL_SEGMENT.match(s) else url_segment(s)
                for s in prefix.strip().split("/") if s]
    return "/" + "/".join(segments) if segments else ""


def endpoint_path(path: str, prefix: str) -> tuple[str, bool]:
    """The canonical path relative to the API prefix, and whether the prefix was removed."""
    segments = [_param(s) for s in path.strip().split("/") if s]
    head = [s for s in prefix.split("/") if s]
    stripped = bool(head) and segments[: len(head)] == head
    if stripped:
        segments = segments[len(head):]
    return "/" + "/".join(segments), stripped


def _param(segment: str) -> str:
    """Express style `:id` -> OpenAPI style `{id}`."""
    return f"{{{segment[1:]}}}" if segment.startswith(":") and len(segment) > 1 else segment


def endpoint_shape(path: str) -> str:
    """The route shape two paths share when they match the same requests: `/posts/{}`."""
    return "/".join("{}" if s.startswith("{") and s.endswith("}") else s
                    for s in path.split("/"))

