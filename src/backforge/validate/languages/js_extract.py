"""Turn a tree-sitter JavaScript tree into exports, imports and functions.

`Collector` is fed twice by `JavaScriptLanguage.parse`: once with the program's
top-level statements (declarations, ES import/export), once with the matches of
the compiled query (require calls, dynamic imports, CommonJS export assignments,
which may sit anywhere in the tree).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from backforge.validate.languages.node import is_relative
from backforge.validate.model import (
    DefaultExport,
    Function,
    Import,
    ImportKind,
    ParsedFile,
    SyntaxProblem,
)

_FUNCTION_DECLS = frozenset({"function_declaration", "generator_function_declaration"})
_FUNCTION_VALUES = frozenset({"arrow_function", "function_expression", "function",
                              "generator_function"})
_FUNCTIONS = _FUNCTION_DECLS | _FUNCTION_VALUES | {"method_definition"}
_CLASSES = frozenset({"class_declaration", "class", "abstract_class_declaration"})
# TypeScript declarations that bind a name (types are exports as much as values are:
# `import type { Row }` of a name the target does not export fails to compile).
_TS_DECLS = frozenset({"interface_declaration", "type_alias_declaration", "enum_declaration",
                       "abstract_class_declaration", "function_signature",
                       "internal_module", "module"})
_VARIABLES = frozenset({"lexical_declaration", "variable_declaration"})
# Parameters holding these need the tree to split them (patterns, calls, strings, comments).
_COMPOUND_PARAMS = re.compile(r"[{\[(/'\"`]")
_EXPORT_OBJECTS = frozenset({"module.exports", "exports"})
# How deep `module.exports = { ...other }` spreads of local objects are followed.
_MAX_SPREAD_DEPTH = 3


def text(node: Node) -> str:
    return node.text.decode("utf-8", "replace") if node.text is not None else ""


def line(node: Node) -> int:
    return node.start_point[0] + 1


def string_value(node: Node) -> str:
    return text(node)[1:-1]  # drop the quotes; escapes do not occur in module paths


def require_specifier(node: Node | None) -> str | None:
    """The specifier when `node` is `require('<string>')`, else None."""
    if node is None or node.type != "call_expression":
        return None
    fn = node.child_by_field_name("function")
    args = node.child_by_field_name("arguments")
    if fn is None or args is None or fn.type != "identifier" or text(fn) != "require":
        return None
    first = args.named_children[0] if args.named_child_count else None
    return string_value(first) if first is not None and first.type == "string" else None


def _unwrap(node: Node) -> Node:
    """`a = b = value` and `(value)` -> value."""
    while node.type in ("assignment_expression", "parenthesized_expression"):
        inner = (node.child_by_field_name("right") if node.type == "assignment_expression"
                 else (node.named_children[0] if node.named_child_count else None))
        if inner is None:
            break
        node = inner
    return node


def _kind_of(node: Node | None) -> str:
    if node is None:
        return "value"
    if node.type in _FUNCTIONS:
        return "function"
    return "class" if node.type in _CLASSES else "value"


def _key_name(key: Node | None) -> str | None:
    if key is None:
        return None
    if key.type in ("property_identifier", "private_property_identifier", "number"):
        return text(key)
    return string_value(key) if key.type == "string" else None  # computed: unknowable


def pattern_key_lines(pattern: Node) -> list[tuple[str, int]]:
    """The property names an object pattern picks, each with its line:
    `{ a, b: c, d = 1 }` -> a, b, d."""
    keys: list[tuple[str, int]] = []
    for child in pattern.named_children:
        if child.type == "shorthand_property_identifier_pattern":
            keys.append((text(child), line(child)))
        elif child.type == "pair_pattern":
            name = _key_name(child.child_by_field_name("key"))
            if name is not None:
                keys.append((name, line(child)))
        elif child.type == "object_assignment_pattern":
            left = child.child_by_field_name("left")
            if left is not None and left.type == "shorthand_property_identifier_pattern":
                keys.append((text(left), line(left)))
    return keys


def pattern_keys(pattern: Node) -> tuple[str, ...]:
    """The property names an object pattern picks: `{ a, b: c, d = 1 }` -> a, b, d."""
    return tuple(name for name, _ in pattern_key_lines(pattern))


def pattern_bindings(pattern: Node) -> list[str]:
    """The local names a destructuring pattern declares."""
    if pattern.type in ("identifier", "shorthand_property_identifier_pattern"):
        return [text(pattern)]
    names: list[str] = []
    for child in pattern.named_children:
        if child.type == "pair_pattern":
            value = child.child_by_field_name("value")
            names.extend(pattern_bindings(value) if value is not None else [])
        elif child.type in ("object_assignment_pattern", "assignment_pattern"):
            left = child.child_by_field_name("left")
            names.extend(pattern_bindings(left) if left is not None else [])
        elif child.type in ("identifier", "shorthand_property_identifier_pattern",
                            "object_pattern", "array_pattern", "rest_pattern"):
            names.extend(pattern_bindings(child))
    return names


def _requested_names(call: Node) -> list[tuple[str, int]]:
    """What a require()/import() call's result is used for: `.x`, `{ a, b }` (each with
    its line), or all (an empty list)."""
    parent = call.parent
    if parent is not None and parent.type == "await_expression":
        call, parent = parent, parent.parent
    if parent is None:
        return []
    if parent.type == "member_expression" and parent.child_by_field_name("object") == call:
        prop = parent.child_by_field_name("property")
        return [(text(prop), line(prop))] if prop is not None \
            and prop.type == "property_identifier" else []
    target = None
    if parent.type == "variable_declarator" and parent.child_by_field_name("value") == call:
        target = parent.child_by_field_name("name")
    elif parent.type == "assignment_expression" and parent.child_by_field_name("right") == call:
        target = parent.child_by_field_name("left")
    if target is None or target.type != "object_pattern":
        return []
    return pattern_key_lines(target)


def _params(node: Node) -> tuple[str, ...]:
    params = node.child_by_field_name("parameters") or node.child_by_field_name("parameter")
    if params is None:
        return ()
    if params.type != "formal_parameters":
        return (text(params),)  # `x => ...`
    inner = text(params)[1:-1]
    if _COMPOUND_PARAMS.search(inner) is None:  # plain names and simple defaults
        return tuple(p.strip() for p in inner.split(",") if p.strip())
    return tuple(" ".join(text(p).split()) for p in params.named_children if p.type != "comment")


class Collector:
    """Accumulates one file's facts; `result()` freezes them into a ParsedFile."""

    def __init__(self, *, esm: bool = False) -> None:
        self.exports: dict[str, None] = {}  # dicts as ordered sets
        self.reexports: dict[str, None] = {}
        self.default: DefaultExport | None = None
        self.opaque = False
        self.esm = esm
        self.functions: dict[str, Function] = {}
        self.imports: list[Import] = []
        self._decls: dict[str, Node] = {}  # top-level name -> declaration or bound value

    def result(self, path: str, language: str,
               errors: tuple[SyntaxProblem, ...]) -> ParsedFile:
        return ParsedFile(
            path=path, language=language, syntax_errors=errors,
            exports=tuple(self.exports), default_export=self.default,
            reexports=tuple(self.reexports), opaque_exports=self.opaque, is_esm=self.esm,
            functions=tuple(sorted(self.functions.values(), key=lambda f: f.line)),
            imports=tuple(sorted(self.imports, key=lambda i: i.line)))

    # -- top-level statements -------------------------------------------------------

    def scan_top_level(self, root: Node) -> None:
        for node in root.named_children:
            node = _ambient(node)
            kind = node.type
            if kind in _FUNCTION_DECLS or kind == "class_declaration" or kind in _TS_DECLS:
                self._declare(node)
            elif kind in _VARIABLES:
                self._declare_variables(node)
            elif kind == "export_statement":
                self._es_export(node)
            elif kind == "import_statement":
                self._es_import(node)

    def _declare(self, node: Node) -> str | None:
        name_node = node.child_by_field_name("name")
        if name_node is None:
            return None
        name = text(name_node)
        self._decls[name] = node
        if node.type in _FUNCTION_DECLS:
            self._add_function(name, node)
        return name

    def _declare_variables(self, node: Node) -> list[str]:
        names: list[str] = []
        for decl in node.named_children:
            name_node = decl.child_by_field_name("name") if decl.type == "variable_declarator" \
                else None
            if name_node is None:
                continue
            if name_node.type != "identifier":
                names.extend(pattern_bindings(name_node))
                continue
            name = text(name_node)
            names.append(name)
            value = decl.child_by_field_name("value")
            if value is not None:
                self._decls[name] = value
                if value.type in _FUNCTION_VALUES:
                    self._add_function(name, value)
        return names

    def _add_function(self, name: str, node: Node) -> None:
        is_async = any(c.type == "async" for c in node.children[:3])
        self.functions.setdefault(name, Function(name, _params(node), is_async, line(node)))

    def _add_import(self, specifier: str, names: Iterable[str], node: Node, kind: ImportKind,
                    default: bool = False, name_lines: Iterable[int] = ()) -> None:
        self.imports.append(Import(specifier, tuple(names), line(node), is_relative(specifier),
                                   kind, default, tuple(name_lines)))

    def _add_call_import(self, specifier: str, call: Node, kind: ImportKind) -> None:
        picked = _requested_names(call)
        self._add_import(specifier, (n for n, _ in picked), call, kind,
                         name_lines=(ln for _, ln in picked))

    # -- ES modules -----------------------------------------------------------------

    def _es_import(self, node: Node) -> None:
        required = next((c for c in node.named_children if c.type == "import_require_clause"),
                        None)
        if required is not None:  # TypeScript: import fs = require('fs')
            source = required.child_by_field_name("source")
            if source is not None:
                self._add_import(string_value(source), (), node, ImportKind.REQUIRE)
            return
        self.esm = True
        source = node.child_by_field_name("source")
        if source is None:
            return
        names: list[str] = []
        lines: list[int] = []
        default = False
        for clause in (c for c in node.named_children if c.type == "import_clause"):
            for part in clause.named_children:
                if part.type == "identifier":
                    default = True
                elif part.type == "named_imports":
                    for spec in (s for s in part.named_children if s.type == "import_specifier"):
                        names.append(text(spec.child_by_field_name("name") or spec))
                        lines.append(line(spec))
        self._add_import(string_value(source), names, node, ImportKind.IMPORT, default, lines)

    def _es_export(self, node: Node) -> None:
        self.esm = True
        decl = node.child_by_field_name("declaration")
        decl = _ambient(decl) if decl is not None else None
        value = node.child_by_field_name("value")
        is_default = any(c.type == "default" for c in node.children)
        if any(c.type == "=" for c in node.children):  # TypeScript: export = value
            assigned = node.named_children[-1] if node.named_child_count else None
            if assigned is not None:
                self._module_exports(_unwrap(assigned), line(node))
            return
        if decl is not None:
            names = self._declare_variables(decl) if decl.type in _VARIABLES \
                else [n for n in [self._declare(decl)] if n]
            if is_default:
                self._es_default(decl, names[0] if names else None, line(node))
            else:
                self.exports.update(dict.fromkeys(names))
        elif value is not None:
            self._es_default(value, text(value) if value.type == "identifier" else None,
                             line(node))
        else:
            self._export_clause(node)

    def _es_default(self, node: Node, name: str | None, at: int) -> None:
        target = self._decls.get(name, node) if node.type == "identifier" and name else node
        self.default = DefaultExport(_kind_of(target), name, at)
        self.exports["default"] = None
        if target.type in _FUNCTIONS:
            self._add_function(name or "default", target)

    def _export_clause(self, node: Node) -> None:
        source = node.child_by_field_name("source")
        spec = string_value(source) if source is not None else None
        clause = next((c for c in node.named_children if c.type == "export_clause"), None)
        namespace = next((c for c in node.named_children if c.type == "namespace_export"), None)
        picked: list[str] = []
        if clause is not None:  # export { a, b as c } [from '...']
            for s in (s for s in clause.named_children if s.type == "export_specifier"):
                name = s.child_by_field_name("name")
                alias = s.child_by_field_name("alias") or name
                if name is not None and alias is not None:
                    picked.append(text(name))
                    self.exports[text(alias)] = None
        elif namespace is not None and namespace.named_child_count:  # export * as ns from
            self.exports[text(namespace.named_children[-1])] = None
        elif spec is not None:  # export * from '...'
            self.reexports[spec] = None
        if spec is not None:
            self._add_import(spec, picked, node, ImportKind.REEXPORT)

    # -- query matches: require, import(), CommonJS exports --------------------------

    def scan_matches(self, matches: Iterable[tuple[int, dict[str, list[Node]]]]) -> None:
        for _, caps in matches:
            if "require" in caps:
                call = caps["require"][0]
                self._add_call_import(string_value(caps["spec"][0]), call, ImportKind.REQUIRE)
            elif "dynamic" in caps:
                call = caps["dynamic"][0]
                self._add_call_import(string_value(caps["spec"][0]), call, ImportKind.DYNAMIC)
            elif "assign" in caps:
                obj, prop = text(caps["obj"][0]), text(caps["prop"][0])
                if obj == "exports":
                    self._named_export(prop, caps["value"][0])
                elif prop == "exports":
                    self._module_exports(_unwrap(caps["value"][0]), line(caps["assign"][0]))
            elif "assign_member" in caps:
                self._named_export(text(caps["prop"][0]), caps["value"][0])
            elif "assign_object" in caps and text(caps["target"][0]) in _EXPORT_OBJECTS:
                self._assigned_exports(caps["target"][0])

    def _assigned_exports(self, target: Node) -> None:
        """`Object.assign(module.exports, { a, b }, other)`."""
        sibling = target.next_named_sibling
        while sibling is not None:
            if sibling.type == "object":
                self._object_exports(sibling, 0)
            elif sibling.type != "comment":
                self.opaque = True
            sibling = sibling.next_named_sibling

    def _named_export(self, name: str, value: Node) -> None:
        self.exports[name] = None
        self._maybe_function(name, _unwrap(value))

    def _maybe_function(self, name: str, value: Node | None) -> None:
        if value is not None and value.type == "identifier":
            value = self._decls.get(text(value))
        if value is not None and value.type in _FUNCTIONS:
            self._add_function(name, value)

    def _module_exports(self, value: Node, at: int) -> None:
        name = text(value) if value.type == "identifier" else None
        target = self._decls.get(name) if name else value
        if target is not None and target.type == "object":
            self._object_exports(target, 0)
            return
        spec = require_specifier(target)
        if spec is not None:
            self.reexports[spec] = None  # module.exports = require('./x')
            return
        kind = _kind_of(target)
        if name is None and target is not None and target.type != "identifier":
            inner = target.child_by_field_name("name")
            name = text(inner) if inner is not None else None
        self.default = DefaultExport(kind, name, at)
        if kind == "function" and target is not None:
            self._add_function(name or "default", target)
        elif kind == "class" and target is not None:
            self.exports.update(dict.fromkeys(_class_statics(target)))
        else:
            self.opaque = True  # an instance, a call result, ...: its keys are unknowable

    def _object_exports(self, obj: Node, depth: int) -> None:
        for child in obj.named_children:
            kind = child.type
            if kind == "shorthand_property_identifier":
                self.exports[text(child)] = None
                self._maybe_function(text(child), child)
            elif kind in ("pair", "method_definition"):
                key = child.child_by_field_name("key" if kind == "pair" else "name")
                name = _key_name(key)
                if name is None:
                    self.opaque = True
                    continue
                self.exports[name] = None
                self._maybe_function(name, child.child_by_field_name("value")
                                     if kind == "pair" else child)
            elif kind == "spread_element":
                self._spread_exports(child, depth)

    def _spread_exports(self, spread: Node, depth: int) -> None:
        arg = spread.named_children[0] if spread.named_child_count else None
        spec = require_specifier(arg)
        if spec is not None:
            self.reexports[spec] = None
            return
        local = self._decls.get(text(arg)) if arg is not None and arg.type == "identifier" \
            else None
        if local is not None and local.type == "object" and depth < _MAX_SPREAD_DEPTH:
            self._object_exports(local, depth + 1)
        else:
            self.opaque = True


def _ambient(node: Node) -> Node:
    """`declare const x: T` (TypeScript) -> the declaration it wraps."""
    if node.type == "ambient_declaration" and node.named_child_count:
        return node.named_children[0]
    return node


def _class_statics(node: Node) -> list[str]:
    body = node.child_by_field_name("body")
    if body is None:
        return []
    names: list[str] = []
    for member in body.named_children:
        if member.type not in ("method_definition", "field_definition"):
            continue
        if any(c.type == "static" for c in member.children[:2]):
            key = member.child_by_field_name("name") or member.child_by_field_name("property")
            name = _key_name(key)
            if name is not None:
                names.append(name)
    return names
