"""SQL files (migrations, seeds) in the PostgreSQL dialect, parsed with sqlglot.

A parse records the first syntax problem and, for a file that parses, what it
defines (tables and columns, types, constraint and index names) and every table
or column it names (foreign keys, indexes, constraints, INSERT columns,
comments, drops): see `sql_parse`. sqlglot is imported on first use.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Collection, Sequence

from backforge.validate.model import ParsedFile, SqlFragment, SqlSchemaFacts

_CREATE_TABLE = re.compile(r"(?i)\bCREATE\s+TABLE\b")
_FIELDS = ("tables", "refs", "types_defined", "types_used", "names")


def embedded_schema(fragments: Sequence[SqlFragment]) -> SqlSchemaFacts | None:
    """The tables that CREATE TABLE statements held in a source file's strings define
    (e.g. a migration runner's bookkeeping table); None when there are none."""
    found = [f for f in fragments if _CREATE_TABLE.search(f.text)]
    if not found:
        return None
    from backforge.validate.languages.sql_parse import parse_sql, schema_facts

    facts: list[SqlSchemaFacts] = []
    for fragment in found:
        # Padding with the lines above keeps sqlglot's line numbers those of the file.
        padded = "\n" * (fragment.line - 1) + fragment.text.replace("?", "NULL")
        statements, problem = parse_sql(padded)
        if problem is None:
            facts.append(schema_facts(statements))
    if not facts:
        return None
    return SqlSchemaFacts(*(tuple(x for f in facts for x in getattr(f, name))
                            for name in _FIELDS))


class SqlLanguage:
    name = "sql"
    suffixes = (".sql",)
    syntax_rule = "sql-syntax"

    def handles(self, path: str) -> bool:
        return path.endswith(self.suffixes)

    def warm_up(self) -> None:
        """Import sqlglot now (the registry calls this before a parallel parse)."""
        importlib.import_module("backforge.validate.languages.sql_parse")

    def parse(self, path: str, source: str) -> ParsedFile:
        from backforge.validate.languages.sql_parse import parse_sql, schema_facts

        statements, problem = parse_sql(source)
        schema = schema_facts(statements) if problem is None else None
        return ParsedFile(path, self.name, (problem,) if problem else (), opaque_exports=True,
                          schema=schema)

    def resolve(self, from_path: str, specifier: str,
                known_paths: Collection[str]) -> str | None:
        return None  # SQL files import nothing

    def is_builtin(self, specifier: str) -> bool:
        return False

    def package_of(self, specifier: str) -> str | None:
        return None
