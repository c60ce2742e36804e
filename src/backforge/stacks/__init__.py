"""Stacks: one subpackage per target (module table, naming rules, Jinja2 templates).

A stack is data plus templates; adding one must not touch the engine.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from backforge.engine.protocols import Generation
from backforge.errors import UnknownStackError
from backforge.plan.model import ModuleDef, OutputPolicy, Plan, Unit, UnitFiles
from backforge.spec.model import Project
from backforge.spec.names import Names
from backforge.targets import STACK_NAMES

if TYPE_CHECKING:
    from backforge.sql.evolution import Evolution


class Stack(Protocol):
    name: str
    # Whether the generated code enforces the effective access policy (spec/policy.py).
    # The report and the console say so, so a computed policy is never taken for one the
    # generated service applies.
    enforces_access: bool
    # Modules fully determined by the spec and the stack: an LLM run takes them from the
    # templates (a model would add nothing there but risk).
    template_modules: tuple[str, ...]
    # The output boundary: which paths each unit may write and which APIs its code may use
    # (enforced by the validator for every provider).
    output_policy: OutputPolicy
    modules: tuple[ModuleDef, ...]

    def unit_files(self, module: str, table: str | None, project: Project,
                   names: Names) -> UnitFiles: ...

    def render(self, unit: Unit, plan: Plan) -> Generation:
        """The template output for one unit: deterministic, byte-identical per spec."""
        ...

    def contract_files(self, unit: Unit, plan: Plan) -> Generation:
        """Files whose interface is the unit's contract (validate/contracts.py reads their
        exports, signatures, SQL tables and declared packages), known from the plan before
        any unit ran. A stack's prompt templates render its dependencies' contracts
        (`imports`: import statement and signatures per file) in the stack's language."""
        ...

    def unit_scope(self, unit: Unit, plan: Plan) -> Mapping[str, Any] | None:
        """What a unit of no table reads of the spec, when that is narrower than the whole
        project (JSON-able; regeneration hashes it to decide whether the unit must run
        again); None: the whole project."""
        ...

    def endpoint_status(self, plan: Plan, files: Mapping[str, str]) -> dict[str, list[str]]:
        """The spec's custom endpoints in `files`: {"implemented": [...], "not_implemented":
        [...]} by label; a not-implemented one is wired and answers 501 naming itself."""
        ...

    def evolve(self, old: Plan, new: Plan, existing: Collection[str]) -> Evolution:
        """The migration that moves a database built by `old`'s migrations to `new`'s
        schema, the data it would lose, and the API changes.

        `existing`: paths already in the project; the new migration is numbered
        after every existing one (and after any number the stack reserves)."""
        ...


def get_stack(name: str) -> Stack:
    if name == "express-js":
        from backforge.stacks.express_js import STACK

        return STACK
    if name == "express-ts":
        from backforge.stacks.express_ts import STACK as TS_STACK

        return TS_STACK
    raise UnknownStackError(name, known_stacks())


def known_stacks() -> list[str]:
    return list(STACK_NAMES)
