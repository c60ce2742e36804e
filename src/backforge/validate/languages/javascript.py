"""JavaScript (CommonJS and ES modules) with tree-sitter.

One compiled grammar and query per process, one Parser per thread (a Parser is
not safe to share between threads; creating one per file is wasted work).
TypeScript (typescript.py) is the same front-end over the TypeScript grammar: its
`Grammar` compiles these queries against that grammar.
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection
from dataclasses import dataclass, replace

import tree_sitter_javascript as tsjs
from tree_sitter import Language as TSLanguage
from tree_sitter import Node, Query, QueryCursor

from backforge.spec.naming import js_identifier
from backforge.validate.languages import node as node_rules
from backforge.validate.languages.anchors import word_hits
from backforge.validate.languages.js_extract import Collector
from backforge.validate.languages.js_facts import CALLS_QUERY, env_reads, sql_facts
from backforge.validate.languages.js_safety import BOUND_QUERY, SAFETY_QUERY, hazards
from backforge.validate.languages.sql import embedded_schema
from backforge.validate.languages.treesitter import ThreadLocalParser, first_syntax_problem
from backforge.validate.model import DefaultExport, Exports, ParsedFile

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



@dataclass(frozen=True)
class Grammar:
    """A tree-sitter grammar of the JavaScript family and every query compiled for it."""

    language: TSLanguage
    main: Query
    calls: Query
    safety: Query
    bound: Query

    @classmethod
    def of(cls, language: TSLanguage, safety_extra: str = "") -> Grammar:
        """`safety_extra`: patterns of node types only this grammar has."""
        return cls(language, Query(language, _QUERY_SOURCE), Query(language, CALLS_QUERY),
                   Query(language, SAFETY_QUERY + safety_extra), Query(language, BOUND_QUERY))


_GRAMMAR = Grammar.of(TSLanguage(tsjs.language()))
# Every query pattern contains one of these words. Running the query only over the
# byte ranges where they occur costs a third of a whole-tree pass; the query still
# does all the matching, so a word in a string or comment simply matches nothing.
_ANCHORS = (b"require", b"import", b"exports")
# The capture naming each pattern's whole match, by pattern index (query order).
_MAIN_CAPTURES = ("require", "dynamic", "assign", "assign_member", "assign_object")


def _anchored_matches(root: Node, data: bytes,
                      query: Query) -> list[tuple[int, dict[str, list[Node]]]]:
    """The query's matches around each anchor word, each match once, in document order."""
    cursor = QueryCursor(query)
    found: dict[tuple[int, int], tuple[int, dict[str, list[Node]]]] = {}
    for start, end in word_hits(data, _ANCHORS):
        cursor.set_byte_range(start, end)
        for index, captures in cursor.matches(root):
            # A long assignment holding several anchors matches once per anchor.
            main = captures[_MAIN_CAPTURES[index]][0]
            found.setdefault((main.start_byte, index), (index, captures))
    return [found[key] for key in sorted(found)]


def _local_name(target: str, default: DefaultExport | None) -> str:
    """A binding for a whole-module import: the export's own name, else one made from
    the file name (data files keep their extension: package.json -> packageJson)."""
    if default is not None and default.name and default.name.isidentifier():
        return default.name
    base = posixpath.basename(target)
    stem, ext = posixpath.splitext(base)
    if stem == "index":
        stem = posixpath.basename(posixpath.dirname(target)) or "project"
    return js_identifier(stem if ext in (".js", ".cjs", ".mjs") else base)


class JavaScriptLanguage(ThreadLocalParser):
    name = "javascript"
    suffixes = (".js", ".cjs", ".mjs")
    syntax_rule = "js-syntax"

    grammar = _GRAMMAR
    ts_language = _GRAMMAR.language

    def _is_esm(self, path: str) -> bool:
        return path.endswith(".mjs")

    def parse(self, path: str, source: str) -> ParsedFile:
        data = source.encode("utf-8", "replace")
        tree = self._parser().parse(data)
        root = tree.root_node
        problem = first_syntax_problem(root)
        collector = Collector(esm=self._is_esm(path))
        collector.scan_top_level(root)
        collector.scan_matches(_anchored_matches(root, data, self.grammar.main))
        parsed = collector.result(path, self.name, (problem,) if problem else ())
        sql, spliced = sql_facts(root, data)
        reads = env_reads(root, data, self.grammar.calls)
        found = hazards(root, data, self.grammar.safety, self.grammar.bound)
        if not (sql or spliced or reads or found):
            return parsed
        return replace(parsed, sql=sql, sql_interpolations=spliced, env_reads=reads,
                       hazards=found, schema=embedded_schema(sql))

    def resolve(self, from_path: str, specifier: str,
                known_paths: Collection[str]) -> str | None:
        return node_rules.resolve(from_path, specifier, known_paths)

    def is_builtin(self, specifier: str) -> bool:
        return node_rules.is_builtin(specifier)

    def import_statement(self, from_path: str, target: str, exports: Exports,
                         default: DefaultExport | None) -> str:
        spec = node_rules.specifier_for(from_path, target, esm=exports.is_esm)
        named = sorted(exports.names - {"default"})
        local = _local_name(target, default)
        if exports.is_esm:
            parts = ([local] if exports.default else []) + \
                ([f"{{ {', '.join(named)} }}"] if named else [])
            return f"import {', '.join(parts) or '* as ' + local} from '{spec}';"
        if exports.default or not named or not self.handles(target):
            return f"const {local} = require('{spec}');"  # JSON data: one object
        return f"const {{ {', '.join(named)} }} = require('{spec}');"

    def package_of(self, specifier: str) -> str | None:
        return node_rules.package_of(specifier)
