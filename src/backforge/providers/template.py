"""The template provider: a stack's Jinja2 templates, offline and deterministic."""

from __future__ import annotations

from backforge.engine.protocols import Generation, UnitContext
from backforge.plan.model import Unit
from backforge.stacks import Stack


class TemplateProvider:
    """Renders a unit from its stack's templates; the same spec gives the same bytes."""

    name = "template"

    def __init__(self, stack: Stack) -> None:
        self.stack = stack

    async def generate(self, unit: Unit, ctx: UnitContext) -> Generation:
        return self.stack.render(unit, ctx.plan)
