"""The visual design tool's project JSON -> native-shaped data.

That tool stores tables under `schema` (fields with SQL-ish types, `references:
"table.field"`, ids marked `unique` + `required`), endpoints both in a top-level
`endpoints` list and inside `diagrams.apiMap` nodes of type `api-service`, and
bookkeeping (ids, status, timestamps, `decisions`) that means nothing for code.
Every native path we produce is mapped back to the tool's own path, so errors
name `schema[2].fields[1].type`, not a place the user never wrote.
"""

from __future__ import annotations

import os
import re
from typing import Any

from backforge.spec.loaders.common import Converted, method, typed_field
from backforge.spec.naming import sql_identifier, url_segment
from backforge.spec.problems import Locator, Note, Problem
from backforge.spec.targets import stack_for, stacks_text

DEFAULT_PREFIX = "/api/v1"
# tool key -> native key; several spellings seen in exports of that tool family
_FIELD_KEYS = {
    "name": "name", "type": "type", "description": "description", "required": "required",
    "unique": "unique", "default": "default", "min": "min", "max": "max",
    "precision": "precision", "scale": "scale",
    "primary": "primary_key", "primaryKey": "primary_key", "primary_key": "primary_key",
    "isPrimary": "primary_key", "pk": "primary_key",
    "autoIncrement": "auto_increment", "auto_increment": "auto_increment",
    "maxLength": "max_length", "max_length": "max_length", "length": "max_length",
    "values": "values", "enum": "values", "enumValues": "values",
    "references": "references", "onDelete": "on_delete", "on_delete": "on_delete",
}
_TABLE_KEYS = {"name": "name", "description": "description", "timestamps": "timestamps"}
_QUIET = {  # bookkeeping keys the tool always writes: ignored without a note
    "": {"id", "name", "description", "status", "createdAt", "updatedAt", "database", "schema",
         "endpoints", "diagrams", "decisions", "version", "userId", "ownerId", "access",
         "options"},
    "table": {"id", "fields", "position", "color", "x", "y", "createdAt", "updatedAt"},
    "field": {"id", "nullable"},
}
_PREFIX_SEGMENT = re.compile(r"^(?:api|rest|v\d+(?:\.\d+)?)$", re.IGNORECASE)
_ENGINES = {"postgresql": "postgresql", "postgres": "postgresql", "pg": "postgresql"}


def _is_table(item: Any) -> bool:
    return isinstance(item, dict) and "fields" in item


class DesignToolLoader:
    name = "designtool"

    def detect(self, data: dict[str, Any]) -> bool:
        schema = data.get("schema")
        return ("tables" not in data and isinstance(schema, list)
                and any(_is_table(t) for t in schema))

    def convert(self, data: dict[str, Any]) -> Converted:
        return _Builder().build(data)


class _Builder:
    def __init__(self) -> None:
        self.paths: dict[str, str] = {"tables": "schema"}
        self.notes: list[Note] = []
        self.problems: list[Problem] = []
        self.untyped: set[tuple[int, int]] = set()
        self.ignored: dict[str, set[str]] = {}

    def build(self, data: dict[str, Any]) -> Converted:
        self._ignore("", data)
        out: dict[str, Any] = {k: data[k] for k in ("name", "description") if k in data}
        if "database" in data:
            out["database"] = self._database(data["database"])
        schema = data.get("schema")
        if isinstance(schema, list):
            out["tables"] = [self._table(ti, t) for ti, t in enumerate(schema)]
        elif schema is not None:
            out["tables"] = schema  # validation says it must be a list
        tables = out.get("tables")
        table_names = [t["name"] for t in (tables if isinstance(tables, list) else [])
                       if isinstance(t, dict) and isinstance(t.get("name"), str)]
        prefix, endpoints = self._endpoints(data, table_names)
        out["endpoints"] = endpoints
        auth_from = next((i for i, e in enumerate(endpoints) if e.get("auth") is True), None)
        if auth_from is not None:  # "auth is on but ..." names the endpoint that turned it on
            self.paths["options.auth"] = self.paths[f"endpoints[{auth_from}].auth"]
        # An endpoint that needs a token turns auth on; so does an `access` section (the
        # native one, passed through: the tool has no access model of its own).
        out["options"] = {"auth": any(e.get("auth") is True for e in endpoints)
                          or data.get("access") is not None,
                          "tests": True, "docker": True, "terraform": False,
                          "api_prefix": prefix}
        if data.get("access") is not None:
            out["access"] = data["access"]
        self._stack(data.get("options"), out)
        self.notes += [Note("", f"ignored {level or 'top-level'} keys: {', '.join(sorted(keys))}")
                       for level, keys in self.ignored.items()]
        return Converted(out, Locator(self.paths), tuple(self.notes), tuple(self.problems),
                         frozenset(self.untyped))

    def _stack(self, raw: Any, out: dict[str, Any]) -> None:
        """`options.language` / `options.framework` (the tool's generator API) pick the
        stack; a pair no stack serves is an error, never a silent fallback."""
        if raw is None:
            return
        if not isinstance(raw, dict):
            self.problems.append(Problem("options", "must be an object with language and "
                                                    "framework"))
            return
        language, framework = raw.get("language"), raw.get("framework")
        for key, value in (("language", language), ("framework", framework)):
            if value is not None and not isinstance(value, str):
                self.problems.append(Problem(f"options.{key}", "must be a string"))
                return
        stack = stack_for(language, framework)
        if stack is None:
            self.problems.append(Problem(
                "options", f"no stack serves language '{language or 'javascript'}' with "
                           f"framework '{framework or 'express'}'; the stacks that exist: "
                           f"{stacks_text()}",
                "set options.language and options.framework to one of those pairs"))
            return
        out["stack"] = stack
        self.paths["stack"] = ("options.framework" if framework is not None
                               else "options.language")

    def _ignore(self, level: str, raw: dict[str, Any], known: dict[str, str] | None = None) -> None:
        extra = {str(k) for k in raw} - _QUIET[level] - set(known or {})
        if extra:
            self.ignored.setdefault(level, set()).update(extra)

    def _database(self, raw: Any) -> Any:
        if not isinstance(raw, dict):
            return raw
        self.paths["database.engine"] = "database.type"
        engine = raw.get("type", "postgresql")
        if isinstance(engine, str):
            engine = _ENGINES.get(engine.strip().lower(), engine)
        out = {"engine": engine}
        if raw.get("name") is not None:
            out["name"] = raw["name"]
        return out

    def _table(self, ti: int, raw: Any) -> Any:
        if not _is_table(raw):
            return raw  # validation names schema[ti]
        self._ignore("table", raw, _TABLE_KEYS)
        out = {_TABLE_KEYS[k]: v for k, v in raw.items() if k in _TABLE_KEYS}
        fields = raw["fields"]
        if not isinstance(fields, list):
            out["fields"] = fields
            return out
        out["fields"] = [self._field(ti, fi, f) for fi, f in enumerate(fields)]
        _mark_id_primary_key(out["fields"])
        return out

    def _field(self, ti: int, fi: int, raw: Any) -> Any:
        here = f"tables[{ti}].fields[{fi}]"
        if not isinstance(raw, dict):
            return raw
        self._ignore("field", raw, _FIELD_KEYS)
        out: dict[str, Any] = {}
        for key, value in raw.items():
            native = _FIELD_KEYS.get(key)
            if native is None or value is None:
                continue
            self.paths[f"{here}.{native}"] = f"schema[{ti}].fields[{fi}].{key}"
            out[native] = value
        if raw.get("nullable") is False and "required" not in out:
            out["required"] = True
        out = _field_values(out)
        field, problem, unknown = typed_field(out, here)
        if problem:
            self.problems.append(problem)
        if unknown:
            self.untyped.add((ti, fi))
        return _typed_default(field)

    def _endpoints(self, data: dict[str, Any],
                   tables: list[str]) -> tuple[str, list[dict[str, Any]]]:
        raw = _raw_endpoints(data)
        prefix, bare = _api_prefix([r.get("path") for r, _ in raw])
        out: list[dict[str, Any]] = []
        seen: set[tuple[Any, Any]] = set()
        for item, source in raw:
            key = (method(item.get("method")), item.get("path"))
            if source.startswith("diagrams") and key in seen:
                self.notes.append(Note("", f"{source}: same endpoint as one in 'endpoints': "
                                           "skipped"))
                continue
            seen.add(key)
            here = f"endpoints[{len(out)}]"
            self.paths[here] = source
            self.paths[f"{here}.summary"] = f"{source}.description"
            self.paths[f"{here}.auth"] = f"{source}.{'auth' if item.get('auth') else 'requiresAuth'}"
            if "group" in item:
                self.paths[f"{here}.table"] = f"{source}.group"
            out.append(_endpoint(item, prefix, tables))
            if isinstance(item.get("path"), str) and item["path"] in bare:
                self.notes.append(Note(here, f"({item['path']}) has no API prefix: it is served "
                                             f"under {prefix}"))
        return prefix, out


def _mark_id_primary_key(fields: list[Any]) -> None:
    """The tool marks a table's id as unique + required; with no explicit key it is the key."""
    dicts = [f for f in fields if isinstance(f, dict)]
    if any(f.get("primary_key") for f in dicts):
        return
    for f in dicts:
        name = f.get("name")
        if (isinstance(name, str) and sql_identifier(name) == "id"
                and f.get("unique") and f.get("required")):
            f["primary_key"] = True
            f.pop("unique")  # the primary key is unique already
            return


def _field_values(out: dict[str, Any]) -> dict[str, Any]:
    ref = out.get("references")
    if isinstance(ref, dict) and {"table", "field"} <= set(ref):
        out["references"] = f"{ref['table']}.{ref['field']}"
    on_delete = out.get("on_delete")
    if isinstance(on_delete, str):
        out["on_delete"] = "_".join(on_delete.lower().replace("-", " ").split())
    return out


_NUMERIC = {"integer": int, "bigint": int, "float": float, "decimal": float}


def _typed_default(field: dict[str, Any]) -> dict[str, Any]:
    """The tool writes every default as text ("0", "true"): read it as the field's type."""
    value, kind = field.get("default"), field.get("type")
    if not isinstance(value, str):
        return field
    text = value.strip()
    if kind == "boolean" and text.lower() in ("true", "false"):
        return {**field, "default": text.lower() == "true"}
    convert = _NUMERIC.get(kind) if isinstance(kind, str) else None
    if convert is not None:
        try:
            return {**field, "default": convert(text)}
        except ValueError:
            return field  # checks report a default that is not a number
    return field


def _raw_endpoints(data: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """(endpoint, its path in the tool's file) from `endpoints` then the API map."""
    found: list[tuple[dict[str, Any], str]] = []
    listed = data.get("endpoints")
    if isinstance(listed, list):
        found += [(e, f"endpoints[{i}]") for i, e in enumerate(listed) if isinstance(e, dict)]
    nodes = _dig(data, "diagrams", "apiMap", "nodes")
    for ni, node in enumerate(nodes if isinstance(nodes, list) else []):
        if not isinstance(node, dict) or node.get("type") != "api-service":
            continue
        items = _dig(node, "data", "metadata", "endpoints")
        base = f"diagrams.apiMap.nodes[{ni}].data.metadata.endpoints"
        found += [(e, f"{base}[{i}]") for i, e in enumerate(items if isinstance(items, list)
                                                             else []) if isinstance(e, dict)]
    return found


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def _api_prefix(paths: list[Any]) -> tuple[str, set[str]]:
    """The common API prefix (`/api/v1`) and the paths that do not carry it."""
    texts = [p for p in paths if isinstance(p, str)]
    runs = []
    for path in texts:
        segs = _segments(path)
        run = []
        for seg in segs[:-1]:  # the last segment is the resource itself
            if not _PREFIX_SEGMENT.match(seg):
                break
            run.append(seg)
        runs.append(run)
    common = os.path.commonprefix(runs) if runs and all(runs) else []
    prefix = "/" + "/".join(common) if common else DEFAULT_PREFIX
    bare = {p for p in texts if not _has_prefix(p, prefix)}
    return prefix, bare


def _has_prefix(path: str, prefix: str) -> bool:
    return _segments(path)[: len(_segments(prefix))] == _segments(prefix)


def _endpoint(item: dict[str, Any], prefix: str, tables: list[str]) -> dict[str, Any]:
    path = item.get("path")
    out: dict[str, Any] = {k: item[k] for k in ("method", "path") if k in item}
    if "method" in out:
        out["method"] = method(out["method"])
    if isinstance(path, str) and _has_prefix(path, prefix):
        rest = _segments(path)[len(_segments(prefix)):]
        out["path"] = "/" + "/".join(rest)
    summary = item.get("description") or item.get("summary")
    if summary is not None:
        out["summary"] = summary
    out["auth"] = bool(item.get("auth") or item.get("requiresAuth"))
    table = _table_for(item.get("group"), out.get("path"), tables)
    if table is not None:
        out["table"] = table
    return out


def _table_for(group: Any, path: Any, tables: list[str]) -> str | None:
    if isinstance(group, str) and group in tables:
        return group
    segs = _segments(path) if isinstance(path, str) else []
    if not segs:
        return None
    return next((t for t in tables if segs[0] in (t, url_segment(t))), None)


LOADER = DesignToolLoader()
