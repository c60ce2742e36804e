"""Custom endpoints of a spec, normalized for wiring into routes.

Spec paths come in several spellings (`/api/v1/posts/:id/publish`,
`/tasks/{id}/complete`); here they become one canonical form without the API
prefix, with `{param}` placeholders (OpenAPI) and `:param` (Express). An
endpoint that duplicates a generated CRUD or auth route is dropped: the
generated route already serves it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from backforge.render.quoting import SpecText
from backforge.spec.model import Endpoint, Project
from backforge.spec.names import Names, resolve
from backforge.spec.naming import camel, js_identifier, singular, snake, url_segment
from backforge.sql.keys import has_updatable, primary_key_fields

_PARAM = re.compile(r"^(?::([^/]+)|\{([^/}]+)\})$")
_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9._~-]+$")
# Names the generated service, handler and route files define or import themselves.
LOCAL_NAMES = frozenset({
    "notFound", "location", "COLLECTION", "MAX_LIMIT", "sendList", "sendCreated",
    "sendNoContent", "itemLocation", "NotFoundError", "NotImplementedError", "express",
    "validate", "requireAuth", "customRouter", "customSchemas"})
_VERBS = {"GET": "get", "POST": "post", "PUT": "put", "PATCH": "patch", "DELETE": "delete"}


@dataclass(frozen=True)
class Segment:
    text: str  # a static segment, or the parameter's JS name
    param: bool


@dataclass(frozen=True)
class CustomEndpoint:
    method: str  # "POST"
    path: str  # "/tasks/{id}/complete": OpenAPI form, without the API prefix
    express_path: str  # "/tasks/:id/complete"
    table: str | None  # the spec table whose files host it; None: the shared custom files
    summary: SpecText  # spec text: quote it for the file it lands in
    auth: bool
    name: str  # service function name, unique within its file
    params: tuple[str, ...]  # path parameter names, in path order

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def handler(self) -> str:
        return f"{self.name}Handler"

    @property
    def first_segment(self) -> str:
        return self.path.strip("/").split("/", 1)[0]


def normalize_prefix(prefix: str) -> str:
    """'/api/v1/' -> '/api/v1'; '' or '/' -> ''."""
    cleaned = "/".join(s for s in prefix.strip().split("/") if s)
    return f"/{cleaned}" if cleaned else ""


def _segments(path: str, prefix: str) -> tuple[Segment, ...]:
    raw = [s for s in path.strip().split("?", 1)[0].split("/") if s]
    pre = [s for s in prefix.split("/") if s]
    if pre and raw[: len(pre)] == pre:
        raw = raw[len(pre):]
    out: list[Segment] = []
    seen: set[str] = set()
    for seg in raw:
        match = _PARAM.match(seg)
        if match:
            name = js_identifier(re.sub(r"[^0-9A-Za-z_$]", "_", match.group(1) or match.group(2)))
            base, n = name, 2
            while name in seen:
                name, n = f"{base}{n}", n + 1
            seen.add(name)
            out.append(Segment(name, True))
        else:
            out.append(Segment(seg if _SAFE_SEGMENT.match(seg) else url_segment(seg), False))
    return tuple(out)


def _shape(method: str, segments: tuple[Segment, ...]) -> tuple[str, str]:
    return method, "/" + "/".join("{}" if s.param else s.text for s in segments)


def crud_shapes(project: Project, names: Names) -> set[tuple[str, str]]:
    """(method, path shape) of every generated route, params as '{}'."""
    shapes: set[tuple[str, str]] = set()
    for table in project.tables:
        url = names.table(table.name).url
        item = f"/{url}" + "/{}" * max(1, len(primary_key_fields(table)))
        shapes |= {("GET", f"/{url}"), ("POST", f"/{url}"), ("GET", item), ("DELETE", item)}
        if has_updatable(table):
            shapes |= {("PUT", item), ("PATCH", item)}
    if project.options.auth:
        shapes |= {("POST", "/auth/register"), ("POST", "/auth/login"), ("GET", "/auth/me")}
    return shapes


def _derive_name(method: str, segments: tuple[Segment, ...]) -> str:
    words: list[str] = []
    for i, seg in enumerate(segments):
        if seg.param:
            continue
        before_param = i + 1 < len(segments) and segments[i + 1].param
        words.append(singular(seg.text) if before_param else snake(seg.text))
    has_param = any(s.param for s in segments)
    if method == "POST" and has_param and len(words) > 1 and not segments[-1].param:
        # POST /tasks/{id}/complete is an action: completeTask
        return js_identifier(camel(" ".join([words[-1], *words[:-1]])), style="camel")
    return js_identifier(camel(" ".join([_VERBS[method], *words])), style="camel")


def _unique(name: str, method: str, taken: set[str]) -> str:
    candidate = name
    if candidate in taken:
        candidate = f"{name}{_VERBS[method].capitalize()}"
    n = 2
    while candidate in taken:
        candidate, n = f"{name}{n}", n + 1
    taken.add(candidate)
    return candidate


def reserved_names(names: Names, table: str) -> set[str]:
    """Function names a table's service, handler and model files already use."""
    tn = names.table(table)
    crud = {f"list{tn.plural}", f"get{tn.singular}", f"create{tn.singular}",
            f"update{tn.singular}", f"replace{tn.singular}", f"delete{tn.singular}"}
    model = {f"find{tn.plural}", f"find{tn.singular}ByKey", f"insert{tn.singular}",
             f"update{tn.singular}ByKey", f"replace{tn.singular}ByKey",
             f"delete{tn.singular}ByKey"}
    return crud | {f"{c}Handler" for c in crud} | model | LOCAL_NAMES


def _build(project: Project, names: Names) -> tuple[CustomEndpoint, ...]:
    prefix = normalize_prefix(project.options.api_prefix)
    covered = crud_shapes(project, names)
    taken: dict[str | None, set[str]] = {None: set(LOCAL_NAMES)}
    out: list[CustomEndpoint] = []
    for ep in project.endpoints:
        segments = _segments(ep.path, prefix)
        shape = _shape(ep.method, segments)
        if shape in covered:
            continue  # a generated route (or an earlier custom endpoint) already serves it
        covered.add(shape)
        table = ep.table if ep.table is not None and project.table(ep.table) else None
        if table not in taken:
            taken[table] = reserved_names(names, table)
        base = js_identifier(camel(ep.name), style="camel") if ep.name and camel(ep.name) \
            else _derive_name(ep.method, segments)
        name = _unique(base, ep.method, taken[table])
        taken[table].add(f"{name}Handler")
        path = "/" + "/".join("{" + s.text + "}" if s.param else s.text for s in segments)
        express = "/" + "/".join(":" + s.text if s.param else s.text for s in segments)
        out.append(CustomEndpoint(ep.method, path, express, table, _summary(ep), ep.auth, name,
                                  tuple(s.text for s in segments if s.param)))
    return tuple(out)


def _summary(ep: Endpoint) -> SpecText:
    return SpecText((ep.summary or "").strip() or f"{ep.method} {ep.path}")


@lru_cache(maxsize=32)
def _cached(project: Project) -> tuple[CustomEndpoint, ...]:
    return _build(project, resolve(project))


def custom_endpoints(project: Project, names: Names | None = None) -> tuple[CustomEndpoint, ...]:
    """Every custom endpoint the generated code wires, in spec order."""
    if names is not None:
        return _build(project, names)
    return _cached(project)
