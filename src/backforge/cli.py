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
from collections.abc import Sequence
from pathlib import Path

from backforge import api
from backforge.console import Console
from backforge.errors import BackforgeError, InputError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="backforge", description=(
        "Turn a project design into a complete, validated backend repository."))
    p.add_argument("--version", action="version", version=f"backforge {api._version()}")
    sub = p.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate", help="generate a backend from a spec file",
                       description="Generate a backend from a spec (native YAML/JSON or the "
                                   "design tool's JSON project).")
    g.add_argument("spec", nargs="?", help="spec file: .yaml, .yml, .json, .sql or .dbml")
    _add_source_options(g)
    g.add_argument("-o", "--output", help="output folder (default: the project name, kebab-case)")
    g.add_argument("--force", action="store_true",
                   help="write into a non-empty folder that backforge did not create")
    g.add_argument("--json", action="store_true", help="print one JSON event per line")
    g.add_argument("--provider", default="template", choices=api.PROVIDERS)
    g.add_argument("--model", help="openai/anthropic: the model (default: $BACKFORGE_LLM_MODEL)")
    g.add_argument("--base-url", help="openai/anthropic: the API base URL, e.g. "
                                      "http://127.0.0.1:8000/v1 (default: $BACKFORGE_LLM_BASE_URL)")
    g.add_argument("--api-key-env", metavar="NAME",
                   help="the environment variable holding the API key "
                        "(default: OPENAI_API_KEY / ANTHROPIC_API_KEY)")
    g.add_argument("--stream", action="store_true",
                   help="receive model answers as server-sent events")
    d = api.GenerateOptions()
    g.add_argument("--concurrency", type=int, default=d.concurrency, help="parallel units (8)")
    g.add_argument("--timeout", type=float, default=d.call_timeout, help="per-call timeout, s (45)")
    g.add_argument("--retries", type=int, default=d.max_retries, help="retries per unit (3)")
    g.add_argument("--deadline", type=float, default=d.deadline, help="overall deadline, s (300)")
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
    return p


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
    p.add_argument("--provider", default="template", choices=api.PROVIDERS)
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
    f.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (8765; 0: any)")
    f.add_argument("--latency-ms", type=float, default=0.0, help="per answer (0)")
    f.add_argument("--per-token-ms", type=float, default=0.0, help="per completion token (0)")
    f.add_argument("--jitter", type=float, default=0.0, help="latency +- this fraction (0)")
    f.add_argument("--fault-rate", type=float, default=0.0, help="fault probability (0)")
    f.add_argument("--faults", help="kinds: 429,500,hang,truncated,missing-file,"
                                    "renamed-export,wrong-import,syntax (default: all)")
    f.add_argument("--fault-attempts", type=int, default=None,
                   help="only a unit's first N requests may fault (default: any)")
    f.add_argument("--repeat-mistakes", action="store_true",
                   help="a unit may get the same content fault again right after it was "
                        "shown in a repair prompt (a stuck model; default: it does not)")
    f.add_argument("--retry-after", type=float, default=1.0, help="429 Retry-After, s (1)")
    f.add_argument("--api-key", help="require this key (else any key is accepted)")
    f.add_argument("--answers", metavar="FILE",
                   help="hybrid prompts: JSON of canned endpoint bodies by label "
                        "(default: a generic implementation)")
    f.add_argument("--seed", type=int, default=0)


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
    v.add_argument("--fuzz", action="store_true",
                   help="then run schemathesis (all checks) against the running app; needs "
                        "the fuzz extra: pip install 'backforge[fuzz]'")
    v.add_argument("--fuzz-examples", type=int, default=10, metavar="N",
                   help="with --fuzz: examples per operation and phase (default 10)")


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
    except InputError as exc:
        console.error(str(exc))
        return 2
    except BackforgeError as exc:
        console.error(str(exc))
        return 1
    except KeyboardInterrupt:
        console.error("interrupted")
        return 130
    return 2


if __name__ == "__main__":
    sys.exit(main())
