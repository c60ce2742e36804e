"""Run a generated project for real and say exactly what passed.

install -> database -> migrate -> migrate down/up -> seed -> boot -> contract
-> shutdown -> the project's own tests. A failing step stops the ones that
need it; PostgreSQL and the server are always stopped and removed, on failure
and on Ctrl-C too.
"""

from __future__ import annotations

import json
import re
import secrets
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from backforge.errors import BackforgeError
from backforge.plan.model import Plan
from backforge.verify.checks import Probe, Shell
from backforge.verify.http import Client
from backforge.verify.model import (
    Recorder,
    StepResult,
    StepStatus,
    TestCounts,
    VerifyReport,
)
from backforge.verify.openapi import ResponseSchemas
from backforge.verify.postgres import EphemeralPostgres, find_bin, free_port
from backforge.verify.process import (
    CommandResult,
    Server,
    install_dependencies,
    modules_cache_dir,
    run_command,
)


class ContractStack(Protocol):
    def contract(self, probe: Probe, plan: Plan) -> None: ...

    def migrations_table(self, plan: Plan) -> str: ...


StepCallback = Callable[[StepResult], None]


class StepFailed(Exception):
    """Internal: a step failed; its StepResult is already recorded."""


@dataclass
class _Run:
    root: Path
    on_step: StepCallback | None
    steps: list[StepResult] = field(default_factory=list)

    def record(self, name: str, status: StepStatus, started: float, detail: str = "",
               output: str = "") -> StepResult:
        step = StepResult(name, status, time.monotonic() - started, detail, output[-4000:])
        self.steps.append(step)
        if self.on_step is not None:
            self.on_step(step)
        return step

    def command(self, name: str, args: list[str], env: dict[str, str], detail: str) -> str:
        started = time.monotonic()
        result = run_command(args, self.root, env)
        self._finish(name, started, result, detail)
        return result.output

    def _finish(self, name: str, started: float, result: CommandResult, detail: str) -> None:
        if result.ok:
            self.record(name, StepStatus.PASSED, started, detail)
            return
        self.record(name, StepStatus.FAILED, started,
                    f"`{result.command}` exited with {result.returncode}: {_cause(result.output)}",
                    result.output)
        raise StepFailed(name)


def _cause(output: str) -> str:
    """The most telling line of a failed command's output."""
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    for pattern in (r"error:|Error:|ERROR|FATAL|failed", r"\S"):
        hits = [ln for ln in lines if re.search(pattern, ln) and not ln.startswith("at ")]
        if hits:
            return hits[0][:300]
    return "no output"


def _catalog(url: str, migrations_table: str) -> str:
    """Tables and columns of the public schema, one line each (for up/down/up checks),
    without the runner's own bookkeeping table."""
    psql = find_bin("psql") or "psql"
    sql = ("SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable "
           "FROM information_schema.columns WHERE table_schema = 'public' "
           "AND table_name <> :'skip' ORDER BY 1")
    result = run_command([psql, url, "-v", "ON_ERROR_STOP=1", "-v", f"skip={migrations_table}",
                          "-tA"], Path.cwd(), stdin=sql)
    return result.output.strip() if result.ok else f"catalog query failed: {result.output}"


@contextmanager
def _database(url: str | None, run: _Run) -> Iterator[str]:
    started = time.monotonic()
    if url is not None:
        run.record("database", StepStatus.PASSED, started, "using --database-url")
        yield url
        return
    pg = EphemeralPostgres(database="verify")
    try:
        pg.start()
    except Exception as exc:
        run.record("database", StepStatus.FAILED, started, str(exc).splitlines()[0], str(exc))
        raise StepFailed("database") from exc
    try:
        run.record("database", StepStatus.PASSED, started, f"ephemeral PostgreSQL on port {pg.port}")
        yield pg.url
    finally:
        pg.stop()


def _migrations(run: _Run, env: dict[str, str], bookkeeping: str) -> None:
    run.command("migrate", ["npm", "run", "--silent", "migrate"], env, "migrations applied")
    first = _catalog(env["DATABASE_URL"], bookkeeping)
    started = time.monotonic()
    down = run_command(["npm", "run", "--silent", "migrate:down", "--", "all"], run.root, env)
    left = _catalog(env["DATABASE_URL"], bookkeeping) if down.ok else ""
    again = run_command(["npm", "run", "--silent", "migrate"], run.root, env) if down.ok else down
    second = _catalog(env["DATABASE_URL"], bookkeeping) if again.ok else ""
    problem = ("" if down.ok and again.ok else _cause(down.output if not down.ok else again.output))
    if not problem and left:
        problem = f"down left tables behind: {left.splitlines()[0]} …"
    if not problem and first != second:
        problem = "the schema after down + up differs from the first up"
    status = StepStatus.FAILED if problem else StepStatus.PASSED
    run.record("migrate-down-up", status, started, problem or
               f"down removed every table; up again recreated {len(first.splitlines())} columns",
               down.output + again.output if problem else "")
    if problem:
        raise StepFailed("migrate-down-up")


def _lint(run: _Run) -> None:
    """The project's own linter must report nothing at all, warnings included."""
    started = time.monotonic()
    result = run_command(["npm", "run", "--silent", "lint"], run.root)
    problems = re.search(r"\d+ problems?", result.output)
    if result.ok and not problems:
        # the script itself, so a report shows what "lint" covered (express-ts: tsc first)
        run.record("lint", StepStatus.PASSED, started,
                   f"no lint problems: `{_script(run.root, 'lint')}` exited 0")
        return
    run.record("lint", StepStatus.FAILED, started,
               problems.group(0) if problems else _cause(result.output), result.output)
    raise StepFailed("lint")


def _script(root: Path, name: str) -> str:
    scripts = json.loads((root / "package.json").read_text(encoding="utf-8")).get("scripts")
    return str((scripts or {}).get(name, "?"))


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_JEST = re.compile(r"Tests:\s+(?:(\d+) failed, )?(?:\d+ skipped, )?(?:\d+ todo, )?"
                   r"(?:(\d+) passed, )?(\d+) total")
_VITEST = re.compile(r"^\s*Tests\s+(.*?)\((\d+)\)\s*$", re.MULTILINE)


def test_counts(output: str) -> TestCounts | None:
    """The summary of the test runner the stack uses: jest's `Tests: 1 failed, 2 passed,
    3 total` or vitest's `Tests  1 failed | 2 passed (3)` (colours stripped)."""
    text = _ANSI.sub("", output)
    m = _JEST.search(text)
    if m:
        return TestCounts(int(m.group(2) or 0), int(m.group(1) or 0), int(m.group(3)))
    v = _VITEST.search(text)
    if v is None:
        return None
    parts = {word: int(n) for n, word in re.findall(r"(\d+) (\w+)", v.group(1))}
    return TestCounts(parts.get("passed", 0), parts.get("failed", 0), int(v.group(2)))


def _tests(run: _Run, env: dict[str, str]) -> TestCounts | None:
    started = time.monotonic()
    result = run_command(["npm", "test", "--silent"], run.root, {**env, "LOG_LEVEL": "silent"})
    counts = test_counts(result.output)
    detail = (f"{counts.passed} passed, {counts.failed} failed of {counts.total}" if counts
              else "no jest or vitest summary in the output")
    ok = result.ok and counts is not None and counts.failed == 0
    run.record("tests", StepStatus.PASSED if ok else StepStatus.FAILED, started, detail,
               "" if ok else result.output)
    return counts


def _boot_and_check(run: _Run, env: dict[str, str], plan: Plan, stack: ContractStack,
                    recorder: Recorder, log_dir: Path) -> None:
    started = time.monotonic()
    server = Server(run.root, free_port(), env, log_dir / "server.log")
    server.start()
    try:
        healthy, detail = server.wait_healthy()
        if not healthy:
            logs = server.logs()
            run.record("boot", StepStatus.FAILED, started, f"{detail}: {_cause(logs)}", logs)
            raise StepFailed("boot")
        run.record("boot", StepStatus.PASSED, started, f"/health answered {detail}")
        _contract(run, server, plan, stack, recorder, _shell(run.root, env))
    finally:
        stop_started = time.monotonic()
        graceful = server.stop()
        if run.steps and run.steps[-1].name == "contract":
            run.record("shutdown", StepStatus.PASSED if graceful else StepStatus.FAILED,
                       stop_started, "stopped on SIGTERM" if graceful
                       else "did not stop within 10 s of SIGTERM", server.logs())


def _shell(root: Path, env: dict[str, str]) -> Shell:
    def shell(args: list[str]) -> tuple[int, str]:
        result = run_command(args, root, env, timeout=120)
        return result.returncode, result.output

    return shell


def _contract(run: _Run, server: Server, plan: Plan, stack: ContractStack,
              recorder: Recorder, shell: Shell) -> None:
    started = time.monotonic()
    client = Client(server.base_url())
    doc = client.call("GET", "/openapi.json")
    schemas = ResponseSchemas(doc.body, plan.project.options.api_prefix.rstrip("/")) \
        if doc.status == 200 and isinstance(doc.body, dict) else None
    probe = Probe(client, recorder, schemas, server.logs, shell)
    try:
        stack.contract(probe, plan)
    except Exception as exc:  # a crash of the checks themselves is a failed step, not a trace
        run.record("contract", StepStatus.FAILED, started, f"contract checks crashed: {exc!r}",
                   server.logs())
        raise StepFailed("contract") from exc
    failed = [c for c in recorder.results if not c.passed]
    detail = (f"{len(recorder.results)} checks, {len(failed)} failed, "
              f"{recorder.server_errors} server errors")
    if recorder.matrix:
        bad = sum(not m.passed for m in recorder.matrix)
        detail += f"; authorisation matrix: {len(recorder.matrix)} cells, {bad} failed"
    if failed:
        first = failed[0]
        detail += f"; first: {first.table or 'project'}: {first.name}: {first.message}"
    run.record("contract", StepStatus.FAILED if failed else StepStatus.PASSED, started, detail)


def app_env(plan: Plan, database_url: str) -> dict[str, str]:
    """The environment the generated app runs with during verification."""
    env = {"DATABASE_URL": database_url, "NODE_ENV": "test", "LOG_LEVEL": "info",
           "TEST_DATABASE_URL": database_url, "npm_config_update_notifier": "false"}
    if plan.project.options.auth:
        env["JWT_SECRET"] = secrets.token_hex(32)
    # Every request of verify (the contract, the fuzzer) comes from one loopback address:
    # the global per-address limit would meet 429s that only say verify is one client.
    # The auth limits keep their defaults (the contract's flood check relies on them).
    env["RATE_LIMIT_GLOBAL"] = "100000/1m"
    return env


@dataclass(frozen=True)
class RunningApp:
    base_url: str  # http://127.0.0.1:PORT, the app's root (the API prefix is not included)
    env: dict[str, str]
    steps: tuple[StepResult, ...]


@contextmanager
def running_app(root: Path, plan: Plan, stack: ContractStack, *,
                database_url: str | None = None, npm_cache: Path | None = None,
                modules_cache: Path | None = None) -> Iterator[RunningApp]:
    """The project installed, migrated, seeded and serving on 127.0.0.1 (on a temporary
    PostgreSQL unless `database_url`); stopped and removed on exit. Raises
    VerifyStepFailed naming the step when it cannot get there."""
    root = root.resolve()  # commands run with cwd=root: relative paths would nest
    run = _Run(root, None)
    with ExitStack() as stack_ctx:
        log_dir = Path(stack_ctx.enter_context(tempfile.TemporaryDirectory(prefix="bf-run-")))
        try:
            _install(run, root, npm_cache, modules_cache)
            url = stack_ctx.enter_context(_database(database_url, run))
            env = app_env(plan, url)
            run.command("migrate", ["npm", "run", "--silent", "migrate"], env, "migrated")
            run.command("seed", ["npm", "run", "--silent", "seed"], env, "sample rows loaded")
            t0 = time.monotonic()  # the boot step
            server = Server(root, free_port(), env, log_dir / "server.log")
            server.start()
            stack_ctx.callback(server.stop)
            healthy, detail = server.wait_healthy()
            if not healthy:
                run.record("boot", StepStatus.FAILED, t0, f"{detail}: {_cause(server.logs())}",
                           server.logs())
                raise StepFailed("boot")
        except StepFailed as exc:
            failed = run.steps[-1]
            raise VerifyStepFailed(failed) from exc
        yield RunningApp(server.base_url(), env, tuple(run.steps))


class VerifyStepFailed(BackforgeError):
    """A step on the way to a running app failed; `step` says which and why."""

    def __init__(self, step: StepResult) -> None:
        super().__init__(f"{step.name} failed: {step.detail}")
        self.step = step


def _install(run: _Run, root: Path, npm_cache: Path | None,
             modules_cache: Path | None) -> None:
    t0 = time.monotonic()
    installed = install_dependencies(root, npm_cache, modules_cache or modules_cache_dir())
    run._finish("install", t0, installed, installed.command)


def verify_project(root: Path, plan: Plan, stack: ContractStack, *,
                   database_url: str | None = None, npm_cache: Path | None = None,
                   modules_cache: Path | None = None, run_tests: bool = True,
                   on_step: StepCallback | None = None) -> VerifyReport:
    """Install, migrate, boot, check the API and run the project's tests. The caller
    holds the folder's lock (api.verify)."""
    root = root.resolve()  # commands run with cwd=root: relative paths would nest
    run, recorder = _Run(root, on_step), Recorder()
    started, counts = time.monotonic(), None
    with ExitStack() as stack_ctx:
        log_dir = Path(stack_ctx.enter_context(tempfile.TemporaryDirectory(prefix="bf-verify-")))
        try:
            _install(run, root, npm_cache, modules_cache)
            _lint(run)
            url = stack_ctx.enter_context(_database(database_url, run))
            env = app_env(plan, url)
            _migrations(run, env, stack.migrations_table(plan))
            run.command("seed", ["npm", "run", "--silent", "seed"], env, "sample rows loaded")
            _boot_and_check(run, env, plan, stack, recorder, log_dir)
            if run_tests and plan.project.options.tests:
                counts = _tests(run, env)
        except StepFailed:
            pass
    success = all(s.status is not StepStatus.FAILED for s in run.steps) and \
        recorder.server_errors == 0
    return VerifyReport(success, time.monotonic() - started, tuple(run.steps),
                        tuple(recorder.results), counts,
                        "external" if database_url else "ephemeral", recorder.server_errors,
                        tuple(recorder.matrix))


__all__ = ["RunningApp", "VerifyStepFailed", "app_env", "running_app", "verify_project"]
