"""Read a PostgreSQL database's structure into comparable sets (for the import tests).

Partitions are folded into their parent (their foreign keys and unique indexes
are the parent's); enum-typed columns read as `text` (backforge migrates an
enum as text with a CHECK) and domain-typed columns as their base type.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass

_COLUMNS = """
SELECT c.relname, a.attname,
       CASE WHEN t.typtype = 'e' THEN 'text'
            WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod)
            ELSE format_type(a.atttypid, a.atttypmod) END,
       a.attnotnull
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND a.attnum > 0 AND NOT a.attisdropped
"""
# A partition's constraints and indexes count as its parent's.
_OWNER = """COALESCE((SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
                      WHERE i.inhrelid = {rel}), (SELECT relname FROM pg_class WHERE oid = {rel}))"""
_KEYS = f"""
SELECT {_OWNER.format(rel='con.conrelid')}, con.contype,
       (SELECT string_agg(a.attname, ',' ORDER BY k.i) FROM unnest(con.conkey) WITH ORDINALITY
          k(n, i) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n),
       COALESCE((SELECT relname FROM pg_class WHERE oid = con.confrelid), ''),
       COALESCE((SELECT string_agg(a.attname, ',' ORDER BY k.i) FROM unnest(con.confkey)
          WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.confrelid
          AND a.attnum = k.n), '')
FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
WHERE n.nspname = 'public' AND con.contype IN ('p', 'f') AND con.conparentid = 0
"""
_UNIQUE = f"""
SELECT {_OWNER.format(rel='x.indrelid')},
       (SELECT string_agg(a.attname, ',' ORDER BY k.i) FROM unnest(x.indkey::int2[])
          WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = x.indrelid
          AND a.attnum = k.n)
FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND x.indisunique AND NOT x.indisprimary AND x.indpred IS NULL
"""


@dataclass(frozen=True)
class Catalog:
    columns: frozenset[tuple[str, str, str, bool]]  # table, column, type, not null
    primary_keys: frozenset[tuple[str, str]]  # table, "a,b"
    foreign_keys: frozenset[tuple[str, str, str, str]]  # table, "a,b", target, "x,y"
    unique: frozenset[tuple[str, str]]  # table, "a,b" (constraints and unique indexes)

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(c[0] for c in self.columns)


def _rows(url: str, sql: str) -> list[list[str]]:
    out = subprocess.run(["psql", url, "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                          "-c", sql], capture_output=True, text=True, check=True, timeout=60)
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def read_catalog(url: str) -> Catalog:
    columns = frozenset((t, c, ty, nn == "t") for t, c, ty, nn in _rows(url, _COLUMNS))
    keys = _rows(url, _KEYS)
    pks = frozenset((t, cols) for t, kind, cols, _, _ in keys if kind == "p")
    fks = frozenset((t, cols, rt, rc) for t, kind, cols, rt, rc in keys if kind == "f")
    unique = frozenset((t, cols) for t, cols in _rows(url, _UNIQUE))
    return Catalog(columns, pks, fks, unique)


def run_sql(url: str, sql: str) -> None:
    """Run a script with psql, stopping at the first error (CalledProcessError says which)."""
    subprocess.run(["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-"], input=sql,
                   capture_output=True, text=True, check=True, timeout=300)


def create_database(url: str, name: str) -> str:
    """A fresh database on the same server; returns its URL."""
    run_sql(url, f'CREATE DATABASE "{name}";')
    return url.rsplit("/", 1)[0] + "/" + name
