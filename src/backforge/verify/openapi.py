"""Check live responses against the OpenAPI 3.1 document the server itself serves."""

from __future__ import annotations

import re
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

_ROOT = "urn:backforge:openapi"


class ResponseSchemas:
    """Finds the documented schema for (method, concrete path, status) and validates bodies."""

    def __init__(self, document: dict[str, Any], prefix: str = "") -> None:
        self.document = document
        self.prefix = prefix
        self._registry = Registry().with_resource(
            _ROOT, Resource.from_contents(document, default_specification=DRAFT202012))
        self._routes = [(self._pattern(p), p) for p in document.get("paths", {})]

    @staticmethod
    def _pattern(template: str) -> re.Pattern[str]:
        parts = re.split(r"(\{[^}]+\})", template)
        regex = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
        return re.compile(f"^{regex}$")

    def _operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        path = path.split("?", 1)[0]
        if self.prefix and path.startswith(self.prefix):
            path = path[len(self.prefix):] or "/"
        candidates = [t for rx, t in self._routes if rx.match(path)]
        # A literal segment beats a parameter: /tasks/stats over /tasks/{id}.
        candidates.sort(key=lambda t: t.count("{"))
        for template in candidates:
            op = self.document["paths"][template].get(method.lower())
            if op is not None:
                return f"/paths/{_escape(template)}/{method.lower()}", op
        return None

    def problems(self, method: str, path: str, status: int, body: Any) -> list[str]:
        """Empty when the response matches the document; else one line per mismatch."""
        found = self._operation(method, path)
        if found is None:
            return [f"{method} {path} is not in the OpenAPI document"]
        pointer, op = found
        responses = op.get("responses", {})
        key = next((k for k in (str(status), f"{str(status)[0]}XX", "default") if k in responses),
                   None)
        if key is None:
            return [f"status {status} is not documented for {method} {path}"]
        pointer, spec = self._deref(f"{pointer}/responses/{key}", responses[key])
        if (spec.get("content") or {}).get("application/json", {}).get("schema") is None:
            return [] if body in (None, "") else [f"{status} documents no body but one came"]
        # Validate through a reference into the document, so that the schema's own
        # "#/components/..." references resolve against the whole document.
        schema = {"$ref": f"{_ROOT}#{pointer}/content/application~1json/schema"}
        validator = Draft202012Validator(schema, registry=self._registry)
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        return [f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}"
                for e in errors[:5]]

    def _deref(self, pointer: str, node: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        while isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
            pointer = node["$ref"][1:]
            node = self.document
            for part in pointer[1:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
        return pointer, node


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")
