"""Per file: syntax, relative imports (file and names), package declarations."""

from __future__ import annotations

from backforge.engine.protocols import Issue
from backforge.validate.checks import Scope
from backforge.validate.rules import file_issues


class FileCheck:
    name = "files"
    rules = ("js-syntax", "ts-syntax", "json-syntax", "sql-syntax", "hcl-syntax", "yaml-syntax",
             "import-unresolved", "import-name-missing", "package-undeclared")

    def check(self, scope: Scope) -> list[Issue]:
        return [issue for path in scope.paths
                for issue in file_issues(path, scope.registry, scope.declared)]
