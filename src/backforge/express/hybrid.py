"""Hybrid mode for an Express stack: where custom endpoint stubs live, which are still
stubs, how a function body written by a model goes inside the fixed signature (with the
import lines it needs, computed from the registry), and the renders that depend on which
endpoints are implemented (the OpenAPI document and the tests).

`Hybrid(style)` holds it for one stack; the `HybridStyle` says what differs by language:
the source suffix, the import line (`const { a } = require('x');` or `import { a } from
'x';`), the stub's and the written function's signature, and the renderer.

Whether an endpoint is implemented is read from the code itself: its service
function still holding the generated `throw new NotImplementedError('<label>')`
is a stub; anything else is an implementation (written by a model or a person).
"""

from __future__ import annotations

import posixpath
import re
import textwrap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from backforge.engine.protocols import Generation
from backforge.express.context import project_context
from backforge.express.endpoints import CustomEndpoint
from backforge.express.testgen import key_params
from backforge.plan.model import Plan, Unit
from backforge.render.quoting import js_block_comment, js_string
from backforge.rest import schemas
from backforge.validate.registry import Registry

# A whole function a model wrote around the body (its signature, maybe typed, is ours).
_WRAPPED = re.compile(
    r"^\s*(?:async\s+)?function\s*[\w$]*\s*\([^)]*\)\s*(?::[^{]*)?\{(.*)\}\s*$", re.DOTALL)
_SOURCE_SUFFIXES = (".js", ".ts")


@dataclass(frozen=True)
class HybridStyle:
    """What one Express stack's hybrid mode differs in."""

    ext: str  # ".js", ".ts"
    import_line: re.Pattern[str]  # one named import: group 1 the names, group 2 the specifier
    specifier: re.Pattern[str]  # the specifier in a statement the registry writes
    statement: Callable[[Iterable[str], str], str]  # names + specifier -> the import line
    parameter: str  # the request parameter's declaration after its name (": T" or "")
    returns: str  # the function's return annotation (": Promise<unknown>" or "")
    render_unit: Callable[[Unit, Plan, frozenset[str]], Generation]


JS_STYLE_LINE = re.compile(r"const \{([^}]*)\} = require\('([^']+)'\);\n")
JS_STYLE_SPECIFIER = re.compile(r"require\('([^']+)'\)")
TS_STYLE_LINE = re.compile(r"import \{([^}]*)\} from '([^']+)';\n")
TS_STYLE_SPECIFIER = re.compile(r"from '([^']+)'")


@dataclass(frozen=True)
class Site:
    """One file hosting custom endpoint stubs, and the endpoints in it."""

    path: str
    endpoints: tuple[CustomEndpoint, ...]


def _stem(path: str) -> str:
    """A project path without a source suffix: what both stacks' files are named by
    (a model may name src/db/index.js in a TypeScript project, meaning index.ts)."""
    for suffix in _SOURCE_SUFFIXES:
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return path


class Hybrid:
    """One stack's hybrid support; the providers call these (stack_support)."""

    def __init__(self, style: HybridStyle) -> None:
        self.style = style

    def host_path(self, plan: Plan, ep: CustomEndpoint) -> str:
        if ep.table is None:
            return f"src/services/custom{self.style.ext}"
        return f"src/services/{project_context(plan).table(ep.table).stem}{self.style.ext}"

    def site(self, unit: Unit, plan: Plan) -> Site | None:
        """The stub file a unit renders, if any: a table's services unit with endpoints, or
        the shared routes unit (src/services/custom.js) when some endpoints have no table."""
        ctx = project_context(plan)
        if unit.module == "services" and unit.table is not None:
            endpoints = ctx.table(unit.table).endpoints
        elif unit.module == "routes" and unit.table is None:
            endpoints = ctx.tableless
        else:
            return None
        return Site(self.host_path(plan, endpoints[0]), endpoints) if endpoints else None

    def stub(self, ep: CustomEndpoint) -> str:
        return (f"async function {ep.name}(_request{self.style.parameter}){self.style.returns} {{\n"
                f"  throw new NotImplementedError({js_string(ep.label)});\n}}")

    def implemented(self, plan: Plan, files: Mapping[str, str]) -> frozenset[str]:
        """Labels of the custom endpoints whose service function is no longer the stub."""
        out = set()
        for ep in project_context(plan).endpoints:
            content = files.get(self.host_path(plan, ep))
            if content is not None and self.stub(ep) not in content:
                out.add(ep.label)
        return frozenset(out)

    def endpoint_status(self, plan: Plan, files: Mapping[str, str]) -> dict[str, list[str]]:
        """{"implemented": [labels], "not_implemented": [labels]} in spec order."""
        done = self.implemented(plan, files)
        labels = [ep.label for ep in project_context(plan).endpoints]
        return {"implemented": [x for x in labels if x in done],
                "not_implemented": [x for x in labels if x not in done]}

    def clean_body(self, body: str) -> str:
        """The statements of a body, indented for the function; a whole function the model
        wrote around them (signature and braces) is taken off: the signature is ours."""
        match = _WRAPPED.match(body)
        inner = match.group(1) if match else body
        lines = textwrap.dedent(inner.strip("\n")).strip().splitlines()
        return "\n".join(f"  {line}".rstrip() for line in lines)

    def splice(self, content: str, ep: CustomEndpoint, body: str) -> str:
        """`content` with the stub of `ep` replaced by `body` inside the fixed signature;
        unchanged when the stub is not there."""
        pattern = re.compile(r"/\*\*\n(?: \*.*\n)*? \*/\n" + re.escape(self.stub(ep)))
        match = pattern.search(content)
        if match is None:
            return content
        written = (f"/**\n * {ep.label}: {js_block_comment(ep.summary)}\n"
                   " * Written by a model (backforge hybrid mode) inside the generated signature.\n"
                   " * `request` holds the validated { params, query, body } and `user`.\n */\n"
                   f"async function {ep.name}(request{self.style.parameter}){self.style.returns} "
                   f"{{\n{self.clean_body(body)}\n}}")
        return content[:match.start()] + written + content[match.end():]

    def add_requires(self, content: str, path: str,
                     needs: Iterable[tuple[str, Iterable[str]]], registry: Registry) -> str:
        """Merge `(file, names)` imports into the file's import lines. `file` is a project
        path (`src/db/index.js`, `src/db`) or a specifier relative to `path`; the statement
        is the registry's. An unknown file or a name it does not export is still written,
        so validation reports it (and the repair prompt shows it) instead of a silent gap."""
        for target, names in needs:
            resolved = self.resolve_target(path, target, registry)
            if resolved == path:
                continue  # the file's own functions need no import
            found = self.style.specifier.search(registry.import_statement(path, resolved) or "") \
                if resolved is not None else None
            specifier = found.group(1) if found is not None else self._relative(path, target)
            content = self._merge_require(content, specifier, names, known=found is not None)
        return self.drop_unused_stub_import(content)

    def _relative(self, path: str, target: str) -> str:
        target = target.strip()
        if target.startswith("."):
            return target
        base = _stem(target.removeprefix("./")).removesuffix("/index")
        rel = posixpath.relpath(base, posixpath.dirname(path))
        return rel if rel.startswith("../") else f"./{rel}"

    def resolve_target(self, path: str, target: str, registry: Registry) -> str | None:
        target = target.strip()
        if target.startswith("."):
            return registry.resolve(path, target)
        base = _stem(target.removeprefix("./"))
        x = self.style.ext
        return next((p for p in (f"{base}{x}", f"{base}/index{x}") if p in registry), None)

    def _merge_require(self, content: str, specifier: str, names: Iterable[str], *,
                       known: bool) -> str:
        # A name another require already declares (e.g. NotFoundError through utils/index)
        # must not be declared twice: Node refuses to load such a file. An unknown file is
        # written as asked, so validation reports the wrong path.
        elsewhere = {n.strip() for m in self.style.import_line.finditer(content) if m.group(2) != specifier
                     for n in m.group(1).split(",")} if known else set()
        wanted = [n.strip() for n in names if n.strip() and n.strip() not in elsewhere]
        if not wanted:
            return content
        for match in self.style.import_line.finditer(content):
            if match.group(2) == specifier:
                have = [n.strip() for n in match.group(1).split(",") if n.strip()]
                merged = list(dict.fromkeys(have + wanted))
                return (content[:match.start()] + self.style.statement(merged, specifier) + "\n"
                        + content[match.end():])
        last = None
        for last in self.style.import_line.finditer(content):
            pass
        at = last.end() if last is not None else content.index("\n\n") + 1
        return content[:at] + self.style.statement(wanted, specifier) + "\n" + content[at:]

    def drop_unused_stub_import(self, content: str) -> str:
        """Without stubs left, NotImplementedError is no longer used: take it off the import
        (the generated eslint config rejects unused variables)."""
        if "new NotImplementedError(" in content:
            return content
        for match in self.style.import_line.finditer(content):
            names = [n.strip() for n in match.group(1).split(",") if n.strip()]
            if "NotImplementedError" in names:
                rest = [n for n in names if n != "NotImplementedError"]
                if rest:
                    line = self.style.statement(rest, match.group(2)) + "\n"
                    return content[:match.start()] + line + content[match.end():]
                after = content[match.end():]
                # The import was the only one: drop the blank line it leaves too.
                if content[:match.start()].endswith("\n\n") and after.startswith("\n"):
                    after = after[1:]
                return content[:match.start()] + after
        return content

    def render(self, unit: Unit, plan: Plan, done: frozenset[str]) -> Generation:
        """A unit's template output, with the endpoints labelled in `done` treated as
        implemented where that matters (the OpenAPI document and the tests)."""
        return self.style.render_unit(unit, plan, done)

    def usable_files(self, plan: Plan, path: str,
                     files: Mapping[str, str]) -> list[dict[str, Any]]:
        """The validated files an endpoint body in `path` may import: path, the exact
        statement (from `path`) and the exported signatures, from the registry."""
        ctx = project_context(plan)
        x = self.style.ext
        candidates = [f"src/models/{t.stem}{x}" for t in ctx.tables] + \
            [f"src/db/index{x}", f"src/db/sql{x}", f"src/utils/errors{x}"]
        present = {p: files[p] for p in candidates if p in files}
        registry = Registry()
        registry.sync(present)
        return registry.import_facts(path, candidates)

    def endpoint_facts(self, plan: Plan, ep: CustomEndpoint) -> dict[str, Any]:
        """What a prompt (and the fake server) needs to know about one endpoint."""
        ctx = project_context(plan)
        facts: dict[str, Any] = {
            "label": ep.label, "method": ep.method, "path": ep.path, "summary": ep.summary,
            "auth": ep.auth and ctx.auth, "name": ep.name, "table": ep.table,
            "signature": f"async function {ep.name}(request{self.style.parameter})"
                         f"{self.style.returns}",
            "params": schemas.endpoint_schemas(ctx, (ep,))[ep.name]["params"]["properties"],
            "row_key": {},
        }
        if ep.table is not None:
            t = ctx.table(ep.table)
            facts.update(model=f"src/models/{t.stem}{self.style.ext}", find_by_key=t.fn.find_by_key,
                         not_found=f"{t.label.capitalize()} not found",
                         row_key=dict(key_params(ctx, ep)))
        return facts


def table_facts(plan: Plan) -> list[dict[str, Any]]:
    """Each table's SQL name and its columns (API property -> quoted SQL column)."""
    ctx = project_context(plan)
    return [{"table": t.name, "sql": t.quoted,
             "columns": {c.prop: c.quoted for c in t.columns},
             "key": [c.prop for c in t.pk]} for t in ctx.tables]
