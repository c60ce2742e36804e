"""Terminal presentation for the CLI: progress while a run works, then a summary.

On a terminal: a rich progress bar driven by engine events. Elsewhere (CI logs,
pipes): one plain line per noteworthy event, so logs stay readable.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from rich import box
from rich.console import Console as RichConsole
from rich.markup import escape
from rich.table import Table

from backforge.output.fastpath import up_to_date_message

_TERMINAL_KINDS = {"unit_validated", "unit_partial", "unit_failed", "unit_blocked",
                   "unit_cancelled"}
_STYLE = {"validated": "green", "partial": "yellow", "failed": "red", "blocked": "red",
          "cancelled": "red"}


class Console:
    def __init__(self, out=None, err=None) -> None:
        self.out = RichConsole(file=out or sys.stdout, highlight=False)
        self.err = RichConsole(file=err or sys.stderr, highlight=False)
        for console in (self.out, self.err):
            # In logs and pipes a wrapped line would split paths and messages that people
            # copy or grep: lines stay whole there (tables still fit the width).
            console.soft_wrap = not console.is_terminal

    def error(self, message: str) -> None:
        # The message may quote spec text or a URL: "[/x]" in it is text, not markup.
        self.err.print(f"[bold red]error:[/] {escape(message)}", markup=True, soft_wrap=True)

    @contextmanager
    def progress(self) -> Iterator[Callable[[Any], None]]:
        if not self.out.is_terminal:
            yield self._plain_event
            return
        # Not at the top: rich.progress is a measured ~15 ms of start-up that logs and
        # pipes (no terminal, no bar) never need.
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

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
                bar.update(task, current=escape(event.unit or ""))
            # Unit ids and messages quote spec text and provider errors: "[x]" is text.
            elif kind == "unit_retried":
                bar.console.print(f"[yellow]retry[/] {escape(f'{event.unit}: {event.message}')}")
            elif kind == "unit_hedged":
                bar.console.print(f"[yellow]hedge[/] {escape(f'{event.unit}: {event.message}')}")
            elif kind == "budget_reached":
                bar.console.print(f"[bold red]budget[/] {escape(event.message)}")

        with bar:
            yield on_event

    def _plain_event(self, event: Any) -> None:
        kind = str(event.kind)
        if kind in ("unit_retried", "unit_hedged", "unit_failed", "unit_partial",
                    "unit_blocked"):
            self.out.print(f"{kind.removeprefix('unit_')} {event.unit}: {event.message}",
                           markup=False, soft_wrap=True)
        elif kind == "budget_reached":
            self.out.print(f"budget: {event.message}", markup=False, soft_wrap=True)

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
        self._endpoints(report.get("endpoints"))
        self.access(report.get("access"))
        self._usage(report)
        if report.get("regeneration"):
            self.regeneration(report["regeneration"])
        verdict = "[bold green]success[/]" if result.success else "[bold red]failed[/]"
        where = f" -> {result.output}" if result.output else ""
        self.out.print(f"{verdict}: {report['success_rate'] * 100:.0f}% of modules validated, "
                       f"{len(result.files)} files in {report['duration']:.2f}s{where}",
                       soft_wrap=True)

    def up_to_date(self, result: Any) -> None:
        self.out.print(up_to_date_message(len(result.files), result.output),
                       markup=False, soft_wrap=True)

    def next_steps(self, steps: list[str]) -> None:
        self.out.print("next steps:", markup=False)
        for step in steps:
            self.out.print(f"  {step}", markup=False, soft_wrap=True)

    def _endpoints(self, endpoints: Mapping[str, list[str]] | None) -> None:
        if not endpoints:
            return
        done, stubs = endpoints["implemented"], endpoints["not_implemented"]
        if done:
            self.out.print(f"custom endpoints with logic: {', '.join(done)}", markup=False)
        if stubs:
            self.out.print(f"custom endpoints wired but answering 501 until written: "
                           f"{', '.join(stubs)}", markup=False, soft_wrap=True)

    def access(self, access: Mapping[str, Any] | None) -> None:
        """The effective policy, one row per table, and what was chosen for the user to check
        (ambiguities, warnings); with auth off, the notice that every route is anonymous."""
        if not access:
            return
        notes = access["notes"]
        if not access["enabled"]:
            self.out.print(f"[bold yellow]{escape(notes[0]['text'])}[/]")
            return
        users = access["users"]
        admin = users["admin_role"]
        if not access.get("enforced", True):
            self.out.print("[bold yellow]access policy NOT ENFORCED by this stack yet[/]: the "
                           "generated routes require a token for writes only; reads are "
                           "anonymous and no owner or role is checked. The table below is "
                           "what the spec asks for.", soft_wrap=True)
        table = Table(title=f"access: accounts are {users['table']} rows (login "
                            f"{users['login_field']}); role '{admin}' may do all but 'none'",
                      box=box.SIMPLE_HEAD, pad_edge=False)
        for col in ("table", "list", "read", "create", "update", "delete"):
            table.add_column(col, no_wrap=col != "table")
        table.add_column("owner")
        for row in access["tables"]:
            owner = " > ".join(h["field"] for h in row["owner_path"])
            owner = owner or ("self" if row["kind"] == "users" else "-")
            cells = [_short_rule(row[op], admin) for op in
                     ("list", "read", "create", "update", "delete")]
            table.add_row(*(escape(v) for v in (row["table"], *cells, owner)))
        self.out.print(table)
        for note in notes:
            if note["kind"] != "inferred":
                self.out.print(f"[yellow]access {note['kind']}[/]: {escape(note['text'])}",
                               soft_wrap=True)
        inferred = sum(n["kind"] == "inferred" for n in notes)
        if inferred:
            self.out.print(f"{inferred} access inference(s) in .backforge/report.json "
                           "(access.notes)", markup=False)

    def _usage(self, report: Mapping[str, Any]) -> None:
        """Tokens, cost (when priced) and cache hits; which limit stopped the run."""
        usage = report.get("usage") or {}
        if usage.get("total_tokens") or usage.get("cache_hits"):
            cost = usage.get("cost")
            priced = f", cost ${cost:.4f}" if cost is not None else ", cost unknown (unpriced)"
            self.out.print(f"tokens: {usage['prompt_tokens']} prompt + "
                           f"{usage['completion_tokens']} completion = "
                           f"{usage['total_tokens']}{priced}; "
                           f"{usage.get('cache_hits', 0)} cache hit(s)", markup=False)
        if report.get("stopped_by"):
            self.out.print(f"[bold red]stopped by {report['stopped_by']}:[/] "
                           f"{report['notes'][0] if report.get('notes') else ''}",
                           soft_wrap=True)

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

    def regeneration(self, regen: Mapping[str, Any]) -> None:
        """After a run into a folder backforge generated before: what happened to files."""
        counts = ", ".join(f"{n} {a}" for a, n in regen["counts"].items())
        self.out.print(f"regenerated {regen['units_regenerated']} unit(s), replayed "
                       f"{regen['units_replayed']}; files: {counts or 'none'}", markup=False)
        for f in regen["files"]:
            if f["action"] in ("conflict", "kept", "user-deleted"):
                self.out.print(f"  [yellow]{f['action']}[/] {f['path']}", soft_wrap=True)
        evo = regen.get("evolution") or {}
        for path in evo.get("files", []):
            self.out.print(f"  new migration {path}", markup=False)
        self._migration_warnings(evo)
        if regen["conflicts"]:
            self.out.print(f"[bold yellow]{len(regen['conflicts'])} file(s) with conflict "
                           "markers[/] (<<<<<<< yours / >>>>>>> backforge): resolve them")

    def plan(self, plan: Mapping[str, Any]) -> None:
        """`backforge plan`: units, files, migration, data loss, API changes."""
        first = " (first generation)" if plan["first_run"] else ""
        self.out.print(f"{plan['root']}{first}: {plan['units_regenerated']} unit(s) to "
                       f"regenerate, {plan['units_replayed']} unchanged", markup=False)
        for u in plan["units"]:
            self.out.print(f"  {u['unit']}: {'; '.join(u['reasons'])}", markup=False,
                           soft_wrap=True)
        if plan["files"] is None:
            self.out.print("files: not computed (an LLM provider; no calls made)")
        else:
            self.out.print(f"files ({plan['unchanged_files']} unchanged):", markup=False)
            for f in plan["files"]:
                self.out.print(f"  {f['action']:12s} {f['path']}", markup=False)
        self._evolution(plan.get("evolution"), plan["needs_allow_destructive"])

    def _evolution(self, evo: Mapping[str, Any] | None, refused: bool) -> None:
        if not evo:
            return
        if evo["files"]:
            self.out.print(f"new migration {', '.join(evo['files'])}:", markup=False)
        for change in evo["changes"]:
            self.out.print(f"  {change}", markup=False)
        for loss in evo["data_loss"]:
            self.out.print(f"[red]data loss[/] {loss['change']}: {loss['detail']}",
                           soft_wrap=True)
        self._migration_warnings(evo)
        if refused:
            self.out.print("[bold red]generate will refuse this without --allow-destructive[/]")
        for a in evo["api"]:
            mark = "[red]BREAKING[/] " if a["breaking"] else ""
            self.out.print(f"api {mark}{a['kind']} {a['target']}: {a['detail']}",
                           soft_wrap=True)

    def _migration_warnings(self, evo: Mapping[str, Any]) -> None:
        """What may make the new migration fail on a database with rows (e.g. a NOT NULL
        column without a default): the user should hear it before running it."""
        for warning in evo.get("warnings", ()):
            self.out.print(f"[yellow]migration warning[/] {escape(warning)}", soft_wrap=True)

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
        if report.matrix:
            m = report.matrix_summary()
            mark = "[red]" if m["failed"] else "[green]"
            skipped = f", {m['not_checked']} not checked" if m["not_checked"] else ""
            self.out.print(f"authorisation matrix: {m['cells']} cells ({m['principals']} "
                           f"principals x {m['tables']} tables x 5 operations), {mark}"
                           f"{m['failed']} failed[/]{skipped}", highlight=False)
            for cell in [c for c in report.matrix if not c.passed][:10]:
                self.out.print(f"[red]FAIL[/] matrix {cell.table} {cell.operation} as "
                               f"{cell.principal}: expected {cell.expected}, got {cell.got} "
                               f"({cell.reason}) {cell.note}".rstrip(), soft_wrap=True)
        tests = report.tests
        counts = f"; npm test: {tests.passed}/{tests.total} passed" if tests else ""
        verdict = "[bold green]verified[/]" if report.success else "[bold red]NOT verified[/]"
        self.out.print(f"{verdict}: {len(report.checks)} API checks, "
                       f"{len(report.failed_checks())} failed, {report.server_errors} server "
                       f"errors{counts} in {report.duration:.1f}s")


def _short_rule(rule: str, admin: str) -> str:
    """`owner|admin` -> `owner`: the table's title says the admin role is in every rule."""
    if rule == "authenticated":
        return "signed-in"
    parts = [p for p in rule.split("|") if p != admin]
    return "|".join(parts) or admin
