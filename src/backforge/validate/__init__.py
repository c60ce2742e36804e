"""Validate: static checks of generated files, independent of the provider that
wrote them and of any stack's templates.

- `UnitValidator(languages=None, stack_rules=None).validate(unit, generation, ctx)`:
  the engine's Validator (stack rules default to the plan's stack's `rules`).
- `validate_tree(files, package_json=None, *, stack_rules=())`: every check over a
  finished project, including the whole-project ones (unused dependencies).
- `presence_issues(unit, paths)`: required / critical files missing.
- `Registry`: parsed files (exports, functions, imports, SQL, env reads); renders the
  import statement a dependent should write (`import_statement`) for prompts.
- Languages (parse, exports/imports, path resolution): JavaScript, JSON, SQL
  (sqlglot, PostgreSQL), HCL (tree-sitter-hcl), YAML. Another stack plugs in its own.
- Checks (`checks_for(stack_rules)`): base checks plus the rules a stack opts into
  (`STACK_RULES`: "named-exports", "parameterized-sql").
- `project`: read a folder, group issues by module, DESIGN.md's thresholds.
"""

from backforge.validate.checks import STACK_RULES, Check, Scope, base_checks, checks_for
from backforge.validate.languages import Language, default_languages
from backforge.validate.languages.hcl import HclLanguage
from backforge.validate.languages.javascript import JavaScriptLanguage
from backforge.validate.languages.jsonfile import JsonLanguage
from backforge.validate.languages.sql import SqlLanguage
from backforge.validate.languages.yamlfile import YamlLanguage
from backforge.validate.model import (
    DefaultExport,
    EnvRead,
    Exports,
    Function,
    Import,
    ImportKind,
    ParsedFile,
    SqlFragment,
    SqlInterpolation,
    SqlRef,
    SqlSchemaFacts,
    SyntaxProblem,
    TableDef,
)
from backforge.validate.registry import Registry
from backforge.validate.rules import declared_packages, presence_issues
from backforge.validate.validator import UnitValidator, stack_rules_of, validate_tree

__all__ = ["STACK_RULES", "Check", "DefaultExport", "EnvRead", "Exports", "Function",
           "HclLanguage", "Import", "ImportKind", "JavaScriptLanguage", "JsonLanguage",
           "Language", "ParsedFile", "Registry", "Scope", "SqlFragment", "SqlInterpolation",
           "SqlLanguage", "SqlRef", "SqlSchemaFacts", "SyntaxProblem", "TableDef",
           "UnitValidator", "YamlLanguage", "base_checks", "checks_for", "declared_packages",
           "default_languages", "presence_issues", "stack_rules_of", "validate_tree"]
