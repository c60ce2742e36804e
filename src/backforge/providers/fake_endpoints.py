"""How the fake LLM server answers hybrid prompts (`"kind": "endpoints"` headers): canned
function bodies from an answers file keyed by endpoint label (`POST /tasks/{id}/complete`),
else a generic, honest implementation (fetch the row the path names, 404 when there is
none; or echo the parameters), plus the content faults for such answers.

An answers file is JSON: {"<label>": {"body": "...", "imports": [{"from", "names"}]}}.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from backforge.errors import InputError

_ERRORS = "src/utils/errors.js"


class AnswersFileError(InputError):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: not a usable answers file: {reason}")


def load_answers(source: str | Path | Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Label -> {"body", "imports"} from a mapping or a JSON file (None: no answers)."""
    if source is None:
        return {}
    if isinstance(source, Mapping):
        data: Any = dict(source)
    else:
        try:
            data = json.loads(Path(source).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise AnswersFileError(str(source), str(exc)) from None
    if not isinstance(data, dict) or not all(
            isinstance(v, dict) and isinstance(v.get("body"), str) for v in data.values()):
        raise AnswersFileError(str(source), 'expected {"<METHOD path>": {"body": "...", '
                               '"imports": [...]}}')
    return data


def answer_functions(head: Mapping[str, Any],
                     answers: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One {name, body, imports} per endpoint the header asks for."""
    out = []
    for facts in head.get("endpoints") or ():
        canned = answers.get(str(facts.get("label")))
        if canned is not None:
            out.append({"name": facts["name"], "body": canned["body"],
                        "imports": list(canned.get("imports") or [])})
        else:
            out.append({"name": facts["name"], **generic(facts)})
    return out


def generic(facts: Mapping[str, Any]) -> dict[str, Any]:
    """Fetch the row the path names by key (404 when missing); else echo the request."""
    row_key = facts.get("row_key") or {}
    if row_key and facts.get("find_by_key") and facts.get("model"):
        key = ", ".join(f"{prop}: request.params.{param}" for param, prop in row_key.items())
        body = (f"const row = await {facts['find_by_key']}({{ {key} }});\n"
                "if (row === null) {\n"
                f"  throw new NotFoundError({_js(str(facts.get('not_found', 'Not found')))});\n"
                "}\nreturn row;")
        return {"body": body, "imports": [
            {"from": facts["model"], "names": [facts["find_by_key"]]},
            {"from": _ERRORS, "names": ["NotFoundError"]}]}
    label = _js(str(facts.get("label", "")))
    return {"body": f"return {{ endpoint: {label}, params: request.params }};", "imports": []}


def _js(text: str) -> str:
    """A single-quoted JS string literal (the generated code's style)."""
    body = json.dumps(text, ensure_ascii=False)[1:-1]
    return "'" + body.replace('\\"', '"').replace("'", "\\'") + "'"


def apply_endpoint_fault(kind: str, functions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`functions` with one `kind` mistake: a renamed import, an import of a file that
    does not exist, or (also for missing-file and where no import exists) a syntax error."""
    out = [dict(f, imports=[dict(i) for i in f.get("imports", [])]) for f in functions]
    if not out:
        return out
    imports = next((f["imports"] for f in out if f["imports"]), None)
    if kind == "renamed-export" and imports:
        first = imports[0]
        first["names"] = [f"{first['names'][0]}Renamed", *first["names"][1:]]
    elif kind == "wrong-import" and imports:
        imports[0]["from"] = imports[0]["from"].removesuffix(".js") + "-missing.js"
    else:
        out[0]["body"] += "\nreturn {;"
    return out
