"""An ephemeral PostgreSQL server from the machine's own binaries.

initdb into a temp dir, pg_ctl on a free port on 127.0.0.1 with trust auth for
a local test user, and always stop and remove it afterwards, on failure and on
Ctrl-C too. initdb refuses to run as root, so as root the cluster is owned by
an unprivileged user (`postgres` when it exists).

pg_ctl daemonizes the server, so a process killed with SIGKILL (no cleanup runs)
leaves it running. Each temp dir therefore names its owner (pid and start time);
every start first stops and removes the servers of owners that are gone.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from backforge.errors import BackforgeError

_SEARCH = ("/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin",
           "/usr/lib/postgresql/17/bin", "/usr/local/pgsql/bin")


class PostgresUnavailable(BackforgeError):
    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"PostgreSQL is not available: {reason} "
                         "(install it, e.g. `apt-get install postgresql`, or pass --database-url)")


class PostgresStartError(BackforgeError):
    def __init__(self, step: str, output: str) -> None:
        self.step = step
        self.output = output
        super().__init__(f"PostgreSQL {step} failed:\n{output.strip()[-2000:]}")


def find_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for d in _SEARCH:
        if (Path(d) / name).is_file():
            return str(Path(d) / name)
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PREFIX = "backforge-pg-"
OWNER = "owner"


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks (/proc), None when it does not exist:
    with the pid it names one process, even after the pid is reused."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def _identity() -> str:
    return f"{os.getpid()} {_start_time(os.getpid())}"


def _alive(owner: str) -> bool:
    pid, _, started = owner.partition(" ")
    return pid.isdigit() and _start_time(int(pid)) == started


def reap_orphans(tmp: Path | None = None) -> list[Path]:
    """Stop and remove the servers whose owning process died without cleaning up (a
    SIGKILLed verify or test run). Temp dirs without an owner file are left alone."""
    reaped = []
    for root in Path(tmp or tempfile.gettempdir()).glob(f"{PREFIX}*"):
        try:
            owner = (root / OWNER).read_text().strip()
        except OSError:
            continue
        if _alive(owner):
            continue
        EphemeralPostgres(root=root).stop()
        reaped.append(root)
    return reaped


@dataclass
class EphemeralPostgres:
    """Use as a context manager; `url` is ready inside the block."""

    user: str = "app"
    database: str = "app"
    port: int = 0
    root: Path | None = None

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{self.database}"

    def _run_as(self) -> list[str]:
        if os.geteuid() != 0:
            return []
        try:
            pwd.getpwnam("postgres")
        except KeyError as exc:
            raise PostgresUnavailable("running as root and no 'postgres' user exists") from exc
        return ["runuser", "-u", "postgres", "--"]

    def _cmd(self, args: list[str], step: str) -> None:
        proc = subprocess.run(self._run_as() + args, capture_output=True, text=True, timeout=120,
                              check=False)
        if proc.returncode != 0:
            raise PostgresStartError(step, proc.stdout + proc.stderr)

    def start(self) -> EphemeralPostgres:
        initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
        if not initdb or not pg_ctl:
            raise PostgresUnavailable("initdb/pg_ctl not found on PATH")
        reap_orphans()
        self.root = Path(tempfile.mkdtemp(prefix=PREFIX))
        (self.root / OWNER).write_text(_identity())
        try:
            if os.geteuid() == 0:
                shutil.chown(self.root, "postgres", "postgres")
            data, self.port = self.root / "data", self.port or free_port()
            self._cmd([initdb, "-D", str(data), "-U", self.user, "--auth=trust", "-E", "UTF8",
                       "--no-sync"], "initdb")
            opts = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
                    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
            self._cmd([pg_ctl, "-D", str(data), "-o", opts, "-l", str(self.root / "log"),
                       "-w", "-t", "60", "start"], "start")
            self._cmd([find_bin("createdb") or "createdb", "-h", "127.0.0.1", "-p", str(self.port),
                       "-U", self.user, self.database], "createdb")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.root is None:
            return
        pg_ctl, data = find_bin("pg_ctl"), self.root / "data"
        if pg_ctl and (data / "postmaster.pid").exists():
            subprocess.run(self._run_as() + [pg_ctl, "-D", str(data), "-m", "immediate", "-w",
                                             "stop"], capture_output=True, timeout=60, check=False)
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def log(self) -> str:
        path = self.root / "log" if self.root else None
        return path.read_text(errors="replace") if path and path.exists() else ""

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
