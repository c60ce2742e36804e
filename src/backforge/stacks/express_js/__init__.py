"""The express-js stack: Node 22, Express 5, node-postgres, ajv, pino, jest.

`STACK` implements `backforge.stacks.Stack`: the module table, each unit's
files, and `render(unit, plan)`, which produces a unit's files from the
Jinja2 templates under `templates/` (deterministic: same spec, same bytes).
"""

from __future__ import annotations

from collections.abc import Mapping

from backforge.engine.protocols import Generation
from backforge.express.stack import ExpressStack
from backforge.plan.model import OutputPolicy, Plan, Unit
from backforge.stacks.express_js import layout
from backforge.stacks.express_js.boundary import POLICY

__all__ = ["STACK", "ExpressJsStack"]


def _render():  # -> the render module
    """The renderer, imported on first use: it loads jinja2, the SQL and REST builders and
    the templates' helpers (~45 ms of start-up) that an up-to-date run never needs."""
    from backforge.stacks.express_js import render

    return render


class ExpressJsStack(ExpressStack):
    name = "express-js"
    # Routes apply the policy (src/policies/); verify and the generated tests/access.test.js
    # hold every cell of the authorisation matrix.
    enforces_access = True
    layout = layout.LAYOUT
    rules = ("named-exports", "parameterized-sql")  # stack rules validate/ implements
    output_policy: OutputPolicy = POLICY  # what units may write and their code may use

    def render(self, unit: Unit, plan: Plan) -> Generation:
        return _render().render_unit(unit, plan)

    def endpoint_status(self, plan: Plan, files: Mapping[str, str]) -> dict[str, list[str]]:
        from backforge.stacks.express_js.hybrid import endpoint_status

        return endpoint_status(plan, files)


STACK = ExpressJsStack()
