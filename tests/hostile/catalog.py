"""Every object a migration could have left in a database, as (kind, name, owner) rows.

Relations (tables, indexes, sequences, views...), constraints, and the objects a
schema-to-backend migration never needs: user types, functions, triggers, rules,
policies, extensions, schemas, event triggers, publications. An index or constraint is
owned by its table, a sequence by the table whose column it feeds (identity or
serial); anything else has no owner. Roles are cluster-wide: `roles()` reads them apart.
"""

from __future__ import annotations

import subprocess

_USER_NS = ("SELECT oid FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', "
            "'information_schema', 'pg_toast') AND nspname !~ '^pg_(toast_)?temp_'")
OBJECTS = f"""
SELECT 'rel:' || c.relkind::text, c.relname, COALESCE(
  CASE WHEN c.relkind IN ('r', 'p') THEN c.relname END,
  (SELECT t.relname FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid
   WHERE x.indexrelid = c.oid),
  (SELECT t.relname FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid
   WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
     AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') LIMIT 1), '')
FROM pg_class c WHERE c.relnamespace IN ({_USER_NS})
UNION ALL
SELECT 'constraint:' || con.contype::text, con.conname, COALESCE(t.relname, '')
FROM pg_constraint con LEFT JOIN pg_class t ON t.oid = con.conrelid
WHERE con.connamespace IN ({_USER_NS})
UNION ALL
SELECT 'type:' || typtype::text, typname, '' FROM pg_type
WHERE typnamespace IN ({_USER_NS}) AND typrelid = 0 AND typcategory <> 'A'
UNION ALL
SELECT 'function:' || prokind::text, proname, '' FROM pg_proc WHERE pronamespace IN ({_USER_NS})
UNION ALL
SELECT 'trigger', tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal
UNION ALL
SELECT 'rule', rulename, ev_class::regclass::text FROM pg_rewrite
WHERE rulename <> '_RETURN' AND ev_class IN (SELECT oid FROM pg_class
                                             WHERE relnamespace IN ({_USER_NS}))
UNION ALL
SELECT 'policy', polname, polrelid::regclass::text FROM pg_policy
UNION ALL
SELECT 'extension', extname, '' FROM pg_extension WHERE extname <> 'plpgsql'
UNION ALL
SELECT 'schema', nspname, '' FROM pg_namespace WHERE oid IN ({_USER_NS}) AND nspname <> 'public'
UNION ALL
SELECT 'event-trigger', evtname, '' FROM pg_event_trigger
UNION ALL
SELECT 'publication', pubname, '' FROM pg_publication
UNION ALL
SELECT 'operator', oprname, '' FROM pg_operator WHERE oprnamespace IN ({_USER_NS})
"""


def _rows(url: str, sql: str) -> list[tuple[str, ...]]:
    out = subprocess.run(["psql", url, "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                          "-c", sql], capture_output=True, text=True, check=False, timeout=60)
    if out.returncode:
        raise RuntimeError(f"catalog query failed: {out.stderr}")
    return sorted(tuple(line.split("\t")) for line in out.stdout.splitlines() if line)


def objects(url: str) -> list[tuple[str, str, str]]:
    """(kind, name, owning table or '') of every object outside the system schemas."""
    return [(kind, name, owner) for kind, name, owner in _rows(url, OBJECTS)]


def roles(url: str) -> list[tuple[str, ...]]:
    return _rows(url, "SELECT rolname FROM pg_roles")
