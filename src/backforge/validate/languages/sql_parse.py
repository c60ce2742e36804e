"""Parsing SQL with sqlglot (PostgreSQL dialect): syntax problems and schema facts.

Imported only when SQL is actually parsed (sqlglot takes a fifth of a second to
import). Besides syntax, a parse records what the file defines (tables and their columns,
types, constraint and index names) and every table or column it names elsewhere
(foreign keys, indexes, constraints, INSERT column lists, comments, drops), so a
rule can check the names across all migrations. Names follow PostgreSQL: quoted
identifiers keep their case, unquoted ones fold to lower case.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from backforge.validate.model import SqlRef, SqlSchemaFacts, SyntaxProblem, TableDef

# sqlglot logs a warning for every statement it keeps as an opaque Command; that is
# this module's decision to judge (see _command_problem), not something to print.
logging.getLogger("sqlglot").setLevel(logging.ERROR)

# Statements sqlglot keeps as a Command that PostgreSQL accepts: first word, and for
# CREATE/ALTER/DROP the object kind that follows (OR REPLACE, UNIQUE, ... skipped).
_COMMANDS = frozenset({
    "DO", "GRANT", "REVOKE", "SET", "RESET", "ANALYZE", "VACUUM", "LOCK", "NOTIFY", "LISTEN",
    "UNLISTEN", "COPY", "TRUNCATE", "REFRESH", "REINDEX", "CLUSTER", "DISCARD", "SECURITY",
    "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "START", "END", "CALL", "EXPLAIN",
    "IMPORT", "LOAD", "REASSIGN", "CHECKPOINT", "PREPARE", "EXECUTE", "DEALLOCATE", "SHOW",
})
_OBJECT_COMMANDS = frozenset({"CREATE", "ALTER", "DROP", "COMMENT"})
_OBJECT_KINDS = frozenset({
    "ACCESS", "AGGREGATE", "CAST", "COLLATION", "CONVERSION", "DATABASE", "DEFAULT", "DOMAIN",
    "EVENT", "EXTENSION", "FOREIGN", "FUNCTION", "GROUP", "INDEX", "LANGUAGE", "MATERIALIZED",
    "OPERATOR", "POLICY", "PROCEDURE", "PUBLICATION", "ROLE", "ROUTINE", "RULE", "SCHEMA",
    "SEQUENCE", "SERVER", "STATISTICS", "SUBSCRIPTION", "SYSTEM", "TABLE", "TABLESPACE", "TEXT",
    "TRANSFORM", "TRIGGER", "TYPE", "USER", "VIEW", "CONSTRAINT", "ON", "OWNED", "UNLOGGED",
    "TEMP", "TEMPORARY", "RECURSIVE", "LARGE",
})
_MODIFIERS = frozenset({"OR", "REPLACE", "UNIQUE", "CONCURRENTLY", "IF", "NOT", "EXISTS",
                        "TRUSTED", "PROCEDURAL", "GLOBAL", "LOCAL"})
_WORD = re.compile(r"[A-Za-z_]+")
# Identifiers under these are about another query's scope: not attributed to a table.
_SCOPED = (exp.Select, exp.Subquery, exp.CTE, exp.Values)


def name_of(ident: exp.Identifier) -> str:
    return ident.name if ident.quoted else ident.name.lower()


def _line(node: exp.Expression) -> int:
    meta = node.meta if isinstance(node, exp.Identifier) else {}
    return int(meta.get("line", 0) or 0)


def _first_line(stmt: exp.Expression) -> int:
    return next((ln for ident in stmt.find_all(exp.Identifier) if (ln := _line(ident))), 0)


class _Facts:
    def __init__(self) -> None:
        self.tables: dict[str, TableDef] = {}
        self.refs: list[SqlRef] = []
        self.types_defined: list[str] = []
        self.types_used: list[tuple[str, int]] = []
        self.names: list[str] = []
        self.dropped: list[SqlRef] = []
        self.renamed: list[tuple[str, str]] = []

    def define(self, table: str, column: str | None, line: int) -> None:
        known = self.tables.get(table) or TableDef(table, (), line)
        if column is not None and column not in known.columns:
            known = TableDef(table, (*known.columns, column), known.line)
        self.tables[table] = known

    def result(self) -> SqlSchemaFacts:
        return SqlSchemaFacts(tuple(self.tables.values()), tuple(self.refs),
                              tuple(self.types_defined), tuple(self.types_used),
                              tuple(self.names), tuple(self.dropped), tuple(self.renamed))


def _own_table(stmt: exp.Expression) -> exp.Table | None:
    if isinstance(stmt, exp.Create):
        target = stmt.this
        if isinstance(target, exp.Schema):
            target = target.this
        if isinstance(target, exp.Index):
            target = target.args.get("table")
        return target if isinstance(target, exp.Table) else None
    if isinstance(stmt, (exp.Alter, exp.Insert)):
        target = stmt.this
        target = target.this if isinstance(target, exp.Schema) else target
        return target if isinstance(target, exp.Table) else None
    return None


def _context(stmt: exp.Expression) -> str:
    if isinstance(stmt, exp.Insert):
        return "insert"
    if isinstance(stmt, exp.Create) and str(stmt.args.get("kind", "")).upper() == "INDEX":
        return "index"
    if isinstance(stmt, exp.Drop):
        return "drop"
    if isinstance(stmt, exp.Comment):
        return "comment"
    return "constraint" if isinstance(stmt, exp.Create) else "alter table"


def _identifiers(stmt: exp.Expression) -> Iterator[exp.Identifier]:
    for ident in stmt.find_all(exp.Identifier):
        if ident.find_ancestor(*_SCOPED) is None:
            yield ident


def _record(ident: exp.Identifier, stmt: exp.Expression, own: str | None,
            facts: _Facts) -> None:
    """File one identifier of a statement as a definition, a name, or a reference."""
    parent, key, name, line = ident.parent, ident.arg_key, name_of(ident), _line(ident)
    grand = parent.parent if parent is not None else None
    if isinstance(parent, exp.Table):
        if key != "this" or isinstance(grand, exp.Opclass):
            return  # a schema or catalog qualifier, or an operator class (inet_ops)
        if isinstance(grand, exp.AlterRename):
            return  # ALTER TABLE ... RENAME TO: the new name (see _removals)
        if isinstance(grand, exp.Drop) and str(grand.args.get("kind", "")).upper() == \
                "CONSTRAINT":
            return  # ALTER TABLE ... DROP CONSTRAINT: sqlglot holds the name as a table
        context = "foreign key" if isinstance(grand, exp.Schema) and isinstance(
            grand.parent, exp.Reference) else _context(stmt)
        if name != own or context == "foreign key":
            facts.refs.append(SqlRef(name, None, line, context))
    elif isinstance(grand, exp.Reference) and isinstance(parent, exp.Schema):
        target = parent.this
        if isinstance(target, exp.Table):
            facts.refs.append(SqlRef(name_of(target.this), name, line, "foreign key"))
    elif isinstance(parent, exp.ColumnDef) and key == "this" and own is not None:
        facts.define(own, name, line)
    elif isinstance(parent, (exp.Constraint, exp.ColumnConstraint, exp.Index)) and key == "this":
        facts.names.append(name)
    elif isinstance(parent, exp.DataType):
        facts.types_used.append((name, line))
    elif isinstance(parent, exp.Dot) and isinstance(grand, exp.DataType):
        if key == "expression":  # schema.type: the schema part is not a type
            facts.types_used.append((name, line))
    elif isinstance(parent, exp.Column) and parent.args.get("table") is not None:
        if key == "this":
            facts.refs.append(SqlRef(name_of(parent.args["table"]), name, line, _context(stmt)))
    elif isinstance(parent, exp.Column) and isinstance(grand, exp.RenameColumn) \
            and parent.arg_key == "to" and own is not None:
        facts.define(own, name, line)
    elif own is not None:
        facts.refs.append(SqlRef(own, name, line, _context(stmt)))


def _statement_facts(stmt: exp.Expression, facts: _Facts) -> None:
    kind = str(stmt.args.get("kind", "")).upper()
    if isinstance(stmt, exp.Create) and kind in ("TYPE", "DOMAIN"):
        target = stmt.this
        if isinstance(target, exp.Table):
            facts.types_defined.append(name_of(target.this))
        return
    if isinstance(stmt, exp.Drop) and kind != "TABLE":
        return  # dropping an index or type names nothing a rule checks
    table = _own_table(stmt)
    own = name_of(table.this) if table is not None and isinstance(table.this, exp.Identifier) \
        else None
    if own is not None and isinstance(stmt, exp.Create) and kind == "TABLE":
        facts.define(own, None, _line(table.this))
    elif own is not None and not isinstance(stmt, exp.Create):
        facts.refs.append(SqlRef(own, None, _line(table.this), _context(stmt)))
    for ident in _identifiers(stmt):
        _record(ident, stmt, own, facts)
    _removals(stmt, own, facts)


def _removals(stmt: exp.Expression, own: str | None, facts: _Facts) -> None:
    """What the statement takes away from the schema later statements see."""
    if isinstance(stmt, exp.Drop):
        for table in stmt.args.get("tables") or ():
            if isinstance(table, exp.Table) and isinstance(table.this, exp.Identifier):
                facts.dropped.append(SqlRef(name_of(table.this), None, _line(table.this), "drop"))
        return
    if not isinstance(stmt, exp.Alter) or own is None:
        return
    for action in stmt.args.get("actions") or ():
        if isinstance(action, exp.Drop) and str(action.args.get("kind", "")).upper() == "COLUMN":
            gone = [c.this for c in action.args.get("tables") or () if isinstance(c, exp.Column)]
        elif isinstance(action, exp.RenameColumn) and isinstance(action.this, exp.Column):
            gone = [action.this.this]
        elif isinstance(action, exp.AlterRename) and isinstance(action.this, exp.Table):
            facts.renamed.append((own, name_of(action.this.this)))
            continue
        else:
            continue
        facts.dropped.extend(SqlRef(own, name_of(i), _line(i), "drop")
                             for i in gone if isinstance(i, exp.Identifier))


def _command_problem(stmt: exp.Command, source: str) -> SyntaxProblem | None:
    """A statement sqlglot could only keep as text: fine if PostgreSQL has it."""
    head = str(stmt.this).upper()
    rest = str(stmt.expression or "")
    words = [w.upper() for w in _WORD.findall(rest)[:4]]
    kind = next((w for w in words if w not in _MODIFIERS), "")
    if head in _COMMANDS or (head in _OBJECT_COMMANDS and kind in _OBJECT_KINDS):
        return None
    at = source.find(rest[:40]) if rest else -1
    line = source.count("\n", 0, at) + 1 if at >= 0 else 1
    shown = " ".join(f"{head} {rest}".split())[:50]
    return SyntaxProblem(line, 1, f"not a PostgreSQL statement: `{shown}`")


def parse_sql(source: str) -> tuple[list[exp.Expression], SyntaxProblem | None]:
    try:
        statements = [s for s in sqlglot.parse(source, read="postgres") if s is not None]
    except ParseError as err:
        first = err.errors[0] if err.errors else {}
        description = first.get("description") or str(err).splitlines()[0]
        return [], SyntaxProblem(int(first.get("line") or 1), int(first.get("col") or 1),
                                 f"sql syntax error: {description}")
    except TokenError as err:
        return [], SyntaxProblem(1, 1, f"sql syntax error: {err}")
    for stmt in statements:
        if isinstance(stmt, exp.Command):
            problem = _command_problem(stmt, source)
            if problem is not None:
                return statements, problem
    return statements, None


_CREATED_TYPE = re.compile(r'(?is)^\s*(?:DOMAIN|TYPE)\s+(?:[\w"]+\.)?("[^"]+"|\w+)')


def schema_facts(statements: list[exp.Expression]) -> SqlSchemaFacts:
    facts = _Facts()
    for stmt in statements:
        if not isinstance(stmt, exp.Command):
            _statement_facts(stmt, facts)
        elif str(stmt.this).upper() == "CREATE":
            # CREATE DOMAIN (and types sqlglot cannot parse) stay a Command: take the name.
            created = _CREATED_TYPE.match(str(stmt.expression or ""))
            if created:
                name = created.group(1)
                facts.types_defined.append(name[1:-1] if name.startswith('"') else name.lower())
    return facts.result()
