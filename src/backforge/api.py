"""The library entry: load a spec, plan, run the engine, write, report.

This is the only module (with the CLI above it) that knows every stage:

    result = backforge.generate("shop.yaml", output="out/shop", on_event=print)
    result.success, result.files["src/app.js"], result.report["modules"]
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backforge import __version__, regenerate
from backforge import plan as planner
from backforge.engine import run_sync
from backforge.engine.events import Event, EventKind
from backforge.engine.protocols import Issue, Usage
from backforge.engine.report import usage_dict
from backforge.errors import InputError, OutputError
from backforge.output.journal import FolderLock, Transaction, pending, recover
from backforge.output.writer import MemorySink, check_output_dir
from backforge.providers.choice import Choice as _Choice
from backforge.providers.choice import choose as _provider
from backforge.run_options import GenerateOptions
from backforge.spec import load as load_spec
from backforge.spec.loaders import LoadedSpec
from backforge.spec.policy import resolve as resolve_policy
from backforge.stacks import get_stack

if TYPE_CHECKING:  # backforge.verify loads jsonschema: only `verify` pays for it
    import threading

    from backforge.engine.options import EngineOptions
    from backforge.plan.model import Plan
    from backforge.validate import UnitValidator
    from backforge.verify.model import StepResult, VerifyReport

EventHandler = Callable[[Event], None]


@dataclass(frozen=True)
class GenerateResult:
    success: bool
    files: Mapping[str, str]  # every validated file, path -> content
    report: Mapping[str, Any]  # the same data as .backforge/report.json
    output: Path | None = None
    issues: tuple[Issue, ...] = field(default=())  # whole-project checks after the run
    conflicts: tuple[str, ...] = ()  # regeneration: files merged with conflict markers
    # A folder run that found every file as the manifest records it: nothing was rendered,
    # validated or written; `report` is the folder's report.json marked "up_to_date".
    up_to_date: bool = False

    @property
    def exit_code(self) -> int:
        """0 success, 1 failed run, 3 (regeneration) success but merge conflicts to fix."""
        if not self.success:
            return 1
        return 3 if self.conflicts else 0


def load(spec: str | Path | Mapping[str, Any], *, fmt: str | None = None,
         stack: str | None = None) -> LoadedSpec:
    """Load and check a spec from a path or a dict; raises SpecError/SpecFileError (exit 2).

    Paths may be native YAML/JSON, the design tool's JSON, SQL DDL (.sql) or DBML (.dbml);
    `fmt` forces a format: native, designtool, sql, postgres, mysql, sqlite, dbml.
    `stack` replaces the spec's own stack (checked like it)."""
    return load_spec(spec, fmt=fmt, stack=stack)


def load_database(url: str, *, schema: str = "public", stack: str | None = None) -> LoadedSpec:
    """Import the tables of a running PostgreSQL database (needs the `db` extra)."""
    from backforge.spec.load import load_converted
    from backforge.spec.loaders.live import convert_database, safe_url

    return load_converted(convert_database(url, schema), safe_url(url), "live", stack=stack)


@dataclass(frozen=True)
class ImportResult:
    """`backforge import`: the imported spec, as a Project and as editable native YAML."""

    loaded: LoadedSpec
    yaml: str
    output: Path | None = None

    @property
    def notes(self) -> tuple[str, ...]:
        return self.loaded.notes


def import_spec(source: str | Path | None = None, *, database_url: str | None = None,
                fmt: str | None = None, output: str | Path | None = None,
                force: bool = False) -> ImportResult:
    """Import SQL DDL, DBML, any other spec format or a live database (`database_url`) and
    render it as native YAML; written to `output` when given (an existing file only with
    `force`). Raises InputError subclasses (exit 2) for bad input."""
    from backforge.spec.loaders.dump import to_yaml

    if (source is None) == (database_url is None):
        raise InputError("import: give a schema file or --from-db URL (one of them)")
    loaded = load_database(database_url) if database_url else load(source, fmt=fmt)
    text = to_yaml(loaded.project, loaded.notes, loaded.source)
    target = Path(output) if output is not None else None
    if target is not None:
        if target.exists() and not force:
            raise OutputError(str(target), "already exists", "pass --force to overwrite it")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise OutputError(str(target), f"cannot write: {exc.strerror or exc}") from None
    return ImportResult(loaded, text, target)


def generate(spec: str | Path | Mapping[str, Any] | LoadedSpec,
             options: GenerateOptions | None = None, *,
             output: str | Path | None = None,
             on_event: EventHandler | None = None,
             cancel: threading.Event | None = None) -> GenerateResult:
    """Generate a backend from a spec; write it to `output` when given.

    `cancel`, set from any thread, stops the run like the deadline (validated files kept).
    Input errors (bad spec, unusable output folder, unknown provider) raise an InputError
    subclass before anything is written."""
    started = time.monotonic()
    options = options or GenerateOptions()
    loaded = spec if isinstance(spec, LoadedSpec) else load(spec)
    stack = get_stack(options.stack or loaded.project.stack)
    choice = _provider(options.provider, stack, options)
    provider = choice.provider
    # Checked before anything is written: bad limits or an unpriced model with max_cost: exit 2.
    engine_options = options.engine_options(_cost_function(options, choice.model))
    root = Path(output) if output is not None else None
    lock, done = _open_folder(root, loaded, stack, options, choice.model, started, on_event)
    if done is not None:
        return done
    # Imported here: the validator (tree-sitter and its grammars) costs ~55 ms of start-up
    # that an up-to-date run, answered above, never needs.
    from backforge.validate import UnitValidator

    the_plan = planner.build(loaded.project, stack, loaded.names)
    session = None
    if root is not None:
        if options.dry_run:
            return regenerate.dry_run_result(loaded, stack, the_plan, provider, choice.model,
                                             options, root)
        session = regenerate.open_session(
            root, stack, the_plan, provider, provider_name=options.provider,
            model=choice.model, allow_destructive=options.allow_destructive, lock=lock)
    with session if session is not None else nullcontext():
        # --deadline bounds the whole run: the engine gets what the preparation left,
        # minus a reserve for the final write (see _engine_deadline).
        share = _engine_deadline(options.deadline, time.monotonic() - started)
        engine_options = replace(engine_options, deadline=share, cancel=cancel)
        if session is not None:  # staging stops at the same moment as the engine
            session.txn.deadline = time.monotonic() + share
        sink = session.sink if session is not None else MemorySink()
        validator = UnitValidator()
        if session is not None:  # regeneration: replayed files known by their parse facts
            validator = session.validator(validator)
        result = run_sync(the_plan, session.provider if session is not None else provider,
                          validator, sink, engine_options, on_event=on_event,
                          weights=_weights(the_plan, engine_options))
        success, report, project_issues = _assess(result, validator, loaded, stack, the_plan,
                                                  options)
        if session is not None:
            # With the normalized spec, so `verify`, `validate` and the next run need no path
            # to it; everything of the run becomes visible here, at once.
            report = session.finish(report, loaded.project.model_dump(mode="json"),
                                    loaded.fingerprint, validator.registry)
    return GenerateResult(success, dict(result.files), report, root, project_issues,
                          session.conflicts if session is not None else ())


def _open_folder(root: Path | None, loaded: LoadedSpec, stack: Any, options: GenerateOptions,
                 model: str | None, started: float, on_event: EventHandler | None
                 ) -> tuple[FolderLock | None, GenerateResult | None]:
    """The output folder checked; unless a dry run, its lock (held until the run is
    committed), an interrupted run recovered, then the no-op answer when nothing changed."""
    if root is None:
        return None, None
    check_output_dir(root, force=options.force)
    if options.dry_run:
        return None, None
    lock = regenerate.lock_folder(root)
    return lock, _if_up_to_date(lock, loaded, stack, options, model, started, on_event)


def _weights(plan: Plan, engine_options: EngineOptions) -> dict[str, float] | None:
    """Contract-first: each unit's expected answer size, so the longest calls go first."""
    if engine_options.schedule != "contracts":
        return None
    from backforge.validate.contracts import contracts_for  # with the validator, see above

    return contracts_for(plan).weights()


def _if_up_to_date(lock: FolderLock, loaded: LoadedSpec, stack: Any,
                   options: GenerateOptions, model: str | None, started: float,
                   on_event: EventHandler | None) -> GenerateResult | None:
    """The folder already holds what this run would write: the result of a run that did
    nothing (lock released, nothing read but the manifest, the saved spec and the hashed
    files); None, with the lock still held, when the run must go on."""
    try:
        fresh = regenerate.up_to_date(lock.root, stack, loaded.project.model_dump(mode="json"),
                                      provider_name=options.provider, model=model)
    except BaseException:
        lock.release()
        raise
    if fresh is None:
        return None
    lock.release()
    duration = time.monotonic() - started
    report = {**_recorded_report(lock.root), "up_to_date": True}
    if on_event is not None:
        on_event(Event(EventKind.RUN_FINISHED, duration, message="up to date", data={
            "success": True, "success_rate": 1.0, "duration": round(duration, 3),
            "counts": {}, "usage": usage_dict(Usage()), "stopped_by": None,
            "up_to_date": True, "files": len(fresh.files)}))
    return GenerateResult(True, dict(fresh.files), report, lock.root, up_to_date=True)


# The share of --deadline kept for what follows the engine (whole-project checks, the
# manifest, the commit's renames: all linear in the files), at most WRITE_RESERVE_MAX s.
WRITE_RESERVE = 0.05
WRITE_RESERVE_MAX = 10.0


def _engine_deadline(deadline: float, spent: float) -> float:
    """The engine's share of the run's deadline after `spent` seconds of preparation
    (reading the folder, the previous spec, the evolution). Never zero: the engine then
    stops at once and the run still records what it has."""
    reserve = min(deadline * WRITE_RESERVE, WRITE_RESERVE_MAX)
    return max(deadline - spent - reserve, 0.001)


def _assess(result: Any, validator: UnitValidator, loaded: LoadedSpec, stack: Any,
            the_plan: Any, options: GenerateOptions
            ) -> tuple[bool, dict[str, Any], tuple[Issue, ...]]:
    """The run's verdict and report: the engine's, plus whole-project checks."""
    from backforge.validate import validate_tree  # tree-sitter: see generate()

    package = _package_json(result.files)
    # Whole-project checks against the final package.json; without one (config
    # not validated, already reported) fall back to what the units declared.
    project_issues = tuple(validate_tree(
        result.files, package, registry=validator.registry,
        dependencies=None if package else {**result.dependencies, **result.dev_dependencies}))
    success = result.report.success and not any(i.severity == "error" for i in project_issues)
    report = _report_dict(result.report.to_dict(), loaded, stack.name, options, project_issues,
                          success)
    if loaded.project.endpoints:  # which custom endpoints have logic, which answer 501
        report["endpoints"] = stack.endpoint_status(the_plan, result.files)
    # Who may do what: the effective policy table, or with auth off the notice that says so.
    report["access"] = {**resolve_policy(loaded.project).to_dict(),
                        "enforced": stack.enforces_access}
    return success, report, project_issues


def _folder_run(spec: str | Path | Mapping[str, Any] | LoadedSpec, options: GenerateOptions,
                output: str | Path) -> tuple[LoadedSpec, Any, _Choice, Path]:
    """What `plan` and `check` both start from: the spec, its stack, the provider choice
    and the output folder, refused when it is not one backforge may write to."""
    loaded = spec if isinstance(spec, LoadedSpec) else load(spec)
    stack = get_stack(options.stack or loaded.project.stack)
    choice = _provider(options.provider, stack, options)
    root = Path(output)
    check_output_dir(root, force=options.force)
    return loaded, stack, choice, root


def plan(spec: str | Path | Mapping[str, Any] | LoadedSpec,
         options: GenerateOptions | None = None, *, output: str | Path) -> Any:
    """`backforge plan`: what `generate` into `output` would regenerate, merge, add or
    remove, the migration it would append, data loss and API changes; writes nothing.
    Returns a backforge.regenerate.RegenPlan (`.to_dict()` for JSON)."""
    options = options or GenerateOptions()
    loaded, stack, choice, root = _folder_run(spec, options, output)
    the_plan = planner.build(loaded.project, stack, loaded.names)
    return regenerate.plan_regeneration(stack, the_plan, choice.provider, choice.model, options,
                                        root)


@dataclass(frozen=True)
class CheckResult:
    """`generate --check`: whether the folder is current; when not, what would change."""

    up_to_date: bool
    # The backforge.regenerate.RegenPlan when the fast check (every file as recorded)
    # failed: what would change, or nothing when only files edited by hand differ.
    plan: Any = None

    @property
    def exit_code(self) -> int:
        """0 up to date, 1 stale (for CI)."""
        return 0 if self.up_to_date else 1


def check(spec: str | Path | Mapping[str, Any] | LoadedSpec,
          options: GenerateOptions | None = None, *, output: str | Path) -> CheckResult:
    """`generate --check`: does `output` hold exactly what `generate` would leave there?
    When not, the plan (units and files that would change) says why. Writes nothing of
    its own; like `plan`, it first finishes an interrupted run, under the folder's lock."""
    options = options or GenerateOptions()
    loaded, stack, choice, root = _folder_run(spec, options, output)
    if pending(root):
        with FolderLock(root):
            recover(root)
    fresh = regenerate.up_to_date(root, stack, loaded.project.model_dump(mode="json"),
                                  provider_name=options.provider, model=choice.model)
    if fresh is not None:
        return CheckResult(True)
    # Files edited by hand miss the fast check, yet a run may still change nothing.
    the_plan = planner.build(loaded.project, stack, loaded.names)
    planned = regenerate.plan_regeneration(stack, the_plan, choice.provider, choice.model,
                                           options, root)
    return CheckResult(planned.changes_nothing, planned)


def _cost_function(options: GenerateOptions,
                   model: str | None) -> Callable[[Usage], float] | None:
    """USD per attempt for `model`; 0 for templates (no model); None when unpriced (then
    `max_cost` is an input error: the user must add the model to a prices file)."""
    from backforge.providers.llm.pricing import Price, UnknownModelPrice, price_table

    if model is None:
        return Price(0.0, 0.0).cost
    cost_of = price_table(options.prices).cost_function(model)
    if cost_of is None and options.max_cost is not None:
        raise UnknownModelPrice(model)
    return cost_of


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
    return __version__


# -- validate an existing folder ---------------------------------------------------------

@dataclass(frozen=True)
class ValidateResult:
    """`backforge validate DIR`: every issue, grouped by module, with DESIGN.md's verdict."""

    root: Path
    stack: str
    spec: str | None  # the spec the plan was built from (None: presence not checked)
    files: int
    assessment: Any  # backforge.validate.project.ProjectAssessment

    @property
    def success(self) -> bool:
        return self.assessment.success

    @property
    def issues(self) -> tuple[Issue, ...]:
        return self.assessment.issues

    @property
    def exit_code(self) -> int:
        """0 when validated with no errors; 1 otherwise (warnings never count)."""
        return 0 if self.success and not self.assessment.errors else 1

    def to_dict(self) -> dict[str, Any]:
        return {"root": str(self.root), "stack": self.stack, "spec": self.spec,
                "files": self.files, **self.assessment.to_dict()}


def validate_dir(path: str | Path, *, spec: str | Path | None = None,
                 stack: str | None = None,
                 options: GenerateOptions | None = None) -> ValidateResult:
    """Validate a project folder (generated by backforge, maybe edited by hand since).

    The stack and spec come from `.backforge/report.json` when present (else express-js
    and no spec); `spec`/`stack` override them. With a spec, required and critical files
    are checked too. Raises InputError (exit 2) for a missing folder or a bad spec."""
    from backforge.validate import validate_tree
    from backforge.validate.project import ModuleMap, assess, read_project
    from backforge.validate.validator import stack_rules_of

    root = Path(path)
    if not root.is_dir():
        raise InputError(f"{root}: no such folder")
    options = options or GenerateOptions()
    recorded = _recorded_report(root)
    the_stack = get_stack(stack or recorded.get("stack") or "express-js")
    notes: list[str] = []
    loaded = _spec_for(spec, recorded, notes, root)
    files = read_project(root)
    issues = validate_tree(files, stack_rules=stack_rules_of(the_stack.name))
    layout = planner.build(_layout_project(), the_stack)
    modules = ModuleMap.from_plan(layout)
    the_plan = None
    if loaded is not None:
        the_plan = planner.build(loaded.project, the_stack, loaded.names)
        modules = ModuleMap.from_plan(the_plan).merged(modules)
    recorded_units = [(p, u["module"]) for u in recorded.get("units", ())
                      if isinstance(u, dict) and "module" in u for p in u.get("files", ())]
    modules = ModuleMap.from_paths(recorded_units).merged(modules)
    result = assess(files, issues, modules, plan=the_plan, module_defs=layout.modules,
                    required_ratio=options.required_ratio,
                    success_ratio=options.success_ratio, notes=notes,
                    deleted=_deleted_on_purpose(root, notes))
    return ValidateResult(root, the_stack.name, loaded.source if loaded else None, len(files),
                          result)


def _deleted_on_purpose(root: Path, notes: list[str]) -> list[str]:
    """Files the manifest says backforge wrote that are no longer on disk."""
    from backforge.output.manifest import ManifestError, load_manifest

    try:
        manifest = load_manifest(root)
    except ManifestError as exc:
        notes.append(f"{exc.message}; deleted files were not told apart")
        return []
    gone = sorted(p for p in manifest.files if not (root / p).exists()) if manifest else []
    if gone:
        shown = ", ".join(gone[:5]) + (f" and {len(gone) - 5} more" if len(gone) > 5 else "")
        notes.append(f"info: {len(gone)} generated file(s) deleted by hand (recorded in "
                     f".backforge/manifest.json), no longer required unless critical: {shown}")
    return gone


def _recorded_report(root: Path) -> dict[str, Any]:
    try:
        data = json.loads((root / ".backforge" / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _spec_for(spec: str | Path | None, recorded: Mapping[str, Any],
              notes: list[str], root: Path) -> LoadedSpec | None:
    """The explicit spec (errors are the caller's: exit 2), else the normalized copy in
    .backforge/spec.json, else the recorded source if it still loads, else None (and a
    note that presence was not checked)."""

    if spec is not None:
        return load(spec)
    saved = root / ".backforge" / "spec.json"
    if saved.is_file():
        try:
            return load(saved)
        except InputError as exc:
            notes.append(f"{saved} does not load ({exc.message.splitlines()[0]})")
    source = recorded.get("spec")
    if isinstance(source, str) and Path(source).is_file():
        try:
            return load(source)
        except InputError as exc:
            reason = exc.message.splitlines()[0]
            notes.append(f"the recorded spec {source} no longer loads ({reason}); "
                         "required and critical files were not checked")
            return None
    notes.append("no spec (pass --spec, or keep the one in .backforge/report.json): "
                 "required and critical files were not checked")
    return None


def _layout_project():
    """A one-table project with every option on: the stack's module layout, used to tell
    which module a path belongs to when the real spec is unknown."""
    from backforge.spec.model import Field, FieldType, Options, Project, Table

    return Project(name="layout", options=Options(auth=True, tests=True, docker=True,
                                                  terraform=True),
                   tables=(Table(name="item", fields=(
                       Field(name="id", type=FieldType.INTEGER, primary_key=True),)),))


def _plan_for(root: Path, spec: str | Path | None) -> tuple[Any, Any]:
    """The plan and stack a generated folder came from (its recorded spec, or `spec`)."""

    loaded = _spec_for(spec, _recorded_report(root), [], root)
    if loaded is None:
        raise InputError(f"{root}: cannot tell which spec produced it; pass --spec SPEC")
    the_stack = get_stack(loaded.project.stack)
    return planner.build(loaded.project, the_stack, loaded.names), the_stack


def fuzz(path: str | Path, *, spec: str | Path | None = None,
         database_url: str | None = None, npm_cache: str | Path | None = None,
         max_examples: int = 10, max_time: float = 120) -> Any:
    """Run the project (install, PostgreSQL, migrate, seed, boot) and schemathesis
    against it; returns a verify.fuzz.FuzzReport. Needs the `fuzz` extra."""
    from backforge.verify.fuzz import fuzz_app, schemathesis_command
    from backforge.verify.runner import running_app

    root = Path(path)
    if not root.is_dir():
        raise InputError(f"{root}: no such folder")
    schemathesis_command()  # a clear error before anything starts when it is missing
    the_plan, the_stack = _plan_for(root, spec)
    with running_app(root, the_plan, the_stack, database_url=database_url,
                     npm_cache=Path(npm_cache) if npm_cache else None) as app:
        return fuzz_app(app.base_url, the_plan, max_examples=max_examples, max_time=max_time)


def verify(path: str | Path, *, spec: str | Path | None = None,
           database_url: str | None = None, npm_cache: str | Path | None = None,
           run_tests: bool = True,
           on_step: Callable[[StepResult], None] | None = None) -> VerifyReport:
    """Run a generated project for real (install, PostgreSQL, migrate, boot, API checks,
    its own tests) and add a `verify` section to its .backforge/report.json."""
    from backforge.verify import verify_project

    # Absolute first: every step runs commands with cwd=root, and a relative path given to
    # them (the hard-link copy of node_modules) would resolve inside the project itself.
    root = Path(path).resolve()
    if not root.is_dir():
        raise InputError(f"{root}: no such folder")
    ours = (root / ".backforge").is_dir()
    # The folder's lock (one generate or verify at a time) when the folder is backforge's.
    with FolderLock(root) if ours else nullcontext():
        if ours:
            recover(root)  # an interrupted generate: verify what it committed, not a mix
        recorded = _recorded_report(root)
        the_plan, the_stack = _plan_for(root, spec)
        report = verify_project(root, the_plan, the_stack, database_url=database_url,
                                npm_cache=Path(npm_cache) if npm_cache else None,
                                run_tests=run_tests, on_step=on_step)
        if ours:  # through the journal: a kill leaves no temp file behind
            txn = Transaction(root)
            txn.put(".backforge/report.json",
                    json.dumps({**recorded, "verify": report.to_dict()}, indent=2) + "\n")
            txn.commit()
    return report
