"""Schemathesis against a running generated app: every operation of its OpenAPI
document, all checks, a bounded number of examples, authenticated where auth is on.

The bar is 0 server errors and 0 conformance failures. Two things are taken out of
the document schemathesis reads, and the report says so: operations that declare a
501 (custom endpoints whose logic is not written yet: a 501 is their documented
answer), and the opaque `cursor` list parameter (only a cursor the API itself returned
is valid, which no schema can say; the verify contract and the generated tests check
keyset pagination instead).

The stateful phase follows only the links the document declares (each create
response links its new row's key to get, replace, update and delete): schemathesis'
own link inference is off, because it guessed links across tables (one table's uuid key
into another table's integer path) and then called the 400 a rejected valid request.

NUL is generated (`allow-x00 = true`): PostgreSQL cannot store U+0000 in text or
jsonb, and every schema says so (a pattern on text, the recursive
`#/components/schemas/JsonValue` for json values), so a NUL is always negative data the
app must answer with a 400.

A body over the app's JSON_BODY_LIMIT is refused with its documented 413 before it is
validated (a long string for a column whose maxLength is above the limit): schemathesis
counts 413 as rejecting negative data, like its default 400, 415 or 422.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backforge.errors import BackforgeError
from backforge.plan.model import Plan
from backforge.verify.http import Client

FUZZ_CREDENTIALS = {"email": "fuzz@example.com", "password": "fuzz passphrase 123"}
# Declared links only (no inference, see above); NUL in generated strings (see above).
_CONFIG = """[generation]
allow-x00 = true

[phases.stateful.inference]
algorithms = []

[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422",
                     "428", "429", "5xx"]
"""
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


class SchemathesisMissing(BackforgeError):
    """`verify --fuzz` without schemathesis installed."""

    exit_code = 2

    def __init__(self) -> None:
        super().__init__("schemathesis is not installed: pip install 'backforge[fuzz]' "
                         "(or pip install schemathesis) and run again")


@dataclass(frozen=True)
class FuzzReport:
    operations: int  # operations schemathesis tested
    cases: int  # test cases it generated
    server_errors: int  # failing cases with a 5xx
    conformance_failures: int  # every other failing check
    errors: int  # schemathesis' own errors (unusable schema, crashed phase)
    complete: bool  # every phase ran to its end (False when the time budget cut it)
    failures: tuple[str, ...]  # "ST101 Server error: GET /x, POST /y"
    not_fuzzed: tuple[str, ...]  # declared-501 operations left out
    phases: tuple[tuple[str, str], ...]  # (phase, status): ("stateful", "success")
    seconds: float
    output: str  # the tail of schemathesis' console output

    @property
    def success(self) -> bool:
        return self.server_errors == 0 and self.conformance_failures == 0 \
            and self.errors == 0 and self.operations > 0

    def to_dict(self) -> dict[str, Any]:
        return {"operations": self.operations, "cases": self.cases,
                "server_errors": self.server_errors,
                "conformance_failures": self.conformance_failures, "errors": self.errors,
                "complete": self.complete, "failures": list(self.failures), "not_fuzzed": list(self.not_fuzzed),
                "phases": dict(self.phases),
                "seconds": round(self.seconds, 1), "success": self.success}


def schemathesis_command() -> list[str]:
    """The schemathesis CLI next to this Python, else on the PATH."""
    local = Path(sys.executable).with_name("st")
    if local.exists():
        return [str(local)]
    found = shutil.which("st") or shutil.which("schemathesis")
    if found is None:
        raise SchemathesisMissing()
    return [found]


def fuzz_document(doc: dict[str, Any]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The served document without declared-501 operations and `cursor` parameters."""
    out = json.loads(json.dumps(doc))
    left_out = []
    for path, item in out.get("paths", {}).items():
        for method in [m for m in _METHODS if m in item]:
            op = item[method]
            if "501" in op.get("responses", {}):
                left_out.append(f"{method.upper()} {path}")
                del item[method]
                continue
            params = [p for p in op.get("parameters", [])
                      if not (p.get("in") == "query" and p.get("name") == "cursor")]
            if "parameters" in op:
                op["parameters"] = params
    out["paths"] = {p: item for p, item in out.get("paths", {}).items()
                    if any(m in item for m in _METHODS)}
    return out, tuple(left_out)


def _request_schema(doc: dict[str, Any], path: str) -> dict[str, Any]:
    op = doc.get("paths", {}).get(path, {}).get("post", {})
    schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}) \
        .get("schema", {})
    return _resolve_ref(doc, schema)


def _resolve_ref(doc: dict[str, Any], schema: Any) -> dict[str, Any]:
    for _ in range(10):
        if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
            break
        target: Any = doc
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        schema = target
    return schema if isinstance(schema, dict) else {}


def _sample(doc: dict[str, Any], name: str, schema: dict[str, Any]) -> Any:
    """A plain valid value for one property of the register body (the users table's
    required fields differ per spec: a display name, a birth date...)."""
    schema = _resolve_ref(doc, schema)
    if name in FUZZ_CREDENTIALS:
        return FUZZ_CREDENTIALS[name]
    if "enum" in schema:
        return schema["enum"][0]
    kinds = schema.get("type", "string")
    kind = next((k for k in ([kinds] if isinstance(kinds, str) else kinds) if k != "null"),
                "string")
    fmt = schema.get("format", "")
    if kind in ("integer", "number"):
        return schema.get("minimum", 1) if schema.get("minimum", 1) > 0 else 1
    if kind == "boolean":
        return True
    if kind in ("object", "array"):
        return {} if kind == "object" else []
    by_format = {"email": "fuzz@example.com", "date": "2024-01-15", "uuid":
                 "00000000-0000-4000-8000-000000000001", "date-time": "2024-01-15T10:30:00Z",
                 "time": "10:30:00", "uri": "https://example.com/fuzz"}
    text = by_format.get(fmt, "fuzz")
    low, high = schema.get("minLength", 0), schema.get("maxLength", 200)
    return (text + "x" * max(0, low - len(text)))[:high]


def register_body(doc: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The register body from the served document: every required property of the users
    table's register schema with a plain value, and the fuzz account's password."""
    schema = _request_schema(doc, f"{prefix}/auth/register") or \
        _request_schema(doc, "/auth/register")
    props = schema.get("properties", {})
    body = {name: _sample(doc, name, props.get(name, {})) for name in schema.get("required", [])}
    return {**body, "password": FUZZ_CREDENTIALS["password"]}


def _token(client: Client, plan: Plan, doc: dict[str, Any]) -> str | None:
    """A bearer token for the generated auth routes (register, then log in)."""
    if not plan.project.options.auth:
        return None
    prefix = plan.project.options.api_prefix.rstrip("/")
    auth = f"{prefix}/auth"
    body = register_body(doc, prefix)
    client.call("POST", f"{auth}/register", body)
    login_schema = _request_schema(doc, f"{auth}/login") or _request_schema(doc, "/auth/login")
    login = {k: body[k] for k in login_schema.get("required", []) if k in body} or body
    res = client.call("POST", f"{auth}/login", login)
    return res.body.get("token") if isinstance(res.body, dict) else None


def fuzz_app(base_url: str, plan: Plan, *, max_examples: int = 25, workers: int = 1,
             max_time: float | None = 120, seed: int | None = None) -> FuzzReport:
    """Run schemathesis (all checks, every phase) against the app at `base_url`.
    `max_time`: the fuzzing and stateful phases repeat until it is spent; None runs each
    phase once (`max_examples` per operation) and stops. One worker by default: with
    two, CPython 3.11 sometimes fails inside schemathesis' coverage phase
    ("SystemError: AST constructor recursion depth mismatch", a thread race in `ast`)."""
    command = schemathesis_command()
    started = time.monotonic()
    client = Client(base_url)
    served = client.call("GET", "/openapi.json").body
    doc, left_out = fuzz_document(served)
    token = _token(client, plan, served)
    prefix = plan.project.options.api_prefix.rstrip("/")
    with tempfile.TemporaryDirectory(prefix="bf-fuzz-") as tmp:
        schema = Path(tmp) / "openapi.json"
        schema.write_text(json.dumps(doc))
        report = Path(tmp) / "report.json"
        config = Path(tmp) / "schemathesis.toml"
        config.write_text(_CONFIG)
        args = [*command, "--config-file", str(config), "run", str(schema),
                "--url", base_url + prefix, "--checks", "all",
                "--max-examples", str(max_examples), "--workers", str(workers),
                "--no-color", "--report", "json", "--report-json-path", str(report),
                "--warnings", "off", "--phases", "examples,coverage,fuzzing,stateful"]
        if max_time is not None:
            args += ["--max-time", str(int(max_time))]
        if seed is not None:
            args += ["--seed", str(seed)]
        if token:
            args += ["--header", f"Authorization: Bearer {token}"]
        done = subprocess.run(args, capture_output=True, text=True, cwd=tmp,
                              timeout=(max_time or 1200) + 120, check=False)
        output = (done.stdout + done.stderr)[-6000:]
        if not report.exists():
            raise BackforgeError(f"schemathesis wrote no report (exit {done.returncode}): "
                                 f"{output[-1500:]}")
        data = json.loads(report.read_text())
    return _summary(data, left_out, time.monotonic() - started, output)


def _summary(data: dict[str, Any], left_out: tuple[str, ...], seconds: float,
             output: str) -> FuzzReport:
    failures = data.get("failures", [])
    server = sum(f.get("count", 0) for f in failures if f.get("type") == "ServerError")
    other = sum(f.get("count", 0) for f in failures if f.get("type") != "ServerError")
    lines = tuple(f"{f.get('code')} {f.get('title')}: {', '.join(f.get('operations', []))}"
                  for f in failures)
    errors = sum(e.get("count", 1) for e in data.get("errors", []))
    phases = tuple((name, p.get("status", "")) for name, p in (data.get("phases") or {}).items())
    return FuzzReport(data.get("operations", {}).get("tested", 0),
                      data.get("test_cases", {}).get("generated", 0), server, other, errors,
                      bool(data.get("complete")), lines, left_out, phases, seconds, output)


__all__ = ["FuzzReport", "SchemathesisMissing", "fuzz_app", "fuzz_document", "register_body",
           "schemathesis_command"]
