"""YAML files (docker-compose, CI workflows): a safe parse of every document."""

from __future__ import annotations

from collections.abc import Collection

import yaml

from backforge.validate.model import ParsedFile, SyntaxProblem

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_problem(source: str) -> SyntaxProblem | None:
    try:
        for _ in yaml.compose_all(source, Loader=_LOADER):
            pass
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        what = err.problem or err.context or "invalid YAML"
        return SyntaxProblem(line, col, f"invalid YAML: {what}")
    except yaml.YAMLError as err:
        return SyntaxProblem(1, 1, f"invalid YAML: {err}")
    return None


class YamlLanguage:
    name = "yaml"
    suffixes = (".yml", ".yaml")
    syntax_rule = "yaml-syntax"

    def handles(self, path: str) -> bool:
        return path.endswith(self.suffixes)

    def parse(self, path: str, source: str) -> ParsedFile:
        problem = yaml_problem(source)
        return ParsedFile(path, self.name, (problem,) if problem else (), opaque_exports=True)

    def resolve(self, from_path: str, specifier: str,
                known_paths: Collection[str]) -> str | None:
        return None

    def is_builtin(self, specifier: str) -> bool:
        return False

    def package_of(self, specifier: str) -> str | None:
        return None
