"""Size limits a spec must respect, checked at load (exit 2 naming the place and the limit).

Two kinds of numbers live here:

- PostgreSQL's own hard limits, so a spec that loads also migrates: 1,600 columns per
  table (counting the columns backforge adds: a generated `id`, `created_at` and
  `updated_at`), varchar(n) with n <= 10,485,760, numeric precision <= 1,000, names of
  at most 63 bytes where a name is used verbatim (index and constraint names).
- Sanity caps, chosen far above any real schema so they only stop size bombs: the
  largest schema in the real-world corpus (OpenStreetMap) has 57 tables, 393 fields and
  34 columns in its widest table, and its CHECKs and index predicates are a few tokens.
  The caps are 1,000 tables, 20,000 fields in all, a 16 MiB spec file, 255 characters
  per table or field name, and per raw SQL fragment (CHECK, partial-index predicate,
  db_type) 10,000 characters, 2,000 tokens, 32 levels of parentheses and a parse tree
  100 levels deep. The last two keep sqlglot's recursive parser and printer far from
  Python's recursion limit, so a CHECK of 5,000 ANDs is a clean exit 2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from backforge.spec.problems import Problem

if TYPE_CHECKING:  # model.py imports the constants below
    from backforge.spec.model import Project

PG_MAX_COLUMNS = 1_600
PG_MAX_VARCHAR_LENGTH = 10_485_760
PG_MAX_NUMERIC_PRECISION = 1_000
PG_MAX_NAME_BYTES = 63

MAX_TABLES = 1_000
MAX_TOTAL_FIELDS = 20_000
MAX_SPEC_BYTES = 16 * 1024 * 1024
MAX_NAME_CHARS = 255

MAX_SQL_CHARS = 10_000
MAX_SQL_TOKENS = 2_000
MAX_SQL_PAREN_DEPTH = 32
MAX_SQL_TREE_DEPTH = 100


def check_document(data: dict[str, Any]) -> list[Problem]:
    """Counts on the raw, native-shaped data: before pydantic builds a size bomb's objects."""
    tables = data.get("tables")
    if not isinstance(tables, list):
        return []
    if len(tables) > MAX_TABLES:
        return [Problem("tables", f"{len(tables):,} tables exceed the limit of {MAX_TABLES:,} "
                        "per spec", "split the design into several projects")]
    problems = []
    total = 0
    for ti, table in enumerate(tables):
        fields = table.get("fields") if isinstance(table, dict) else None
        if not isinstance(fields, list):
            continue
        total += len(fields)
        if len(fields) > PG_MAX_COLUMNS:
            problems.append(Problem(f"tables[{ti}].fields", f"{len(fields):,} fields exceed "
                                    f"PostgreSQL's limit of {PG_MAX_COLUMNS:,} columns per table",
                                    "split the table"))
    if total > MAX_TOTAL_FIELDS and not problems:
        problems.append(Problem("tables", f"{total:,} fields in all exceed the limit of "
                                f"{MAX_TOTAL_FIELDS:,} per spec",
                                "split the design into several projects"))
    return problems


def check_project(project: Project) -> list[Problem]:
    """Limits that need the normalized project: generated columns and name lengths."""
    problems = []
    for ti, table in enumerate(project.tables):
        if len(table.name) > MAX_NAME_CHARS:
            problems.append(_long_name(f"tables[{ti}].name", len(table.name)))
        columns = len(table.fields) + (2 if table.timestamps else 0)
        if not table.primary_key:
            columns += 1  # the stacks add a uuid key to a table that has none
        if columns > PG_MAX_COLUMNS:
            problems.append(Problem(f"tables[{ti}].fields", f"{columns:,} columns (with the "
                                    "generated id/created_at/updated_at) exceed PostgreSQL's "
                                    f"limit of {PG_MAX_COLUMNS:,} per table", "split the table"))
        for fi, field in enumerate(table.fields):
            if len(field.name) > MAX_NAME_CHARS:
                problems.append(_long_name(f"tables[{ti}].fields[{fi}].name", len(field.name)))
        named = [(f"indexes[{i}]", x.name) for i, x in enumerate(table.indexes)]
        named += [(f"foreign_keys[{i}]", x.name) for i, x in enumerate(table.foreign_keys)]
        for where, name in named:
            if name is not None and len(name.encode()) > PG_MAX_NAME_BYTES:
                problems.append(Problem(f"tables[{ti}].{where}.name", f"the name is "
                                        f"{len(name.encode())} bytes long; PostgreSQL keeps "
                                        f"{PG_MAX_NAME_BYTES} bytes of a name", "shorten it"))
    return problems


def _long_name(where: str, length: int) -> Problem:
    return Problem(where, f"the name is {length:,} characters long; the limit is "
                          f"{MAX_NAME_CHARS}", "shorten it")
