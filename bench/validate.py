"""Speed of validation on a real generated project (template provider, in memory).

Generates `synth_spec(N)` (default 150 tables: every module, auth, tests, docker,
terraform) with `backforge.api.generate`, then times, best of --repeat:
  - validate_tree: every check over the whole project with a fresh registry
    (cold parse: the cost of `backforge validate DIR` minus reading files);
  - UnitValidator: the engine's pattern, unit by unit in plan order, each call
    seeing every file validated before it (what validation adds to a run);
  - the engine run itself with UnitValidator vs with a validator that accepts
    everything, to show what validation costs next to generation.

Run: .venv/bin/python -m bench.validate [--tables 150] [--repeat 3]
Target (validate brief): a 150-table project validates in < 3 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from bench.synth import synth_spec

from backforge import api
from backforge import plan as planner
from backforge.engine import EngineOptions, run_sync
from backforge.engine.protocols import GeneratedFile, Generation, UnitContext
from backforge.output.writer import MemorySink
from backforge.providers.template import TemplateProvider
from backforge.stacks import get_stack
from backforge.validate import UnitValidator, validate_tree
from backforge.validate.validator import stack_rules_of


class AcceptAll:
    """A validator that finds nothing: the engine's cost without validation."""

    def validate(self, unit, generation, ctx) -> list:
        return []


def _best(label: str, runs: list[tuple[float, int]], n_files: int, size: float) -> None:
    times = [t for t, _ in runs]
    best = min(times)
    print(f"{label:26s} best {best:5.2f} s  median {statistics.median(times):5.2f} s  "
          f"{n_files / best:7,.0f} files/s  {size / best:5.1f} MB/s  issues={runs[0][1]}")


def bench_tree(files: dict[str, str], rules: tuple[str, ...]) -> tuple[float, int]:
    start = time.perf_counter()
    issues = validate_tree(files, stack_rules=rules)
    return time.perf_counter() - start, len(issues)


def unit_generations(loaded, result: api.GenerateResult):
    """The plan and each unit's Generation as the run produced it, in plan order."""
    stack = get_stack(loaded.project.stack)
    the_plan = planner.build(loaded.project, stack, loaded.names)
    produced = {u["id"]: u["files"] for u in result.report["units"]}
    units = []
    for uid, unit in the_plan.units.items():
        rendered = stack.render(unit, the_plan)  # for its declared dependencies
        files = tuple(GeneratedFile(p, result.files[p]) for p in produced.get(uid, ()))
        units.append((unit, Generation(files, rendered.dependencies, rendered.dev_dependencies)))
    return the_plan, units


def bench_units(the_plan, units) -> tuple[float, int]:
    validator = UnitValidator()
    seen: dict[str, str] = {}
    deps: dict[str, str] = {}
    n_issues = 0
    start = time.perf_counter()
    for unit, gen in units:
        ctx = UnitContext(plan=the_plan, attempt=1, files=dict(seen), dependencies=dict(deps))
        n_issues += len(validator.validate(unit, gen, ctx))
        seen.update(gen.file_map())
        deps.update({**gen.dependencies, **gen.dev_dependencies})
    return time.perf_counter() - start, n_issues


def bench_engine(loaded, make_validator: Callable[[], object]) -> tuple[float, int]:
    stack = get_stack(loaded.project.stack)
    the_plan = planner.build(loaded.project, stack, loaded.names)
    start = time.perf_counter()
    run = run_sync(the_plan, TemplateProvider(stack), make_validator(), MemorySink(),
                   EngineOptions())
    issues = sum(len(a.issues) for u in run.report.units for a in u.attempts)
    return time.perf_counter() - start, issues


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tables", type=int, default=150)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    loaded = api.load(synth_spec(args.tables))
    start = time.perf_counter()
    result = api.generate(loaded)
    print(f"generated in {time.perf_counter() - start:.2f} s, success={result.success}")
    files = dict(result.files)
    n_files, size = len(files), sum(len(c) for c in files.values()) / 1e6
    units = len(result.report["units"])
    print(f"{args.tables} tables: {n_files} files, {size:.2f} MB, {units} units")
    rules = stack_rules_of(loaded.project.stack)
    _best("validate_tree (cold)", [bench_tree(files, rules) for _ in range(args.repeat)],
          n_files, size)
    the_plan, units = unit_generations(loaded, result)
    _best("UnitValidator, per unit", [bench_units(the_plan, units) for _ in range(args.repeat)],
          n_files, size)
    _best("engine + UnitValidator", [bench_engine(loaded, UnitValidator)
                                     for _ in range(args.repeat)], n_files, size)
    _best("engine, no validation", [bench_engine(loaded, AcceptAll)
                                    for _ in range(args.repeat)], n_files, size)


if __name__ == "__main__":
    main()
