"""JSON files: a strict parse (what `require('./x.json')` and npm accept)."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Collection

from backforge.validate.model import ParsedFile, SyntaxProblem

# Tools that read these with comments allowed (JSONC): a strict parse would be a false alarm.
_JSONC_NAMES = ("tsconfig", "jsconfig")


class JsonLanguage:
    name = "json"
    suffixes = (".json",)
    syntax_rule = "json-syntax"

    def handles(self, path: str) -> bool:
        base = posixpath.basename(path)
        return base.endswith(self.suffixes) and not base.startswith(_JSONC_NAMES) \
            and "/.vscode/" not in f"/{path}"

    def parse(self, path: str, source: str) -> ParsedFile:
        try:
            value = json.loads(source)
        except json.JSONDecodeError as exc:
            problem = SyntaxProblem(exc.lineno, exc.colno, f"invalid JSON: {exc.msg}")
            return ParsedFile(path, self.name, (problem,), opaque_exports=True)
        # `const { version } = require('./package.json')` picks top-level keys.
        if isinstance(value, dict):
            return ParsedFile(path, self.name, exports=tuple(value))
        return ParsedFile(path, self.name, opaque_exports=True)

    def resolve(self, from_path: str, specifier: str,
                known_paths: Collection[str]) -> str | None:
        return None  # JSON imports nothing

    def is_builtin(self, specifier: str) -> bool:
        return False

    def package_of(self, specifier: str) -> str | None:
        return None
