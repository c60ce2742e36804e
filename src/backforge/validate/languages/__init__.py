"""Language front-ends: each turns one source file into a `ParsedFile` and knows
how its import specifiers map to project files and packages.

A stack for another language (e.g. Python) plugs in by implementing `Language`
and passing it to `Registry(languages=...)`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Protocol

from backforge.validate.model import ParsedFile


class Language(Protocol):
    name: str  # "javascript", "typescript", "json", "sql", "hcl", "yaml"
    suffixes: tuple[str, ...]  # ".js", ".cjs", ...
    syntax_rule: str  # the Issue rule id for a file that does not parse

    def handles(self, path: str) -> bool:
        """Whether this front-end parses the file at `path`."""
        ...

    def parse(self, path: str, source: str) -> ParsedFile: ...

    def resolve(self, from_path: str, specifier: str,
                known_paths: Collection[str]) -> str | None:
        """The project file a relative specifier in `from_path` loads, if any."""
        ...

    def is_builtin(self, specifier: str) -> bool:
        """A module the runtime ships (needs no declaration)."""
        ...

    def package_of(self, specifier: str) -> str | None:
        """The package name to declare for a non-relative specifier, None if invalid."""
        ...


def default_languages() -> tuple[Language, ...]:
    """Every front-end this package ships: JavaScript, TypeScript, JSON, SQL, HCL
    (Terraform), YAML."""
    from backforge.validate.languages.hcl import HclLanguage
    from backforge.validate.languages.javascript import JavaScriptLanguage
    from backforge.validate.languages.jsonfile import JsonLanguage
    from backforge.validate.languages.sql import SqlLanguage
    from backforge.validate.languages.typescript import TypeScriptLanguage
    from backforge.validate.languages.yamlfile import YamlLanguage

    return (JavaScriptLanguage(), TypeScriptLanguage(), JsonLanguage(), SqlLanguage(),
            HclLanguage(), YamlLanguage())


def language_for(path: str, languages: Sequence[Language]) -> Language | None:
    return next((lang for lang in languages if lang.handles(path)), None)


__all__ = ["Language", "default_languages", "language_for"]
