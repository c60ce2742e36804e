"""The native format: the Project model as YAML or JSON.

The only liberties taken with the model are the ones every loader allows:
SQL-ish type spellings (`VARCHAR(120)`, `serial`) and lower-case HTTP methods.
Anything structurally odd is left untouched for validation to report.
"""

from __future__ import annotations

from typing import Any

from backforge.spec.loaders.common import Converted, method, typed_field
from backforge.spec.problems import Problem


class NativeLoader:
    name = "native"

    def detect(self, data: dict[str, Any]) -> bool:
        return "tables" in data or "schema" not in data

    def convert(self, data: dict[str, Any]) -> Converted:
        out = dict(data)
        problems: list[Problem] = []
        untyped: set[tuple[int, int]] = set()
        tables = data.get("tables")
        if isinstance(tables, list):
            out["tables"] = [self._table(ti, t, problems, untyped) for ti, t in enumerate(tables)]
        endpoints = data.get("endpoints")
        if isinstance(endpoints, list):
            out["endpoints"] = [
                {**e, "method": method(e["method"])} if isinstance(e, dict) and "method" in e
                else e for e in endpoints]
        return Converted(out, problems=tuple(problems), untyped=frozenset(untyped))

    @staticmethod
    def _table(ti: int, table: Any, problems: list[Problem],
               untyped: set[tuple[int, int]]) -> Any:
        if not isinstance(table, dict) or not isinstance(table.get("fields"), list):
            return table
        fields = []
        for fi, raw in enumerate(table["fields"]):
            if not isinstance(raw, dict):
                fields.append(raw)
                continue
            field, problem, unknown = typed_field(raw, f"tables[{ti}].fields[{fi}]")
            fields.append(field)
            if problem:
                problems.append(problem)
            if unknown:
                untyped.add((ti, fi))
        return {**table, "fields": fields}


LOADER = NativeLoader()
