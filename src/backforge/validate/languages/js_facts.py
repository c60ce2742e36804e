"""Facts of a JavaScript tree beyond imports and exports: the SQL its strings hold
(and what is spliced into that SQL), and the environment variables it reads.

Both are found from byte anchors (`process.env`, SQL keywords, a string opening
with a double-quoted identifier): `descendant_for_byte_range` lands on the node
under each anchor, so a file without SQL or environment reads costs a few byte searches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node, Query, QueryCursor

from backforge.validate.languages.anchors import after_quote, substring_hits, word_hits
from backforge.validate.languages.js_extract import line, pattern_keys, text
from backforge.validate.model import EnvRead, SqlFragment, SqlInterpolation

# Uppercase SQL words anywhere, or a lowercase statement start: what makes a string SQL.
_SQL_WORDS = re.compile(
    r"\b(?:SELECT|INSERT\s+INTO|UPDATE|DELETE\s+FROM|FROM|WHERE|RETURNING|VALUES|JOIN|SET|"
    r"LIMIT|OFFSET|ORDER\s+BY|GROUP\s+BY|CREATE\s+TABLE|ALTER\s+TABLE)\b"
    r"|(?i:^\s*(?:select\s.+\sfrom\s|insert\s+into\s|update\s+\S+\s+set\s|delete\s+from\s))",
    re.DOTALL)
# A string made only of quoted identifiers and SQL punctuation ('"id" = $1', '"title"').
_QUOTED_IDENT = re.compile(r'"[^"\n]*"')
_SQL_PUNCTUATION = re.compile(
    r"(?i)(?:\s|,|=|<|>|!|\(|\)|\$\d+|\?|\.|\*|\bAS\b|\bASC\b|\bDESC\b|\bAND\b|\bOR\b|\bNOT\b"
    r"|\bNULL\b|\bIS\b|\bDEFAULT\b|\bnow\(\))*")
_SQL_WORD_ANCHORS = (b"SELECT", b"INSERT", b"UPDATE", b"DELETE", b"FROM", b"WHERE",
                     b"RETURNING", b"VALUES", b"JOIN", b"SET", b"LIMIT", b"OFFSET", b"ORDER",
                     b"GROUP", b"CREATE", b"ALTER")
_SQL_LOWER_STARTS = (b"select", b"insert", b"update", b"delete")  # only right after a quote
_IDENT_STRING_STARTS = (b"'\"", b'`"')  # a string opening with a quoted identifier
_ENV_ANCHOR = (b"process.env",)
_STRINGS = frozenset({"string", "template_string"})
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "'": "'", '"': '"', "`": "`", "\\": "\\"}
# Calls whose result is a bind placeholder or a number, never client text.
_SAFE_CALLEE = re.compile(r"(?i)(?:param|placeholder|bind)\w*$"
                          r"|^(?:Number|parseInt|parseFloat|Math\.\w+)$")
_REQUEST = re.compile(r"\breq(?:uest)?\.(?:query|body|params|headers|cookies)\b")
_ROOT_NAME = re.compile(r"[A-Za-z_$][\w$]*")
_PLACEHOLDER_NAME = re.compile(r"(?i)param|placeholder")
_CONTEXT = 40  # characters of SQL kept on either side of an interpolation
_FUNCTIONS = frozenset({"function_declaration", "function_expression", "arrow_function",
                        "function", "generator_function_declaration", "method_definition"})
_WRITES = frozenset({"assignment_expression", "augmented_assignment_expression"})


# -- SQL in strings ------------------------------------------------------------------

def _unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), raw)


def _string_node(node: Node | None) -> Node | None:
    for _ in range(3):  # fragment -> string, or substitution -> template_string
        if node is None or node.type in _STRINGS:
            return node
        node = node.parent
    return None


def _chain_root(node: Node) -> Node:
    """The outermost `a + b + ...` (through parentheses) that `node` is part of."""
    while node.parent is not None and (
            (node.parent.type == "binary_expression"
             and node.parent.child_by_field_name("operator") is not None
             and text(node.parent.child_by_field_name("operator")) == "+")
            or node.parent.type == "parenthesized_expression"):
        node = node.parent
    return node


def _operands(node: Node) -> Iterator[Node]:
    if node.type == "parenthesized_expression" and node.named_child_count == 1:
        yield from _operands(node.named_children[0])
    elif node.type == "binary_expression" and text(node.child_by_field_name("operator")) == "+":
        for side in ("left", "right"):
            child = node.child_by_field_name(side)
            if child is not None:
                yield from _operands(child)
    else:
        yield node


# One piece of a built string: literal text (with its line) or a spliced expression.
Piece = tuple[str, int, Node | None]


def _pieces(operand: Node) -> Iterator[Piece]:
    if operand.type == "string":
        yield _unescape(text(operand)[1:-1]), line(operand), None
    elif operand.type == "template_string":
        for child in operand.children:
            if child.type == "template_substitution":
                inner = child.named_children[0] if child.named_child_count else child
                yield "", line(child), inner
            elif child.type in ("string_fragment", "escape_sequence"):
                yield _unescape(text(child)), line(child), None
    else:
        yield "", line(operand), operand


def is_sql(literal: str) -> bool:
    if _SQL_WORDS.search(literal):
        return True
    if '"' not in literal:
        return False
    rest = _QUOTED_IDENT.sub(" ", literal)
    return _SQL_PUNCTUATION.fullmatch(rest) is not None


def _safe_expression(node: Node) -> bool:
    """A literal, a number coercion, or a bind-placeholder builder (`param(values, v)`,
    `placeholders.join(', ')`); never anything read from the request."""
    source = text(node)
    if _REQUEST.search(source):
        return False
    if node.type in ("number", "string", "template_string") and not any(
            c.type == "template_substitution" for c in node.children):
        return True
    if node.type == "call_expression":
        callee = node.child_by_field_name("function")
        if callee is not None and _SAFE_CALLEE.search(text(callee)) is not None:
            return True
    root = _ROOT_NAME.match(source)
    return root is not None and _PLACEHOLDER_NAME.search(root.group(0)) is not None


def _joined(pieces: list[Piece]) -> str:
    """The literal text of a built string, `?` for each spliced expression, with a line
    break wherever the source moves to a later line (so lines can be counted back)."""
    out: list[str] = []
    at = pieces[0][1] if pieces else 0
    for piece_text, ln, node in pieces:
        if ln > at:
            out.append("\n" * (ln - at))
        out.append(piece_text if node is None else "?")
        at = ln + (piece_text.count("\n") if node is None else 0)
    return "".join(out)


def _chain_facts(root: Node) -> tuple[SqlFragment | None, list[SqlInterpolation]]:
    pieces = [p for operand in _operands(root) for p in _pieces(operand)]
    literal = "".join(t if n is None else "?" for t, _, n in pieces)
    if not pieces or not is_sql(literal):
        return None, []
    spliced: list[SqlInterpolation] = []
    done = ""
    for i, (piece_text, ln, node) in enumerate(pieces):
        if node is None:
            done += piece_text
            continue
        after = "".join(t if n is None else "?" for t, _, n in pieces[i + 1:])
        spliced.append(SqlInterpolation(ln, " ".join(text(node).split()), done[-_CONTEXT:],
                                        after[:_CONTEXT], _safe_expression(node)))
        done += "?"
    return SqlFragment(pieces[0][1], _joined(pieces)), spliced


def _sql_anchors(data: bytes) -> list[tuple[int, int]]:
    hits = word_hits(data, _SQL_WORD_ANCHORS)
    hits += substring_hits(data, _IDENT_STRING_STARTS)
    hits += [h for h in word_hits(data, _SQL_LOWER_STARTS) if after_quote(data, h[0])]
    hits.sort()
    return hits


def sql_facts(root: Node, data: bytes) -> tuple[tuple[SqlFragment, ...],
                                                 tuple[SqlInterpolation, ...]]:
    """SQL text in the file's strings, and the expressions spliced into it."""
    fragments: list[SqlFragment] = []
    spliced: list[SqlInterpolation] = []
    seen: set[int] = set()
    done_until = -1  # anchors inside the string (or chain) just read need no second look
    for start, end in _sql_anchors(data):
        if start < done_until:
            continue
        string = _string_node(root.descendant_for_byte_range(start, end))
        if string is None:
            continue
        chain = _chain_root(string)
        done_until = max(done_until, string.end_byte) if chain is string else done_until
        if chain.start_byte in seen:
            continue
        seen.add(chain.start_byte)
        if chain.type == "string":  # the common case: one plain string literal
            literal = _unescape(text(chain)[1:-1])
            if is_sql(literal):
                fragments.append(SqlFragment(line(chain), literal))
            continue
        found, interpolated = _chain_facts(chain)
        if found is not None:
            fragments.append(found)
        spliced.extend(interpolated)
    return tuple(fragments), tuple(spliced)


# -- environment reads ---------------------------------------------------------------

# Compiled by the language (one grammar object per process) and passed in.
CALLS_QUERY = """
(call_expression function: (identifier) @fn arguments: (arguments) @args) @call
"""


def _env_object(node: Node | None) -> Node | None:
    """The `process.env` member expression under an anchor hit."""
    while node is not None and node.type != "member_expression":
        node = node.parent
    if node is None:
        return None
    if text(node) != "process.env":
        inner = node.child_by_field_name("object")
        return inner if inner is not None and text(inner) == "process.env" else None
    return node


def _is_write(node: Node) -> bool:
    parent = node.parent
    if parent is None:
        return False
    if parent.type in _WRITES:
        return parent.child_by_field_name("left") == node
    return parent.type == "unary_expression" and text(parent).startswith("delete")


def _enclosing_function(node: Node) -> Node | None:
    node = node.parent
    while node is not None and node.type not in _FUNCTIONS:
        node = node.parent
    return node


def _function_name(fn: Node) -> str | None:
    name = fn.child_by_field_name("name")
    if name is not None:
        return text(name)
    parent = fn.parent
    if parent is not None and parent.type == "variable_declarator":
        target = parent.child_by_field_name("name")
        return text(target) if target is not None and target.type == "identifier" else None
    return None


def _param_index(fn: Node, name: str) -> int | None:
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is None:
        return None
    if params.type == "identifier":
        return 0 if text(params) == name else None
    for i, p in enumerate(c for c in params.named_children if c.type != "comment"):
        target = p.child_by_field_name("left") if p.type == "assignment_pattern" else p
        if target is not None and text(target) == name:
            return i
    return None


def _reader_of(node: Node, name: str) -> tuple[str, int] | None:
    """(function, parameter index) when `name` is a parameter of the enclosing function."""
    fn = _enclosing_function(node)
    if fn is None:
        return None
    fname, index = _function_name(fn), _param_index(fn, name)
    return (fname, index) if fname is not None and index is not None else None


def _direct_read(env: Node, reads: list[EnvRead], readers: set[tuple[str, int]]) -> None:
    parent = env.parent
    if parent is None:
        return
    if parent.type == "member_expression" and parent.child_by_field_name("object") == env:
        prop = parent.child_by_field_name("property")
        if prop is not None and not _is_write(parent):
            reads.append(EnvRead(text(prop), line(parent)))
    elif parent.type == "subscript_expression" and not _is_write(parent):
        index = parent.child_by_field_name("index")
        if index is not None and index.type == "string":
            reads.append(EnvRead(text(index)[1:-1], line(parent)))
        elif index is not None and index.type == "identifier":
            reader = _reader_of(parent, text(index))
            if reader is not None:
                readers.add(reader)
    elif parent.type == "variable_declarator" and parent.child_by_field_name("value") == env:
        pattern = parent.child_by_field_name("name")
        if pattern is not None and pattern.type == "object_pattern":
            reads.extend(EnvRead(k, line(parent)) for k in pattern_keys(pattern))


def _helper_reads(root: Node, readers: set[tuple[str, int]], calls_query: Query
                  ) -> list[EnvRead]:
    """Reads through helpers (`text('PORT')` where `text(name)` reads process.env[name]),
    followed through helpers that pass their own parameter on (`required(name)`)."""
    calls = [(text(c["fn"][0]), c["args"][0], c["call"][0])
             for _, c in QueryCursor(calls_query).matches(root)]
    changed = True
    while changed:
        changed = False
        for fn, args, _ in calls:
            for callee, index in list(readers):
                if fn != callee or index >= args.named_child_count:
                    continue
                arg = args.named_children[index]
                reader = _reader_of(args, text(arg)) if arg.type == "identifier" else None
                if reader is not None and reader not in readers:
                    readers.add(reader)
                    changed = True
    reads: list[EnvRead] = []
    for fn, args, call in calls:
        for callee, index in readers:
            if fn == callee and index < args.named_child_count:
                arg = args.named_children[index]
                if arg.type == "string":
                    reads.append(EnvRead(text(arg)[1:-1], line(call)))
    return reads


def env_reads(root: Node, data: bytes, calls_query: Query) -> tuple[EnvRead, ...]:
    """Variables read from `process.env`, directly, destructured or through helpers."""
    reads: list[EnvRead] = []
    readers: set[tuple[str, int]] = set()
    for start, end in word_hits(data, _ENV_ANCHOR):
        env = _env_object(root.descendant_for_byte_range(start, end))
        if env is not None:
            _direct_read(env, reads, readers)
    if readers:
        reads.extend(_helper_reads(root, readers, calls_query))
    return tuple(sorted(set(reads), key=lambda r: (r.line, r.name)))
