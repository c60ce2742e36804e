"""Terraform / HCL2 with tree-sitter-hcl: syntax, and local module sources as imports.

`module "vpc" { source = "./modules/vpc" }` loads a folder of .tf files; a source
that names no folder of the project is the Terraform form of an unresolved import.
Registry and git sources are not project files and are not recorded.
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection

import tree_sitter_hcl as tshcl
from tree_sitter import Language as TSLanguage
from tree_sitter import Node

from backforge.validate.languages.node import is_relative, target_path
from backforge.validate.languages.treesitter import ThreadLocalParser, first_syntax_problem
from backforge.validate.model import Import, ImportKind, ParsedFile

_TS_LANGUAGE = TSLanguage(tshcl.language())
_SUFFIXES = (".tf", ".tfvars", ".hcl", ".tfvars.example")


def _text(node: Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text else ""


def _plain_string(expr: Node) -> str | None:
    """The value of `"./x"` (a string without interpolation), else None."""
    raw = _text(expr).strip()
    if len(raw) >= 2 and raw[0] == raw[-1] == '"' and "${" not in raw:
        return raw[1:-1]
    return None


def _module_sources(root: Node) -> list[Import]:
    imports: list[Import] = []
    body = next((c for c in root.named_children if c.type == "body"), None)
    for block in body.named_children if body is not None else ():
        if block.type != "block" or not block.named_children \
                or _text(block.named_children[0]) != "module":
            continue
        inner = next((c for c in block.named_children if c.type == "body"), None)
        for attr in inner.named_children if inner is not None else ():
            if attr.type != "attribute" or _text(attr.named_children[0]) != "source":
                continue
            value = _plain_string(attr.named_children[-1])
            if value is not None and is_relative(value):
                imports.append(Import(value, (), attr.start_point[0] + 1, True,
                                      ImportKind.MODULE))
    return imports


class HclLanguage(ThreadLocalParser):
    name = "hcl"
    suffixes = _SUFFIXES
    syntax_rule = "hcl-syntax"

    ts_language = _TS_LANGUAGE

    def parse(self, path: str, source: str) -> ParsedFile:
        root = self._parser().parse(source.encode("utf-8", "replace")).root_node
        problem = first_syntax_problem(root)
        return ParsedFile(path, self.name, (problem,) if problem else (), opaque_exports=True,
                          imports=tuple(_module_sources(root)))

    def resolve(self, from_path: str, specifier: str,
                known_paths: Collection[str]) -> str | None:
        """A module source is a folder: it resolves to its first .tf file."""
        folder = target_path(from_path, specifier)
        if folder is None:
            return None
        prefix = f"{folder}/" if folder else ""
        found = sorted(p for p in known_paths if p.startswith(prefix) and p.endswith(".tf")
                       and posixpath.dirname(p) == folder)
        return found[0] if found else None

    def import_statement(self, from_path: str, target: str, exports: object,
                         default: object) -> str:
        folder = posixpath.dirname(target)
        rel = posixpath.relpath(folder or ".", posixpath.dirname(from_path) or ".")
        rel = rel if rel.startswith("../") else f"./{rel}"
        return f'module "{posixpath.basename(folder)}" {{ source = "{rel}" }}'

    def is_builtin(self, specifier: str) -> bool:
        return False

    def package_of(self, specifier: str) -> str | None:
        return None
