"""Run the generated project's own commands: npm install, scripts, the server.

Every command runs with a timeout and its output captured; the server runs in
its own process group so that stopping it also stops whatever npm spawned.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
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
        super().__init__(f"'{tool}' is not on the PATH: install Node.js 22 and npm "
                         "(`backforge doctor` lists what is missing and how to fix it)")


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
                timeout: float = 600, stdin: str | None = None) -> CommandResult:
    start = time.monotonic()
    try:
        proc = subprocess.run(args, cwd=cwd, env={**os.environ, **(env or {})}, text=True,
                              input=stdin,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout,
                              check=False)
        code, out = proc.returncode, proc.stdout
    except FileNotFoundError as exc:
        raise ToolMissing(args[0]) from exc
    except subprocess.TimeoutExpired as exc:
        code, out = -1, f"{exc.output or ''}\n[timed out after {timeout:.0f} s]"
    return CommandResult(" ".join(args), code, out, time.monotonic() - start)


def npm_install(project: Path, cache: Path | None = None) -> CommandResult:
    """`npm ci` when a lockfile exists and nothing is installed, else `npm install`."""
    fresh = (project / "package-lock.json").exists() and not (project / "node_modules").exists()
    args = ["npm", "ci" if fresh else "install", "--no-audit", "--no-fund", "--loglevel=error",
            "--prefer-offline"]
    if cache is not None:
        args += ["--cache", str(cache)]
    return run_command(args, project)


def modules_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "backforge" / "node_modules"


def _dependency_key(project: Path) -> str:
    """Same declared packages (and lockfile, and Node) -> the same installed tree."""
    manifest = json.loads((project / "package.json").read_text())
    lock = project / "package-lock.json"
    node = run_command(["node", "--version"], project, timeout=60)  # ToolMissing without node
    material = json.dumps([manifest.get("dependencies"), manifest.get("devDependencies"),
                           _locked_tree(lock), node.output.strip()],
                          sort_keys=True)
    return hashlib.sha256(material.encode()).hexdigest()[:20]


def _locked_tree(lock: Path) -> object:
    """The installed packages a lockfile pins, without the root project's own name and
    version: projects generated from one stored lockfile share one cached tree."""
    if not lock.exists():
        return None
    try:
        packages = json.loads(lock.read_text()).get("packages", {})
    except (ValueError, AttributeError):
        return lock.read_text()
    return {path: entry for path, entry in packages.items() if path}


def install_dependencies(project: Path, npm_cache: Path | None = None,
                         modules_cache: Path | None = None) -> CommandResult:
    """Install the project's packages, reusing an identical earlier install when there is one.

    Generated projects of one stack declare the same packages, so a hard-linked copy
    of a node_modules tree installed before (keyed by the declared packages, the
    lockfile and the Node version) replaces a 20 s npm ci with a 1 s copy. npm does not
    modify installed files, which is what makes sharing them by hard link safe.
    """
    project = project.resolve()  # `cp` below runs with cwd=project: a relative path nests
    if (project / "node_modules").exists() or modules_cache is None:
        return npm_install(project, npm_cache)
    start = time.monotonic()
    key = _dependency_key(project)
    cached = modules_cache / key
    if (cached / "node_modules").is_dir():
        copy = run_command(["cp", "-al", str(cached / "node_modules"), str(project)], project)
        if copy.ok:
            if not (project / "package-lock.json").exists() and (cached / "package-lock.json").exists():
                shutil.copy2(cached / "package-lock.json", project / "package-lock.json")
            return CommandResult(f"reuse installed packages {key}", 0, "", time.monotonic() - start)
    result = npm_install(project, npm_cache)
    if result.ok:
        _store(project, cached)
    return result


def _store(project: Path, cached: Path) -> None:
    tmp = cached.with_name(cached.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    ok = subprocess.run(["cp", "-al", str(project / "node_modules"), str(tmp)],
                        capture_output=True, check=False).returncode == 0
    if ok and (project / "package-lock.json").exists():
        shutil.copy2(project / "package-lock.json", tmp / "package-lock.json")
    try:
        if ok:
            tmp.rename(cached)  # atomic: a concurrent verify sees all of it or none
    except OSError:
        pass  # another run stored the same tree first
    shutil.rmtree(tmp, ignore_errors=True)


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

    def wait_healthy(self, timeout: float = 120) -> tuple[bool, str]:
        """Poll /health until it reports the database up, the process exits, or time runs out.

        The budget covers what the start script does first: express-ts's compiles with tsc,
        which for the 11-table chinook schema took 16 s to 30 s and more (a timed-out boot)
        on a 2-core machine busy with other jobs. A crash still fails at once: the exited
        process is seen."""
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

    def stop(self, grace: float = 10) -> bool:
        """SIGTERM the whole process group; True when it exited within `grace` seconds."""
        if self.proc is None or self.proc.poll() is not None:
            return True
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=grace)
            return True
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
            return False
        except ProcessLookupError:
            return True

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
