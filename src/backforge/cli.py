"""The command line: a thin layer over `backforge.api`.

Only this module prints, and only here are errors mapped to exit codes:
0 success, 1 failed run (or unexpected fault), 2 bad input (nothing written).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

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
    g.add_argument("spec", help="spec file: .yaml, .yml or .json")
    g.add_argument("-o", "--output", help="output folder (default: the project name, kebab-case)")
    g.add_argument("--force", action="store_true",
                   help="write into a non-empty folder that backforge did not create")
    g.add_argument("--json", action="store_true", help="print one JSON event per line")
    g.add_argument("--provider", default="template", choices=api.PROVIDERS)
    d = api.GenerateOptions()
    g.add_argument("--concurrency", type=int, default=d.concurrency, help="parallel units (8)")
    g.add_argument("--timeout", type=float, default=d.call_timeout, help="per-call timeout, s (45)")
    g.add_argument("--retries", type=int, default=d.max_retries, help="retries per unit (3)")
    g.add_argument("--deadline", type=float, default=d.deadline, help="overall deadline, s (300)")
    g.add_argument("--rpm", type=int, default=None, help="requests-per-minute limit (off)")
    return p


def _options(args: argparse.Namespace) -> api.GenerateOptions:
    return api.GenerateOptions(
        provider=args.provider, concurrency=args.concurrency, call_timeout=args.timeout,
        max_retries=args.retries, deadline=args.deadline, requests_per_minute=args.rpm,
        force=args.force)


def _generate(args: argparse.Namespace, console: Console) -> int:
    loaded = api.load(args.spec)
    output = Path(args.output) if args.output else Path(_default_dir(loaded.project.name))
    options = _options(args)
    if args.json:
        def on_event(event) -> None:
            print(json.dumps(event.to_dict()), flush=True)
        result = api.generate(loaded, options, output=output, on_event=on_event)
    else:
        with console.progress() as on_event:
            result = api.generate(loaded, options, output=output, on_event=on_event)
        console.summary(result)
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
