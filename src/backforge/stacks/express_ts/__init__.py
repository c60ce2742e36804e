"""The express-ts stack: Node 22, Express 5, node-postgres, strict TypeScript (strict,
noUncheckedIndexedAccess), ajv over the shared JSON Schemas, pino, vitest; tsx for
development, `tsc` to dist/ for production.

Its module table, contexts, SQL, schemas and contract are the shared Express layer's
(backforge.express); this package holds the TypeScript templates, the dependency set,
the scripts and the lockfiles.
"""

from __future__ import annotations

from collections.abc import Mapping

from backforge.engine.protocols import Generation
from backforge.express.stack import ExpressStack
from backforge.plan.model import OutputPolicy, Plan, Unit
from backforge.stacks.express_ts import layout
from backforge.stacks.express_ts.boundary import POLICY

__all__ = ["STACK", "ExpressTsStack"]


class ExpressTsStack(ExpressStack):
    name = "express-ts"
    # Routes apply the policy (src/policies/); verify and the generated tests/access.test.ts
    # hold every cell of the authorisation matrix.
    enforces_access = True
    layout = layout.LAYOUT
    rules = ("named-exports", "parameterized-sql")
    output_policy: OutputPolicy = POLICY

    def render(self, unit: Unit, plan: Plan) -> Generation:
        from backforge.stacks.express_ts import render  # jinja2: only when rendering

        return render.render_unit(unit, plan)

    def endpoint_status(self, plan: Plan, files: Mapping[str, str]) -> dict[str, list[str]]:
        from backforge.stacks.express_ts.hybrid import endpoint_status

        return endpoint_status(plan, files)


STACK = ExpressTsStack()
