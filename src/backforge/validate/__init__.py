"""Validate: static checks of generated files (presence, syntax, imports/exports,
declared packages), independent of the provider that wrote them.

- `UnitValidator().validate(unit, generation, ctx)`: the engine's Validator.
- `validate_tree(files, package_json)`: the same checks over a finished project.
- `presence_issues(unit, paths)`: required / critical files missing.
- `Registry`: parsed files (exports, functions, imports) for prompts and later layers.
"""

from backforge.validate.languages import Language, default_languages
from backforge.validate.languages.javascript import JavaScriptLanguage
from backforge.validate.languages.jsonfile import JsonLanguage
from backforge.validate.model import (
    DefaultExport,
    Exports,
    Function,
    Import,
    ImportKind,
    ParsedFile,
    SyntaxProblem,
)
from backforge.validate.registry import Registry
from backforge.validate.rules import declared_packages, presence_issues
from backforge.validate.validator import UnitValidator, validate_tree

__all__ = ["DefaultExport", "Exports", "Function", "Import", "ImportKind", "JavaScriptLanguage",
           "JsonLanguage", "Language", "ParsedFile", "Registry", "SyntaxProblem",
           "UnitValidator", "declared_packages", "default_languages", "presence_issues",
           "validate_tree"]
