"""What every tree-sitter front-end shares: a parser per thread, locating the first
syntax problem."""

from __future__ import annotations

import threading

from tree_sitter import Language, Node, Parser

from backforge.validate.model import SyntaxProblem

_SNIPPET = 40


def _text(node: Node) -> str:
    return node.text.decode("utf-8", "replace") if node.text is not None else ""


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
    if col == 0 and row > 0 and found.start_byte >= root.end_byte:
        # Something missing at the very end (after the last newline): name the last line,
        # where the file stops, not an empty line past it.
        lines = (root.text or b"").rstrip(b"\n").split(b"\n")
        row, col = len(lines) - 1, len(lines[-1])
    if found.is_missing:
        message = f"missing `{found.type}`"
    else:
        snippet = _text(found).strip().splitlines()
        shown = snippet[0][:_SNIPPET] if snippet else ""
        message = f"unexpected `{shown}`" if shown else "unexpected end of input"
    return SyntaxProblem(row + 1, col + 1, f"syntax error: {message}")


__all__ = ["first_syntax_problem"]


class ThreadLocalParser:
    """One tree-sitter Parser per thread (a Parser is not thread-safe) for `ts_language`."""

    ts_language: Language
    suffixes: tuple[str, ...]

    def __init__(self) -> None:
        self._local = threading.local()

    def _parser(self) -> Parser:
        parser = getattr(self._local, "parser", None)
        if parser is None:
            parser = self._local.parser = Parser(self.ts_language)
        return parser

    def handles(self, path: str) -> bool:
        return path.endswith(self.suffixes)
