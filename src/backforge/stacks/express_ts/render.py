"""Render one unit of the express-ts stack: its Flavor (templates, scripts, packages,
lockfiles, package.json fields) over the shared Express renderer
(backforge.express.render), and `imports`, the templates' ES import line."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from backforge.engine.protocols import Generation
from backforge.express.context import ProjectContext
from backforge.express.render import Flavor, Renderer
from backforge.plan.model import Plan, Unit
from backforge.render.quoting import js_string
from backforge.stacks.express_ts.boundary import SCRIPTS
from backforge.stacks.express_ts.deps import module_dependencies, project_dependencies
from backforge.stacks.express_ts.layout import TEMPLATES
from backforge.stacks.express_ts.lockfiles import lockfile
from backforge.stacks.express_ts.types import row_interface

__all__ = ["RENDERER", "imports", "render_unit"]
_LINE = 100


def imports(names: Iterable[str], spec: str) -> str:
    """`import { a, b } from 'spec';`, wrapped when long."""
    listed = list(dict.fromkeys(names))
    line = f"import {{ {', '.join(listed)} }} from {js_string(spec)};"
    if len(line) <= _LINE:
        return line
    body = "".join(f"  {n},\n" for n in listed)
    return f"import {{\n{body}}} from {js_string(spec)};"


def _manifest(ctx: ProjectContext) -> dict[str, Any]:
    return {"type": "commonjs", "main": "dist/index.js"}


RENDERER = Renderer(Flavor(templates=TEMPLATES, scripts=SCRIPTS,
                           module_dependencies=module_dependencies,
                           project_dependencies=project_dependencies, lockfile=lockfile,
                           manifest=_manifest, template_globals={"imports": imports,
                                             "row_interface": row_interface}))


def render_unit(unit: Unit, plan: Plan,
                implemented: frozenset[str] = frozenset()) -> Generation:
    return RENDERER.render_unit(unit, plan, implemented)
