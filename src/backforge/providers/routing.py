"""Route each unit to a provider by module: e.g. the model writes the code while the
modules a stack declares fully determined (`Stack.template_modules`) come from templates."""

from __future__ import annotations

from collections.abc import Mapping

from backforge.engine.protocols import Generation, Provider, UnitContext
from backforge.plan.model import Unit


class RoutingProvider:
    def __init__(self, default: Provider, routes: Mapping[str, Provider]) -> None:
        self.default = default
        self.routes = dict(routes)
        self.name = default.name

    def provider_for(self, unit: Unit) -> Provider:
        return self.routes.get(unit.module, self.default)

    async def generate(self, unit: Unit, ctx: UnitContext) -> Generation:
        return await self.provider_for(unit).generate(unit, ctx)
