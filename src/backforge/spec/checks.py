"""Project checks: rules that need the whole project, run after model validation.

Every problem is collected (not just the first) as a `Problem` with a native
path, a message and a fix hint. Decisions worth knowing:

- auto_increment on a field that is not the primary key is allowed: PostgreSQL
  identity columns need not be keys (an order number next to a uuid id).
- Foreign keys may mix integer and bigint, and string and text (PostgreSQL
  compares them); any other type difference is an error.
- A foreign key must point at a unique field or at a table's only primary key
  field (one column of a composite key is not unique on its own).
- A cycle of NOT NULL foreign keys (required or primary key fields) is an
  error: no row of any table in it could be inserted first. A field that
  references itself (`id -> same.id`) is not a cycle.
"""

from __future__ import annotations

import difflib
import re

from backforge.spec.model import Field, FieldType, OnDelete, Project, Table
from backforge.spec.names import Names
from backforge.spec.naming import sql_identifier
from backforge.spec.normalize import endpoint_shape
from backforge.spec.problems import Note, Problem

_SAME_KIND = ({FieldType.INTEGER, FieldType.BIGINT}, {FieldType.STRING, FieldType.TEXT})
_SEGMENT = re.compile(r"^(?:[A-Za-z0-9._~-]+|\{[A-Za-z_][A-Za-z0-9_]*\})$")
_NUMBER_TYPES = {FieldType.INTEGER: "a whole number", FieldType.BIGINT: "a whole number",
                 FieldType.FLOAT: "a number", FieldType.DECIMAL: "a number"}
_WORD_CHAR = re.compile(r"[^\W_]")  # a letter or digit, in any script
Untyped = frozenset[tuple[int, str]]


def check(project: Project, untyped: Untyped = frozenset()) -> list[Problem]:
    """Every rule below; `untyped` fields (unknown type, already reported) skip type rules."""
    first: dict[str, int] = {}  # table name -> index of the first table with that name
    for ti, table in enumerate(project.tables):
        first.setdefault(table.name, ti)
    problems = _name_rules(project)
    for ti, table in enumerate(project.tables):
        for fi, field in enumerate(table.fields):
            where = f"tables[{ti}].fields[{fi}]"
            if (ti, field.name) not in untyped:
                problems += _field_rules(where, field)
            if field.references is not None:
                problems += _reference(where, (ti, field), project, first, untyped)
        problems += _timestamps(ti, table)
    problems += _required_cycles(project, first)
    problems += _endpoints(project, first)
    return problems


def _name_rules(project: Project) -> list[Problem]:
    problems = []
    if not _has_word(project.name):
        problems.append(Problem("name", f"project name {project.name!r} has no letters or digits",
                                "use a name such as 'Task Manager'"))
    seen_tables: dict[str, int] = {}
    for ti, table in enumerate(project.tables):
        if table.name in seen_tables:
            problems.append(Problem(f"tables[{ti}].name", f"duplicate table name '{table.name}' "
                                    f"(also tables[{seen_tables[table.name]}])",
                                    "rename one of the tables or merge them"))
        seen_tables.setdefault(table.name, ti)
        if not _has_word(table.name):
            problems.append(Problem(f"tables[{ti}].name", f"table name {table.name!r} has no "
                                    "letters or digits", "use a name such as 'order_items'"))
        seen_fields: dict[str, int] = {}
        for fi, field in enumerate(table.fields):
            where = f"tables[{ti}].fields[{fi}].name"
            if field.name in seen_fields:
                problems.append(Problem(where, f"duplicate field name '{field.name}' in table "
                                        f"'{table.name}' (also fields[{seen_fields[field.name]}])",
                                        "rename or remove one of them"))
            seen_fields.setdefault(field.name, fi)
            if not _has_word(field.name):
                problems.append(Problem(where, f"field name {field.name!r} has no letters or "
                                        "digits", "use a name such as 'created_by'"))
    return problems


def _has_word(name: str) -> bool:
    return _WORD_CHAR.search(name) is not None


def _field_rules(where: str, field: Field) -> list[Problem]:
    if (field.max_length is None and field.precision is None and field.scale is None
            and field.on_delete is None and field.default is None):
        return []  # most fields: nothing below applies
    problems = []
    kind = field.type.value
    if field.max_length is not None and field.type is not FieldType.STRING:
        problems.append(Problem(f"{where}.max_length", f"max_length only applies to string "
                                f"fields, not {kind}", "remove it or use type string"))
    for key in ("precision", "scale"):
        if getattr(field, key) is not None and field.type is not FieldType.DECIMAL:
            problems.append(Problem(f"{where}.{key}", f"{key} only applies to decimal fields, "
                                    f"not {kind}", "remove it or use type decimal"))
    if field.on_delete is OnDelete.SET_NULL and (field.required or field.primary_key):
        what = "a primary key field" if field.primary_key else "a required field"
        problems.append(Problem(f"{where}.on_delete", f"set_null on {what}: the column cannot "
                                "be NULL", "make the field optional (required: false) or use "
                                "cascade or restrict"))
    if field.default is not None:
        problems += _default_rules(where, field)
    return problems


def _default_rules(where: str, field: Field) -> list[Problem]:
    value, kind = field.default, field.type
    bad = None
    if field.auto_increment:
        return [Problem(f"{where}.default", "an auto-increment field cannot have a default",
                        "remove the default")]
    if kind in _NUMBER_TYPES:
        whole = kind in (FieldType.INTEGER, FieldType.BIGINT)
        ok = isinstance(value, int) if whole else isinstance(value, (int, float))
        if not ok or isinstance(value, bool):
            bad = _NUMBER_TYPES[kind]
        elif (field.min is not None and value < field.min) or (
                field.max is not None and value > field.max):
            bad = "within min and max"
    elif kind is FieldType.BOOLEAN and not isinstance(value, bool):
        bad = "true or false"
    elif kind in (FieldType.STRING, FieldType.TEXT) and not isinstance(value, str):
        bad = "text (quote it)"
    elif kind is FieldType.STRING and field.max_length and len(value) > field.max_length:
        bad = f"at most {field.max_length} characters"
    if bad is None:
        return []
    return [Problem(f"{where}.default", f"default {value!r} must be {bad} for {_a(kind.value)} "
                    "field", "change the default or the type")]


def _reference(where: str, source: tuple[int, Field], project: Project, first: dict[str, int],
               untyped: Untyped) -> list[Problem]:
    ti, field = source
    loc = f"{where}.references"
    rt, rf = field.ref_table or "", field.ref_field or ""
    tj = first.get(rt)
    if tj is None:
        return [Problem(loc, f"table '{rt}' does not exist", choose("table", rt, list(first)))]
    target_table = project.tables[tj]
    target = target_table.field(rf)
    if target is None:
        return [Problem(loc, f"table '{rt}' has no field '{rf}'",
                        choose("field", rf, [f.name for f in target_table.fields]))]
    problems = []
    single_pk = target.primary_key and len(target_table.primary_key) == 1
    if not (target.unique or single_pk):
        keys = " or ".join(f"{rt}.{k.name}" for k in target_table.primary_key[:1])
        problems.append(Problem(loc, f"'{rt}.{rf}' is neither the primary key nor unique, so it "
                                "cannot be the target of a foreign key",
                                f"reference {keys or 'a unique field'}, or mark {rt}.{rf} "
                                "unique: true"))
    typed = (ti, field.name) not in untyped and (tj, rf) not in untyped
    if typed and not _compatible(field.type, target.type):
        problems.append(Problem(loc, f"type {field.type.value} does not match {rt}.{rf} "
                                f"({target.type.value})",
                                f"make '{field.name}' {_a(target.type.value)} field"))
    return problems


def _a(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def _compatible(a: FieldType, b: FieldType) -> bool:
    return a is b or any(a in kind and b in kind for kind in _SAME_KIND)


def choose(what: str, wrong: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(wrong, choices, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    listed = ", ".join(choices[:12]) + (", ..." if len(choices) > 12 else "")
    return f"use one of the {what}s: {listed}" if choices else f"add the {what}"


def _timestamps(ti: int, table: Table) -> list[Problem]:
    if not table.timestamps:
        return []
    clash = [f.name for f in table.fields if sql_identifier(f.name) in ("created_at", "updated_at")]
    return [Problem(f"tables[{ti}].timestamps", f"timestamps adds created_at and updated_at, but "
                    f"the table already has '{name}'", "remove the field or set timestamps: false")
            for name in clash]


def _required_cycles(project: Project, first: dict[str, int]) -> list[Problem]:
    """NOT NULL foreign keys that form a cycle: one problem per strongly connected group."""
    edges: dict[int, list[tuple[int, int]]] = {}  # table -> [(field index, target table)]
    for ti, table in enumerate(project.tables):
        for fi, field in enumerate(table.fields):
            tj = first.get(field.ref_table or "")
            if tj is None or not (field.required or field.primary_key):
                continue
            if tj == ti and field.ref_field == field.name:
                continue  # a row may reference itself
            edges.setdefault(ti, []).append((fi, tj))
    problems = []
    for group in _strong_components(len(project.tables), edges):
        cycle = _cycle_in(min(group), group, edges)
        if not cycle:
            continue
        ti, fi = cycle[0]
        text = " -> ".join(f"{project.tables[t].name}.{project.tables[t].fields[f].name}"
                           for t, f in cycle)
        problems.append(Problem(
            f"tables[{ti}].fields[{fi}].references",
            f"required foreign keys form a cycle, so no row can be inserted first: "
            f"{text} -> {project.tables[ti].name}",
            "make one of these fields optional (required: false)"))
    return problems


def _strong_components(n: int, edges: dict[int, list[tuple[int, int]]]) -> list[set[int]]:
    """Tarjan's algorithm, iterative (a 150-table chain must not hit the recursion limit)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    groups: list[set[int]] = []
    for root in range(n):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = edges.get(node, [])
            if i < len(targets):
                work.append((node, i + 1))
                nxt = targets[i][1]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                group = set()
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    group.add(top)
                    if top == node:
                        break
                groups.append(group)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return sorted(groups, key=min)


def _cycle_in(start: int, group: set[int],
              edges: dict[int, list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """A path of (table, field) edges inside `group` from `start` back to `start`."""
    path: list[tuple[int, int]] = []
    seen: set[int] = set()
    node = start
    while True:
        options = [(fi, tj) for fi, tj in edges.get(node, []) if tj in group]
        if not options:
            return []
        back = next(((fi, tj) for fi, tj in options if tj == start), None)
        fi, tj = back or next(((f, t) for f, t in options if t not in seen), options[0])
        path.append((node, fi))
        if tj == start:
            return path
        if tj in seen:
            return _from(path, tj)
        seen.add(node)
        node = tj


def _from(path: list[tuple[int, int]], table: int) -> list[tuple[int, int]]:
    """The loop part of a walk that came back to `table` instead of the start."""
    for i, (t, _) in enumerate(path):
        if t == table:
            return path[i:]
    return path


def _endpoints(project: Project, first: dict[str, int]) -> list[Problem]:
    problems = []
    seen: dict[tuple[str, str], int] = {}
    for ei, endpoint in enumerate(project.endpoints):
        where = f"endpoints[{ei}]"
        if endpoint.table is not None and endpoint.table not in first:
            problems.append(Problem(f"{where}.table", f"table '{endpoint.table}' does not exist",
                                    choose("table", endpoint.table, list(first))))
        problems += _path_rules(f"{where}.path", endpoint.path)
        key = (endpoint.method, endpoint_shape(endpoint.path))
        if key in seen:
            problems.append(Problem(where, f"duplicate endpoint {endpoint.method} {endpoint.path} "
                                    f"(also endpoints[{seen[key]}])", "remove one of them"))
        seen.setdefault(key, ei)
    return problems


def _path_rules(where: str, path: str) -> list[Problem]:
    segments = [s for s in path.split("/") if s]
    bad = [s for s in segments if not _SEGMENT.match(s)]
    if bad:
        return [Problem(where, f"'{bad[0]}' is not a valid path segment",
                        "use letters, digits, '-', '_', '.' or a parameter such as {id}")]
    params = [s for s in segments if s.startswith("{")]
    if len(set(params)) != len(params):
        return [Problem(where, "a path parameter appears twice",
                        "give each parameter its own name")]
    return []


def crud_overlaps(project: Project, names: Names) -> list[Note]:
    """Custom endpoints that are exactly a route the stacks generate for a table."""
    routes: dict[tuple[str, str], str] = {}
    for table in project.tables:
        url = "/" + names.table(table.name).url
        item = url + "/{}" * len(table.primary_key)
        for method, action in (("GET", "list"), ("POST", "create")):
            routes.setdefault((method, url), f"{action} route of '{table.name}'")
        if table.primary_key:
            for method, action in (("GET", "get"), ("PUT", "update"), ("PATCH", "update"),
                                   ("DELETE", "delete")):
                routes.setdefault((method, item), f"{action} route of '{table.name}'")
    notes = []
    for ei, endpoint in enumerate(project.endpoints):
        route = routes.get((endpoint.method, endpoint_shape(endpoint.path)))
        if route:
            notes.append(Note(f"endpoints[{ei}]", f"({endpoint.method} {endpoint.path}) is the "
                                                  f"generated {route}: served by it"))
    return notes
