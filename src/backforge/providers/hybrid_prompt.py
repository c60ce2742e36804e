"""The hybrid provider's prompt and answer protocol: one call per file hosting custom
endpoint stubs, asking for the bodies of exactly those functions.

    {"functions": [{"name": "completeTask", "body": "...",
                    "imports": [{"from": "src/models/tasks.js", "names": ["updateTaskByKey"]}]}]}

The prompt templates live next to the stack (`prompts/endpoint_system.j2`,
`prompts/endpoint.j2`), versioned by ENDPOINT_PROMPT_VERSION. The user prompt opens
with the usual `backforge-unit` header, with `"kind": "endpoints"` and the facts of
each endpoint, so the fake server can answer it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from backforge.engine.protocols import GeneratedFile, UnitContext
from backforge.plan.model import Unit
from backforge.providers.llm.prompts import (
    HEADER_TAG,
    Prompt,
    prompt_env,
    repair_excerpt,
    spec_slice,
)
from backforge.providers.llm.protocol import BadResponse, _load, check_size

ENDPOINT_PROMPT_VERSION = "endpoints-1"
KIND = "endpoints"


@dataclass(frozen=True)
class FunctionAnswer:
    name: str
    body: str
    imports: tuple[tuple[str, tuple[str, ...]], ...]  # (project file, names)


@dataclass(frozen=True)
class EndpointFacts:
    """What the stack tells the prompt: the host file, its endpoints, tables, imports."""

    path: str
    endpoints: tuple[dict[str, Any], ...]
    tables: tuple[dict[str, Any], ...]
    imports: tuple[dict[str, Any], ...]


def endpoint_header(unit: Unit, ctx: UnitContext, facts: EndpointFacts) -> dict[str, Any]:
    plan = ctx.plan
    return {"unit": unit.id, "stack": plan.stack, "prompt_version": ENDPOINT_PROMPT_VERSION,
            "kind": KIND, "file": facts.path, "endpoints": list(facts.endpoints),
            "spec": spec_slice(plan, unit).model_dump(mode="json", exclude_defaults=True)}


def build_endpoint_prompt(unit: Unit, ctx: UnitContext, facts: EndpointFacts) -> Prompt:
    head = endpoint_header(unit, ctx, facts)
    retry = ctx.previous is not None and ctx.attempt > 1
    previous = ctx.previous.file_map().get(facts.path, "") if retry and ctx.previous else ""
    excerpt = repair_excerpt((GeneratedFile(facts.path, previous),) if previous else (),
                             ctx.issues if retry else ())
    previous = excerpt.files[0].content if excerpt.files else ""
    values = {
        "unit": unit, "header_tag": HEADER_TAG, "header": json.dumps(head, separators=(",", ":")),
        "path": facts.path, "endpoints": facts.endpoints, "tables": facts.tables,
        "imports": facts.imports, "spec": json.dumps(head["spec"], indent=1),
        "retry": retry, "previous": previous, "issues": excerpt.issues,
        "prompt_version": ENDPOINT_PROMPT_VERSION,
    }
    env = prompt_env(ctx.plan.stack)
    return Prompt(env.get_template("endpoint_system.j2").render(values),
                  env.get_template("endpoint.j2").render(values))


def parse_answer(text: str) -> tuple[FunctionAnswer, ...]:
    """The functions of an answer (code fences, prose and trailing commas tolerated);
    BadResponse (retryable) when there is no usable `functions` list or the answer is
    over the byte cap."""
    check_size(text)
    data = _load(text)
    items = data.get("functions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise BadResponse('no "functions" list', text)
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) \
                or not isinstance(item.get("body"), str):
            raise BadResponse(f'functions[{i}] needs string "name" and "body"', text)
        out.append(FunctionAnswer(item["name"].strip(), item["body"],
                                  _imports(item.get("imports"), i, text)))
    return tuple(out)


def _imports(value: Any, i: int, text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if value is None:
        return ()
    ok = isinstance(value, list) and all(
        isinstance(v, dict) and isinstance(v.get("from"), str)
        and isinstance(v.get("names"), list) and all(isinstance(n, str) for n in v["names"])
        for v in value)
    if not ok:
        raise BadResponse(f'functions[{i}].imports must be [{{"from", "names"}}]', text)
    return tuple((v["from"], tuple(v["names"])) for v in value)


def render_answer(functions: list[dict[str, Any]]) -> str:
    """The protocol JSON for a list of {name, body, imports} (what the fake server sends)."""
    return json.dumps({"functions": functions}, indent=1)
