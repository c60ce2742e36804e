"""docker-compose files: valid YAML (the yaml-syntax rule) that defines the app and
its database, with every `depends_on` naming a defined service.

Services are recognized by what they are, not by name: the app is a service that
is built from the project (`build:`), the database one running a PostgreSQL image.
"""

from __future__ import annotations

import posixpath

import yaml

from backforge.engine.protocols import Issue, Severity
from backforge.validate.checks import Scope

COMPOSE_NAMES = frozenset({"docker-compose.yml", "docker-compose.yaml", "compose.yml",
                           "compose.yaml"})
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _mapping(node: yaml.Node | None) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """Key -> (key node, value node) of a YAML mapping node; {} for anything else."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _scalar(node: yaml.Node | None) -> str:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else ""


def _depends_on(service: yaml.Node) -> list[tuple[str, int]]:
    entry = _mapping(service).get("depends_on")
    if entry is None:
        return []
    value = entry[1]
    if isinstance(value, yaml.SequenceNode):
        return [(_scalar(n), _line(n)) for n in value.value]
    return [(name, _line(key)) for name, (key, _) in _mapping(value).items()]


def _issue(path: str, line: int, message: str, hint: str) -> Issue:
    return Issue("compose-service-missing", message, path, line, Severity.ERROR, hint)


def compose_issues(path: str, content: str) -> list[Issue]:
    try:
        root = yaml.compose(content, Loader=_LOADER)
    except yaml.YAMLError:
        return []  # yaml-syntax reports it
    entry = _mapping(root).get("services")
    services = _mapping(entry[1]) if entry is not None else {}
    if not services:
        return [_issue(path, _line(entry[0]) if entry else 1, "defines no services",
                       "add a services: mapping with the app (build: .) and a postgres db")]
    at = _line(entry[0])
    issues: list[Issue] = []
    if not any("build" in _mapping(node) for _, node in services.values()):
        issues.append(_issue(path, at, "no service builds the app (no service has build:)",
                             "add an app service with build: . and its environment"))
    if not any("postgres" in _scalar(_mapping(node).get("image", (None, None))[1]).lower()
               for _, node in services.values()):
        issues.append(_issue(path, at, "no database service (no service runs a postgres "
                             "image)", "add a db service with image: postgres:16-alpine, "
                             "a volume and a pg_isready healthcheck"))
    for name, (_, node) in services.items():
        for needed, line in _depends_on(node):
            if needed not in services:
                issues.append(_issue(path, line, f"service {name} depends on {needed}, which "
                                     "is not defined", f"define service {needed} or depend on "
                                     f"one of: {', '.join(sorted(services))}"))
    return issues


class ComposeCheck:
    name = "compose"
    rules = ("compose-service-missing",)

    def check(self, scope: Scope) -> list[Issue]:
        issues: list[Issue] = []
        for path in scope.paths:
            if posixpath.basename(path) in COMPOSE_NAMES:
                content = scope.registry.content(path)
                if content is not None:
                    issues.extend(compose_issues(path, content))
        return issues
