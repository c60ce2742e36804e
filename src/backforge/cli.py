"""The command line: the parser, and `main`, which hands the parsed command to cli_run.

Building the parser imports no stage (`backforge --version` and `--help` stay fast);
cli_run loads `backforge.api` and the console only once a command is known. Exit codes
(mapped in cli_run): 0 success, 1 failed run (or unexpected fault), 2 bad input (nothing
written), 3 regeneration done but some files were merged with conflict markers (listed in
.backforge/report.json under regeneration.conflicts; resolve them by hand).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from backforge import __version__, cli_serve
from backforge.cli_help import Parser
from backforge.run_options import PROVIDERS, SCHEDULES, GenerateOptions
from backforge.targets import STACK_NAMES, TARGETS

PROVIDER_HELP = ("who writes the files: template (offline, deterministic), openai (any "
                 "OpenAI-compatible endpoint), anthropic, or hybrid (templates, plus the "
                 "model for custom endpoint logic)")


def _parser() -> argparse.ArgumentParser:
    p = Parser(prog="backforge", description=(
        "Turn a project design into a complete, validated backend repository."))
    p.add_argument("--version", action="version", version=f"backforge {__version__}")
    p.add_argument("--debug", action="store_true",
                   help="show the Python stack trace of an unexpected error")
    sub = p.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate", help="generate a backend from a spec file",
                       description="Generate a backend from a spec (native YAML/JSON, the "
                                   "design tool's JSON project, SQL DDL or DBML).")
    g.add_argument("spec", nargs="?", help="spec file: .yaml, .yml, .json, .sql or .dbml")
    _add_source_options(g)
    _add_stack_option(g)
    g.add_argument("-o", "--output", help="output folder (default: the project name, kebab-case)")
    g.add_argument("--force", action="store_true",
                   help="write into a non-empty folder that backforge did not create")
    g.add_argument("--json", action="store_true", help="print one JSON event per line")
    g.add_argument("--provider", default="template", choices=PROVIDERS, help=PROVIDER_HELP)
    g.add_argument("--model", help="openai/anthropic: the model (default: $BACKFORGE_LLM_MODEL)")
    g.add_argument("--base-url", help="openai/anthropic: the API base URL, e.g. "
                                      "http://127.0.0.1:8000/v1 (default: $BACKFORGE_LLM_BASE_URL)")
    g.add_argument("--api-key-env", metavar="NAME",
                   help="the environment variable holding the API key "
                        "(default: OPENAI_API_KEY / ANTHROPIC_API_KEY)")
    g.add_argument("--stream", action="store_true",
                   help="receive model answers as server-sent events")
    d = GenerateOptions()
    g.add_argument("--concurrency", type=int, default=d.concurrency, help="parallel units")
    g.add_argument("--timeout", type=float, default=d.call_timeout, help="per-call timeout, s")
    g.add_argument("--retries", type=int, default=d.max_retries, help="retries per unit")
    g.add_argument("--deadline", type=float, default=d.deadline, help="overall deadline, s")
    g.add_argument("--rpm", type=int, default=None, help="requests-per-minute limit (off)")
    g.add_argument("--tpm", type=int, default=None,
                   help="tokens-per-minute limit, prompt + completion (off)")
    g.add_argument("--schedule", choices=SCHEDULES, default=d.schedule,
                   help="openai/anthropic: ask every unit at once with its dependencies' "
                        "interface contracts (contracts), or each once its dependencies' "
                        "files validated (dependencies)")
    _add_budget_options(g)
    g.add_argument("--check", action="store_true",
                   help="for CI: exit 0 when the output folder is exactly what generate would "
                        "leave, 1 when it is stale (listing what would change); writes nothing")
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
    cli_serve.add_parsers(sub)
    return p


def _add_doctor_parser(sub) -> None:
    d = sub.add_parser("doctor", help="check the tools verify and regeneration need",
                       description="Check Node, npm, the PostgreSQL server binaries, git, "
                                   "shellcheck, terraform and the cache folders; print the fix "
                                   "for each missing one. Exit 0 when everything required is "
                                   "there, 1 otherwise.")
    d.add_argument("--json", action="store_true", help="print the checks as JSON")


def _add_schema_parser(sub) -> None:
    s = sub.add_parser("schema", help="print the JSON Schema of the native spec format",
                       description="Print the JSON Schema of native YAML/JSON specs, for "
                                   "editors: `# yaml-language-server: $schema=FILE` as a "
                                   "spec's first line.")
    s.add_argument("-o", "--output", metavar="FILE", help="write it to FILE instead of stdout")


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
    g.add_argument("--no-hedge", action="store_true",
                   help="contracts schedule: never send a second request for a call running "
                        "far past the time its size should take (wait out --timeout instead)")


def _add_plan_parser(sub) -> None:
    p = sub.add_parser("plan", help="show what regenerating into a folder would do",
                       description="Compare a spec with the folder backforge generated: units "
                                   "to regenerate and why, files to add, update, merge or "
                                   "remove (template provider), the migration to append, data "
                                   "loss and API changes (breaking ones marked). Writes "
                                   "nothing; LLM providers: units only, no calls.")
    p.add_argument("spec", nargs="?", help="spec file: .yaml, .yml, .json, .sql or .dbml")
    _add_source_options(p)
    _add_stack_option(p)
    p.add_argument("-o", "--output", help="the generated folder (default: the project name)")
    p.add_argument("--provider", default="template", choices=PROVIDERS, help=PROVIDER_HELP)
    p.add_argument("--model", help="openai/anthropic: the model")
    p.add_argument("--base-url", help="openai/anthropic: the API base URL")
    p.add_argument("--api-key-env", metavar="NAME", help="the variable holding the API key")
    p.add_argument("--allow-destructive", action="store_true",
                   help="plan as if generate got --allow-destructive")
    p.add_argument("--json", action="store_true", help="print the plan as JSON")


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


def _add_stack_option(p) -> None:
    p.add_argument("--stack", choices=STACK_NAMES,
                   help="the stack to generate, instead of the spec's `stack:` (or the design "
                        "tool's options.language/framework): "
                        + "; ".join(f"{t.stack}: {t.summary}" for t in TARGETS))


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
                   help="with --fuzz: examples per operation and phase")


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


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "generate" and not (args.check or args.dry_run or args.verify
                                           or args.json or args.from_db):
        # The output stage's light modules only: an unchanged re-run answers before any
        # stage loads (a measured ~0.3 s at 150 tables); None: the full command decides.
        from backforge.output.fastpath import cli_answer, up_to_date_message

        files = cli_answer(args.output, args.spec, fmt=args.fmt,
                           stack=getattr(args, "stack", None), provider=args.provider)
        if files is not None:
            print(up_to_date_message(files, args.output))
            return 0
    # Not at the top: cli_run loads backforge.api, rich and every stage, a measured
    # start-up cost (~0.4 s) that `--version`, `--help` and usage errors never pay.
    from backforge.cli_run import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
