"""An ephemeral PostgreSQL server from the machine's own binaries.

initdb into a temp dir, pg_ctl on a free port on 127.0.0.1 with trust auth for
a local test user, and always stop and remove it afterwards, on failure and on
Ctrl-C too. initdb refuses to run as root, so as root the cluster is owned by
an unprivileged user (`postgres` when it exists).
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
        self.root = Path(tempfile.mkdtemp(prefix="backforge-pg-"))
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
