"""The hybrid provider: templates write every file the schema determines; a model writes
only the bodies of the custom endpoint functions, inside their fixed signatures.

Per unit: the template output first. A unit whose files host custom endpoint stubs
(the stack says which: for express-js a table's services unit, and the shared routes
unit's src/services/custom.js) then gets ONE model call for exactly those functions.
Each body is spliced inside the generated signature (never the model's), and the
`require` lines it asks for are computed from the registry. The engine validates the
result like any other; a failure comes back as a repair retry showing the issues.

From attempt `fallback_from` on, the provider checks its own output (with the
`checker` validator) and keeps the 501 stub for every function that does not
validate, so a model that never answers usably cannot fail the run: the report's
`endpoints` section says which endpoints are implemented and which still answer 501.
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from types import ModuleType
from typing import Any, Protocol

from backforge.engine.protocols import (
    GeneratedFile,
    Generation,
    Issue,
    UnitContext,
    Usage,
    Validator,
)
from backforge.errors import InputError
from backforge.plan.model import Plan, Unit
from backforge.providers.hybrid_prompt import (
    EndpointFacts,
    FunctionAnswer,
    build_endpoint_prompt,
    parse_answer,
)
from backforge.providers.llm.prompts import Prompt
from backforge.providers.llm.protocol import BadResponse
from backforge.stacks import Stack
from backforge.validate.registry import Registry


class Completion(Protocol):
    text: str
    usage: Usage
    cached: bool


class TextModel(Protocol):
    """What the hybrid provider needs of an LLM provider (ConfiguredProvider.complete)."""

    name: str
    model: str

    async def complete(self, prompt: Prompt, accept: Any = ...) -> Completion: ...


class HybridUnsupported(InputError):
    def __init__(self, stack: str) -> None:
        super().__init__(f"--provider hybrid: the stack '{stack}' has no hybrid support "
                         "(express-js and express-ts have)")


def stack_support(stack: Stack) -> ModuleType:
    """The stack's hybrid module (`backforge.stacks.<stack>.hybrid`)."""
    try:
        return importlib.import_module(f"backforge.stacks.{stack.name.replace('-', '_')}.hybrid")
    except ModuleNotFoundError:
        raise HybridUnsupported(stack.name) from None


class HybridProvider:
    name = "hybrid"

    def __init__(self, stack: Stack, model: TextModel, *, checker: Validator | None = None,
                 fallback_from: int = 2) -> None:
        self.stack = stack
        self.model = model
        self.support = stack_support(stack)
        self.checker = checker
        self.fallback_from = max(1, fallback_from)

    async def generate(self, unit: Unit, ctx: UnitContext) -> Generation:
        plan = ctx.plan
        done = self.support.implemented(plan, ctx.files)
        base = self.support.render(unit, plan, done)
        site = self.support.site(unit, plan)
        if site is None:
            return base
        facts = self._facts(plan, site, ctx)
        final = ctx.attempt >= self.fallback_from
        try:
            completion = await self.model.complete(build_endpoint_prompt(unit, ctx, facts),
                                                   accept=parse_answer)
            answers = parse_answer(completion.text)
        except BadResponse:
            if not final:
                raise
            return base  # nothing usable after the repairs: the stubs stay
        wanted = {ep.name for ep in site.endpoints}
        answers = tuple(a for a in answers if a.name in wanted)
        generation = self._splice(unit, plan, ctx, site, base, answers)
        if final and self.checker is not None:
            generation = self._keep_valid(unit, plan, ctx, site, base, answers, generation)
        return replace(generation, usage=completion.usage, cached=completion.cached)

    def _facts(self, plan: Plan, site: Any, ctx: UnitContext) -> EndpointFacts:
        s = self.support
        return EndpointFacts(site.path, tuple(s.endpoint_facts(plan, ep) for ep in site.endpoints),
                             tuple(s.table_facts(plan)),
                             tuple(s.usable_files(plan, site.path, ctx.files)))

    def _splice(self, unit: Unit, plan: Plan, ctx: UnitContext, site: Any, base: Generation,
                answers: tuple[FunctionAnswer, ...]) -> Generation:
        files = base.file_map()
        content = files[site.path]
        by_name = {ep.name: ep for ep in site.endpoints}
        for answer in answers:
            content = self.support.splice(content, by_name[answer.name], answer.body)
        registry = Registry()
        registry.sync({**{p: c for p, c in ctx.files.items() if p.startswith("src/")},
                       site.path: content})
        needs = [need for a in answers for need in a.imports]
        content = self.support.add_requires(content, site.path, needs, registry)
        if unit.table is None:
            # The shared routes unit also renders the OpenAPI document, which must know
            # which of its own (table-less) endpoints were just implemented.
            done = self.support.implemented(plan, {**ctx.files, site.path: content})
            files = self.support.render(unit, plan, done).file_map()
        files[site.path] = content
        return replace(base, files=tuple(GeneratedFile(p, c) for p, c in files.items()))

    def _keep_valid(self, unit: Unit, plan: Plan, ctx: UnitContext, site: Any,
                    base: Generation, answers: tuple[FunctionAnswer, ...],
                    generation: Generation) -> Generation:
        """The whole answer when it validates; else only the functions that validate on
        their own (the others keep their stubs)."""
        if not self._issues(unit, ctx, generation):
            return generation
        kept = tuple(a for a in answers
                     if not self._issues(unit, ctx,
                                         self._splice(unit, plan, ctx, site, base, (a,))))
        if not kept:
            return base
        together = self._splice(unit, plan, ctx, site, base, kept)
        return base if self._issues(unit, ctx, together) else together

    def _issues(self, unit: Unit, ctx: UnitContext, generation: Generation) -> list[Issue]:
        assert self.checker is not None
        return [i for i in self.checker.validate(unit, generation, ctx)
                if str(i.severity) == "error"]
