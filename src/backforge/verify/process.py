"""Run the generated project's own commands: npm install, scripts, the server.

Every command runs with a timeout and its output captured; the server runs in
its own process group so that stopping it also stops whatever npm spawned.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

from backforge.errors import BackforgeError


class ToolMissing(BackforgeError):
    def __init__(self, tool: str) -> None:
        self.tool = tool
        super().__init__(f"'{tool}' is not on the PATH: install Node.js 20 and npm")


@dataclass(frozen=True)
class CommandResult:
    command: str
    returncode: int
    output: str
    duration: float

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_command(args: list[str], cwd: Path, env: Mapping[str, str] | None = None,
                timeout: float = 600) -> CommandResult:
    start = time.monotonic()
    try:
        proc = subprocess.run(args, cwd=cwd, env={**os.environ, **(env or {})}, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout,
                              check=False)
        code, out = proc.returncode, proc.stdout
    except FileNotFoundError as exc:
        raise ToolMissing(args[0]) from exc
    except subprocess.TimeoutExpired as exc:
        code, out = -1, f"{exc.output or ''}\n[timed out after {timeout:.0f} s]"
    return CommandResult(" ".join(args), code, out, time.monotonic() - start)


def npm_install(project: Path, cache: Path | None = None) -> CommandResult:
    """`npm ci` when a lockfile exists (reproducible), else `npm install`."""
    verb = "ci" if (project / "package-lock.json").exists() else "install"
    args = ["npm", verb, "--no-audit", "--no-fund", "--loglevel=error"]
    if cache is not None:
        args += ["--cache", str(cache), "--prefer-offline"]
    return run_command(args, project)


@dataclass
class Server:
    """The generated app started with its own start script on a given port."""

    project: Path
    port: int
    env: Mapping[str, str]
    log_path: Path
    proc: subprocess.Popen | None = field(default=None, init=False)

    def start(self) -> None:
        log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            ["npm", "start", "--silent"], cwd=self.project, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, **self.env, "PORT": str(self.port)}, start_new_session=True)

    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_healthy(self, timeout: float = 30) -> tuple[bool, str]:
        """Poll /health until it reports the database up, the process exits, or time runs out."""
        deadline, last = time.monotonic() + timeout, "no answer"
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                return False, f"the server exited with code {self.proc.returncode}"
            try:
                with urllib.request.urlopen(self.base_url() + "/health", timeout=2) as resp:
                    body = json.loads(resp.read() or b"{}")
                    if resp.status == 200:
                        return True, json.dumps(body)
                    last = f"{resp.status} {body}"
            except urllib.error.HTTPError as exc:
                last = f"{exc.code} {exc.read()[:200]!r}"
            except (urllib.error.URLError, OSError, ValueError) as exc:
                last = str(exc)
            time.sleep(0.1)
        return False, f"/health not ready after {timeout:.0f} s: {last}"

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        except ProcessLookupError:
            pass

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
