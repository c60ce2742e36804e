"""Resolve every table and field name of a project into safe identifiers.

`resolve(project)` gives, per table and field, the SQL name, the JS/API
property name and the URL segment, raises SpecError when two names collide
after sanitizing, and lists every rename so the report can show it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from backforge.errors import SpecError
from backforge.spec.model import Project, Table
from backforge.spec.naming import (
    JS_PROTOTYPE_KEYS,
    JS_RESERVED,
    SQL_MAX_BYTES,
    js_identifier,
    kebab,
    pascal,
    singular,
    snake,
    sql_identifier,
    url_segment,
)
from backforge.spec.problems import Problem, render_all


@dataclass(frozen=True)
class Rename:
    where: str  # "tables[2].fields[1]"
    original: str
    renamed: str
    target: str  # "sql" | "js" | "url"
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: '{self.original}' -> '{self.renamed}' ({self.target}: {self.reason})"


@dataclass(frozen=True)
class FieldNames:
    name: str  # the user's name, as in the spec
    sql: str  # column name (always double-quoted in SQL)
    prop: str  # property name in the API and in JS objects


@dataclass(frozen=True)
class TableNames:
    name: str  # the user's name
    sql: str  # table name
    url: str  # plural URL segment, kebab-case
    file: str  # file stem, kebab-case
    singular: str  # PascalCase singular, e.g. OrderItem
    plural: str  # PascalCase plural, e.g. OrderItems
    fields: Mapping[str, FieldNames]


@dataclass(frozen=True)
class Names:
    tables: Mapping[str, TableNames]
    renames: tuple[Rename, ...]

    def table(self, name: str) -> TableNames:
        return self.tables[name]

    def field(self, table: str, field: str) -> FieldNames:
        return self.tables[table].fields[field]


def _reason(original: str, renamed: str, target: str) -> str:
    if target == "js" and (original in JS_RESERVED or original in JS_PROTOTYPE_KEYS):
        return "JavaScript reserved word or prototype key"
    if target == "sql" and len(snake(original).encode()) > SQL_MAX_BYTES:
        return "longer than 63 bytes: truncated with a hash suffix"
    if not original.isascii():
        return "non-ASCII letters"
    if original[:1].isdigit():
        return "starts with a digit"
    if any(not (c.isalnum() or c == "_") for c in original):
        return "spaces or punctuation"
    return "snake_case for SQL" if target == "sql" else "naming convention"


# (index in its list, the user's name, the safe identifier it becomes)
_Named = tuple[int, str, str]


def _collisions(items: list[_Named], what: str, where: Callable[[int], str],
                reported: set[frozenset[int]]) -> list[Problem]:
    """One problem per group of different names that become the same identifier."""
    if len({safe for _, _, safe in items}) == len(items):
        return []  # the common case: every identifier is distinct
    groups: dict[str, list[_Named]] = {}
    for item in items:
        groups.setdefault(item[2], []).append(item)
    problems = []
    for safe, group in groups.items():
        indices = frozenset(index for index, _, _ in group)
        if len({original for _, original, _ in group}) < 2 or indices in reported:
            continue  # identical names are duplicates, which checks.py reports
        reported.add(indices)
        listed = " and ".join(f"'{original}' ({where(index)})" for index, original, _ in group)
        verb = "both become" if len(group) == 2 else "all become"
        problems.append(Problem(f"{where(group[-1][0])}.name",
                                f"{listed} {verb} the {what} '{safe}'",
                                "rename one of them"))
    return problems


def _field_names(ti: int, table: Table) -> tuple[dict[str, FieldNames], list[Rename],
                                                 list[Problem]]:
    fields: dict[str, FieldNames] = {}
    renames: list[Rename] = []
    sqls: list[_Named] = []
    props: list[_Named] = []
    for fi, field in enumerate(table.fields):
        fn = FieldNames(field.name, sql_identifier(field.name), js_identifier(field.name))
        fields.setdefault(field.name, fn)
        sqls.append((fi, field.name, fn.sql))
        props.append((fi, field.name, fn.prop))
        for target, value in (("sql", fn.sql), ("js", fn.prop)):
            if value != field.name:
                renames.append(Rename(f"tables[{ti}].fields[{fi}]", field.name, value, target,
                                      _reason(field.name, value, target)))
    reported: set[frozenset[int]] = set()

    def where(fi: int) -> str:
        return f"tables[{ti}].fields[{fi}]"

    problems = _collisions(sqls, "SQL column name", where, reported)
    problems += _collisions(props, "API property name", where, reported)
    return fields, renames, problems


def _table_names(table: Table, fields: dict[str, FieldNames]) -> TableNames:
    singular_name = _js_type_name(pascal(singular(table.name))) or "Item"
    plural_name = _js_type_name(pascal(table.name)) or "Items"
    if singular_name == plural_name:
        # "news", "series": keep list/get function names distinct.
        plural_name = f"{plural_name}List"
    return TableNames(
        name=table.name,
        sql=sql_identifier(table.name),
        url=url_segment(table.name),
        file=kebab(table.name) or "table",
        singular=singular_name,
        plural=plural_name,
        fields=MappingProxyType(fields),
    )


def _js_type_name(name: str) -> str:
    """PascalCase names become parts of identifiers; they must not start with a digit."""
    return f"T{name}" if name[:1].isdigit() else name


def resolve_with_problems(project: Project) -> tuple[Names, list[Problem]]:
    """Names for every table and field, plus every collision found (not raised)."""
    renames: list[Rename] = []
    problems: list[Problem] = []
    tables: dict[str, TableNames] = {}
    sqls: list[_Named] = []
    urls: list[_Named] = []
    types: list[_Named] = []
    for ti, table in enumerate(project.tables):
        fields, field_renames, field_problems = _field_names(ti, table)
        renames += field_renames
        problems += field_problems
        tn = _table_names(table, fields)
        tables.setdefault(table.name, tn)
        sqls.append((ti, table.name, tn.sql))
        urls.append((ti, table.name, tn.url))
        types.append((ti, table.name, tn.singular))
        if tn.sql != table.name:
            renames.append(Rename(f"tables[{ti}]", table.name, tn.sql, "sql",
                                  _reason(table.name, tn.sql, "sql")))
        if tn.url != table.name.replace("_", "-"):
            renames.append(Rename(f"tables[{ti}]", table.name, tn.url, "url",
                                  _reason(table.name, tn.url, "url")))
    reported: set[frozenset[int]] = set()

    def where(ti: int) -> str:
        return f"tables[{ti}]"

    problems += _collisions(sqls, "SQL table name", where, reported)
    problems += _collisions(urls, "URL path and file name", where, reported)
    problems += _collisions(types, "JavaScript name", where, reported)
    return Names(MappingProxyType(tables), tuple(renames)), problems


def resolve(project: Project) -> Names:
    """Names for every table and field; SpecError when names collide after sanitizing."""
    names, problems = resolve_with_problems(project)
    if problems:
        raise SpecError(render_all(problems))
    return names
