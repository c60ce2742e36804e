"""What every Express stack's `Stack` object does the same way: unit scopes, evolution
through the shared sql/rest layers, the migrations table and the verify contract. A
stack subclasses it with its name, module layout, output policy and renderer."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from backforge.express.context import ENFORCING_STACKS, project_context
from backforge.express.layout import MODULES, SETTINGS_MODULES, Layout, has_tableless_endpoints
from backforge.plan.model import ModuleDef, OutputPolicy, Plan, UnitFiles
from backforge.spec.model import Project
from backforge.spec.names import Names

if TYPE_CHECKING:
    from backforge.sql.evolution import Evolution
    from backforge.verify.checks import Probe


class ExpressStack:
    name: str
    layout: Layout
    output_policy: OutputPolicy
    enforces_access = False
    # config holds package.json and the stored package-lock.json (a resolved npm tree no
    # model can write) plus files derived from the same dependency set; docker and
    # terraform follow from the settings alone.
    template_modules = ("config", "docker", "terraform")
    modules: tuple[ModuleDef, ...] = MODULES

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.enforces_access:
            ENFORCING_STACKS.add(cls.name)

    def unit_files(self, module: str, table: str | None, project: Project,
                   names: Names) -> UnitFiles:
        return self.layout.unit_files(module, table, project, names)

    def contract_files(self, unit: Any, plan: Plan) -> Any:
        """The template output: every name a unit exports follows from the plan, so the
        contract-first LLM schedule reads a unit's interface before any answer exists."""
        return self.render(unit, plan)

    def evolve(self, old: Plan, new: Plan, existing: Collection[str]) -> Evolution:
        """The append-only migration from `old`'s schema to `new`'s (PostgreSQL), the
        data it would lose and the API changes. `existing`: paths already in the
        project; the new file is numbered after every existing migration and 0002."""
        # Imported on use: only regeneration and `backforge plan` evolve, and a plain
        # generation should not load the schema-diff modules (nor jinja2 via render).
        from backforge.express.render import openapi_context
        from backforge.rest.apidiff import api_changes
        from backforge.sql.evolve import evolve

        old_ctx, new_ctx = project_context(old), project_context(new)
        api = api_changes(old_ctx, new_ctx, openapi_context(old_ctx)["components"],
                          openapi_context(new_ctx)["components"])
        return evolve(old_ctx, new_ctx, existing, api)

    def unit_scope(self, unit: Any, plan: Plan) -> Mapping[str, Any] | None:
        """Modules whose output follows from the project settings, not from the tables:
        only the names the stack derives from the set of tables (the migrations and the
        sessions tables dodge a spec table of that name), whether custom endpoints exist
        and, for auth,
        the users table leak in. tests/regen/test_slices.py renders every spec mutation to
        hold this true."""
        if unit.module not in SETTINGS_MODULES:
            return None
        from backforge.express.render import auth_scope  # jinja2: only when rendering

        ctx = project_context(plan)
        scope = {"settings": plan.project.model_dump(mode="json",
                                                     exclude={"tables", "endpoints"}),
                 "auth_table": ctx.auth_table, "migrations_table": ctx.migrations_table,
                 "sessions_table": ctx.sessions_table,
                 "endpoints": bool(ctx.endpoints),
                 "tableless_endpoints": has_tableless_endpoints(plan.project)}
        if unit.module == "auth":
            # Accounts are rows of the users table: its columns and the account model
            # (login, role, hash) are auth's input, the other tables are not.
            scope["accounts"] = auth_scope(ctx)
        return scope

    def migrations_table(self, plan: Plan) -> str:
        """The table the generated migrate runner records applied migrations in."""
        return project_context(plan).migrations_table

    def contract(self, probe: Probe, plan: Plan) -> None:
        """The API checks `backforge verify` runs against a live server of this stack."""
        from backforge.express.authz import run_matrix
        from backforge.express.contract import run_contract
        from backforge.express.contract_sessions import check_sessions

        run_contract(probe, plan)
        run_matrix(probe, project_context(plan))  # a no-op where the policy is not enforced
        check_sessions(probe, plan)  # last: it spends the address's login budget
