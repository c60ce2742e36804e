"""JavaScript (CommonJS and ES modules) with tree-sitter.

One compiled grammar and query per process, one Parser per thread (a Parser is
not safe to share between threads; creating one per file is wasted work).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Collection

import tree_sitter_javascript as tsjs
from tree_sitter import Language as TSLanguage
from tree_sitter import Node, Parser, Query, QueryCursor

from backforge.validate.languages import node as node_rules
from backforge.validate.languages.js_extract import Collector, text
from backforge.validate.model import ParsedFile, SyntaxProblem

# Constructs that can appear anywhere in a file, found in one pass over the tree.
# Top-level declarations and ES import/export are read from the program's children.
_QUERY_SOURCE = """
(call_expression
  function: (identifier) @fn (#eq? @fn "require")
  arguments: (arguments . (string) @spec .)) @require

(call_expression
  function: (import)
  arguments: (arguments . (string) @spec)) @dynamic

(assignment_expression
  left: (member_expression
    object: (identifier) @obj (#any-of? @obj "module" "exports")
    property: (property_identifier) @prop)
  right: (_) @value) @assign

(assignment_expression
  left: (member_expression
    object: (member_expression
      object: (identifier) @mod (#eq? @mod "module")
      property: (property_identifier) @exp (#eq? @exp "exports"))
    property: (property_identifier) @prop)
  right: (_) @value) @assign_member

(call_expression
  function: (member_expression
    object: (identifier) @object (#eq? @object "Object")
    property: (property_identifier) @method (#eq? @method "assign"))
  arguments: (arguments . (_) @target)) @assign_object
"""

_TS_LANGUAGE = TSLanguage(tsjs.language())
_QUERY = Query(_TS_LANGUAGE, _QUERY_SOURCE)
# Every query pattern contains one of these words. Running the query only over the
# byte ranges where they occur costs a third of a whole-tree pass; the query still
# does all the matching, so a word in a string or comment simply matches nothing.
_ANCHORS = re.compile(rb"\b(?:require|import|exports)\b")
_SNIPPET = 40
# The capture naming each pattern's whole match, by pattern index (query order).
_MAIN_CAPTURES = ("require", "dynamic", "assign", "assign_member", "assign_object")


def first_syntax_problem(root: Node) -> SyntaxProblem | None:
    """The first ERROR or MISSING node in document order, as a line/column/message."""
    if not root.has_error:
        return None
    node = root
    found: Node | None = root if root.is_error else None
    while found is None:
        for child in node.children:
            if child.is_error or child.is_missing:
                found = child
                break
            if child.has_error:
                node = child
                break
        else:
            found = node  # has_error with no erroneous child: the node itself is the place
    row, col = found.start_point
    if found.is_missing:
        message = f"missing `{found.type}`"
    else:
        snippet = text(found).strip().splitlines()
        shown = snippet[0][:_SNIPPET] if snippet else ""
        message = f"unexpected `{shown}`" if shown else "unexpected end of input"
    return SyntaxProblem(row + 1, col + 1, f"syntax error: {message}")


def _anchored_matches(root: Node, data: bytes) -> list[tuple[int, dict[str, list[Node]]]]:
    """The query's matches around each anchor word, each match once, in document order."""
    cursor = QueryCursor(_QUERY)
    found: dict[tuple[int, int], tuple[int, dict[str, list[Node]]]] = {}
    for hit in _ANCHORS.finditer(data):
        cursor.set_byte_range(hit.start(), hit.end())
        for index, captures in cursor.matches(root):
            # A long assignment holding several anchors matches once per anchor.
            main = captures[_MAIN_CAPTURES[index]][0]
            found.setdefault((main.start_byte, index), (index, captures))
    return [found[key] for key in sorted(found)]


class JavaScriptLanguage:
    name = "javascript"
    suffixes = (".js", ".cjs", ".mjs")
    syntax_rule = "js-syntax"

    def __init__(self) -> None:
        self._local = threading.local()

    def _parser(self) -> Parser:
        parser = getattr(self._local, "parser", None)
        if parser is None:
            parser = self._local.parser = Parser(_TS_LANGUAGE)
        return parser

    def handles(self, path: str) -> bool:
        return path.endswith(self.suffixes)

    def parse(self, path: str, source: str) -> ParsedFile:
        data = source.encode("utf-8", "replace")
        tree = self._parser().parse(data)
        root = tree.root_node
        problem = first_syntax_problem(root)
        collector = Collector(esm=path.endswith(".mjs"))
        collector.scan_top_level(root)
        collector.scan_matches(_anchored_matches(root, data))
        return collector.result(path, self.name, (problem,) if problem else ())

    def resolve(self, from_path: str, specifier: str,
                known_paths: Collection[str]) -> str | None:
        return node_rules.resolve(from_path, specifier, known_paths)

    def is_builtin(self, specifier: str) -> bool:
        return node_rules.is_builtin(specifier)

    def package_of(self, specifier: str) -> str | None:
        return node_rules.package_of(specifier)
