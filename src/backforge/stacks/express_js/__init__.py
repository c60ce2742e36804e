"""The express-js stack: Node 22, Express 5, node-postgres, ajv, pino, jest.

`STACK` implements `backforge.stacks.Stack`: the module table, each unit's
files, and `render(unit, plan)`, which produces a unit's files from the
Jinja2 templates under `templates/` (deterministic: same spec, same bytes).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from backforge.engine.protocols import Generation
from backforge.plan.model import ModuleDef, OutputPolicy, Plan, Unit, UnitFiles
from backforge.spec.model import Project
from backforge.spec.names import Names
from backforge.stacks.express_js import layout
from backforge.stacks.express_js.boundary import POLICY

if TYPE_CHECKING:
    from backforge.sql.evolution import Evolution
    from backforge.verify.checks import Probe

__all__ = ["STACK", "ExpressJsStack"]


def _render():  # -> the render module
    """The renderer, imported on first use: it loads jinja2, the SQL and REST builders and
    the templates' helpers (~45 ms of start-up) that an up-to-date run never needs."""
    from backforge.stacks.express_js import render

    return render


class ExpressJsStack:
    name = "express-js"
    # Routes apply the policy (src/policies/); verify and the generated tests/access.test.js
    # hold every cell of the authorisation matrix.
    enforces_access = True
    # config holds package.json and the stored package-lock.json (a resolved npm tree no
    # model can write) plus files derived from the same dependency set; docker and
    # terraform follow from the settings alone.
    template_modules = ("config", "docker", "terraform")
    modules: tuple[ModuleDef, ...] = layout.MODULES
    rules = ("named-exports", "parameterized-sql")  # stack rules validate/ implements
    output_policy: OutputPolicy = POLICY  # what units may write and their code may use

    def unit_files(self, module: str, table: str | None, project: Project,
                   names: Names) -> UnitFiles:
        return layout.unit_files(module, table, project, names)

    def render(self, unit: Unit, plan: Plan) -> Generation:
        return _render().render_unit(unit, plan)

    def evolve(self, old: Plan, new: Plan, existing: Collection[str]) -> Evolution:
        """The append-only migration from `old`'s schema to `new`'s (PostgreSQL), the
        data it would lose and the API changes. `existing`: paths already in the
        project; the new file is numbered after every existing migration and 0002."""
        # Imported on use, as before: only regeneration and `backforge plan` evolve, and a
        # plain generation should not load the schema-diff modules.
        from backforge.rest.apidiff import api_changes
        from backforge.sql.evolve import evolve

        old_ctx, new_ctx = _render().project_context(old), _render().project_context(new)
        api = api_changes(old_ctx, new_ctx, _render().openapi_context(old_ctx)["components"],
                          _render().openapi_context(new_ctx)["components"])
        return evolve(old_ctx, new_ctx, existing, api)

    def unit_scope(self, unit: Unit, plan: Plan) -> Mapping[str, Any] | None:
        """Modules whose output follows from the project settings, not from the tables:
        only the names the stack derives from the set of tables (the migrations table
        dodges a spec table of that name), whether custom endpoints exist and, for auth,
        the users table leak in. tests/regen/test_slices.py renders every spec mutation to
        hold this true."""
        if unit.module not in layout.SETTINGS_MODULES:
            return None
        ctx = _render().project_context(plan)
        scope = {"settings": plan.project.model_dump(mode="json",
                                                     exclude={"tables", "endpoints"}),
                 "auth_table": ctx.auth_table, "migrations_table": ctx.migrations_table,
                 "endpoints": bool(ctx.endpoints),
                 "tableless_endpoints": layout.has_tableless_endpoints(plan.project)}
        if unit.module == "auth":
            # Accounts are rows of the users table: its columns and the account model
            # (login, role, hash) are auth's input, the other tables are not.
            scope["accounts"] = _render().auth_scope(ctx)
        return scope

    def endpoint_status(self, plan: Plan, files: Mapping[str, str]) -> dict[str, list[str]]:
        from backforge.stacks.express_js.hybrid import endpoint_status

        return endpoint_status(plan, files)

    def migrations_table(self, plan: Plan) -> str:
        """The table the generated migrate runner records applied migrations in."""
        return _render().project_context(plan).migrations_table

    def contract(self, probe: Probe, plan: Plan) -> None:
        """The API checks `backforge verify` runs against a live server of this stack."""
        from backforge.stacks.express_js.authz import run_matrix
        from backforge.stacks.express_js.contract import run_contract

        run_contract(probe, plan)
        run_matrix(probe, _render().project_context(plan))


STACK = ExpressJsStack()
