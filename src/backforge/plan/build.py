"""Turn a Project and a stack layout into a Plan: units and their dependencies."""

from __future__ import annotations

from graphlib import CycleError, TopologicalSorter

from backforge.errors import BackforgeError
from backforge.plan.model import ModuleDef, Plan, Shared, StackLayout, Unit
from backforge.spec.model import Project
from backforge.spec.names import Names, resolve


def enabled_modules(layout: StackLayout, project: Project) -> tuple[ModuleDef, ...]:
    return tuple(m for m in layout.modules
                 if m.option is None or getattr(project.options, m.option))


def _unit_ids(module: ModuleDef, names: Names, project: Project) -> dict[str | None, str]:
    """Map table name (None for the module's single or shared unit) -> unit id."""
    if not module.per_table:
        return {None: module.name}
    ids: dict[str | None, str] = {
        t.name: f"{module.name}/{names.table(t.name).file}" for t in project.tables}
    if module.shared is not Shared.NONE:
        ids[None] = module.name
    return ids


def _deps_of(module: ModuleDef, table: str | None, enabled: dict[str, ModuleDef],
             ids: dict[str, dict[str | None, str]]) -> list[str]:
    deps: list[str] = []
    for dep_name in module.depends_on:
        if dep_name not in enabled:
            continue  # an optional module that is off (e.g. auth)
        dep_ids = ids[dep_name]
        if table is not None and enabled[dep_name].per_table:
            deps.append(dep_ids[table])  # same table's unit only: per-table pipelining
        else:
            deps.extend(dep_ids.values())
    # A per-table module's shared unit orders itself against the table units.
    own = ids[module.name]
    if module.shared is Shared.AFTER and table is None:
        deps.extend(uid for t, uid in own.items() if t is not None)
    if module.shared is Shared.BEFORE and table is not None:
        deps.append(own[None])
    return deps


def build(project: Project, layout: StackLayout, names: Names | None = None) -> Plan:
    names = names or resolve(project)
    modules = enabled_modules(layout, project)
    enabled = {m.name: m for m in modules}
    ids = {m.name: _unit_ids(m, names, project) for m in modules}
    units: dict[str, Unit] = {}
    for module in modules:
        for table, uid in ids[module.name].items():
            files = layout.unit_files(module.name, table, project, names)
            deps = _deps_of(module, table, enabled, ids)
            units[uid] = Unit(uid, module.name, table, tuple(dict.fromkeys(deps)),
                              files.required, files.critical, module.critical)
    try:
        order = list(TopologicalSorter({u: set(x.deps) for u, x in units.items()}).static_order())
    except CycleError as exc:  # a stack definition bug, not user input
        raise BackforgeError(f"stack {layout.name}: module dependency cycle {exc.args[1]}") from exc
    return Plan(project, names, layout.name, modules, {uid: units[uid] for uid in order})
