"""APIs a generated backend never needs, found in a JavaScript tree (not in its text, so
the same words in a comment or a string never count).

Each find is a `Hazard(rule, line, message)`; `checks/safety.py` turns them into issues,
minus what the stack allows for a file (its config module reads `process.env`).

Rules:
- unsafe-child-process: `child_process` loaded in any form (require, import, import()).
- unsafe-eval: `eval` referenced in any way (`eval(x)`, `globalThis.eval`, `global['eval']`).
- unsafe-function-constructor: `new Function(..)`, `Function(..)`, `x.constructor(..)`.
- unsafe-vm, unsafe-worker: `vm`; `worker_threads` and `cluster`.
- unsafe-native: `process.binding`, `process._linkedBinding`, `process.dlopen`,
  `process.mainModule`, `module.constructor`, `module.require`, the `module` builtin.
- unsafe-fs-write: an fs write/remove API (the backend never writes files).
- unsafe-network: outbound calls (`http(s).request/get`, `net`/`tls` connect, `dgram`,
  `http2.connect`, `fetch`, `XMLHttpRequest`, `WebSocket`, `EventSource`).
- unsafe-env-read: `process.env` in any form.
- unsafe-dynamic-require: `require`/`import()` whose argument is not a literal, or
  `require` used as a value (aliased, passed on).
- unsafe-dynamic-access: a computed property of `global`, `globalThis`, `process` or
  `module` (`global['ev' + 'al']`), or those objects used as values.

Bindings are followed by name across the file (`const fs = require('fs')` then
`fs.writeFileSync`), without scope analysis: a shadowing local of the same name is
flagged too, which errs on the side of the user.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node, Query, QueryCursor

from backforge.validate.languages.anchors import word_hits
from backforge.validate.languages.js_extract import line, pattern_key_lines, text
from backforge.validate.model import Hazard

SAFETY_QUERY = """
(call_expression function: (identifier) @fn (#eq? @fn "require")) @require
(call_expression function: (import)) @dynamic
(import_statement source: (string) @source) @import
((identifier) @name
  (#any-of? @name "eval" "Function" "fetch" "XMLHttpRequest" "WebSocket" "EventSource"
                  "require" "process" "module" "global" "globalThis"))
((shorthand_property_identifier) @name
  (#any-of? @name "eval" "Function" "fetch" "XMLHttpRequest" "WebSocket" "EventSource"
                  "require" "process" "module" "global" "globalThis"))
(call_expression
  function: (member_expression property: (property_identifier) @ctor
                               (#eq? @ctor "constructor"))) @ctor_call
"""
# TypeScript's `import cp = require('child_process')` (its grammar only).
TS_SAFETY_QUERY = """
(import_require_clause source: (string) @source) @import
"""
# Uses of names bound to fs/http/net/...: run only over files that bind one (few do).
BOUND_QUERY = """
(member_expression object: (identifier) @object property: (property_identifier) @prop) @member
(member_expression
  object: (member_expression object: (identifier) @object
                             property: (property_identifier) @via (#eq? @via "promises"))
  property: (property_identifier) @prop) @member
(subscript_expression object: (identifier) @object index: (_) @index) @subscript
"""

# Modules the stack never loads at all.
WHOLE_MODULES: dict[str, str] = {
    "child_process": "unsafe-child-process", "vm": "unsafe-vm",
    "worker_threads": "unsafe-worker", "cluster": "unsafe-worker",
    "module": "unsafe-native", "inspector": "unsafe-native", "dgram": "unsafe-network",
}
_FS_WRITES = frozenset({
    "writeFile", "writeFileSync", "appendFile", "appendFileSync", "createWriteStream",
    "unlink", "unlinkSync", "rm", "rmSync", "rmdir", "rmdirSync", "mkdir", "mkdirSync",
    "mkdtemp", "mkdtempSync", "rename", "renameSync", "copyFile", "copyFileSync", "cp",
    "cpSync", "symlink", "symlinkSync", "link", "linkSync", "truncate", "truncateSync",
    "chmod", "chmodSync", "chown", "chownSync", "utimes", "utimesSync", "write",
    "writeSync", "writev", "writevSync", "open", "openSync", "lchown", "lchownSync",
    "lutimes", "lutimesSync", "ftruncate", "ftruncateSync"})
_CLIENT_CALLS = frozenset({"request", "get", "connect"})
# Modules whose members are judged one by one: (rule, forbidden members).
MEMBER_MODULES: dict[str, tuple[str, frozenset[str]]] = {
    "fs": ("unsafe-fs-write", _FS_WRITES),
    "fs/promises": ("unsafe-fs-write", _FS_WRITES),
    "http": ("unsafe-network", _CLIENT_CALLS | {"Agent", "ClientRequest"}),
    "https": ("unsafe-network", _CLIENT_CALLS | {"Agent"}),
    "http2": ("unsafe-network", _CLIENT_CALLS),
    "net": ("unsafe-network", frozenset({"connect", "createConnection", "Socket"})),
    "tls": ("unsafe-network", frozenset({"connect", "TLSSocket", "createSecurePair"})),
}
_GLOBAL_NAMES: dict[str, str] = {
    "eval": "unsafe-eval", "Function": "unsafe-function-constructor",
    "fetch": "unsafe-network", "XMLHttpRequest": "unsafe-network",
    "WebSocket": "unsafe-network", "EventSource": "unsafe-network",
}
_PROCESS_MEMBERS: dict[str, str] = {
    "env": "unsafe-env-read", "binding": "unsafe-native", "_linkedBinding": "unsafe-native",
    "dlopen": "unsafe-native", "mainModule": "unsafe-native",
}
_MODULE_MEMBERS: dict[str, str] = {"constructor": "unsafe-native", "require": "unsafe-native"}
_GLOBAL_OBJECTS = frozenset({"global", "globalThis"})
_DYNAMIC_OBJECTS = _GLOBAL_OBJECTS | {"process", "module"}
_DECLARATIONS = frozenset({"variable_declarator", "assignment_expression"})


def module_name(specifier: str) -> str:
    return specifier.removeprefix("node:")


def _literal(node: Node | None) -> str | None:
    """The value of a string literal or a template string without substitutions."""
    if node is None:
        return None
    if node.type == "string":
        return text(node)[1:-1]
    if node.type == "template_string" and not any(
            c.type == "template_substitution" for c in node.children):
        return text(node)[1:-1]
    return None


def _compared(node: Node) -> bool:
    """`node` is one side of an (in)equality: read, never called or passed on."""
    parent = node.parent
    if parent is None or parent.type != "binary_expression":
        return False
    operator = parent.child_by_field_name("operator")
    return operator is not None and text(operator) in ("===", "!==", "==", "!=")


def _first_argument(call: Node) -> Node | None:
    args = call.child_by_field_name("arguments")
    named = [c for c in args.named_children if c.type != "comment"] if args else []
    return named[0] if named else None


class _Scan:
    def __init__(self) -> None:
        self.hazards: dict[tuple[str, int, str], None] = {}
        self.bound: dict[str, str] = {}  # local name -> module it holds

    def add(self, rule: str, node: Node, message: str) -> None:
        self.hazards[(rule, line(node), message)] = None

    # -- module loads ----------------------------------------------------------------

    def load(self, call: Node, specifier: str) -> None:
        name = module_name(specifier)
        whole = WHOLE_MODULES.get(name)
        if whole is not None:
            self.add(whole, call, f"loads '{specifier}', which this stack never needs")
        elif name in MEMBER_MODULES:
            self._bind_value(call, name)

    def _bind_value(self, value: Node, module: str) -> None:
        """Follow what the loaded module (a call's or await's value) is bound to."""
        parent = value.parent
        if parent is not None and parent.type == "await_expression":
            value, parent = parent, parent.parent
        if parent is None:
            return
        if parent.type == "member_expression" and parent.child_by_field_name("object") == value:
            prop = parent.child_by_field_name("property")
            if prop is None:
                return
            if text(prop) == "promises" and module == "fs":
                self._bind_value(parent, "fs/promises")
            else:
                self.member(module, text(prop), prop)
            return
        if parent.type not in _DECLARATIONS:
            return
        target = parent.child_by_field_name("name" if parent.type == "variable_declarator"
                                            else "left")
        if target is None:
            return
        if target.type == "identifier":
            self.bound[text(target)] = module
        elif target.type == "object_pattern":
            self._picks(module, target)

    def _picks(self, module: str, pattern: Node) -> None:
        for key, ln in pattern_key_lines(pattern):
            self._picked(module, key, ln, pattern)
        for child in pattern.named_children:  # { promises: fsp } / { promises }
            key = child.child_by_field_name("key") if child.type == "pair_pattern" else child
            value = child.child_by_field_name("value") if child.type == "pair_pattern" \
                else child
            if key is not None and text(key) == "promises" and value is not None \
                    and value.type in ("identifier", "shorthand_property_identifier_pattern"):
                self.bound[text(value)] = "fs/promises"

    def _picked(self, module: str, key: str, ln: int, node: Node) -> None:
        rule, members = MEMBER_MODULES[module]
        if key in members:
            self.hazards[(rule, ln, f"takes {key} from '{module}'")] = None

    def member(self, module: str, prop: str, node: Node) -> None:
        rule, members = MEMBER_MODULES[module]
        if prop in members:
            self.add(rule, node, f"uses {module}.{prop}")

    def es_import(self, statement: Node, source: Node) -> None:
        specifier = text(source)[1:-1]
        name = module_name(specifier)
        if name in WHOLE_MODULES:
            self.add(WHOLE_MODULES[name], statement,
                     f"imports '{specifier}', which this stack never needs")
            return
        if name not in MEMBER_MODULES:
            return
        if statement.type == "import_require_clause":  # TypeScript: import fs = require('fs')
            local = statement.named_children[0] if statement.named_child_count else None
            if local is not None and local.type == "identifier":
                self.bound[text(local)] = name
            return
        for clause in (c for c in statement.named_children if c.type == "import_clause"):
            for part in clause.named_children:
                if part.type == "identifier":
                    self.bound[text(part)] = name
                elif part.type == "namespace_import" and part.named_child_count:
                    self.bound[text(part.named_children[-1])] = name
                elif part.type == "named_imports":
                    for spec in (s for s in part.named_children if s.type == "import_specifier"):
                        imported = text(spec.child_by_field_name("name") or spec)
                        alias = spec.child_by_field_name("alias")
                        if imported == "promises" and name == "fs":
                            self.bound[text(alias or spec)] = "fs/promises"
                        self._picked(name, imported, line(spec), spec)

    # -- calls and names -------------------------------------------------------------

    def call(self, call: Node, kind: str) -> None:
        """`require(x)` / `import(x)`: a literal loads a module, anything else is dynamic."""
        arg = _first_argument(call)
        value = _literal(arg)
        if value is None:
            shown = " ".join(text(arg).split())[:40] if arg is not None else ""
            self.add("unsafe-dynamic-require", call,
                     f"{kind}({shown}) loads a module named at run time")
        else:
            self.load(call, value)

    def name(self, node: Node) -> None:
        name, parent = text(node), node.parent
        if parent is None:
            return
        if name in _GLOBAL_NAMES:
            if name == "Function" and parent.type == "binary_expression" \
                    and text(parent.child_by_field_name("operator") or parent) == "instanceof":
                return
            self.add(_GLOBAL_NAMES[name], node, f"uses {name}")
        elif name == "require":
            self._require_name(node, parent)
        elif name in _DYNAMIC_OBJECTS:
            self._object_use(name, node, parent)

    def _require_name(self, node: Node, parent: Node) -> None:
        if parent.type == "call_expression" and parent.child_by_field_name("function") == node:
            return  # a call: judged by `call`
        if parent.type == "member_expression" and parent.child_by_field_name("object") == node:
            prop = parent.child_by_field_name("property")
            if prop is not None and text(prop) == "resolve":
                return  # resolves a path, loads nothing
            if prop is not None and text(prop) == "main" and _compared(parent):
                return  # `require.main === module`: am I the entry script?
        self.add("unsafe-dynamic-require", node, "require is used as a value")

    def _object_use(self, name: str, node: Node, parent: Node) -> None:
        if parent.type == "member_expression" and parent.child_by_field_name("object") == node:
            prop = parent.child_by_field_name("property")
            if prop is not None:
                self._object_member(name, text(prop), node)
            return
        if parent.type == "subscript_expression" and parent.child_by_field_name("object") == node:
            key = _literal(parent.child_by_field_name("index"))
            if key is None:
                self.add("unsafe-dynamic-access", node,
                         f"{name}[...] reads a property named at run time")
            else:
                self._object_member(name, key, node)
            return
        if name == "process" and parent.type == "variable_declarator" \
                and parent.child_by_field_name("value") == node:
            pattern = parent.child_by_field_name("name")
            if pattern is not None and pattern.type == "object_pattern":
                for key, _ in pattern_key_lines(pattern):
                    self._object_member(name, key, node)
                return
        if name in ("module", "process") and (parent.type == "unary_expression"
                                              or _compared(node)):
            return  # `typeof module`, `require.main === module`
        self.add("unsafe-dynamic-access", node, f"{name} is used as a value")

    def _object_member(self, name: str, prop: str, node: Node) -> None:
        if name in _GLOBAL_OBJECTS:
            rule = _GLOBAL_NAMES.get(prop)
            if rule is None and prop in ("require", "process", "module"):
                rule = "unsafe-dynamic-access"
            if rule is not None:
                self.add(rule, node, f"uses {name}.{prop}")
        elif name == "process" and prop in _PROCESS_MEMBERS:
            self.add(_PROCESS_MEMBERS[prop], node, f"uses process.{prop}")
        elif name == "module" and prop in _MODULE_MEMBERS:
            self.add(_MODULE_MEMBERS[prop], node, f"uses module.{prop}")

    def bound_member(self, object_name: str, prop: str, node: Node) -> None:
        module = self.bound.get(object_name)
        if module is not None:
            self.member(module, prop, node)

    def bound_subscript(self, object_name: str, index: Node, node: Node) -> None:
        module = self.bound.get(object_name)
        if module is None:
            return
        key = _literal(index)
        if key is None:
            self.add("unsafe-dynamic-access", node,
                     f"{object_name}[...] reads a member of '{module}' named at run time")
        else:
            self.member(module, key, node)


# Every SAFETY_QUERY pattern holds one of these words: the query runs only around them
# (a whole-tree pass visits every identifier; this costs a few byte searches per file).
ANCHORS = (b"require", b"import", b"eval", b"Function", b"fetch", b"XMLHttpRequest",
           b"WebSocket", b"EventSource", b"process", b"module", b"global", b"globalThis",
           b"constructor")
_MAIN = ("require", "dynamic", "import", "name", "ctor_call")


def _matches(root: Node, query: Query) -> Iterator[tuple[int, dict[str, list[Node]]]]:
    return iter(QueryCursor(query).matches(root))


def _anchored(root: Node, data: bytes, query: Query) -> list[dict[str, list[Node]]]:
    """The query's matches around each anchor word, each once, in document order."""
    cursor = QueryCursor(query)
    found: dict[tuple[int, int, str], dict[str, list[Node]]] = {}
    for start, end in word_hits(data, ANCHORS):
        cursor.set_byte_range(start, end)
        for _, caps in cursor.matches(root):
            main = next(k for k in _MAIN if k in caps)
            node = caps[main][0]
            found.setdefault((node.start_byte, node.end_byte, main), caps)
    return [found[key] for key in sorted(found)]


def hazards(root: Node, data: bytes, query: Query, bound_query: Query) -> tuple[Hazard, ...]:
    """Every forbidden API the tree (parsed from `data`) uses, sorted by line (`query`:
    SAFETY_QUERY, `bound_query`: BOUND_QUERY, compiled by the language)."""
    scan = _Scan()
    for caps in _anchored(root, data, query):
        if "require" in caps:
            scan.call(caps["require"][0], "require")
        elif "dynamic" in caps:
            scan.call(caps["dynamic"][0], "import")
        elif "import" in caps:
            scan.es_import(caps["import"][0], caps["source"][0])
        elif "name" in caps:
            scan.name(caps["name"][0])
        elif "ctor_call" in caps:
            scan.add("unsafe-function-constructor", caps["ctor_call"][0],
                     "calls a .constructor (reaches the Function constructor)")
    for _, caps in (_matches(root, bound_query) if scan.bound else ()):
        obj = text(caps["object"][0])
        if "member" in caps:
            scan.bound_member(obj, text(caps["prop"][0]), caps["prop"][0])
        else:
            scan.bound_subscript(obj, caps["index"][0], caps["subscript"][0])
    return tuple(Hazard(rule, ln, message)
                 for rule, ln, message in sorted(scan.hazards, key=lambda h: (h[1], h[0])))
