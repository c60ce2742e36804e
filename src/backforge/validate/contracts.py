"""Interface contracts: what every unit of a plan offers the others, known before any
file exists.

A unit's contract is the interface of the stack's own rendering of it
(`Stack.contract_files`; express-js: its template output): for each code file the names
it exports (with signatures) and whether it has a default export, for each SQL file the
tables and columns it creates, and the packages the unit declares. Contract-first runs
(`EngineOptions.schedule`) ask every unit at once:

- a prompt lists its dependencies' contracts where it would list their validated files
  (`import_facts`: the same import statements and signatures);
- an answer is validated against its dependencies' contracts: their stand-in files
  (`base`) take the place of the files that do not exist yet. The cross-file checks read
  only the interface of those files (exports, signatures, the SQL schema, declared
  packages), so nothing else of a stand-in can pass or fail an answer;
- and against its own (`contract_issues`): what it promised the others must be there.

Once its dependencies landed the engine validates the answer again on their real files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from backforge.engine.protocols import Generation, Issue
from backforge.plan.model import Plan, Unit
from backforge.validate.languages import Language
from backforge.validate.registry import Registry

__all__ = ["Contracts", "FileContract", "UnitContract", "contract_issues", "contracts_for"]


@dataclass(frozen=True)
class FileContract:
    path: str
    names: frozenset[str]  # exported names (re-exports followed)
    signatures: tuple[str, ...]  # for prompts: `async getTask(key)`, or a bare name
    default: bool  # the module value itself (CommonJS `module.exports = fn`, ES default)
    tables: Mapping[str, frozenset[str]]  # SQL: table -> the columns this file creates


@dataclass(frozen=True)
class UnitContract:
    unit: str
    files: tuple[FileContract, ...]
    dependencies: Mapping[str, str]  # packages the unit declares: name -> range
    dev_dependencies: Mapping[str, str]
    # The files of other units it imports (what its prompt lists), in plan order.
    uses: tuple[str, ...] = ()

    def file(self, path: str) -> FileContract | None:
        return next((f for f in self.files if f.path == path), None)


def closure(plan: Plan, unit: Unit) -> list[Unit]:
    """Every unit `unit` depends on, directly or not, in plan (topological) order."""
    seen: set[str] = set()
    todo = list(unit.deps)
    while todo:
        uid = todo.pop()
        if uid in seen or uid not in plan.units:
            continue
        seen.add(uid)
        todo += plan.units[uid].deps
    return [u for uid, u in plan.units.items() if uid in seen]


class Contracts:
    """Every unit's contract for one plan, and the stand-in files they come from."""

    def __init__(self, plan: Plan, stand_ins: Mapping[str, Generation],
                 languages: Sequence[Language] | None = None) -> None:
        self.plan = plan
        self.stand_ins = dict(stand_ins)
        self.registry = Registry(languages)
        self.registry.update({f.path: f.content for g in self.stand_ins.values()
                              for f in g.files})
        owner = {f.path: uid for uid, g in self.stand_ins.items() for f in g.files}
        self._order = {p: i for i, p in enumerate(owner)}
        self._units = {uid: self._derive(uid, g, owner) for uid, g in self.stand_ins.items()}

    def _derive(self, uid: str, generation: Generation, owner: Mapping[str, str]) -> UnitContract:
        files, uses = [], set()
        for f in generation.files:
            parsed, exports = self.registry.get(f.path), self.registry.exports_of(f.path)
            if parsed is None or exports is None:
                continue
            uses.update(target for i in parsed.imports if i.is_relative
                        and (target := self.registry.resolve(f.path, i.specifier)) is not None
                        and owner.get(target, uid) != uid)
            tables = {t.name: frozenset(t.columns)
                      for t in (parsed.schema.tables if parsed.schema else ())}
            if exports.names or exports.default or tables:
                files.append(FileContract(f.path, exports.names,
                                          tuple(self.registry.signatures(f.path)),
                                          exports.default, tables))
        return UnitContract(uid, tuple(files), dict(generation.dependencies),
                            dict(generation.dev_dependencies),
                            tuple(sorted(uses, key=self._order.__getitem__)))

    def of(self, uid: str) -> UnitContract:
        return self._units[uid]

    def base(self, unit: Unit) -> dict[str, str]:
        """The stand-in files of every unit `unit` depends on: what the validator checks an
        answer against before those units landed."""
        return {f.path: f.content for dep in closure(self.plan, unit)
                for f in self.stand_ins[dep.id].files}

    def packages(self, unit: Unit) -> dict[str, str]:
        """The packages `unit`'s dependencies will declare (dev ones included)."""
        out: dict[str, str] = {}
        for dep in closure(self.plan, unit):
            contract = self._units[dep.id]
            out.update(contract.dev_dependencies)
            out.update(contract.dependencies)
        return out

    def weights(self) -> dict[str, float]:
        """Each unit's expected answer size (characters of its stand-in files): what
        contract-first scheduling orders calls by, heaviest first."""
        return {uid: float(sum(len(f.content) for f in g.files))
                for uid, g in self.stand_ins.items()}

    def uses(self, unit: Unit) -> list[str]:
        """The files of `unit`'s dependencies that it imports: what its prompt offers
        (the rest of its dependencies' files would cost tokens and help no answer)."""
        mine = {dep.id for dep in closure(self.plan, unit)}
        owner = {f.path: uid for uid in mine for f in self.stand_ins[uid].files}
        return [p for p in self._units[unit.id].uses if p in owner]


_cache: list[tuple[Plan, Contracts]] = []  # the last few plans (a run has one)


def contracts_for(plan: Plan) -> Contracts:
    """The contracts of `plan`'s units, derived once per plan from its stack."""
    for known, contracts in _cache:
        if known is plan:
            return contracts
    stack = _stack(plan.stack)
    derive = getattr(stack, "contract_files", None) or stack.render
    contracts = Contracts(plan, {uid: derive(u, plan) for uid, u in plan.units.items()})
    _cache.insert(0, (plan, contracts))
    del _cache[4:]
    return contracts


def _stack(name: str) -> Any:
    # stacks/ imports validate/ (render uses the registry): a top-level import would cycle.
    from backforge.stacks import get_stack

    return get_stack(name)


def contract_issues(contract: UnitContract, registry: Registry,
                    own: Mapping[str, str]) -> list[Issue]:
    """What an answer (its files `own`, parsed in `registry`) leaves out of its contract:
    exported names, a default export, SQL tables and columns other units rely on. A
    missing or unparseable file is left to the presence and syntax checks."""
    issues: list[Issue] = []
    for promised in contract.files:
        parsed = registry.get(promised.path)
        if promised.path not in own or parsed is None or not parsed.ok:
            continue
        exports = registry.exports_of(promised.path)
        if exports is not None and not exports.opaque:
            missing = sorted(promised.names - exports.names)
            if missing:
                sigs = [s for s in promised.signatures if s.split("(")[0].split()[-1] in missing]
                issues.append(Issue(
                    "contract-broken",
                    f"does not export {', '.join(missing)}, which its contract promises "
                    "(other units are written against it)", file=promised.path,
                    hint=f"export {'; '.join(sigs or missing)}"))
            if promised.default and not exports.default:
                issues.append(Issue("contract-broken", "has no default export (module.exports "
                                    "value), which its contract promises", file=promised.path))
        issues += _table_issues(promised, parsed.schema.tables if parsed.schema else ())
    return issues


def _table_issues(promised: FileContract, tables: Sequence[Any]) -> list[Issue]:
    made = {t.name: set(t.columns) for t in tables}
    issues = []
    for table, columns in sorted(promised.tables.items()):
        if table not in made:
            issues.append(Issue("contract-broken", f"does not create table {table}, which its "
                                "contract promises", file=promised.path))
            continue
        missing = sorted(columns - made[table])
        if missing:
            issues.append(Issue("contract-broken", f"table {table} lacks column(s) "
                                f"{', '.join(missing)}, which its contract promises",
                                file=promised.path))
    return issues
