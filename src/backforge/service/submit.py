"""A job submission: the spec text (named, size-checked), the options (limit-checked).

Everything here runs before a job exists: a bad request becomes a 4xx naming the
problem, and the spec is loaded once so the CLI's exit-2 cases answer 422 with the
CLI's located messages.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from backforge import api
from backforge.errors import InputError
from backforge.run_options import PROVIDERS, GenerateOptions
from backforge.service.config import ServeConfig
from backforge.spec.loaders import LOADERS, TEXT_LOADERS

__all__ = ["JobOptions", "RequestError", "Submission", "load_spec", "parse_options",
           "spec_file_name"]

FORMATS = (*LOADERS, *TEXT_LOADERS)
SUFFIXES = (".yaml", ".yml", ".json", ".sql", ".ddl", ".dbml")
_BY_FORMAT = {"native": "spec.yaml", "designtool": "spec.json", "dbml": "spec.dbml"}
_SQL = re.compile(r"^\s*(create|alter)\s", re.IGNORECASE | re.MULTILINE)
_DBML = re.compile(r"^\s*table\s+\S+[^\n]*\{", re.IGNORECASE | re.MULTILINE)


class RequestError(Exception):
    """A bad request: the HTTP status and the message naming the problem."""

    def __init__(self, status: int, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.problems = status, message, problems or []


class JobOptions(BaseModel):
    """The generate options of the CLI a job may set. Endpoints, key variables and price
    files are the server's: a job cannot name them (extra fields are refused)."""

    model_config = ConfigDict(extra="forbid")

    stack: str | None = Field(None, max_length=64)
    provider: Literal[PROVIDERS] = "template"  # type: ignore[valid-type]
    model: str | None = Field(None, max_length=200)
    concurrency: int = Field(GenerateOptions.concurrency, ge=1)
    timeout: float = Field(GenerateOptions.call_timeout, gt=0)
    retries: int = Field(GenerateOptions.max_retries, ge=0)
    deadline: float = Field(GenerateOptions.deadline, gt=0)
    rpm: int | None = Field(None, ge=1)
    max_tokens_total: int | None = Field(None, ge=1)
    max_cost: float | None = Field(None, gt=0)
    allow_destructive: bool = False
    hedge: bool = True  # a model call far past its expected time gets a second request
    verify: bool = False

    def generate_options(self) -> GenerateOptions:
        # No response cache: one tenant's cached answers are not another's to replay.
        return GenerateOptions(
            provider=self.provider, stack=self.stack, concurrency=self.concurrency,
            call_timeout=self.timeout, max_retries=self.retries, deadline=self.deadline,
            requests_per_minute=self.rpm, model=self.model,
            max_tokens_total=self.max_tokens_total, max_cost=self.max_cost, cache=False,
            allow_destructive=self.allow_destructive, hedge=self.hedge, force=True)


def parse_options(raw: Any, config: ServeConfig) -> JobOptions:
    """The options, checked against the model and this server's limits (422 otherwise)."""
    try:
        options = JobOptions.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        problems = [f"options.{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                    for e in exc.errors()]
        raise RequestError(422, "invalid options", problems) from None
    limits = {"concurrency": config.max_concurrency, "deadline": config.max_deadline,
              "retries": config.max_retries, "timeout": config.max_timeout}
    # A default above this server's ceiling becomes the ceiling; only asking for more fails.
    options = options.model_copy(update={
        name: min(getattr(options, name), limit) for name, limit in limits.items()
        if name not in options.model_fields_set})
    over = [(name, getattr(options, name), limit) for name, limit in limits.items()
            if getattr(options, name) > limit]
    problems = [f"options.{n}: {v:g} exceeds this server's limit of {lim:g}"
                for n, v, lim in over]
    if options.provider not in config.providers:
        problems.append(f"options.provider: '{options.provider}' is not enabled on this "
                        f"server; enabled: {', '.join(config.providers)}")
    refused_verify = options.verify and not config.allow_verify
    if refused_verify:
        problems.append("options.verify: verify runs generated code and is off on this "
                        "server (the operator enables it with `backforge serve "
                        "--allow-verify`)")
    if problems:
        # Only verify refused: the request is fine, this server forbids it.
        status = 403 if refused_verify and len(problems) == 1 else 422
        raise RequestError(status, "options refused", problems)
    return options


@dataclass(frozen=True)
class Submission:
    """A spec as received: its text, the file name it is saved under, its format."""

    text: str
    name: str
    fmt: str | None


def spec_file_name(text: str, filename: str | None, fmt: str | None) -> str:
    """The name the spec is saved and reported under: the client's file name (its last
    part, checked), else one for the format, else one guessed from the text."""
    if fmt is not None and fmt not in FORMATS:
        raise RequestError(422, f"format: unknown spec format '{fmt}'; known formats: "
                                f"{', '.join(FORMATS)}")
    if filename:
        name = PurePosixPath(filename.replace("\\", "/")).name
        if (not name or name.startswith(".") or len(name) > 128
                or not re.fullmatch(r"[\w.\- ]+", name)):
            raise RequestError(422, "filename: use letters, digits, '.', '-', '_' and "
                                    "spaces (at most 128), not starting with '.'")
        if not name.lower().endswith(SUFFIXES):
            raise RequestError(422, f"filename: unsupported extension in '{name}'; use one "
                                    f"of {', '.join(SUFFIXES)}")
        return name
    if fmt is not None:
        return _BY_FORMAT.get(fmt, "spec.sql")
    if text.lstrip().startswith("{"):
        return "spec.json"
    if _DBML.search(text):
        return "spec.dbml"
    return "spec.sql" if _SQL.search(text) else "spec.yaml"


def decode(data: bytes, config: ServeConfig) -> str:
    if len(data) > config.max_spec_bytes:
        raise RequestError(413, f"spec: {len(data)} bytes exceeds this server's limit of "
                                f"{config.max_spec_bytes} bytes")
    if not data.strip():
        raise RequestError(422, "spec: empty; send the spec text (YAML, JSON, SQL or DBML)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RequestError(422, f"spec: not UTF-8 (byte {exc.start})") from None


def spec_text(spec: Any) -> str:
    """A JSON body's `spec`: the text itself, or a JSON object (a native or design-tool
    document)."""
    if isinstance(spec, str):
        return spec
    if isinstance(spec, dict):
        return json.dumps(spec, ensure_ascii=False, indent=1)
    raise RequestError(422, "spec: give the spec as text or as a JSON object")


def load_spec(folder: Path, sub: Submission) -> api.LoadedSpec:
    """Save the spec in `folder` and load it; the CLI's exit-2 errors become 422 with its
    messages, naming the spec by the client's file name rather than this server's path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / sub.name
    path.write_text(sub.text, encoding="utf-8")
    try:
        return api.load(path, fmt=sub.fmt)
    except InputError as exc:
        message = exc.message.replace(f"{folder}/", "")
        problems = [p.replace(f"{folder}/", "") for p in getattr(exc, "problems", [])]
        raise RequestError(422, message, problems) from None
