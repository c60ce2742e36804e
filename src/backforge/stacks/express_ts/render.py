"""Render one unit of the express-ts stack: its Flavor (templates, scripts, packages,
lockfiles, package.json fields) over the shared Express renderer
(backforge.express.render); its templates write ES imports (`imports`)."""

from __future__ import annotations

from typing import Any

from backforge.engine.protocols import Generation
from backforge.express.context import ProjectContext
from backforge.express.render import Flavor, Renderer, es_import
from backforge.plan.model import Plan, Unit
from backforge.stacks.express_ts.boundary import SCRIPTS
from backforge.stacks.express_ts.deps import LOCKS, module_dependencies, project_dependencies
from backforge.stacks.express_ts.layout import TEMPLATES
from backforge.stacks.express_ts.types import row_interface

__all__ = ["RENDERER", "render_unit"]


def _manifest(ctx: ProjectContext) -> dict[str, Any]:
    return {"type": "commonjs", "main": "dist/index.js"}


RENDERER = Renderer(Flavor(templates=TEMPLATES, scripts=SCRIPTS,
                           module_dependencies=module_dependencies,
                           project_dependencies=project_dependencies, lockfile=LOCKS.lockfile,
                           manifest=_manifest,
                           template_globals={"imports": es_import,
                                             "row_interface": row_interface}))


def render_unit(unit: Unit, plan: Plan,
                implemented: frozenset[str] = frozenset()) -> Generation:
    return RENDERER.render_unit(unit, plan, implemented)
