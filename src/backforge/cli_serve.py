"""`backforge serve`, `backforge worker` and `backforge keys`: their parsers, and the commands behind them.

Building the parsers imports nothing of the service: FastAPI and uvicorn load only when
one of these commands runs (a measured ~0.3 s every other command would pay).
"""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["add_parsers", "run"]


def add_parsers(sub) -> None:
    s = sub.add_parser("serve", help="run the generator as an HTTP service (API + web UI)",
                       description="Serve the backforge HTTP API (OpenAPI at /openapi.json) "
                                   "and the web UI (/ui/). Jobs run in this process on a "
                                   "bounded worker pool (or on `backforge worker` processes "
                                   "with --broker); the job store is SQLite in the data "
                                   "folder, or PostgreSQL with --store. Needs the serve extra: pip install "
                                   "'backforge[serve]'. See docs/guides/serve.md.")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on")
    s.add_argument("--port", type=int, default=8000, help="port (0: any free port)")
    _add_data_option(s)
    _add_store_option(s)
    s.add_argument("--artifacts", metavar="DIR",
                   help="where job folders live (default: DATA/jobs)")
    _add_artifact_options(s)
    s.add_argument("--retention-days", type=float, default=7.0, metavar="DAYS",
                   help="delete ended jobs (status, events, files) this long after they "
                        "finished; 0 keeps them for ever (default: 7)")
    s.add_argument("--workers", type=int, default=2, help="jobs that run at once")
    s.add_argument("--allow-provider", action="append", default=[], metavar="NAME",
                   help="also let jobs use this provider (openai, anthropic, hybrid); its "
                        "key comes from this process's environment")
    s.add_argument("--allow-verify", action="store_true",
                   help="let jobs run `verify`: generated code runs confined (a separate "
                        "user, no network, limits); read the threat model in "
                        "docs/guides/serve.md first")
    _add_sandbox_option(s)
    s.add_argument("--rate", type=int, default=60, metavar="N",
                   help="job submissions and cancels per minute per API key")
    s.add_argument("--max-active", type=int, default=4, metavar="N",
                   help="queued or running jobs per API key")
    s.add_argument("--max-spec-bytes", type=int, default=1_000_000, metavar="N",
                   help="largest spec accepted")
    s.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                   help="let web pages of this origin (https://tool.example.com) call the "
                        "API from a browser")
    _add_broker_options(s)
    w = sub.add_parser("worker", help="run `backforge serve` jobs from a Redis queue (Celery)",
                       description="A Celery worker for `backforge serve --broker URL`: takes "
                                   "jobs from Redis and runs them against the shared data "
                                   "folder (same host). Needs the queue extra: pip install "
                                   "'backforge[queue]'.")
    _add_data_option(w)
    _add_store_option(w)
    _add_broker_options(w)
    _add_artifact_options(w)
    w.add_argument("--concurrency", type=int, default=2, help="jobs this worker runs at once")
    _add_sandbox_option(w)
    k = sub.add_parser("keys", help="manage the API keys of `backforge serve`",
                       description="API keys of the service; only their SHA-256 is stored.")
    ks = k.add_subparsers(dest="keys_command", required=True)
    c = ks.add_parser("create", help="create a key and print it (only this once)")
    c.add_argument("name", help="who the key is for, e.g. design-tool")
    _add_data_option(c)
    _add_store_option(c)


def _add_broker_options(p) -> None:
    p.add_argument("--broker", metavar="URL",
                   help="Redis URL (redis://host:6379/0; default $BACKFORGE_SERVE_BROKER): "
                        "jobs are enqueued there for `backforge worker` processes and their "
                        "events come back through it")
    p.add_argument("--visibility-timeout", type=float, default=3600.0, metavar="S",
                   help="with --broker: a job whose worker vanished is delivered again "
                        "after S seconds (keep it above the longest job)")


def _add_artifact_options(p) -> None:
    p.add_argument("--artifacts-s3", metavar="s3://BUCKET/PREFIX",
                   help="keep finished jobs' files in this S3-compatible bucket instead of "
                        "the local folder (needs the s3 extra; credentials from the usual "
                        "AWS_* variables)")
    p.add_argument("--s3-endpoint", metavar="URL",
                   help="the S3-compatible server (MinIO, Ceph, R2...); default AWS")


def _add_store_option(p) -> None:
    p.add_argument("--store", metavar="URL",
                   help="the job store: a postgresql:// URL shared by API instances and "
                        "workers on several hosts (default $BACKFORGE_SERVE_STORE, else the "
                        "SQLite file in the data folder: one host)")


def _add_sandbox_option(p) -> None:
    p.add_argument("--sandbox-user", default="backforge-sandbox", metavar="USER",
                   help="the unprivileged user verify runs as (default: backforge-sandbox; "
                        "create it with useradd --system --user-group --no-create-home "
                        "--shell /usr/sbin/nologin backforge-sandbox)")


def _add_data_option(p) -> None:
    p.add_argument("--data", metavar="DIR",
                   help="the service's data folder (default: $BACKFORGE_SERVE_DATA, else "
                        "~/.local/share/backforge/serve)")


def run(args: argparse.Namespace) -> int:
    # Not at the top: FastAPI, starlette and uvicorn (see the module docstring).
    from backforge.errors import InputError
    from backforge.service import ServeConfig, create_key, open_store
    from backforge.service.artifacts import s3_location
    from backforge.service.config import BROKER_ENV, STORE_ENV, default_data_dir, from_env

    data = Path(args.data) if args.data else default_data_dir()
    store_url = from_env(args.store, STORE_ENV)
    if args.command == "keys":
        store = open_store(ServeConfig(data_dir=data, store=store_url))
        try:
            key = create_key(store, args.name)
        finally:
            store.close()
        print(key)
        print(f"# API key '{args.name.strip()}' for {data}: shown only now, stored hashed",
              flush=True)
        return 0
    if args.command == "worker":
        return _worker(args, data, store_url, from_env(args.broker, BROKER_ENV))
    if args.workers < 1 or args.rate < 1 or args.max_active < 1 or args.max_spec_bytes < 1:
        raise InputError("serve: --workers, --rate, --max-active and --max-spec-bytes must "
                         "be at least 1")
    if args.retention_days < 0:
        raise InputError("serve: --retention-days must be 0 (keep for ever) or more")
    if args.artifacts_s3:
        s3_location(args.artifacts_s3)  # a bad URL stops here, before anything is written
    config = ServeConfig(
        data_dir=data, artifacts_dir=Path(args.artifacts) if args.artifacts else None,
        workers=args.workers, providers=("template", *args.allow_provider),
        allow_verify=args.allow_verify, sandbox_user=args.sandbox_user,
        rate_per_minute=args.rate,
        max_active_jobs=args.max_active, max_spec_bytes=args.max_spec_bytes,
        broker=from_env(args.broker, BROKER_ENV), store=store_url,
        visibility_timeout=args.visibility_timeout, cors_origins=tuple(args.cors_origin),
        retention_days=args.retention_days, artifacts_url=args.artifacts_s3,
        s3_endpoint=args.s3_endpoint)
    return _serve(config, args.host, args.port)


def _worker(args: argparse.Namespace, data: Path, store: str | None, broker: str | None
            ) -> int:
    from backforge.errors import InputError
    from backforge.service import ServeConfig
    from backforge.service.artifacts import s3_location
    from backforge.service.broker import run_worker

    if args.concurrency < 1:
        raise InputError("worker: --concurrency must be at least 1")
    if broker is None:
        raise InputError("worker: give the Redis URL with --broker or $BACKFORGE_SERVE_BROKER")
    if args.artifacts_s3:
        s3_location(args.artifacts_s3)
    run_worker(ServeConfig(data_dir=data, broker=broker, store=store,
                           sandbox_user=args.sandbox_user,
                           visibility_timeout=args.visibility_timeout,
                           artifacts_url=args.artifacts_s3, s3_endpoint=args.s3_endpoint),
               args.concurrency)
    return 0


def _serve(config, host: str, port: int) -> int:
    import uvicorn

    from backforge.service import create_app, create_key, open_store

    if config.allow_verify:  # every verify job would fail: say so before serving
        from backforge.errors import InputError
        from backforge.service.sandbox import SandboxUnavailable

        try:
            config.sandbox.identity()
        except SandboxUnavailable as exc:
            raise InputError(f"serve --allow-verify: {exc.message}") from exc
    store = open_store(config)
    try:
        if store.key_count() == 0:  # a fresh machine: one key, so the service is usable
            key = create_key(store, "default")
            print(f"created API key 'default' (shown only now, stored hashed): {key}",
                  flush=True)
    finally:
        store.close()
    where = "queue workers" if config.broker else f"{config.workers} worker(s)"
    db = "PostgreSQL" if config.store else "SQLite"
    print(f"backforge serve: data in {config.data_dir}, {db} store, {where}; "
          f"API docs at http://{host}:{port}/docs, UI at http://{host}:{port}/ui/",
          flush=True)
    uvicorn.run(create_app(config), host=host, port=port, log_level="info")
    return 0
