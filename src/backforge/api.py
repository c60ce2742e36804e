"""The library entry: load a spec, plan, run the engine, write, report.

This is the only module (with the CLI above it) that knows every stage:

    result = backforge.generate("shop.yaml", output="out/shop", on_event=print)
    result.success, result.files["src/app.js"], result.report["modules"]
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from backforge import plan as planner
from backforge.engine.events import Event
from backforge.engine.protocols import Issue
from backforge.engine import EngineOptions, run_sync
from backforge.output.writer import DirectoryWriter, MemorySink, check_output_dir
from backforge.providers.template import TemplateProvider
from backforge.spec import load as load_spec
from backforge.spec.loaders import LoadedSpec
from backforge.stacks import get_stack
from backforge.validate import UnitValidator, validate_tree

EventHandler = Callable[[Event], None]
PROVIDERS = ("template",)


@dataclass(frozen=True)
class GenerateOptions:
    """Every knob of a run; the defaults are DESIGN.md's engine rules."""

    provider: str = "template"
    stack: str | None = None  # None: the spec's own `stack`
    concurrency: int = 8
    call_timeout: float = 45.0
    max_retries: int = 3
    backoff_base: float = 3.0
    deadline: float = 300.0
    requests_per_minute: int | None = None
    required_ratio: float = 0.9
    success_ratio: float = 0.95
    seed: int = 0
    force: bool = False

    def engine_options(self) -> EngineOptions:
        return EngineOptions(
            concurrency=self.concurrency, call_timeout=self.call_timeout,
            max_retries=self.max_retries, backoff_base=self.backoff_base,
            deadline=self.deadline, requests_per_minute=self.requests_per_minute,
            required_ratio=self.required_ratio, success_ratio=self.success_ratio,
            seed=self.seed)


@dataclass(frozen=True)
class GenerateResult:
    success: bool
    files: Mapping[str, str]  # every validated file, path -> content
    report: Mapping[str, Any]  # the same data as .backforge/report.json
    output: Path | None = None
    issues: tuple[Issue, ...] = field(default=())  # whole-project checks after the run

    @property
    def exit_code(self) -> int:
        return 0 if self.success else 1


def load(spec: str | Path | Mapping[str, Any]) -> LoadedSpec:
    """Load and check a spec from a path or a dict; raises SpecError/SpecFileError (exit 2)."""
    return load_spec(spec)


def _provider(name: str, stack):
    if name == "template":
        return TemplateProvider(stack)
    from backforge.errors import InputError

    raise InputError(f"--provider: unknown provider '{name}'; available: {', '.join(PROVIDERS)}")


def generate(spec: str | Path | Mapping[str, Any] | LoadedSpec,
             options: GenerateOptions | None = None, *,
             output: str | Path | None = None,
             on_event: EventHandler | None = None) -> GenerateResult:
    """Generate a backend from a spec; write it to `output` when given.

    Input errors (bad spec, unusable output folder, unknown provider) raise an
    InputError subclass before anything is written.
    """
    options = options or GenerateOptions()
    loaded = spec if isinstance(spec, LoadedSpec) else load(spec)
    stack = get_stack(options.stack or loaded.project.stack)
    provider = _provider(options.provider, stack)
    the_plan = planner.build(loaded.project, stack, loaded.names)
    root = Path(output) if output is not None else None
    if root is not None:
        check_output_dir(root, force=options.force)
    sink = DirectoryWriter(root) if root is not None else MemorySink()
    validator = UnitValidator()
    result = run_sync(the_plan, provider, validator, sink, options.engine_options(),
                      on_event=on_event)
    package = _package_json(result.files)
    # Whole-project checks against the final package.json; without one (config
    # not validated, already reported) fall back to what the units declared.
    project_issues = tuple(validate_tree(
        result.files, package, registry=validator.registry,
        dependencies=None if package else {**result.dependencies, **result.dev_dependencies}))
    success = result.report.success and not any(i.severity == "error" for i in project_issues)
    report = _report_dict(result.report.to_dict(), loaded, stack.name, options, project_issues,
                          success)
    if isinstance(sink, DirectoryWriter):
        sink.write_meta("report.json", report)
    return GenerateResult(success, dict(result.files), report, root, project_issues)


def _package_json(files: Mapping[str, str]) -> dict | None:
    text = files.get("package.json")
    try:
        return json.loads(text) if text else None
    except json.JSONDecodeError:
        return None


def _report_dict(run_report: dict[str, Any], loaded: LoadedSpec, stack: str,
                 options: GenerateOptions, project_issues: tuple[Issue, ...],
                 success: bool) -> dict[str, Any]:
    return {
        "backforge": _version(),
        "spec": loaded.source,
        "project": loaded.project.name,
        "stack": stack,
        "provider": options.provider,
        **run_report,
        "success": success,
        "project_issues": [_issue_dict(i) for i in project_issues],
        "renames": [r.__dict__ for r in loaded.names.renames],
        "spec_notes": list(loaded.notes),
    }


def _issue_dict(issue: Issue) -> dict[str, Any]:
    return {"rule": issue.rule, "severity": str(issue.severity), "file": issue.file,
            "line": issue.line, "message": issue.message, "hint": issue.hint}


def _version() -> str:
    from importlib.metadata import version

    return version("backforge")
