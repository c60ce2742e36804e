"""Scheduling bench: backforge's two schedules against the previous generator's two, on
the fake LLM server over real HTTP (the openai provider, concurrency 8).

Run: .venv/bin/python bench/llm_schedule.py [--latency-ms 300 --per-token-ms 2 --jitter 0.1]
         [--tables 4,10] [--fault-rates 0,0.2] [--keep-alive]
     .venv/bin/python bench/llm_schedule.py --faults 0.2 --runs 100 [--fault-scale 0.1]

Schedules (the engine is untouched; the baselines are Plan transforms that add edges):
- one-by-one: every unit in module order, each waiting for the one before it
  (the previous generator before its fixes: effectively concurrency 1);
- two-phase: the units of modules with no dependencies (config, docker, terraform,
  utils, migrations) in parallel, then every other unit one at a time in module order (the
  previous generator after its fixes);
- dependencies: the real plan, each unit starting when its own dependencies validated
  (`--schedule dependencies`);
- contracts: every unit asked at once with its dependencies' interface contracts, each
  answer confirmed on the real files once its dependencies validated (the default).
The provider always sees the REAL plan (`RealPlanProvider`), so prompts and the fake
server's answers do not depend on the extra edges (prompt tokens still vary a little:
a prompt lists the npm packages of the units validated before it).

The critical-path bound. A unit cannot start before every unit it depends on has
validated, and its own attempts run one after another, so along any chain of the
real dependency graph the run needs at least the sum of those units' times. A unit's
time is the sum of its attempts' measured durations (provider call plus validation)
and of the waits before its retries: retries belong to the unit, no schedule can
overlap them. The longest such chain (the bound) is what a scheduler with unlimited
slots and zero overhead would reach with these very calls; wall / bound shows what
the scheduling costs. Each run's bound comes from that run's own report. With
concurrency 8 a wide plan can also be limited by total work / 8 (printed as "work/c").

Fault mode: each seed gets a fresh server (faults are drawn per unit and request
number, so a seed is reproducible) and the engine's defaults unless flags say otherwise
(3 retries, loop breaker on). With independent faults at rate p a unit runs out of
attempts with probability p^(retries+1): 0.2^4 = 0.16 % per unit, about 4 % of 28-call
runs; `--max-retries 5` makes that 0.2 % of runs. Calls share one connection pool per
run (`KeepAliveTransport`) so 100 runs fit in minutes; `--no-keep-alive` turns it off.

The physical bound. Asked by contracts, no unit waits for another's answer, so what is
left is the slowest single unit (its own calls, retries and the waits between them) or
all call time spread over the concurrency slots (work / c), whichever is longer.
Hedges: a call running well past the time its size should take gets a second request
(EngineOptions.hedge_factor; counted in "hedges"). The attempt's time runs from its first
request to the answer that won; the second request's own slot time is not added to
work, so work / c is, if anything, low (the bound stricter).

Targets: dependencies <= 1.15 x its critical-path bound and two-phase >= 2 x its wall
(issue 5); contracts <= 1.3 x the physical bound and, on 10 tables, two-phase >= 4 x its
wall (issue 17); with faults every run ends validated. The exit code is 1 when one is
missed. Tokens per module are printed for each contracts run.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import heapq
import itertools
import math
import statistics
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from pathlib import Path

import httpx

from backforge import api
from backforge import plan as planner
from backforge.engine import EngineOptions, RunReport, RunResult, run
from backforge.engine.options import Schedule
from backforge.engine.protocols import Generation, Provider, UnitContext
from backforge.output.writer import MemorySink
from backforge.plan.model import Plan, Unit
from backforge.providers.fake_server import FAULTS, FakeLLMConfig, FakeLLMServer
from backforge.providers.llm.openai import OpenAIProvider
from backforge.providers.llm.settings import LLMSettings
from backforge.providers.routing import RoutingProvider
from backforge.providers.template import TemplateProvider
from backforge.stacks import get_stack
from backforge.validate import UnitValidator
from backforge.validate.contracts import contracts_for

sys.path.insert(0, str(Path(__file__).parent))
from synth import synth_spec  # the bench folder is not a package

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "specs"
SCHEDULES = ("one-by-one", "two-phase", "dependencies", "contracts")
BOUND_TARGET = 1.15  # dependencies: wall <= this x the critical-path bound
SPEEDUP_TARGET = 2.0  # two-phase wall >= this x the dependencies schedule's wall
# contracts (issue 17): wall <= this x the physical bound, the slowest single unit (its
# own calls and retries) or the total call time / concurrency, whichever is longer ...
CONTRACT_BOUND_TARGET = 1.3
CONTRACT_SPEEDUP_TARGET = 4.0  # ... and two-phase >= this x its wall on 10 tables


# -- schedules: Plan transforms --------------------------------------------------------

def module_order(plan: Plan) -> list[str]:
    """Every unit id in a topological order that follows the stack's module order, then
    the plan's own order (a shared BEFORE unit comes before its table units, AFTER after)."""
    rank = {m.name: i for i, m in enumerate(plan.modules)}
    pos = {uid: i for i, uid in enumerate(plan.units)}
    waiting = {uid: set(u.deps) for uid, u in plan.units.items()}
    children: dict[str, list[str]] = {uid: [] for uid in plan.units}
    for uid, unit in plan.units.items():
        for dep in unit.deps:
            children[dep].append(uid)

    def key(uid: str) -> tuple[int, int, str]:
        return rank[plan.units[uid].module], pos[uid], uid

    ready = [key(uid) for uid, deps in waiting.items() if not deps]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        uid = heapq.heappop(ready)[2]
        order.append(uid)
        for child in children[uid]:
            waiting[child].discard(uid)
            if not waiting[child]:
                heapq.heappush(ready, key(child))
    return order


def with_extra_deps(plan: Plan, extra: Mapping[str, Sequence[str]]) -> Plan:
    """The plan with more dependency edges; units keep their order, files and ids."""
    units = {uid: dataclasses.replace(u, deps=tuple(dict.fromkeys((*u.deps, *extra.get(uid, ())))))
             for uid, u in plan.units.items()}
    return dataclasses.replace(plan, units=units)


def one_by_one(plan: Plan) -> Plan:
    """Each unit waits for the one before it in module order: one call at a time."""
    order = module_order(plan)
    return with_extra_deps(plan, {uid: (prev,) for prev, uid in itertools.pairwise(order)})


def independent_units(plan: Plan) -> list[str]:
    """Units of the modules none of whose units depends on anything (config, utils...)."""
    free = {m.name for m in plan.modules
            if all(not u.deps for u in plan.units_of(m.name))}
    return [uid for uid, u in plan.units.items() if u.module in free]


def two_phase(plan: Plan) -> Plan:
    """Independent modules in parallel, then every other unit one by one in module order."""
    first = independent_units(plan)
    rest = [uid for uid in module_order(plan) if uid not in set(first)]
    extra: dict[str, tuple[str, ...]] = {}
    if rest:
        extra[rest[0]] = tuple(first)
    extra.update({uid: (prev,) for prev, uid in itertools.pairwise(rest)})
    return with_extra_deps(plan, extra)


TRANSFORMS: dict[str, Callable[[Plan], Plan]] = {
    "one-by-one": one_by_one, "two-phase": two_phase, "dependencies": lambda plan: plan,
    "contracts": lambda plan: plan}


# -- the bound ----------------------------------------------------------------------------

def unit_times(report: RunReport) -> dict[str, float]:
    """Seconds each unit needed by itself: its attempts and the waits before its retries."""
    return {u.id: sum(a.duration + (a.retry_delay or 0.0) for a in u.attempts)
            for u in report.units}


def critical_path(graph: Mapping[str, Sequence[str]],
                  weights: Mapping[str, float]) -> tuple[float, tuple[str, ...]]:
    """(length, chain): the heaviest dependency chain, first unit first (weights: seconds)."""
    finish: dict[str, float] = {}
    parent: dict[str, str | None] = {}
    for uid in TopologicalSorter(graph).static_order():
        before = max(graph.get(uid, ()), key=finish.__getitem__, default=None)
        parent[uid] = before
        finish[uid] = weights.get(uid, 0.0) + (finish[before] if before else 0.0)
    if not finish:
        return 0.0, ()
    node: str | None = max(finish, key=finish.__getitem__)
    total = finish[node]
    chain: list[str] = []
    while node is not None:
        chain.append(node)
        node = parent[node]
    return total, tuple(reversed(chain))


# -- one run -------------------------------------------------------------------------------

class RealPlanProvider:
    """Hands the inner provider the real plan's unit and context: the extra edges of a
    baseline schedule must not change prompts (a prompt lists what a unit may import)."""

    def __init__(self, inner: Provider, real: Plan) -> None:
        self.inner, self.real = inner, real
        self.name = inner.name

    async def generate(self, unit: Unit, ctx: UnitContext) -> Generation:
        return await self.inner.generate(self.real.units[unit.id],
                                         dataclasses.replace(ctx, plan=self.real))


@dataclass(frozen=True)
class RunStats:
    schedule: str
    validated: bool  # every unit validated
    wall: float  # seconds, the engine's own run duration
    bound: float  # critical-path bound of the real graph, from this run's attempts
    chain: tuple[str, ...]
    work: float  # sum of every unit's time
    calls: int  # HTTP requests the fake server answered
    attempts: Counter  # outcome -> count (template units included)
    faults: Counter  # fault kind -> count
    prompt_tokens: int
    completion_tokens: int
    peak_in_flight: int
    missing: tuple[str, ...] = field(default=())
    slowest: float = 0.0  # the slowest single unit: its attempts and the waits between
    # module -> (calls, prompt tokens, completion tokens)
    per_module: Mapping[str, tuple[int, int, int]] = field(default_factory=dict)
    hedges: int = 0  # attempts whose call got a second request (EngineOptions.hedge_factor)

    def physical_bound(self, concurrency: int) -> float:
        """What no schedule beats with these calls: the slowest unit, or all the call
        time spread over the concurrency slots."""
        return max(self.slowest, self.work / concurrency)


class KeepAliveTransport(httpx.AsyncBaseTransport):
    """One connection pool for every call of a run. The provider opens a client per call,
    whose construction loads the CA store (about 0.1 s of CPU on the engine's loop) and
    whose close would close a transport handed to it; this one ignores that close and
    is closed by `run_once` when the run ends. Plain HTTP to 127.0.0.1: no CA store."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport(verify=False)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        """Kept open across calls: `run_once` closes `inner` after the run."""


def model_provider(plan: Plan, base_url: str,
                   transport: httpx.AsyncBaseTransport | None = None) -> Provider:
    """What `--provider openai` builds (no response cache): the model for every module
    but the stack's template modules (config, docker, terraform)."""
    stack = get_stack(plan.stack)
    model = OpenAIProvider(LLMSettings(base_url=base_url, model="fake", api_key="bench"),
                           transport=transport)
    template = TemplateProvider(stack)
    return RoutingProvider(model, {m: template for m in stack.template_modules})


def per_module(report: RunReport) -> dict[str, tuple[int, int, int]]:
    """Model calls and tokens per module (cache hits and template units spend none)."""
    out: dict[str, list[int]] = {}
    for unit in report.units:
        row = out.setdefault(unit.module, [0, 0, 0])
        for a in unit.attempts:
            if a.usage.prompt_tokens or a.usage.completion_tokens:
                row[0] += 1
                row[1] += a.usage.prompt_tokens
                row[2] += a.usage.completion_tokens
    return {m: (c, p, t) for m, (c, p, t) in out.items() if c}


def run_once(plan: Plan, schedule: str, config: FakeLLMConfig, options: EngineOptions,
             *, keep_alive: bool = False) -> RunStats:
    """One generation of `plan` under `schedule` against a fresh fake server; with
    `keep_alive` the provider's calls share one connection pool (`KeepAliveTransport`)."""
    server = FakeLLMServer(config)
    options = dataclasses.replace(options, schedule=Schedule.CONTRACTS if schedule == "contracts"
                                  else Schedule.DEPENDENCIES)

    async def generate(base_url: str) -> RunResult:
        transport = KeepAliveTransport() if keep_alive else None
        provider = RealPlanProvider(model_provider(plan, base_url, transport), plan)
        try:
            weights = contracts_for(plan).weights() if schedule == "contracts" else None
            return await run(TRANSFORMS[schedule](plan), provider, UnitValidator(),
                             MemorySink(), options, weights=weights)
        finally:
            if transport is not None:
                await transport.inner.aclose()

    with server as base_url:
        report = asyncio.run(generate(base_url)).report
    times = unit_times(report)
    bound, chain = critical_path(plan.graph(), times)
    return RunStats(
        schedule, all(u.status.value == "validated" for u in report.units), report.duration,
        bound, chain, sum(times.values()), server.stats.requests,
        Counter(a.outcome.value for u in report.units for a in u.attempts),
        Counter(server.stats.faults), report.usage.prompt_tokens,
        report.usage.completion_tokens, server.stats.peak_in_flight,
        tuple(report.missing()), max(times.values(), default=0.0), per_module(report),
        sum(a.hedged is not None for u in report.units for a in u.attempts))


def load_plan(spec: object) -> Plan:
    loaded = api.load(spec)
    return planner.build(loaded.project, get_stack(loaded.project.stack), loaded.names)


def four_table_spec() -> object:
    for path in (EXAMPLES / "taskmanager.yaml", SHARED / "taskmanager.yaml"):
        if path.exists():
            return path
    return synth_spec(4)


# -- the schedule comparison -------------------------------------------------------------

def compare(args: argparse.Namespace) -> int:
    specs = {4: four_table_spec(), 10: synth_spec(10)}
    print(f"latency {args.latency_ms:g} ms + {args.per_token_ms:g} ms/token, jitter "
          f"{args.jitter:g}, seed {args.seed}; concurrency {args.concurrency}; keep-alive "
          f"{bool(args.keep_alive)}; with faults: call_timeout {args.compare_timeout:g} s, "
          f"backoff and Retry-After {args.compare_backoff:g} s")
    print("| spec | faults | units | schedule | wall s | slowest unit s | work/c s | "
          "wall/physical | wall/slowest | DAG bound s | calls | hedges | prompt tok | "
          "completion tok | peak | wall / contracts |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    misses: list[str] = []
    results: dict[str, dict[str, RunStats]] = {}
    for n in args.tables:
        plan = load_plan(specs[n])
        for rate in args.fault_rates:
            label = f"{n} tables" + (f", {rate:.0%} faults" if rate else "")
            runs = {s: run_once(plan, s, _config(args, rate), _options(args, rate),
                                keep_alive=bool(args.keep_alive)) for s in args.schedules}
            results[label] = runs
            _print_rows(f"{n} tables", rate, len(plan.units), runs, args.concurrency)
            misses += [f"{label} {s}: not every unit validated: {r.missing[:3]}"
                       for s, r in runs.items() if not r.validated]
            misses += _target_misses(label, n, runs, args.concurrency)
    _print_modules(results)
    if args.plot:
        _plot(results, args.plot)
    for miss in misses:
        print(f"TARGET MISSED: {miss}")
    return 1 if misses else 0


def _config(args: argparse.Namespace, rate: float) -> FakeLLMConfig:
    return FakeLLMConfig(latency_ms=args.latency_ms, per_token_ms=args.per_token_ms,
                         jitter=args.jitter, seed=args.seed, fault_rate=rate,
                         retry_after=args.compare_backoff,
                         hang_seconds=max(30.0, 2 * args.compare_timeout))


def _options(args: argparse.Namespace, rate: float) -> EngineOptions:
    if not rate:
        return EngineOptions(concurrency=args.concurrency, seed=args.seed)
    return EngineOptions(concurrency=args.concurrency, seed=args.seed,
                         call_timeout=args.compare_timeout, backoff_base=args.compare_backoff)


def _print_rows(spec: str, rate: float, units: int, runs: Mapping[str, RunStats],
                concurrency: int) -> None:
    mine = runs.get("contracts")
    for s, r in runs.items():
        ratio = f"{r.wall / mine.wall:.2f}" if mine else "-"
        print(f"| {spec} | {rate:.0%} | {units} | {s} | {r.wall:.2f} | {r.slowest:.2f} | "
              f"{r.work / concurrency:.2f} | {r.wall / r.physical_bound(concurrency):.3f} | "
              f"{r.wall / max(r.slowest, 1e-9):.3f} | {r.bound:.2f} | {r.calls} | {r.hedges} | "
              f"{r.prompt_tokens} | {r.completion_tokens} | {r.peak_in_flight} | {ratio} |")


def _print_modules(results: Mapping[str, Mapping[str, RunStats]]) -> None:
    """Tokens per module of each contracts run (the prompts are the same in every schedule;
    retries differ with the faults drawn)."""
    for label, runs in results.items():
        r = runs.get("contracts") or next(iter(runs.values()))
        print(f"\n{label}, {r.schedule}: tokens per module")
        print("| module | answers | prompt tok | completion tok | prompt / completion |")
        print("|---|---:|---:|---:|---:|")
        for module, (calls, prompt, completion) in r.per_module.items():
            print(f"| {module} | {calls} | {prompt} | {completion} | "
                  f"{prompt / max(completion, 1):.2f} |")
        print(f"| all | {sum(c for c, _, _ in r.per_module.values())} | {r.prompt_tokens} | "
              f"{r.completion_tokens} | {r.prompt_tokens / max(r.completion_tokens, 1):.2f} |")


def _target_misses(label: str, tables: int, runs: Mapping[str, RunStats],
                   concurrency: int) -> list[str]:
    deps, theirs, mine = runs.get("dependencies"), runs.get("two-phase"), runs.get("contracts")
    misses = []
    if deps and "faults" not in label and deps.wall > BOUND_TARGET * deps.bound:
        misses.append(f"{label}: dependencies wall {deps.wall:.2f} s > {BOUND_TARGET} x bound "
                      f"{deps.bound:.2f} s ({deps.wall / deps.bound:.3f})")
    if deps and theirs and theirs.wall < SPEEDUP_TARGET * deps.wall:
        misses.append(f"{label}: two-phase is only {theirs.wall / deps.wall:.2f} x slower "
                      f"than dependencies (target >= {SPEEDUP_TARGET})")
    if mine and mine.wall > CONTRACT_BOUND_TARGET * mine.physical_bound(concurrency):
        misses.append(f"{label}: contracts wall {mine.wall:.2f} s > {CONTRACT_BOUND_TARGET} x "
                      f"physical bound {mine.physical_bound(concurrency):.2f} s")
    if mine and theirs and tables >= 10 \
            and theirs.wall < CONTRACT_SPEEDUP_TARGET * mine.wall:
        misses.append(f"{label}: two-phase is only {theirs.wall / mine.wall:.2f} x slower "
                      f"than contracts (target >= {CONTRACT_SPEEDUP_TARGET})")
    return misses


def _plot(results: Mapping[str, Mapping[str, RunStats]], path: str) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"--plot: matplotlib is not installed; {path} not written")
        return
    labels = [f"{spec}\n{s}" for spec, runs in results.items() for s in runs]
    walls = [r.wall for runs in results.values() for r in runs.values()]
    bounds = [r.bound for runs in results.values() for r in runs.values()]
    xs = range(len(labels))
    fig, ax = plt.subplots(figsize=(max(6, len(labels) * 1.2), 4))
    ax.bar([x - 0.2 for x in xs], walls, 0.4, label="wall")
    ax.bar([x + 0.2 for x in xs], bounds, 0.4, label="critical-path bound")
    ax.set_xticks(list(xs), labels, fontsize=8)
    ax.set_ylabel("seconds")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    print(f"plot written to {path}")


# -- the fault runs ----------------------------------------------------------------------

def fault_runs(args: argparse.Namespace) -> int:
    """`--runs` seeded runs of the 4-table spec with `--faults` of the calls faulted."""
    plan = load_plan(four_table_spec())
    scale = args.fault_scale
    # The loop breaker option is only passed when turned off, the engine's default is kept.
    breaker = {} if args.loop_breaker else {"loop_breaker": False}
    options = EngineOptions(concurrency=args.concurrency, call_timeout=args.call_timeout,
                            backoff_base=args.backoff, max_retries=args.max_retries, **breaker)
    print(f"{args.runs} runs of {len(plan.units)} units; faults {args.faults:g} of every call "
          f"({', '.join(FAULTS)}); latency {args.latency_ms * scale:g} ms + "
          f"{args.per_token_ms * scale:g} ms/token; call_timeout {args.call_timeout:g} s, "
          f"backoff {args.backoff:g} s, max_retries {args.max_retries}, "
          f"keep-alive {args.keep_alive is not False}, loop breaker {args.loop_breaker}")
    runs: list[RunStats] = []
    for seed in range(args.seed, args.seed + args.runs):
        config = FakeLLMConfig(latency_ms=args.latency_ms * scale,
                               per_token_ms=args.per_token_ms * scale, jitter=args.jitter,
                               fault_rate=args.faults, seed=seed, retry_after=args.backoff,
                               hang_seconds=max(30.0, 10 * args.call_timeout))
        stats = run_once(plan, args.fault_schedule, config, dataclasses.replace(options, seed=seed),
                         keep_alive=args.keep_alive is not False)
        runs.append(stats)
        if not stats.validated:
            print(f"  seed {seed}: NOT validated: {'; '.join(root_causes(stats))}", flush=True)
        if len(runs) % 10 == 0:
            print(f"  {len(runs)} runs done, {sum(r.validated for r in runs)} validated",
                  flush=True)
    return _fault_summary(runs, args.runs)


def root_causes(stats: RunStats) -> list[str]:
    """The units that failed by themselves (the blocked ones only follow from them)."""
    return [m for m in stats.missing if "): blocked: " not in m]


def _fault_summary(runs: Sequence[RunStats], wanted: int) -> int:
    ok = sum(r.validated for r in runs)
    walls = sorted(r.wall for r in runs)
    attempts = sum((r.attempts for r in runs), Counter())
    faults = sum((r.faults for r in runs), Counter())
    calls = sum(r.calls for r in runs)
    print("| runs | validated | calls | faults | p50 wall s | p95 wall s | max wall s |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {len(runs)} | {ok} | {calls} | {sum(faults.values())} | "
          f"{statistics.median(walls):.2f} | {_percentile(walls, 0.95):.2f} | "
          f"{walls[-1]:.2f} |")
    print("attempts by outcome: " + ", ".join(f"{k} {v}" for k, v in sorted(attempts.items())))
    print("faults by kind: " + ", ".join(f"{k} {faults.get(k, 0)}" for k in FAULTS))
    causes = [c for r in runs for c in root_causes(r)]
    stopped = sum("stopped retrying" in c for c in causes)
    print(f"units not validated by themselves: {len(causes)} ({stopped} stopped by the loop "
          f"breaker, {len(causes) - stopped} out of attempts or failed otherwise)")
    if ok < wanted:
        print(f"TARGET MISSED: {wanted - ok} of {wanted} runs did not end validated")
        return 1
    return 0


def _percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    index = max(0, min(len(sorted_values) - 1, math.ceil(q * len(sorted_values)) - 1))
    return sorted_values[index]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--latency-ms", type=float, default=300.0, help="fixed latency per call")
    ap.add_argument("--per-token-ms", type=float, default=2.0, help="per completion token")
    ap.add_argument("--jitter", type=float, default=0.1, help="+- fraction of each latency")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--schedules", type=lambda s: tuple(s.split(",")), default=SCHEDULES,
                    help=f"comma-separated subset of {','.join(SCHEDULES)}")
    ap.add_argument("--tables", type=lambda s: tuple(int(n) for n in s.split(",")),
                    default=(4, 10), help="specs to compare: 4 (taskmanager) and/or 10 (synth)")
    ap.add_argument("--keep-alive", action=argparse.BooleanOptionalAction, default=None,
                    help="share one HTTP connection pool per run (KeepAliveTransport); "
                         "default: off when comparing schedules, on in fault mode")
    ap.add_argument("--fault-rates", type=lambda s: tuple(float(r) for r in s.split(",")),
                    default=(0.0,), help="comparison: fault rates to compare at, e.g. 0,0.2")
    # The engine's own default: the largest answers (tests/access.test.js, ~12k tokens)
    # take ~24 s in this latency model, so a shorter limit fails them on every attempt.
    ap.add_argument("--compare-timeout", type=float, default=EngineOptions().call_timeout,
                    help="comparison with faults: call_timeout, s (a hang costs this; "
                         "default: the engine's)")
    ap.add_argument("--compare-backoff", type=float, default=1.0,
                    help="comparison with faults: backoff base and the 429 Retry-After, s")
    ap.add_argument("--plot", metavar="FILE.png", help="bar chart (needs matplotlib)")
    ap.add_argument("--faults", type=float, default=None,
                    help="fault mode: this share of calls faulted (e.g. 0.2)")
    ap.add_argument("--runs", type=int, default=100, help="fault mode: seeded runs")
    ap.add_argument("--fault-schedule", choices=("dependencies", "contracts"),
                    default="contracts", help="fault mode: the engine's schedule")
    ap.add_argument("--fault-scale", type=float, default=0.1,
                    help="fault mode: latency multiplier, so 100 runs take minutes")
    ap.add_argument("--call-timeout", type=float, default=2.0, help="fault mode")
    ap.add_argument("--backoff", type=float, default=0.05,
                    help="fault mode: backoff base and the 429 Retry-After, seconds")
    ap.add_argument("--max-retries", type=int, default=3, help="fault mode")
    ap.add_argument("--loop-breaker", action=argparse.BooleanOptionalAction, default=True,
                    help="fault mode: the engine's loop breaker (on by default)")
    args = ap.parse_args(argv)
    unknown = set(args.schedules) - set(SCHEDULES)
    if unknown:
        ap.error(f"--schedules: unknown {', '.join(sorted(unknown))}")
    if not set(args.tables) <= {4, 10}:
        ap.error("--tables: 4 and/or 10")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    return fault_runs(args) if args.faults is not None else compare(args)


if __name__ == "__main__":
    sys.exit(main())
