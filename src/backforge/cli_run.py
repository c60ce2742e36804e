"""The commands behind the parser in cli.py: a thin layer over `backforge.api`.

Only this module (with cli.py) prints, and only here are errors mapped to exit codes:
0 success, 1 failed run (or unexpected fault), 2 bad input (nothing written),
3 regeneration done but some files were merged with conflict markers.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from pathlib import Path

from backforge import api, cli_serve
from backforge.cli_help import next_steps
from backforge.console import Console
from backforge.errors import BackforgeError, InputError, OutputError
from backforge.spec.json_schema import spec_json_schema

__all__ = ["run"]


def _doctor(args: argparse.Namespace) -> int:
    # Not at the top: it pulls in the LLM cache module, 40 ms of every command's start-up.
    from backforge.doctor import diagnose

    diagnosis = diagnose()
    if args.json:
        print(json.dumps(diagnosis.to_dict(), indent=2))
        return diagnosis.exit_code
    for check in diagnosis.checks:
        mark = "ok     " if check.ok else ("MISSING" if check.required else "absent ")
        print(f"{mark} {check.name:20s} {check.found}")
        if not check.ok:
            print(f"        used by: {check.purpose}")
            print(f"        fix: {check.fix}")
    missing = [c.name for c in diagnosis.checks if c.required and not c.ok]
    print("\nready: every required tool is there" if not missing
          else f"\nnot ready: {', '.join(missing)} missing (fixes above)")
    return diagnosis.exit_code


def _schema(args: argparse.Namespace) -> int:
    text = json.dumps(spec_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise OutputError(args.output, f"cannot write: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
    return 0


def _plan(args: argparse.Namespace, console: Console,
          options: api.GenerateOptions | None = None) -> int:
    loaded = _source(args)
    output = Path(args.output) if args.output else Path(_default_dir(loaded.project.name))
    options = options or api.GenerateOptions(
        provider=args.provider, model=args.model, base_url=args.base_url,
        api_key_env=args.api_key_env, allow_destructive=args.allow_destructive)
    planned = api.plan(loaded, options, output=output)
    if args.json:
        print(json.dumps(planned.to_dict(), indent=2))
    else:
        console.plan(planned.to_dict())
    return 0


def _fake_llm(args: argparse.Namespace) -> int:
    import asyncio

    from backforge.providers.fake_server import (
        FakeLLMConfig,
        FakeLLMServer,
        describe,
        parse_faults,
    )

    config = FakeLLMConfig(latency_ms=args.latency_ms, per_token_ms=args.per_token_ms,
                           jitter=args.jitter, fault_rate=args.fault_rate,
                           faults=parse_faults(args.faults), fault_attempts=args.fault_attempts,
                           repeat_mistakes=args.repeat_mistakes,
                           seed=args.seed, retry_after=args.retry_after, api_key=args.api_key,
                           answers=args.answers)
    try:
        server = FakeLLMServer(config, port=args.port)
    except ValueError as exc:
        raise InputError(f"fake-llm: {exc}") from None

    def ready(base_url: str) -> None:
        print(f"fake LLM serving on {base_url}", flush=True)
        for line in describe(config):
            print(f"  {line}", flush=True)

    try:
        asyncio.run(server.serve(on_ready=ready))
    except OSError as exc:  # e.g. the port is taken
        raise InputError(f"fake-llm: cannot listen on 127.0.0.1:{args.port}: "
                         f"{exc.strerror or exc}") from None
    return 0


def _source(args: argparse.Namespace):
    if (args.spec is None) == (args.from_db is None):
        raise InputError("generate: give a spec file or --from-db URL (one of them)")
    stack = getattr(args, "stack", None)
    if args.from_db:
        return api.load_database(args.from_db, stack=stack)
    return api.load(args.spec, fmt=args.fmt, stack=stack)


def _import(args: argparse.Namespace, console: Console) -> int:
    result = api.import_spec(args.source, database_url=args.from_db, fmt=args.fmt,
                             output=args.output, force=args.force)
    if result.output is None:
        sys.stdout.write(result.yaml)
        return 0
    tables = result.loaded.project.tables
    print(f"wrote {result.output}: {len(tables)} tables, "
          f"{sum(len(t.fields) for t in tables)} fields from {result.loaded.source}")
    for note in result.notes:
        print(f"  note: {note}")
    return 0


def _verify(args: argparse.Namespace, console: Console, root: str | None = None) -> int:
    json_out = getattr(args, "json", False)
    report = api.verify(root or args.dir, spec=getattr(args, "spec", None) if root is None
                        else None, database_url=args.database_url,
                        npm_cache=getattr(args, "npm_cache", None),
                        run_tests=not getattr(args, "no_tests", False),
                        on_step=None if json_out else console.verify_step)
    if json_out:
        print(json.dumps({"event": "verify_finished", **report.to_dict()}), flush=True)
    else:
        console.verify_summary(report)
    if not report.success:
        return 1
    if getattr(args, "fuzz", False):
        return _fuzz(args, root or args.dir, json_out)
    return 0


def _fuzz(args: argparse.Namespace, root: str, json_out: bool) -> int:
    result = api.fuzz(root, spec=getattr(args, "spec", None), database_url=args.database_url,
                      npm_cache=getattr(args, "npm_cache", None),
                      max_examples=args.fuzz_examples)
    if json_out:
        print(json.dumps({"event": "fuzz_finished", **result.to_dict()}), flush=True)
    else:
        for line in result.failures:
            print(f"FAIL {line}")
        if result.not_fuzzed:
            print(f"left out (declared 501): {', '.join(result.not_fuzzed)}")
        verdict = "fuzzed" if result.success else "NOT fuzz-clean"
        print(f"{verdict}: schemathesis, {result.operations} operations, {result.cases} "
              f"cases, {result.server_errors} server errors, {result.conformance_failures} "
              f"conformance failures, {result.errors} errors in {result.seconds:.0f}s")
        if not result.success:
            print(result.output[-3000:])
    return 0 if result.success else 1


def _validate(args: argparse.Namespace) -> int:
    result = api.validate_dir(args.dir, spec=args.spec, stack=args.stack)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
        return result.exit_code
    a = result.assessment
    spec = f"spec {result.spec}" if result.spec else "no spec"
    print(f"{result.root}: {result.files} files, {result.stack}, {spec}")
    for module in a.modules:
        if not module.issues and module.status == "validated":
            continue
        star = " (critical)" if module.critical else ""
        print(f"\n{module.name}{star}: {module.status}, {module.errors} error(s), "
              f"{len(module.issues) - module.errors} warning(s)")
        for issue in module.issues:
            where = f"{issue.file}:{issue.line}" if issue.file and issue.line \
                else (issue.file or "-")
            print(f"  {issue.severity.value:7s} {where} [{issue.rule}] {issue.message}")
            if issue.hint:
                print(f"          fix: {issue.hint}")
    for note in a.notes:
        print(f"\nnote: {note}")
    validated = sum(m.status == "validated" for m in a.modules if m.name != "other")
    graded = sum(m.name != "other" for m in a.modules)
    verdict = "validated" if result.success else "NOT validated"
    print(f"\n{verdict}: {a.errors} error(s), {len(a.issues) - a.errors} warning(s); "
          f"{validated}/{graded} modules validated")
    return result.exit_code


def _options(args: argparse.Namespace) -> api.GenerateOptions:
    return api.GenerateOptions(
        provider=args.provider, concurrency=args.concurrency, call_timeout=args.timeout,
        max_retries=args.retries, deadline=args.deadline, requests_per_minute=args.rpm,
        tokens_per_minute=args.tpm, schedule=args.schedule,
        force=args.force, model=args.model, base_url=args.base_url,
        api_key_env=args.api_key_env, max_tokens_total=args.max_tokens_total,
        max_cost=args.max_cost, prices=tuple(args.prices), cache=not args.no_cache,
        loop_breaker=not args.no_loop_breaker, hedge=not args.no_hedge, stream=args.stream,
        allow_destructive=args.allow_destructive, dry_run=args.dry_run)


def _generate(args: argparse.Namespace, console: Console) -> int:
    loaded = _source(args)
    output = Path(args.output) if args.output else Path(_default_dir(loaded.project.name))
    options = _options(args)
    if args.check:
        return _check(args, console, loaded, output, options)
    if options.dry_run:
        return _plan(args, console, options)
    if args.json:
        def on_event(event) -> None:
            print(json.dumps(event.to_dict()), flush=True)
        result = api.generate(loaded, options, output=output, on_event=on_event)
    else:
        with console.progress() as on_event:
            result = api.generate(loaded, options, output=output, on_event=on_event)
        if result.up_to_date:
            console.up_to_date(result)
        else:
            console.summary(result)
        if result.exit_code == 0 and not args.verify and not result.up_to_date:
            opts = loaded.project.options
            console.next_steps(next_steps(output, docker=opts.docker, auth=opts.auth))
    if args.verify and result.exit_code == 0:  # not with conflict markers left to fix
        return _verify(args, console, root=str(output))
    return result.exit_code


def _check(args: argparse.Namespace, console: Console, loaded, output: Path,
           options: api.GenerateOptions) -> int:
    checked = api.check(loaded, options, output=output)
    if args.json:
        print(json.dumps({"event": "check_finished", "up_to_date": checked.up_to_date,
                          "plan": checked.plan.to_dict() if checked.plan else None}))
    elif checked.up_to_date:
        kept = " (edits by hand kept)" if checked.plan is not None else ""
        print(f"up to date: generate would change nothing in {output}{kept}")
    else:
        console.plan(checked.plan.to_dict())
        conflicts = checked.plan.conflicts
        if conflicts:
            print(f"conflict markers recorded in: {', '.join(conflicts)}")
        print(f"stale: generate would change {output} (see above)")
    return checked.exit_code


def _default_dir(name: str) -> str:
    from backforge.spec.naming import kebab

    return kebab(name) or "backend"


def run(args: argparse.Namespace) -> int:
    """Run the parsed command; the only place errors become exit codes."""
    console = Console()
    try:
        if args.command == "generate":
            return _generate(args, console)
        if args.command == "plan":
            return _plan(args, console)
        if args.command == "validate":
            return _validate(args)
        if args.command == "verify":
            return _verify(args, console)
        if args.command == "import":
            return _import(args, console)
        if args.command == "fake-llm":
            return _fake_llm(args)
        if args.command == "doctor":
            return _doctor(args)
        if args.command == "schema":
            return _schema(args)
        if args.command in ("serve", "keys", "worker"):
            return cli_serve.run(args)
    except InputError as exc:
        console.error(str(exc))
        return 2
    except BackforgeError as exc:
        console.error(str(exc))
        return 1
    except KeyboardInterrupt:
        console.error("interrupted")
        return 130
    except Exception as exc:  # noqa: BLE001 - a bug: one line, the stack only on --debug
        if args.debug:
            traceback.print_exc()
        text = " ".join(str(exc).split())[:300]
        hint = "" if args.debug else "; rerun with --debug for the stack trace"
        console.error(f"backforge {args.command} failed: unexpected "
                      f"{type(exc).__name__}: {text}{hint}")  # Console.error escapes it
        return 1
    return 2
