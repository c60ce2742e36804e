"""Hybrid mode for express-js: where custom endpoint stubs live, which are still stubs,
how a function body written by a model goes inside the fixed signature (with the
`require` lines it needs, computed from the registry), and the renders that depend
on which endpoints are implemented (the OpenAPI document and the tests).

Whether an endpoint is implemented is read from the code itself: its service
function still holding the generated `throw new NotImplementedError('<label>')`
is a stub; anything else is an implementation (written by a model or a person).
"""

from __future__ import annotations

import posixpath
import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from backforge.engine.protocols import Generation
from backforge.express.endpoints import CustomEndpoint
from backforge.express.testgen import key_params
from backforge.plan.model import Plan, Unit
from backforge.render.quoting import js_block_comment, js_string
from backforge.rest import schemas
from backforge.stacks.express_js import render as _render
from backforge.validate.registry import Registry

CUSTOM_SERVICES = "src/services/custom.js"
# The files an endpoint body may use besides its own file: every model, the db helpers
# and the error classes (only those present and validated are offered).
_USABLE = ("src/db/index.js", "src/db/sql.js", "src/utils/errors.js")
_REQUIRE = re.compile(r"const \{([^}]*)\} = require\('([^']+)'\);\n")
_SPECIFIER = re.compile(r"require\('([^']+)'\)")
_WRAPPED = re.compile(r"^\s*(?:async\s+)?function\s*[\w$]*\s*\([^)]*\)\s*\{(.*)\}\s*$", re.DOTALL)


@dataclass(frozen=True)
class Site:
    """One file hosting custom endpoint stubs, and the endpoints in it."""

    path: str
    endpoints: tuple[CustomEndpoint, ...]


def host_path(plan: Plan, ep: CustomEndpoint) -> str:
    if ep.table is None:
        return CUSTOM_SERVICES
    return f"src/services/{_render.project_context(plan).table(ep.table).stem}.js"


def site(unit: Unit, plan: Plan) -> Site | None:
    """The stub file a unit renders, if any: a table's services unit with endpoints, or
    the shared routes unit (src/services/custom.js) when some endpoints have no table."""
    ctx = _render.project_context(plan)
    if unit.module == "services" and unit.table is not None:
        endpoints = ctx.table(unit.table).endpoints
    elif unit.module == "routes" and unit.table is None:
        endpoints = ctx.tableless
    else:
        return None
    return Site(host_path(plan, endpoints[0]), endpoints) if endpoints else None


def stub(ep: CustomEndpoint) -> str:
    return (f"async function {ep.name}(_request) {{\n"
            f"  throw new NotImplementedError({js_string(ep.label)});\n}}")


def implemented(plan: Plan, files: Mapping[str, str]) -> frozenset[str]:
    """Labels of the custom endpoints whose service function is no longer the stub."""
    out = set()
    for ep in _render.project_context(plan).endpoints:
        content = files.get(host_path(plan, ep))
        if content is not None and stub(ep) not in content:
            out.add(ep.label)
    return frozenset(out)


def endpoint_status(plan: Plan, files: Mapping[str, str]) -> dict[str, list[str]]:
    """{"implemented": [labels], "not_implemented": [labels]} in spec order."""
    done = implemented(plan, files)
    labels = [ep.label for ep in _render.project_context(plan).endpoints]
    return {"implemented": [x for x in labels if x in done],
            "not_implemented": [x for x in labels if x not in done]}


def clean_body(body: str) -> str:
    """The statements of a body, indented for the function; a whole function the model
    wrote around them (signature and braces) is taken off: the signature is ours."""
    match = _WRAPPED.match(body)
    inner = match.group(1) if match else body
    lines = textwrap.dedent(inner.strip("\n")).strip().splitlines()
    return "\n".join(f"  {line}".rstrip() for line in lines)


def splice(content: str, ep: CustomEndpoint, body: str) -> str:
    """`content` with the stub of `ep` replaced by `body` inside the fixed signature;
    unchanged when the stub is not there."""
    pattern = re.compile(r"/\*\*\n(?: \*.*\n)*? \*/\n" + re.escape(stub(ep)))
    match = pattern.search(content)
    if match is None:
        return content
    written = (f"/**\n * {ep.label}: {js_block_comment(ep.summary)}\n"
               " * Written by a model (backforge hybrid mode) inside the generated signature.\n"
               " * `request` holds the validated { params, query, body } and `user`.\n */\n"
               f"async function {ep.name}(request) {{\n{clean_body(body)}\n}}")
    return content[:match.start()] + written + content[match.end():]


def add_requires(content: str, path: str, needs: Iterable[tuple[str, Iterable[str]]],
                 registry: Registry) -> str:
    """Merge `(file, names)` imports into the file's `require` lines. `file` is a project
    path (`src/db/index.js`, `src/db`) or a specifier relative to `path`; the statement
    is the registry's. An unknown file or a name it does not export is still written,
    so validation reports it (and the repair prompt shows it) instead of a silent gap."""
    for target, names in needs:
        resolved = resolve_target(path, target, registry)
        if resolved == path:
            continue  # the file's own functions need no import
        found = _SPECIFIER.search(registry.import_statement(path, resolved) or "") \
            if resolved is not None else None
        specifier = found.group(1) if found is not None else _relative(path, target)
        content = _merge_require(content, specifier, names, known=found is not None)
    return drop_unused_stub_import(content)


def _relative(path: str, target: str) -> str:
    target = target.strip()
    if target.startswith("."):
        return target
    base = target.removeprefix("./").removesuffix(".js").removesuffix("/index")
    rel = posixpath.relpath(base, posixpath.dirname(path))
    return rel if rel.startswith("../") else f"./{rel}"


def resolve_target(path: str, target: str, registry: Registry) -> str | None:
    target = target.strip()
    if target.startswith("."):
        return registry.resolve(path, target)
    base = target.removeprefix("./").removesuffix(".js")
    return next((p for p in (f"{base}.js", f"{base}/index.js") if p in registry), None)


def _merge_require(content: str, specifier: str, names: Iterable[str], *, known: bool) -> str:
    # A name another require already declares (e.g. NotFoundError through utils/index)
    # must not be declared twice: Node refuses to load such a file. An unknown file is
    # written as asked, so validation reports the wrong path.
    elsewhere = {n.strip() for m in _REQUIRE.finditer(content) if m.group(2) != specifier
                 for n in m.group(1).split(",")} if known else set()
    wanted = [n.strip() for n in names if n.strip() and n.strip() not in elsewhere]
    if not wanted:
        return content
    for match in _REQUIRE.finditer(content):
        if match.group(2) == specifier:
            have = [n.strip() for n in match.group(1).split(",") if n.strip()]
            merged = list(dict.fromkeys(have + wanted))
            return (content[:match.start()] + _render.require(merged, specifier) + "\n"
                    + content[match.end():])
    last = None
    for last in _REQUIRE.finditer(content):
        pass
    at = last.end() if last is not None else content.index("\n\n") + 1
    return content[:at] + _render.require(wanted, specifier) + "\n" + content[at:]


def drop_unused_stub_import(content: str) -> str:
    """Without stubs left, NotImplementedError is no longer used: take it off the import
    (the generated eslint config rejects unused variables)."""
    if "new NotImplementedError(" in content:
        return content
    for match in _REQUIRE.finditer(content):
        names = [n.strip() for n in match.group(1).split(",") if n.strip()]
        if "NotImplementedError" in names:
            rest = [n for n in names if n != "NotImplementedError"]
            if rest:
                line = _render.require(rest, match.group(2)) + "\n"
                return content[:match.start()] + line + content[match.end():]
            after = content[match.end():]
            # The import was the only one: drop the blank line it leaves too.
            if content[:match.start()].endswith("\n\n") and after.startswith("\n"):
                after = after[1:]
            return content[:match.start()] + after
    return content


def render(unit: Unit, plan: Plan, done: frozenset[str]) -> Generation:
    """A unit's template output, with the endpoints labelled in `done` treated as
    implemented where that matters (the OpenAPI document and the tests)."""
    return _render.render_unit(unit, plan, done)


def usable_files(plan: Plan, path: str, files: Mapping[str, str]) -> list[dict[str, Any]]:
    """The validated files an endpoint body in `path` may import: path, the exact
    statement (from `path`) and the exported signatures, from the registry."""
    ctx = _render.project_context(plan)
    candidates = [f"src/models/{t.stem}.js" for t in ctx.tables] + list(_USABLE)
    present = {p: files[p] for p in candidates if p in files}
    registry = Registry()
    registry.sync(present)
    return registry.import_facts(path, candidates)


def endpoint_facts(plan: Plan, ep: CustomEndpoint) -> dict[str, Any]:
    """What a prompt (and the fake server) needs to know about one endpoint."""
    ctx = _render.project_context(plan)
    facts: dict[str, Any] = {
        "label": ep.label, "method": ep.method, "path": ep.path, "summary": ep.summary,
        "auth": ep.auth and ctx.auth, "name": ep.name, "table": ep.table,
        "signature": f"async function {ep.name}(request)",
        "params": schemas.endpoint_schemas(ctx, (ep,))[ep.name]["params"]["properties"],
        "row_key": {},
    }
    if ep.table is not None:
        t = ctx.table(ep.table)
        facts.update(model=f"src/models/{t.stem}.js", find_by_key=t.fn.find_by_key,
                     not_found=f"{t.label.capitalize()} not found",
                     row_key=dict(key_params(ctx, ep)))
    return facts


def table_facts(plan: Plan) -> list[dict[str, Any]]:
    """Each table's SQL name and its columns (API property -> quoted SQL column)."""
    ctx = _render.project_context(plan)
    return [{"table": t.name, "sql": t.quoted,
             "columns": {c.prop: c.quoted for c in t.columns},
             "key": [c.prop for c in t.pk]} for t in ctx.tables]
