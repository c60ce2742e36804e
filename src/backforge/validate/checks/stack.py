"""Rules a stack opts into (see `STACK_RULES`).

- export-default ("named-exports"): a source module exports one value
  (`module.exports = router`, `export default x`) where the stack's files export
  named members; importers then destructure names that do not exist, and the
  registry cannot check them. Tool configuration files (`eslint.config.js`) are
  exempt: their tools require a default export.
- sql-interpolated ("parameterized-sql"): a value is spliced into SQL text
  (template substitution or `+`) instead of travelling as a $n parameter.
  Identifiers and fragments built from the code's own constants are fine; a
  value position (after `=`, `LIKE`, `LIMIT`, inside quotes or a VALUES/IN list)
  or anything read from the request is not.
"""

from __future__ import annotations

import posixpath
import re

from backforge.engine.protocols import Issue, Severity
from backforge.validate.checks import Scope
from backforge.validate.model import SqlInterpolation

_TOOL_CONFIG = re.compile(r"(?:^|[.\-])config\.[cm]?[jt]s$|^\.[\w-]+rc\.[cm]?[jt]s$")
_VALUE_BEFORE = re.compile(
    r"(?i)(?:=|<>|!=|<|>|\bLIKE|\bILIKE|\bLIMIT|\bOFFSET|\bBETWEEN|\bIS|['%])$")
_LIST_OPENER = re.compile(r"(?i)\b(?:VALUES|IN)\s*$")
_REQUEST = re.compile(r"\breq(?:uest)?\.(?:query|body|params|headers|cookies)\b")


class NamedExportsCheck:
    name = "named-exports"
    rules = ("export-default",)

    def check(self, scope: Scope) -> list[Issue]:
        issues: list[Issue] = []
        for path in scope.paths:
            parsed = scope.registry.get(path)
            if parsed is None or parsed.default_export is None \
                    or parsed.language not in ("javascript", "typescript") \
                    or _TOOL_CONFIG.search(posixpath.basename(path)):
                continue
            default = parsed.default_export
            what = f"{default.kind} {default.name}" if default.name else default.kind
            form = "export default" if parsed.is_esm else "module.exports ="
            issues.append(Issue(
                "export-default", f"`{form}` exports a single {what}; this stack's modules "
                "export named members", path, default.line or None, Severity.ERROR,
                _named_hint(default.name or "name", esm=parsed.language == "typescript")))
        return issues


def _named_hint(name: str, *, esm: bool) -> str:
    """`esm`: the stack writes ES export syntax (TypeScript); JavaScript is CommonJS."""
    if esm:
        return f"export the names instead: export {{ {name}, ... }}, imported as {{ {name} }}"
    return (f"export an object of names instead: module.exports = {{ {name}, ... }} and "
            "destructure them where imported")


def _in_list(before: str) -> bool:
    """Whether `before` ends inside an open VALUES (...) or IN (...) list."""
    depth = 0
    for i in range(len(before) - 1, -1, -1):
        ch = before[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            if depth == 0:
                return _LIST_OPENER.search(before[:i]) is not None
            depth -= 1
    return False


def is_value_position(before: str) -> bool:
    text = before.rstrip()
    if text.endswith("$"):
        return False  # builds a $n placeholder
    if _VALUE_BEFORE.search(text):
        return True
    return text.endswith(("(", ",")) and _in_list(text)


def _spliced_issue(path: str, spliced: SqlInterpolation) -> Issue | None:
    from_request = _REQUEST.search(spliced.expression) is not None
    if spliced.placeholder or not (from_request or is_value_position(spliced.before)):
        return None
    shown = spliced.expression if len(spliced.expression) <= 40 \
        else spliced.expression[:37] + "..."
    context = " ".join(spliced.before.split())[-25:]
    why = "request data" if from_request else "a value"
    return Issue("sql-interpolated",
                 f"{why} is spliced into SQL text: `{context} ${{{shown}}}`", path, spliced.line,
                 Severity.ERROR,
                 f"write a $n placeholder in the SQL and pass {shown} in the values array "
                 "(query(text, [..., value]))")


class ParameterizedSqlCheck:
    name = "parameterized-sql"
    rules = ("sql-interpolated",)

    def check(self, scope: Scope) -> list[Issue]:
        issues: list[Issue] = []
        for path in scope.paths:
            parsed = scope.registry.get(path)
            if parsed is None:
                continue
            issues.extend(i for s in parsed.sql_interpolations
                          if (i := _spliced_issue(path, s)) is not None)
        return issues
