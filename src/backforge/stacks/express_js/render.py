"""Render one unit of the express-js stack: its Flavor (templates, scripts, packages,
lockfiles, CommonJS package.json fields) over the shared Express renderer
(backforge.express.render), which documents the template folders."""

from __future__ import annotations

from typing import Any

from backforge.engine.protocols import Generation
from backforge.express.context import ProjectContext, project_context
from backforge.express.render import (
    Flavor,
    Renderer,
    auth_scope,
    openapi_context,
    require,
)
from backforge.plan.model import Plan, Unit
from backforge.stacks.express_js.boundary import SCRIPTS
from backforge.stacks.express_js.deps import LOCKS, module_dependencies, project_dependencies
from backforge.stacks.express_js.layout import TEMPLATES

__all__ = ["RENDERER", "auth_scope", "environment", "openapi_context", "project_context",
           "render_unit", "require"]


def _manifest(ctx: ProjectContext) -> dict[str, Any]:
    fields: dict[str, Any] = {"type": "commonjs", "main": "src/index.js"}
    if ctx.options.tests:
        # Plain CommonJS needs no Babel transform; skipping it makes cold runs faster.
        fields["jest"] = {"testEnvironment": "node", "transform": {}}
    return fields


RENDERER = Renderer(Flavor(templates=TEMPLATES, scripts=SCRIPTS,
                           module_dependencies=module_dependencies,
                           project_dependencies=project_dependencies, lockfile=LOCKS.lockfile,
                           manifest=_manifest))


def environment() -> Any:
    return RENDERER.environment


def render_unit(unit: Unit, plan: Plan,
                implemented: frozenset[str] = frozenset()) -> Generation:
    return RENDERER.render_unit(unit, plan, implemented)
