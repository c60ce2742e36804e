"""Resolve every table and field name of a project into safe identifiers.

`resolve(project)` gives, per table and field, the SQL name, the JS/API
property name and the URL segment, raises SpecError when two names collide
after sanitizing, and lists every rename so the report can show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from backforge.errors import SpecError
from backforge.spec.model import Project
from backforge.spec.naming import (
    js_identifier,
    kebab,
    pascal,
    singular,
    sql_identifier,
    url_segment,
)


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


def _reason(original: str, renamed: str) -> str:
    if not original.isascii():
        return "non-ASCII letters"
    if len(original.encode()) > 63 and len(renamed.encode()) <= 63:
        return "longer than 63 bytes"
    if renamed.endswith("Value") and not original.endswith("Value"):
        return "reserved word or JavaScript prototype key"
    if " " in original or "-" in original:
        return "spaces or punctuation"
    return "naming convention"


def _collisions(kind: str, where: str, names: dict[str, list[str]]) -> list[str]:
    problems = []
    for safe, originals in names.items():
        if len(originals) > 1:
            joined = ", ".join(repr(o) for o in originals)
            problems.append(f"{where}: {kind} names {joined} all become '{safe}'; rename one of them")
    return problems


def resolve(project: Project) -> Names:
    renames: list[Rename] = []
    problems: list[str] = []
    tables: dict[str, TableNames] = {}
    by_sql: dict[str, list[str]] = {}
    by_url: dict[str, list[str]] = {}
    for ti, table in enumerate(project.tables):
        where = f"tables[{ti}]"
        fields: dict[str, FieldNames] = {}
        f_sql: dict[str, list[str]] = {}
        f_prop: dict[str, list[str]] = {}
        for fi, field in enumerate(table.fields):
            fn = FieldNames(field.name, sql_identifier(field.name), js_identifier(field.name))
            fields[field.name] = fn
            f_sql.setdefault(fn.sql, []).append(field.name)
            f_prop.setdefault(fn.prop, []).append(field.name)
            for target, value in (("sql", fn.sql), ("js", fn.prop)):
                if value != field.name:
                    renames.append(Rename(f"{where}.fields[{fi}]", field.name, value, target,
                                          _reason(field.name, value)))
        problems += _collisions("field", f"{where}.fields", f_sql)
        problems += _collisions("field", f"{where}.fields", {k: v for k, v in f_prop.items()
                                                             if k not in f_sql})
        tn = TableNames(
            name=table.name,
            sql=sql_identifier(table.name),
            url=url_segment(table.name),
            file=kebab(table.name) or "table",
            singular=pascal(singular(table.name)) or "Item",
            plural=pascal(table.name) or "Items",
            fields=MappingProxyType(fields),
        )
        if tn.singular == tn.plural:
            # "news", "series": keep list/get function names distinct.
            tn = TableNames(**{**tn.__dict__, "plural": f"{tn.plural}List"})
        tables[table.name] = tn
        by_sql.setdefault(tn.sql, []).append(table.name)
        by_url.setdefault(tn.url, []).append(table.name)
        if tn.sql != table.name:
            renames.append(Rename(where, table.name, tn.sql, "sql", _reason(table.name, tn.sql)))
        if tn.url != table.name.replace("_", "-"):
            renames.append(Rename(where, table.name, tn.url, "url", _reason(table.name, tn.url)))
    problems += _collisions("table", "tables", by_sql)
    problems += _collisions("table", "tables", {k: v for k, v in by_url.items()
                                                if k not in by_sql})
    if problems:
        raise SpecError(problems)
    return Names(MappingProxyType(tables), tuple(renames))
