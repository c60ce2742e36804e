"""A PostgreSQL database's structure as comparable sets, in more detail than the
import tests need: column types, nullability, defaults and identity; every
constraint by name with its definition (keys, uniques, checks, foreign keys with
their actions and deferrability); every index by name with its definition; and
table and column comments. Column order is left out: ADD COLUMN appends."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass

_COLUMNS = """
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       COALESCE(pg_get_expr(d.adbin, d.adrelid), ''), a.attidentity,
       COALESCE(col_description(c.oid, a.attnum), '')
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
"""
_CONSTRAINTS = """
SELECT c.relname, con.conname, pg_get_constraintdef(con.oid)
FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = con.connamespace
WHERE n.nspname = 'public'
"""
_INDEXES = "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
_TABLES = """
SELECT c.relname, COALESCE(obj_description(c.oid, 'pg_class'), '')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'r'
"""


@dataclass(frozen=True)
class Catalog:
    tables: frozenset[tuple[str, ...]]  # name, comment
    columns: frozenset[tuple[str, ...]]  # table, column, type, not null, default, identity, comment
    constraints: frozenset[tuple[str, ...]]  # table, name, definition
    indexes: frozenset[tuple[str, ...]]  # table, name, definition

    def differences(self, other: Catalog) -> dict[str, tuple[list, list]]:
        """Per part: (only in self, only in other); empty when equal."""
        out = {}
        for part in ("tables", "columns", "constraints", "indexes"):
            mine, theirs = getattr(self, part), getattr(other, part)
            if mine != theirs:
                out[part] = (sorted(mine - theirs), sorted(theirs - mine))
        return out


def _rows(url: str, sql: str) -> frozenset[tuple[str, ...]]:
    out = subprocess.run(["psql", url, "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                          "-c", sql], capture_output=True, text=True, check=True, timeout=60)
    return frozenset(tuple(line.split("\t")) for line in out.stdout.splitlines() if line)


def read_catalog(url: str) -> Catalog:
    return Catalog(_rows(url, _TABLES), _rows(url, _COLUMNS), _rows(url, _CONSTRAINTS),
                   _rows(url, _INDEXES))


def run_sql(url: str, sql: str) -> None:
    """Run a script in one transaction (as the generated migrate runner does); raises
    CalledProcessError (with psql's message in .stderr) at the first error."""
    subprocess.run(["psql", url, "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-f", "-"],
                   input=sql, capture_output=True, text=True, check=True, timeout=300)


def scalar(url: str, sql: str) -> str:
    out = subprocess.run(["psql", url, "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                         capture_output=True, text=True, check=True, timeout=60)
    return out.stdout.strip()
