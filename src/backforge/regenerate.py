"""Regeneration: the wiring that makes `generate` into a backforge folder incremental.

`open_session` takes the folder's lock, finishes or undoes an interrupted run
(output/journal.py), then picks the provider wrapper and the sink: a first run
stages every file, its base copy and the manifest; a run into a folder with a
manifest replays unchanged units from the base copies,
pins applied migrations, adds the stack's evolution migration, merges the
user's edits, removes files no unit produces any more, and records the result.
Everything is staged in one transaction and committed at the end of the run.
`plan_regeneration` computes the same decisions without writing (`backforge plan`).
Like api.py it knows every stage; api.generate hands folder runs to it.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from backforge import __version__
from backforge import plan as planner
from backforge.engine.protocols import GeneratedFile, Provider, Sink
from backforge.errors import InputError
from backforge.output import fastpath, journal
from backforge.output import incremental as inc
from backforge.output import manifest as mf
from backforge.output.journal import FolderLock, Transaction
from backforge.output.merge import Action, MergingSink, require_git
from backforge.output.writer import MARKER_DIR, DirectoryWriter
from backforge.plan.model import Plan, Unit
from backforge.providers.llm.slices import PROMPT_VERSION, spec_slice
from backforge.providers.replay import ReplayProvider
from backforge.spec.loaders import LoadedSpec
from backforge.spec.names import TableNames

if TYPE_CHECKING:
    from backforge.sql.evolution import Evolution
    from backforge.stacks import Stack

__all__ = ["CONFLICT_EXIT", "DestructiveChangeError", "PreviousSpecError", "RegenPlan",
           "Session", "UpToDate", "lock_folder", "open_session", "plan_regeneration",
           "read_previous", "unit_inputs", "unit_slice", "up_to_date"]

CONFLICT_EXIT = 3
FACTS = "facts.json"  # the last run's parse facts per file (validate/facts.py)


class DestructiveChangeError(InputError):
    """The new spec drops or narrows data and --allow-destructive was not given."""

    def __init__(self, losses: tuple[Any, ...]) -> None:
        self.losses = losses
        lines = "".join(f"\n  - {d.change}: {d.detail}" for d in losses)
        super().__init__("the new spec would lose data in an existing database; nothing was "
                         f"written:{lines}\npass --allow-destructive to generate the "
                         "migration anyway (run `backforge plan` to see every change)")


class PreviousSpecError(InputError):
    def __init__(self, root: Path, reason: str) -> None:
        super().__init__(f"{root}: cannot regenerate: {reason}")


# -- unit input fingerprints ---------------------------------------------------------------


def template_version(stack: Stack) -> str:
    """The hash of the stack's templates and prompts, of the Python that builds prompts
    (the LLM prompt builder, the spec slices and the contract derivation) and of the
    backforge version (output/fastpath.template_version_of)."""
    module = sys.modules[type(stack).__module__].__file__ or "."
    return fastpath.template_version_of(Path(module).parent)


def _names_dict(names: TableNames) -> dict[str, Any]:
    return {"name": names.name, "sql": names.sql, "url": names.url, "file": names.file,
            "singular": names.singular, "plural": names.plural,
            "fields": {k: [f.sql, f.prop] for k, f in names.fields.items()}}


def unit_slice(plan: Plan, unit: Unit) -> dict[str, Any]:
    """Everything a unit's output may depend on: its spec slice (the whole project for a
    unit of no table, unless the stack scopes it narrower) and its tables' resolved names."""
    from backforge.stacks import get_stack

    scope = get_stack(plan.stack).unit_scope(unit, plan) if unit.table is None else None
    if scope is not None:
        return {"tables": {}, "rest": scope}
    project = spec_slice(plan, unit).model_dump(mode="json")
    tables = project.pop("tables")
    return {"tables": {t["name"]: [t, _names_dict(plan.names.table(t["name"]))]
                       for t in tables}, "rest": project}


def _slice_hashes(plan: Plan, unit: Unit, memo: dict[int, str]
                  ) -> tuple[dict[str, str], Any]:
    """unit_slice's tables hashed (each table once per plan: `memo` by the Table object,
    as a table unit's slice holds every table it references, transitively, hashing them
    per unit made a run quadratic in tables) and the rest of the slice."""
    from backforge.stacks import get_stack

    scope = get_stack(plan.stack).unit_scope(unit, plan) if unit.table is None else None
    if scope is not None:
        return {}, scope
    sliced = spec_slice(plan, unit)
    tables = {}
    for table in sliced.tables:
        digest = memo.get(id(table))
        if digest is None:  # = canonical_hash(unit_slice(...)["tables"][name])
            digest = memo[id(table)] = mf.canonical_hash(
                [table.model_dump(mode="json"), _names_dict(plan.names.table(table.name))])
        tables[table.name] = digest
    return tables, sliced.model_dump(mode="json", exclude={"tables"})


def unit_inputs(plan: Plan, settings: inc.Settings) -> dict[str, inc.UnitInputs]:
    out: dict[str, inc.UnitInputs] = {}
    memo: dict[int, str] = {}
    for uid, unit in plan.units.items():
        tables, project = _slice_hashes(plan, unit, memo)
        rest = mf.canonical_hash({"unit": uid, "module": unit.module, "files": unit.required,
                                  "project": project})
        whole = mf.canonical_hash({"stack": plan.stack, "provider": settings.provider,
                                   "model": settings.model, "prompt_version": PROMPT_VERSION,
                                   "templates": settings.template_version, "tables": tables,
                                   "rest": rest})
        out[uid] = inc.UnitInputs(whole, tables, rest)
    return out


def spec_hash(plan: Plan) -> str:
    return mf.canonical_hash(plan.project.model_dump(mode="json"))


# -- nothing to do ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UpToDate:
    """The folder holds exactly what a run would leave: the manifest and every file."""

    manifest: mf.Manifest
    files: Mapping[str, str]  # path -> content, as on disk (= as backforge wrote it)


def up_to_date(root: Path, stack: Stack, project: Mapping[str, Any], *, provider_name: str,
               model: str | None) -> UpToDate | None:
    """UpToDate when the manifest's spec hash, backforge/stack/template versions, provider
    and model match this run and every recorded file and base copy still has the recorded
    sha256; None otherwise (also with conflict markers left, or anything unreadable: the
    full run then decides, and reports). `project` is the spec as JSON (model_dump).
    Reads and hashes only: no plan, rendering, validation or parsing of project files.
    Call it with the folder's lock held and the journal recovered (lock_folder)."""
    try:
        manifest = mf.load_manifest(root)
    except mf.ManifestError:
        return None
    if manifest is None or manifest.conflicts:
        return None
    if (manifest.backforge, manifest.stack, manifest.provider, manifest.model,
            manifest.spec_hash) != (__version__, stack.name, provider_name, model,
                                    mf.canonical_hash(project)):
        return None
    marker = root / MARKER_DIR
    if not _saved_spec_is(root, project) \
            or not fastpath.run_complete(_recorded_report(marker / "report.json")) \
            or manifest.template_version != template_version(stack):
        return None
    files = mf.files_as_recorded(root, manifest)
    return UpToDate(manifest, files) if files is not None else None


def _saved_spec_is(root: Path, project: Mapping[str, Any]) -> bool:
    """.backforge/spec.json holds `project`: by the sha256 the stat cache recorded when it
    was written, else compared as data (json.loads is C code; the indented json.dumps
    that wrote it is pure Python, a quarter of a no-op run at 150 tables)."""
    path = root / fastpath.SPEC_JSON
    cache = fastpath.StatCache.load(root)
    recorded = cache.files.get(fastpath.SPEC_JSON) if cache is not None else None
    try:
        data = path.read_bytes()
        if recorded is not None and hashlib.sha256(data).hexdigest() == recorded[1]:
            return True  # the bytes a run wrote from a spec of the manifest's hash
        return json.loads(data) == project
    except (OSError, ValueError):
        return False


def _recorded_report(path: Path) -> Mapping[str, Any]:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, Mapping) else {}


def lock_folder(root: Path) -> FolderLock:
    """Take the folder's lock (FolderLockedError when another run holds it) and finish or
    undo what an interrupted run left; the caller releases the lock."""
    lock = FolderLock(root).acquire()
    try:
        journal.recover(root)
    except BaseException:
        lock.release()
        raise
    return lock


# -- the previous run ----------------------------------------------------------------------


@dataclass(frozen=True)
class Previous:
    """What the folder says about the last run, and how the new plan differs from it."""

    manifest: mf.Manifest
    plan: Plan
    settings: inc.Settings
    evolution: Evolution | None
    decisions: tuple[inc.UnitDecision, ...]
    replays: Mapping[str, Any]
    pinned: Mapping[str, tuple[Any, ...]]
    bases: Mapping[str, str | None]
    new_inputs: Mapping[str, inc.UnitInputs] = field(default_factory=dict)

    @property
    def pinned_paths(self) -> frozenset[str]:
        return frozenset(f.path for files in self.pinned.values() for f in files)


def _old_plan(root: Path, manifest: mf.Manifest, stack: Stack) -> Plan:
    from backforge.spec import load as load_spec

    if manifest.stack != stack.name:
        raise PreviousSpecError(root, f"it was generated for stack {manifest.stack}, not "
                                f"{stack.name}; generate into a new folder")
    saved = root / MARKER_DIR / "spec.json"
    try:
        loaded = load_spec(saved)
    except InputError as exc:
        raise PreviousSpecError(root, f"{saved} (the previous spec) does not load: "
                                f"{exc.message.splitlines()[0]}") from None
    return planner.build(loaded.project, stack, loaded.names)


def _existing_paths(root: Path, manifest: mf.Manifest) -> set[str]:
    paths = set(manifest.files)
    folder = root / inc.MIGRATIONS_DIR
    if folder.is_dir():
        paths |= {p.relative_to(root).as_posix() for p in folder.rglob("*") if p.is_file()}
    return paths


def read_previous(root: Path, stack: Stack, plan: Plan, settings: inc.Settings) -> Previous:
    """Load the manifest, the previous spec and base copies; decide every unit."""
    manifest = mf.load_manifest(root)
    assert manifest is not None
    old_plan = _old_plan(root, manifest, stack)
    evolution = stack.evolve(old_plan, plan, _existing_paths(root, manifest))
    new_inputs = unit_inputs(plan, settings)
    old_inputs = unit_inputs(old_plan, inc.Settings(manifest.provider, manifest.model,
                                                    manifest.template_version))
    decisions, replays = inc.decide_units(root, plan, manifest, settings, new_inputs,
                                          old_inputs)
    pinned = inc.pinned_migrations(root, plan, manifest,
                                   evolution.files if evolution is not None else ())
    bases = {p: mf.read_base(root, p, sha) for p, sha in manifest.files.items()}
    return Previous(manifest, old_plan, settings, evolution, tuple(decisions), replays, pinned,
                    bases, new_inputs)


# -- a run into a folder --------------------------------------------------------------------


class _BaseCopies:
    """Wraps the run's sink: every file a unit hands over also gets its base copy staged
    right then, inside the engine's deadline rather than after it. A unit whose files
    cannot all be staged (the deadline passed, the disk is full) leaves nothing staged
    and the engine reports it as not written."""

    def __init__(self, inner: DirectoryWriter | MergingSink, txn: Transaction) -> None:
        self.inner, self.txn = inner, txn

    def write(self, unit: Unit, files: Sequence[GeneratedFile]) -> None:
        mark = self.txn.savepoint()
        try:
            self.inner.write(unit, files)
            for f in files:
                self.txn.put_if_changed(mf.base_path(f.path), f.content)
        except Exception:
            self.txn.rollback_to(mark)
            self.inner.forget([f.path for f in files])
            raise


class Session:
    """One `generate` into a folder, holding the folder's lock from `open_session` to
    `close`: the provider and sink to run the engine with (`sink` stages into the run's
    transaction), then `finish` to stage the manifest, spec and report and commit it all
    at once (see output/journal.py)."""

    def __init__(self, root: Path, plan: Plan, provider: ReplayProvider,
                 target: DirectoryWriter | MergingSink, settings: inc.Settings,
                 previous: Previous | None, txn: Transaction, lock: FolderLock) -> None:
        self.root, self.plan, self.provider, self.target = root, plan, provider, target
        self.settings, self.previous, self.txn, self.lock = settings, previous, txn, lock
        self.sink: Sink = _BaseCopies(target, txn)
        self.conflicts: tuple[str, ...] = ()
        self.incremental: Any = None  # the IncrementalValidator of a regeneration

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the lock; what was staged but not committed is rolled back by the
        next run (a run that raised never committed)."""
        self.lock.release()

    def produced(self) -> dict[str, tuple[str, ...]]:
        """unit -> its files, for every unit the sink received this run."""
        if isinstance(self.target, MergingSink):
            got = set(self.target.generated)
        else:
            got = set(self.target.written)
        return {uid: tuple(f.path for f in g.files) for uid, g in self.provider.last.items()
                if g.files and all(f.path in got for f in g.files)}

    def validator(self, inner: Any) -> Any:
        """The run's validator: for a regeneration, `inner` (a validate.UnitValidator)
        with its registry seeded by the last run's parse facts of every file still as
        recorded (replayed units are not parsed again), wrapped so that replayed units
        nothing changed for are not checked again (validate/incremental.py)."""
        if self.previous is None:
            return inner
        # Imported here: validate/ loads tree-sitter, which an up-to-date answer never
        # needs (a measured start-up cost); this runs only with the validator loaded.
        from backforge.validate import facts as parse_facts
        from backforge.validate.incremental import IncrementalValidator

        try:
            text = (self.root / MARKER_DIR / FACTS).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        recorded = self.previous.manifest.files
        known = {path: f for path, f in parse_facts.loads(text).items()
                 if recorded.get(path) == f.sha}
        bases = self.previous.bases
        inner.registry.seed({path: (bases[path], f.parsed) for path, f in known.items()
                             if bases.get(path) is not None})
        self.incremental = IncrementalValidator(inner, recorded, known)
        return self.incremental

    def finish(self, report: dict[str, Any], spec: Mapping[str, Any],
               fingerprint: str | None = None, registry: Any = None) -> dict[str, Any]:
        """Stage the merge's removals, the manifest, spec.json and report.json, then
        commit the whole run. report.json is always written (it holds this run's
        timings); everything else only when its bytes change. After a complete run, the
        stat cache for the next no-op (output/fastpath.py; `fingerprint`: the spec's).
        `registry` (the run's validate.Registry): its parses of the recorded files are
        saved as facts.json for the next regeneration (`seed`)."""
        self.txn.deadline = None  # what validated and was staged in time is recorded
        produced = self.produced()
        regen = None
        if self.previous is not None and isinstance(self.target, MergingSink):
            regen = self._merge_finish(produced)
        entries, files = self._entries(produced)
        manifest = mf.Manifest(report.get("backforge", ""), self.plan.stack,
                               spec_hash(self.plan), self.settings.provider,
                               self.settings.model, self.settings.template_version, entries,
                               files, self.conflicts)
        self.txn.put_if_changed(f"{MARKER_DIR}/{mf.MANIFEST}", manifest.to_json())
        if registry is not None:
            from backforge.validate import facts as parse_facts  # loaded with the validator

            contents = {p: registry.content(p) for p in files}
            self.txn.put_if_changed(f"{MARKER_DIR}/{FACTS}", parse_facts.dumps(
                {p: c for p, c in contents.items() if c is not None},
                (registry.get(p) for p in files if registry.get(p) is not None),
                registry.resolve))
        spec_text = json.dumps(spec, indent=2) + "\n"
        self.txn.put_if_changed(f"{MARKER_DIR}/spec.json", spec_text)
        report = {**report, "regeneration": regen} if regen is not None else report
        self.txn.put(f"{MARKER_DIR}/report.json", json.dumps(report, indent=2) + "\n")
        fastpath.forget(self.root)  # it describes the folder before this commit
        self.txn.commit()
        if fastpath.run_complete(report) and not self.conflicts:
            fastpath.record(self.root, fastpath.expected_files(manifest,
                                                               mf.sha256_text(spec_text)),
                            fingerprint)
        return report

    def _entries(self, produced: Mapping[str, tuple[str, ...]]
                 ) -> tuple[dict[str, mf.UnitEntry], dict[str, str]]:
        inputs = self.previous.new_inputs if self.previous else unit_inputs(self.plan,
                                                                            self.settings)
        entries: dict[str, mf.UnitEntry] = {}
        files: dict[str, str] = {}
        old = self.previous.manifest if self.previous else None
        for uid, unit in self.plan.units.items():
            if uid in produced:
                g = self.provider.last[uid]
                entries[uid] = mf.UnitEntry(uid, unit.module, unit.table, inputs[uid].hash,
                                            produced[uid], dict(g.dependencies),
                                            dict(g.dev_dependencies))
                files.update({f.path: mf.sha256_text(f.content) for f in g.files})
            elif old is not None and uid in old.units:
                entries[uid] = old.units[uid]  # not rerun: the old record, so it reruns next
                files.update({p: old.files[p] for p in old.units[uid].files if p in old.files})
        return entries, files

    def _merge_finish(self, produced: Mapping[str, tuple[str, ...]]) -> dict[str, Any]:
        assert self.previous is not None and isinstance(self.target, MergingSink)
        prev, sink = self.previous, self.target
        gone = inc.orphans(prev.manifest, self.plan, produced, prev.pinned_paths)
        sink.remove_orphans(gone)
        for path in gone:
            if sink.decisions[path].action in (Action.DELETED, Action.KEPT,
                                               Action.USER_DELETED) \
                    and mf.base_file(self.root, path).exists():
                self.txn.delete(mf.base_path(path))
        staged = {d.path: d.content for d in sink.decisions.values() if d.content is not None}
        sink.unresolved(prev.manifest.conflicts, staged)
        self.conflicts = tuple(sorted(d.path for d in sink.conflicts()))
        regen = regeneration_dict(prev, sink, self.provider)
        if self.incremental is not None:  # replayed units nothing changed for
            regen["units_not_revalidated"] = len(self.incremental.skipped)
        return regen


def regeneration_dict(prev: Previous, sink: MergingSink,
                      provider: ReplayProvider | None) -> dict[str, Any]:
    files = [d.to_dict() for _, d in sorted(sink.decisions.items())]
    decisions = [d.to_dict() for d in prev.decisions]
    replayed = sorted(provider.replayed) if provider else \
        [d.id for d in prev.decisions if d.replay]
    done = set(replayed)
    regenerated = [d.id for d in prev.decisions if d.id not in done]
    return {"units_replayed": len(replayed), "units_regenerated": len(regenerated),
            "regenerated": regenerated, "units": decisions,
            "provider_calls": provider.calls if provider else None,
            "files": files, "counts": sink.counts(),
            "conflicts": [d.path for d in sink.conflicts()],
            "evolution": prev.evolution.to_dict() if prev.evolution is not None else None}


def open_session(root: Path, stack: Stack, plan: Plan, provider: Provider, *,
                 provider_name: str, model: str | None,
                 allow_destructive: bool = False, lock: FolderLock | None = None) -> Session:
    """Take the folder's lock (FolderLockedError when another run holds it), finish or
    undo what an interrupted run left (both already done when `lock` is given: the
    session then owns it), then read the folder. Raises
    DestructiveChangeError, PreviousSpecError, ManifestError or GitMissingError
    (InputErrors, exit 2) before anything of this run is written."""
    lock = lock if lock is not None else lock_folder(root)
    try:
        settings = inc.Settings(provider_name, model, template_version(stack))
        txn = Transaction(root)
        if not mf.has_manifest(root):
            return Session(root, plan, ReplayProvider(provider), DirectoryWriter(root, txn),
                           settings, None, txn, lock)
        prev = read_previous(root, stack, plan, settings)
        if prev.evolution is not None and prev.evolution.destructive and not allow_destructive:
            raise DestructiveChangeError(prev.evolution.data_loss)
        require_git()
    except BaseException:
        lock.release()
        raise
    wrapper = ReplayProvider(provider, prev.replays, prev.pinned)
    return Session(root, plan, wrapper, MergingSink(root, prev.bases, txn=txn), settings, prev,
                   txn, lock)


# -- plan only (`backforge plan`, `generate --dry-run`) -------------------------------------


@dataclass(frozen=True)
class RegenPlan:
    """What a generate into `root` would do; computed without writing anything."""

    root: Path
    first_run: bool
    units: tuple[inc.UnitDecision, ...]
    files: tuple[Any, ...] | None  # FileDecisions; None: not computed (LLM provider)
    evolution: Evolution | None
    allow_destructive: bool = False
    conflicts: tuple[str, ...] = ()  # files the manifest records with conflict markers

    @property
    def changes_nothing(self) -> bool:
        """A generate would leave every file as it is (edits by hand merged and kept) and
        no conflict is recorded: for `generate --check`. LLM providers (files not
        computed): judged by the units alone."""
        return not (self.first_run or self.regenerated or self.conflicts
                    or (self.evolution is not None and self.evolution.files)
                    or any(d.action is not Action.UNCHANGED for d in self.files or ()))

    @property
    def needs_allow_destructive(self) -> bool:
        return bool(self.evolution is not None and self.evolution.destructive
                    and not self.allow_destructive)

    @property
    def regenerated(self) -> list[inc.UnitDecision]:
        return [u for u in self.units if not u.replay]

    def to_dict(self) -> dict[str, Any]:
        files = None if self.files is None else [d.to_dict() for d in self.files
                                                 if d.action is not Action.UNCHANGED]
        return {"root": str(self.root), "first_run": self.first_run,
                "units_replayed": sum(u.replay for u in self.units),
                "units_regenerated": len(self.regenerated),
                "units": [u.to_dict() for u in self.regenerated],
                "files": files,
                "unchanged_files": None if self.files is None else
                sum(d.action is Action.UNCHANGED for d in self.files),
                "evolution": self.evolution.to_dict() if self.evolution else None,
                "needs_allow_destructive": self.needs_allow_destructive,
                "conflicts": list(self.conflicts)}


def _render_all(plan: Plan, provider: Provider, sink: Sink, options: Any) -> None:
    from backforge.engine import run_sync
    from backforge.validate import UnitValidator

    run_sync(plan, provider, UnitValidator(), sink, options.engine_options())


def plan_regeneration(stack: Stack, plan: Plan, provider: Provider, model: str | None,
                      options: Any, root: Path) -> RegenPlan:
    """The units and (template provider: computed in memory) files a generate into `root`
    would regenerate, merge or remove; LLM providers: units only, no calls."""
    settings = inc.Settings(options.provider, model, template_version(stack))
    compute = options.provider == "template"
    if journal.pending(root):
        # Planning writes nothing of its own and takes no lock, but it must read the folder
        # as the interrupted run left it: finish (or undo) that run first, under the lock.
        with FolderLock(root):
            journal.recover(root)
    if not mf.has_manifest(root):
        from backforge.output.merge import FileDecision
        from backforge.output.writer import MemorySink

        units = tuple(inc.UnitDecision(uid, False, ("first generation",)) for uid in plan.units)
        files = None
        if compute:
            memory = MemorySink()
            _render_all(plan, provider, memory, options)
            files = tuple(FileDecision(p, Action.UPDATED if (root / p).exists()
                                       else Action.ADDED) for p in sorted(memory.files))
        return RegenPlan(root, True, units, files, None, options.allow_destructive)
    prev = read_previous(root, stack, plan, settings)
    files = None
    if compute:
        sink = MergingSink(root, prev.bases)
        wrapper = ReplayProvider(provider, prev.replays, prev.pinned)
        _render_all(plan, wrapper, sink, options)
        produced = {uid: tuple(f.path for f in g.files) for uid, g in wrapper.last.items()}
        sink.remove_orphans(inc.orphans(prev.manifest, plan, produced, prev.pinned_paths))
        files = tuple(d for _, d in sorted(sink.decisions.items()))
    return RegenPlan(root, False, prev.decisions, files, prev.evolution,
                     options.allow_destructive, prev.manifest.conflicts)


def dry_run_result(loaded: LoadedSpec, stack: Stack, plan: Plan, provider: Provider,
                   model: str | None, options: Any, root: Path) -> Any:
    """api.generate with dry_run: the plan as the report, nothing written."""
    from backforge.api import GenerateResult

    planned = plan_regeneration(stack, plan, provider, model, options, root)
    return GenerateResult(True, {}, {"project": loaded.project.name, "dry_run": True,
                                     "plan": planned.to_dict()}, root)
