"""The command line: a thin layer over `backforge.api`.

Only this module prints, and only here are errors mapped to exit codes:
0 success, 1 failed run (or unexpected fault), 2 bad input (nothing written),
3 regeneration done but some files were merged with conflict markers (listed in
.backforge/report.json under regeneration.conflicts; resolve them by hand).
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from rich.markup import escape

from backforge import api
from backforge.cli_help import Parser, next_steps
from backforge.console import Console
from backforge.errors import BackforgeError, InputError, OutputError
from backforge.spec.json_schema import spec_json_schema

PROVIDER_HELP = ("who writes the files: template (offline, deterministic), openai (any "
                 "OpenAI-compatible endpoint), anthropic, or hybrid (templates, plus the "
                 "model for custom endpoint logic)")


def _parser() -> argparse.ArgumentParser:
    p = Parser(prog="backforge", description=(
        "Turn a project design into a complete, validated backend repository."))
    p.add_argument("--version", action="version", version=f"backforge {api._version()}")
    p.add_argument("--debug", action="store_true",
                   help="show the Python stack trace of an unexpected error")
    sub = p.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate", help="generate a backend from a spec file",
                       description="Generate a backend from a spec (native YAML/JSON, the "
                                   "design tool's JSON project, SQL DDL or DBML).")
    g.add_argument("spec", nargs="?", help="spec file: .yaml, .yml, .json, .sql or .dbml")
    _add_source_options(g)
    g.add_argument("-o", "--output", help="output folder (default: the project name, kebab-case)")
    g.add_argument("--force", action="store_true",
                   help="write into a non-empty folder that backforge did not create")
    g.add_argument("--json", action="store_true", help="print one JSON event per line")
    g.add_argument("--provider", default="template", choices=api.PROVIDERS, help=PROVIDER_HELP)
    g.add_argument("--model", help="openai/anthropic: the model (default: $BACKFORGE_LLM_MODEL)")
    g.add_argument("--base-url", help="openai/anthropic: the API base URL, e.g. "
                                      "http://127.0.0.1:8000/v1 (default: $BACKFORGE_LLM_BASE_URL)")
    g.add_argument("--api-key-env", metavar="NAME",
                   help="the environment variable holding the API key "
                        "(default: OPENAI_API_KEY / ANTHROPIC_API_KEY)")
    g.add_argument("--stream", action="store_true",
                   help="receive model answers as server-sent events")
    d = api.GenerateOptions()
    g.add_argument("--concurrency", type=int, default=d.concurrency, help="parallel units")
    g.add_argument("--timeout", type=float, default=d.call_timeout, help="per-call timeout, s")
    g.add_argument("--retries", type=int, default=d.max_retries, help="retries per unit")
    g.add_argument("--deadline", type=float, default=d.deadline, help="overall deadline, s")
    g.add_argument("--rpm", type=int, default=None, help="requests-per-minute limit (off)")
    _add_budget_options(g)
    g.add_argument("--dry-run", action="store_true",
                   help="only show what would be regenerated, merged or removed (= plan)")
    g.add_argument("--allow-destructive", action="store_true",
                   help="regeneration: allow a migration that drops or narrows data")
    g.add_argument("--verify", action="store_true",
                   help="then run the project for real (see `backforge verify`)")
    g.add_argument("--database-url", help="with --verify: use this PostgreSQL, not a temporary one")
    _add_plan_parser(sub)
    _add_validate_parser(sub)
    _add_verify_parser(sub)
    _add_import_parser(sub)
    _add_fake_llm_parser(sub)
    _add_doctor_parser(sub)
    _add_schema_parser(sub)
    return p


def _add_doctor_parser(sub) -> None:
    d = sub.add_parser("doctor", help="check the tools verify and regeneration need",
                       description="Check Node, npm, the PostgreSQL server binaries, git, "
                                   "shellcheck, terraform and the cache folders; print the fix "
                                   "for each missing one. Exit 0 when everything required is "
                                   "there, 1 otherwise.")
    d.add_argument("--json", action="store_true", help="print the checks as JSON")


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


def _add_schema_parser(sub) -> None:
    s = sub.add_parser("schema", help="print the JSON Schema of the native spec format",
                       description="Print the JSON Schema of native YAML/JSON specs, for "
                                   "editors: `# yaml-language-server: $schema=FILE` as a "
                                   "spec's first line.")
    s.add_argument("-o", "--output", metavar="FILE", help="write it to FILE instead of stdout")


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


def _add_budget_options(g) -> None:
    g.add_argument("--max-tokens-total", type=int, default=None, metavar="N",
                   help="stop the run cleanly once N prompt+completion tokens are spent (off)")
    g.add_argument("--max-cost", type=float, default=None, metavar="USD",
                   help="stop the run cleanly once this many dollars are spent, priced from "
                        "the model's price table (off)")
    g.add_argument("--prices", action="append", default=[], metavar="FILE",
                   help="TOML or JSON file of model prices, USD per million tokens: "
                        "{model: {input, output}}; extends the built-in table (also "
                        "$BACKFORGE_PRICES)")
    g.add_argument("--no-cache", action="store_true",
                   help="do not read or write the LLM response cache (~/.cache/backforge)")
    g.add_argument("--no-loop-breaker", action="store_true",
                   help="keep retrying a unit even when a repair did not reduce its errors")


def _add_plan_parser(sub) -> None:
    p = sub.add_parser("plan", help="show what regenerating into a folder would do",
                       description="Compare a spec with the folder backforge generated: units "
                                   "to regenerate and why, files to add, update, merge or "
                                   "remove (template provider), the migration to append, data "
                                   "loss and API changes (breaking ones marked). Writes "
                                   "nothing; LLM providers: units only, no calls.")
    p.add_argument("spec", nargs="?", help="spec file: .yaml, .yml, .json, .sql or .dbml")
    _add_source_options(p)
    p.add_argument("-o", "--output", help="the generated folder (default: the project name)")
    p.add_argument("--provider", default="template", choices=api.PROVIDERS, help=PROVIDER_HELP)
    p.add_argument("--model", help="openai/anthropic: the model")
    p.add_argument("--base-url", help="openai/anthropic: the API base URL")
    p.add_argument("--api-key-env", metavar="NAME", help="the variable holding the API key")
    p.add_argument("--allow-destructive", action="store_true",
                   help="plan as if generate got --allow-destructive")
    p.add_argument("--json", action="store_true", help="print the plan as JSON")


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


def _add_fake_llm_parser(sub) -> None:
    f = sub.add_parser("fake-llm", help="serve a fake OpenAI-compatible model for tests",
                       description="A local OpenAI-compatible (and Anthropic Messages) server "
                                   "that answers backforge prompts with the template output, "
                                   "with latency and seeded faults. Stop it with Ctrl-C.")
    f.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (0: any free port)")
    f.add_argument("--latency-ms", type=float, default=0.0, help="latency per answer, ms")
    f.add_argument("--per-token-ms", type=float, default=0.0,
                   help="latency per completion token, ms")
    f.add_argument("--jitter", type=float, default=0.0, help="latency +- this fraction")
    f.add_argument("--fault-rate", type=float, default=0.0, help="fault probability per request")
    f.add_argument("--faults", help="kinds: 429,500,hang,truncated,missing-file,"
                                    "renamed-export,wrong-import,syntax (default: all)")
    f.add_argument("--fault-attempts", type=int, default=None,
                   help="only a unit's first N requests may fault (default: any)")
    f.add_argument("--repeat-mistakes", action="store_true",
                   help="a unit may get the same content fault again right after it was "
                        "shown in a repair prompt (a stuck model; default: it does not)")
    f.add_argument("--retry-after", type=float, default=1.0,
                   help="the Retry-After of a 429 answer, s")
    f.add_argument("--api-key", help="require this key (else any key is accepted)")
    f.add_argument("--answers", metavar="FILE",
                   help="hybrid prompts: JSON of canned endpoint bodies by label "
                        "(default: a generic implementation)")
    f.add_argument("--seed", type=int, default=0, help="random seed of latency and faults")


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


def _add_source_options(p) -> None:
    p.add_argument("--from", dest="fmt", metavar="FORMAT",
                   help="input format instead of the file extension's: native, designtool, "
                        "sql, postgres, mysql, sqlite, dbml")
    p.add_argument("--from-db", metavar="URL",
                   help="import a running PostgreSQL database (postgresql://...) instead of "
                        "a file")


def _add_import_parser(sub) -> None:
    i = sub.add_parser("import", help="turn SQL DDL, DBML or a live database into a spec",
                       description="Import a schema (SQL DDL for PostgreSQL, MySQL or SQLite; "
                                   "DBML; or a running PostgreSQL with --from-db) and write "
                                   "the native YAML spec to edit. Everything that has no "
                                   "place in the spec is listed, with what was done instead.")
    i.add_argument("source", nargs="?", help="schema file: .sql, .dbml (or any spec file)")
    _add_source_options(i)
    i.add_argument("-o", "--output", help="the spec file to write (default: print it)")
    i.add_argument("--force", action="store_true", help="overwrite an existing output file")


def _source(args: argparse.Namespace):
    if (args.spec is None) == (args.from_db is None):
        raise InputError("generate: give a spec file or --from-db URL (one of them)")
    return api.load_database(args.from_db) if args.from_db else api.load(args.spec,
                                                                           fmt=args.fmt)


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


def _add_verify_parser(sub) -> None:
    v = sub.add_parser("verify", help="prove a generated project runs against PostgreSQL",
                       description="npm install, a temporary PostgreSQL (or --database-url), "
                                   "migrate up/down/up, seed, boot, API contract checks against "
                                   "the served OpenAPI document, graceful shutdown, npm test. "
                                   "Exit 0 when every step passed, 1 otherwise.")
    v.add_argument("dir", help="the generated project folder")
    v.add_argument("--spec", help="the spec it was generated from (default: .backforge/spec.json)")
    v.add_argument("--database-url", help="use this PostgreSQL instead of a temporary one")
    v.add_argument("--npm-cache", help="npm cache folder (default: npm's own, ~/.npm)")
    v.add_argument("--no-tests", action="store_true", help="skip the project's own npm test")
    v.add_argument("--json", action="store_true", help="print the verify report as JSON")


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
    return 0 if report.success else 1


def _add_validate_parser(sub) -> None:
    v = sub.add_parser("validate", help="validate an existing project folder",
                       description="Check a project folder (generated by backforge, maybe "
                                   "edited since): syntax, imports/exports, packages, SQL, "
                                   "compose, Terraform, .env.example; issues by module. "
                                   "Exit 0 when there are no errors, 1 when there are.")
    v.add_argument("dir", help="the project folder")
    v.add_argument("--spec", help="the spec it was generated from (default: the one in "
                                  ".backforge/report.json); enables required-file checks")
    v.add_argument("--stack", help="the stack (default: from .backforge/report.json, "
                                   "else express-js)")
    v.add_argument("--json", action="store_true", help="print the result as JSON")


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
        force=args.force, model=args.model, base_url=args.base_url,
        api_key_env=args.api_key_env, max_tokens_total=args.max_tokens_total,
        max_cost=args.max_cost, prices=tuple(args.prices), cache=not args.no_cache,
        loop_breaker=not args.no_loop_breaker, stream=args.stream,
        allow_destructive=args.allow_destructive, dry_run=args.dry_run)


def _generate(args: argparse.Namespace, console: Console) -> int:
    loaded = _source(args)
    output = Path(args.output) if args.output else Path(_default_dir(loaded.project.name))
    options = _options(args)
    if options.dry_run:
        return _plan(args, console, options)
    if args.json:
        def on_event(event) -> None:
            print(json.dumps(event.to_dict()), flush=True)
        result = api.generate(loaded, options, output=output, on_event=on_event)
    else:
        with console.progress() as on_event:
            result = api.generate(loaded, options, output=output, on_event=on_event)
        console.summary(result)
        if result.exit_code == 0 and not args.verify:
            opts = loaded.project.options
            console.next_steps(next_steps(output, docker=opts.docker, auth=opts.auth))
    if args.verify and result.exit_code == 0:  # not with conflict markers left to fix
        return _verify(args, console, root=str(output))
    return result.exit_code


def _default_dir(name: str) -> str:
    from backforge.spec.naming import kebab

    return kebab(name) or "backend"


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
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
        console.error(escape(f"backforge {args.command} failed: unexpected "
                             f"{type(exc).__name__}: {text}{hint}"))
        return 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
