"""TypeScript with tree-sitter: the JavaScript front-end over the TypeScript grammar.

Exports include the type-level names (interfaces, type aliases, enums, `export type
{ ... } from`), imports include `import type` and `import x = require(...)`, and
specifiers resolve as tsc's node16/bundler resolution does (`./x` and `./x.js` both
name `x.ts`). The safety gate's queries run unchanged: a type annotation, `as` or `!`
changes nothing about which APIs a file reaches.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache

import tree_sitter_typescript as tsts
from tree_sitter import Language as TSLanguage

from backforge.validate.languages import node as node_rules
from backforge.validate.languages.javascript import Grammar, JavaScriptLanguage, _local_name
from backforge.validate.languages.js_safety import TS_SAFETY_QUERY
from backforge.validate.model import DefaultExport, Exports


@cache
def _grammar() -> Grammar:
    """Compiled on first use (~90 ms): a JavaScript-only run never pays for it."""
    return Grammar.of(TSLanguage(tsts.language_typescript()), TS_SAFETY_QUERY)


class TypeScriptLanguage(JavaScriptLanguage):
    name = "typescript"
    suffixes = (".ts", ".mts", ".cts")
    syntax_rule = "ts-syntax"

    @property
    def grammar(self) -> Grammar:  # type: ignore[override]
        return _grammar()

    @property
    def ts_language(self) -> TSLanguage:  # type: ignore[override]
        return _grammar().language

    def _is_esm(self, path: str) -> bool:
        return path.endswith(".mts")

    def resolve(self, from_path: str, specifier: str,
                known_paths: Collection[str]) -> str | None:
        return node_rules.resolve_ts(from_path, specifier, known_paths)

    def import_statement(self, from_path: str, target: str, exports: Exports,
                         default: DefaultExport | None) -> str:
        spec = node_rules.ts_specifier_for(from_path, target)
        named = sorted(exports.names - {"default"})
        local = _local_name(target.removesuffix(".ts") + ".js", default)
        if exports.is_esm or self.handles(target):
            parts = ([local] if exports.default and "default" in exports.names else []) + \
                ([f"{{ {', '.join(named)} }}"] if named else [])
            return f"import {', '.join(parts) or '* as ' + local} from '{spec}';"
        return f"import {local} from '{spec}';"  # CommonJS or JSON: its default import
