"""The server's configuration: where state lives, how many workers, every input limit."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from backforge.service.sandbox import SANDBOX_USER, Limits, Sandbox

__all__ = ["BROKER_ENV", "DATA_ENV", "STORE_ENV", "ServeConfig", "default_data_dir",
           "from_env"]

# What `backforge serve`, `worker` and `keys` read from the environment when the option is
# not given (deploy/compose/docker-compose.yml sets them; a URL's password stays out of
# process listings that way).
DATA_ENV = "BACKFORGE_SERVE_DATA"
STORE_ENV = "BACKFORGE_SERVE_STORE"
BROKER_ENV = "BACKFORGE_SERVE_BROKER"


def from_env(option: str | None, name: str) -> str | None:
    """An option's value, else the environment variable `name`, else None."""
    return option or os.environ.get(name) or None


def default_data_dir() -> Path:
    """$BACKFORGE_SERVE_DATA, else ~/.local/share/backforge/serve."""
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "backforge" / "serve"


@dataclass(frozen=True)
class ServeConfig:
    """Every knob of `backforge serve`; the defaults are safe for a public network."""

    data_dir: Path = field(default_factory=default_data_dir)  # jobs.sqlite lives here
    artifacts_dir: Path | None = None  # None: data_dir / "jobs"
    workers: int = 2  # jobs run at once in this process
    max_spec_bytes: int = 1_000_000  # the spec text (body or upload)
    # Option ceilings: a job asking for more gets a 422 naming the option and the limit.
    max_concurrency: int = 16
    max_deadline: float = 600.0
    max_retries: int = 5
    max_timeout: float = 120.0
    # Per API key: job submissions (and cancels) per minute, and jobs queued or running.
    rate_per_minute: int = 60
    max_active_jobs: int = 4
    # Which providers jobs may name. Model providers read their keys from this process's
    # environment (OPENAI_API_KEY, ...): never from job input.
    providers: tuple[str, ...] = ("template",)
    # `verify` runs generated code (npm install, node, a PostgreSQL); see
    # docs/guides/serve.md for why it is off by default. When on, it runs only in the
    # sandbox (service/sandbox.py) as this user, under these limits, or the job fails.
    allow_verify: bool = False
    sandbox_user: str = SANDBOX_USER
    sandbox_limits: Limits = field(default_factory=Limits)
    # Scale-out (service/broker.py): the Redis URL jobs are enqueued to; None runs them in
    # this process. An unacknowledged job is redelivered after visibility_timeout seconds.
    broker: str | None = None
    visibility_timeout: float = 3600.0
    # Where finished jobs' files live: None keeps them in jobs_dir; "s3://BUCKET/PREFIX"
    # puts them in an S3-compatible store (s3_endpoint: its URL, None for AWS itself).
    artifacts_url: str | None = None
    s3_endpoint: str | None = None
    # Ended jobs (row, events, files) are deleted retention_days after they finished
    # (0: kept forever); the sweeper looks every sweep_interval seconds.
    retention_days: float = 7.0
    sweep_interval: float = 3600.0
    # The job store: None is the SQLite file in data_dir (one host); a postgresql:// URL
    # shares it between hosts (service/pgstore.py). Job folders stay in jobs_dir, which
    # every API instance and worker must see (a shared volume).
    store: str | None = None
    # With a broker, events reach streams through Redis; a stream still reads the store
    # this often (s) in case a message was lost (a Redis restart, a dropped connection).
    live_poll: float = 2.0
    cors_origins: tuple[str, ...] = ()  # web origins allowed to call the API from a browser
    poll_interval: float = 0.1  # how often an event stream looks for new events, s
    keepalive: float = 15.0  # an SSE comment line this often keeps proxies from closing

    @property
    def jobs_dir(self) -> Path:
        return self.artifacts_dir if self.artifacts_dir is not None else self.data_dir / "jobs"

    @property
    def retention(self) -> float | None:
        """Seconds an ended job is kept, or None for ever."""
        return self.retention_days * 86400 if self.retention_days > 0 else None

    @property
    def sandbox(self) -> Sandbox:
        return Sandbox(self.sandbox_user, self.sandbox_limits)

    @property
    def npm_cache(self) -> Path:
        """The sandbox's npm cache, shared by jobs (read-only while generated code runs)."""
        return self.data_dir / "sandbox" / "npm-cache"

    @property
    def database(self) -> Path:
        return self.data_dir / "jobs.sqlite"
