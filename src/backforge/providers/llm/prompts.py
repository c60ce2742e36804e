"""Prompts for one unit: its slice of the spec, its files, the stack's conventions, the
exact imports it may use (from its dependencies' contracts, or their validated files),
and on a retry the previous files with their issues.

The templates live next to the stack (`stacks/<stack>/prompts/*.j2`). Every user prompt
opens with a fenced `backforge-unit` JSON header (unit id, stack, prompt version, the
spec slice) so tools, such as the fake server, can tell exactly what was asked.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

import jinja2

from backforge.engine.protocols import GeneratedFile, Issue, UnitContext
from backforge.plan.model import Plan, Unit
from backforge.providers.llm.slices import PROMPT_VERSION, spec_slice
from backforge.validate.contracts import contracts_for
from backforge.validate.registry import Registry

# A repair prompt resends a bounded excerpt of the failed answer, never all of it: an
# answer is at most 2 MB (protocol.MAX_ANSWER_BYTES), a resend is at most ~100 kB.
MAX_REPAIR_ISSUES = 30
MAX_ISSUE_CHARS = 400  # per message and per hint
MAX_REPAIR_FILE_CHARS = 24_000  # per file resent
MAX_REPAIR_CHARS = 80_000  # every file resent, together
_SHOWN_PATH = 200
HEADER_TAG = "backforge-unit"
_CODE = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts")  # the code files a prompt may offer


@dataclass(frozen=True)
class Prompt:
    system: str
    user: str


@dataclass(frozen=True)
class RepairExcerpt:
    """What a repair prompt shows of the failed attempt, and how much it left out."""

    files: tuple[GeneratedFile, ...]
    issues: tuple[Issue, ...]
    omitted_files: int = 0
    omitted_issues: int = 0


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}\n... [cut: {len(text) - limit:,} more characters]"


def _short(issue: Issue) -> Issue:
    return replace(issue, message=_cut(issue.message, MAX_ISSUE_CHARS),
                   hint=_cut(issue.hint, MAX_ISSUE_CHARS) if issue.hint else issue.hint,
                   file=issue.file[:_SHOWN_PATH] if issue.file else issue.file)


def repair_excerpt(previous: Sequence[GeneratedFile], issues: Sequence[Issue]) -> RepairExcerpt:
    """The failed attempt's issues (errors first) and files (those with issues first),
    each cut to its cap, in at most MAX_REPAIR_CHARS."""
    ordered = sorted(issues, key=lambda i: str(i.severity) != "error")
    shown_issues = tuple(_short(i) for i in ordered[:MAX_REPAIR_ISSUES])
    flagged = {i.file for i in issues}
    files: list[GeneratedFile] = []
    budget = MAX_REPAIR_CHARS
    for f in sorted(previous, key=lambda f: f.path not in flagged):
        if budget <= 0:
            break
        content = _cut(f.content, min(MAX_REPAIR_FILE_CHARS, budget))
        files.append(GeneratedFile(f.path[:_SHOWN_PATH], content))
        budget -= len(content)
    return RepairExcerpt(tuple(files), shown_issues, len(previous) - len(files),
                         len(issues) - len(shown_issues))


@lru_cache(maxsize=8)
def prompt_env(stack: str) -> jinja2.Environment:
    """The Jinja2 environment of a stack's prompt templates (`stacks/<stack>/prompts/`)."""
    folder = resources.files(f"backforge.stacks.{stack.replace('-', '_')}") / "prompts"
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)),
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                              trim_blocks=True, lstrip_blocks=True, autoescape=False)


def header(plan: Plan, unit: Unit) -> dict:
    return {"unit": unit.id, "stack": plan.stack, "prompt_version": PROMPT_VERSION,
            "spec": spec_slice(plan, unit).model_dump(mode="json", exclude_defaults=True)}


def parse_header(text: str) -> dict | None:
    """The header block of a user prompt, or None when there is none."""
    start = text.find(f"```{HEADER_TAG}\n")
    if start < 0:
        return None
    body_start = start + len(HEADER_TAG) + 4
    end = text.find("\n```", body_start)
    try:
        data = json.loads(text[body_start:end])
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


_local = threading.local()


def _dependency_files(plan: Plan, unit: Unit, ctx: UnitContext) -> tuple[list[str], Registry]:
    """The code files of the unit's dependencies that it uses (its contract says which),
    in a registry that holds them: their validated files, or before they landed
    (contract-first) their contracts' stand-ins. The registry of real files lives on (one
    per thread) so its parse cache does: each file is parsed once per run, not once per
    prompt that may import it."""
    contracts = contracts_for(plan)
    uses = [p for p in contracts.uses(unit) if p.endswith(_CODE)]
    if not ctx.dependencies_ready:
        return uses, contracts.registry
    paths = [p for p in uses if p in ctx.files]
    registry = getattr(_local, "registry", None)
    if registry is None:
        registry = _local.registry = Registry()
    registry.sync({p: ctx.files[p] for p in paths})
    return paths, registry


def importable(plan: Plan, unit: Unit, ctx: UnitContext) -> list[dict]:
    """Each code file of the unit's dependencies (validated, or its contract): the exact
    import statement from this unit's first code file, and its exported signatures."""
    paths, registry = _dependency_files(plan, unit, ctx)
    origin = next((p for p in unit.required if p.endswith(_CODE)), "src/index.js")
    return registry.import_facts(origin, paths)


def _package(specifier: str) -> str:
    """'pg' -> 'pg', 'pino/file' -> 'pino', '@scope/pkg/x' -> '@scope/pkg'."""
    parts = specifier.split("/")
    return "/".join(parts[:2]) if specifier.startswith("@") else parts[0]


def declared_packages(plan: Plan, unit: Unit, ctx: UnitContext) -> dict[str, str]:
    """The npm packages (sorted, with their declared ranges) that the files of the unit's
    dependencies import. Not "everything declared so far": that depends on which units
    happened to validate first, and the prompt must be the same on every run so the
    response cache can replay it."""
    paths, registry = _dependency_files(plan, unit, ctx)
    names = {_package(i.specifier) for p in paths if (parsed := registry.get(p))
             for i in parsed.imports if not i.is_relative}
    # Before the dependencies landed, their contracts' packages only: what happened to
    # validate first must not change the prompt.
    known = ctx.dependencies if ctx.dependencies_ready else contracts_for(plan).packages(unit)
    return {n: known[n] for n in sorted(names) if n in known}


def build_prompt(unit: Unit, ctx: UnitContext) -> Prompt:
    plan = ctx.plan
    env = prompt_env(plan.stack)
    head = header(plan, unit)
    retry = ctx.previous is not None and ctx.attempt > 1
    excerpt = repair_excerpt(ctx.previous.files if retry and ctx.previous else (),
                             ctx.issues if retry else ())
    values = {
        "unit": unit, "plan": plan, "module": plan.module(unit.module),
        "header_tag": HEADER_TAG, "header": json.dumps(head, separators=(",", ":")),
        "spec": json.dumps(head["spec"], indent=1),
        "imports": importable(plan, unit, ctx),
        "dependencies": declared_packages(plan, unit, ctx),
        "retry": retry, "previous": excerpt.files, "issues": excerpt.issues,
        "omitted_files": excerpt.omitted_files, "omitted_issues": excerpt.omitted_issues,
        "prompt_version": PROMPT_VERSION,
    }
    return Prompt(env.get_template("system.j2").render(values),
                  env.get_template("unit.j2").render(values))
