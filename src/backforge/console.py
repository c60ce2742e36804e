"""Terminal presentation for the CLI: progress while a run works, then a summary.

On a terminal: a rich progress bar driven by engine events. Elsewhere (CI logs,
pipes): one plain line per noteworthy event, so logs stay readable.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from rich.console import Console as RichConsole
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

_TERMINAL_KINDS = {"unit_validated", "unit_partial", "unit_failed", "unit_blocked",
                   "unit_cancelled"}
_STYLE = {"validated": "green", "partial": "yellow", "failed": "red", "blocked": "red",
          "cancelled": "red"}


class Console:
    def __init__(self, out=None, err=None) -> None:
        self.out = RichConsole(file=out or sys.stdout, highlight=False)
        self.err = RichConsole(file=err or sys.stderr, highlight=False)

    def error(self, message: str) -> None:
        self.err.print(f"[bold red]error:[/] {message}", markup=True, soft_wrap=True)

    @contextmanager
    def progress(self) -> Iterator[Callable[[Any], None]]:
        if not self.out.is_terminal:
            yield self._plain_event
            return
        bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                       TextColumn("{task.fields[current]}"), TimeElapsedColumn(),
                       console=self.out, transient=True)
        task = bar.add_task("generating", total=None, current="")

        def on_event(event: Any) -> None:
            kind = str(event.kind)
            if kind == "run_started":
                bar.update(task, total=event.data.get("units"))
            elif kind in _TERMINAL_KINDS:
                bar.advance(task)
                bar.update(task, current=event.unit or "")
            elif kind == "unit_retried":
                bar.console.print(f"[yellow]retry[/] {event.unit}: {event.message}")

        with bar:
            yield on_event

    def _plain_event(self, event: Any) -> None:
        kind = str(event.kind)
        if kind in ("unit_retried", "unit_failed", "unit_partial", "unit_blocked"):
            self.out.print(f"{kind.removeprefix('unit_')} {event.unit}: {event.message}",
                           markup=False, soft_wrap=True)

    def summary(self, result: Any) -> None:
        report: Mapping[str, Any] = result.report
        table = Table(title=f"{report['project']} ({report['stack']}, {report['provider']})")
        for col in ("module", "status", "units", "attempts", "files"):
            table.add_column(col)
        for mod in report["modules"]:
            units = [u for u in report["units"] if u["module"] == mod["name"]]
            status = mod["status"]
            table.add_row(mod["name"] + (" *" if mod.get("critical") else ""),
                          f"[{_STYLE.get(status, 'white')}]{status}[/]", str(len(units)),
                          str(sum(len(u["attempts"]) for u in units)),
                          str(sum(len(u["files"]) for u in units)))
        self.out.print(table)
        self._issues(report)
        verdict = "[bold green]success[/]" if result.success else "[bold red]failed[/]"
        where = f" -> {result.output}" if result.output else ""
        self.out.print(f"{verdict}: {report['success_rate'] * 100:.0f}% of modules validated, "
                       f"{len(result.files)} files in {report['duration']:.2f}s{where}")

    def _issues(self, report: Mapping[str, Any]) -> None:
        for unit in report["units"]:
            if unit["status"] != "validated":
                self.out.print(f"[red]{unit['id']}[/]: {unit['status']}"
                               f"{' - ' + unit['reason'] if unit.get('reason') else ''}")
        for issue in report.get("project_issues", []):
            self.out.print(f"[red]{issue['file']}:{issue['line']}[/] [{issue['rule']}] "
                           f"{issue['message']}", markup=True)
        renames = report.get("renames", [])
        if renames:
            self.out.print(f"{len(renames)} name(s) sanitized (see .backforge/report.json)")

    def verify_step(self, step: Any) -> None:
        mark = "[green]ok[/]" if str(step.status) == "passed" else f"[red]{step.status}[/]"
        self.out.print(f"{mark} {step.name} ({step.duration:.1f}s) {step.detail}",
                       soft_wrap=True, highlight=False)

    def verify_summary(self, report: Any) -> None:
        tables = Table(title="verify: API checks per table")
        for col in ("table", "passed", "failed"):
            tables.add_column(col)
        for name, row in report.tables().items():
            failed = f"[red]{row['failed']}[/]" if row["failed"] else "0"
            tables.add_row(name, str(row["passed"]), failed)
        if report.checks:
            self.out.print(tables)
        for check in report.failed_checks()[:10]:
            self.out.print(f"[red]FAIL[/] {check.table or 'project'}: {check.name}: "
                           f"{check.message}", soft_wrap=True)
            self.out.print(f"  request:  {check.request}", markup=False, soft_wrap=True)
            self.out.print(f"  response: {check.response}", markup=False, soft_wrap=True)
            for line in check.log.strip().splitlines()[-8:]:
                self.out.print(f"  log: {line}", markup=False, soft_wrap=True)
        for step in report.failed_steps():
            self.out.print(f"[red]step {step.name} failed:[/] {step.detail}", soft_wrap=True)
            for line in step.output.strip().splitlines()[-15:]:
                self.out.print(f"  | {line}", markup=False, soft_wrap=True)
        tests = report.tests
        counts = f"; npm test: {tests.passed}/{tests.total} passed" if tests else ""
        verdict = "[bold green]verified[/]" if report.success else "[bold red]NOT verified[/]"
        self.out.print(f"{verdict}: {len(report.checks)} API checks, "
                       f"{len(report.failed_checks())} failed, {report.server_errors} server "
                       f"errors{counts} in {report.duration:.1f}s")
