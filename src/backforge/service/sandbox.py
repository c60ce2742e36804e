"""Verify confined: generated code runs as an unprivileged user, without network, with limits.

`verify` runs code a client controls (through the spec, and through a model provider's
output): npm, the generated migrations, server and tests. `verify_sandboxed` runs it in
two phases, each in fresh PID, mount, IPC and UTS namespaces as the sandbox user with
resource limits:

1. install: `npm ci --ignore-scripts` with the host's network, so nothing but npm's own
   code runs while the network is reachable (no dependency's or project's script);
2. verify: `backforge verify` on the installed copy in a fresh network namespace whose
   only interface is loopback (the ephemeral PostgreSQL lives inside it), npm offline.

The project is a copy in a scratch folder owned by the sandbox user; the job's own files,
the job store and everything of root's stay out of reach (other users' permissions, and
root-only folders on the way to the tools are replaced by an empty tmpfs with just the
needed tool folders bound back read-only). When the namespace's first process ends or
the wall-time limit kills it, the kernel kills every process left in the namespace.

Nothing here falls back: when a piece is missing (not root, no unshare, no sandbox user)
`SandboxUnavailable` says which, and verify does not run.
"""

from __future__ import annotations

import json
import os
import pwd
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import backforge
from backforge import api
from backforge.errors import BackforgeError
from backforge.verify.model import StepResult, StepStatus, VerifyReport
from backforge.verify.postgres import find_bin
from backforge.verify.process import CommandResult

__all__ = ["SANDBOX_USER", "Exposure", "Limits", "Sandbox", "SandboxUnavailable", "Workspace",
           "verify_sandboxed", "workspace"]

SANDBOX_USER = "backforge-sandbox"
_TOOLS = ("unshare", "setpriv", "prlimit", "ip", "mount", "mkdir")
_SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"
_OUTPUT_TAIL = 64_000  # bytes of a phase's output kept (the whole file is capped by FSIZE)


class SandboxUnavailable(BackforgeError):
    """The sandbox cannot be set up here; verify is refused, never run unconfined."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"verify sandbox unavailable: {reason}; verify did not run "
                         "(it never runs outside the sandbox)")


@dataclass(frozen=True)
class Limits:
    """Per-process rlimits (CPU: SIGXCPU at the limit, SIGKILL 5 s later; memory; file
    size), one per-user process cap, and the wall time of each phase (the whole namespace
    is killed when it runs out)."""

    cpu_seconds: int = 900
    # RLIMIT_DATA (private writable memory: heaps, buffers), not RLIMIT_AS: WebAssembly
    # reserves ~10 GiB of address space per instance that is never backed by memory.
    memory_bytes: int = 2 << 30
    processes: int = 1024  # RLIMIT_NPROC, counts threads of every process of the user
    file_bytes: int = 1 << 30
    install_seconds: float = 900.0
    verify_seconds: float = 1200.0


@dataclass(frozen=True)
class Exposure:
    """A host folder the sandbox needs; read-only unless `writable`."""

    path: Path
    writable: bool = False


@dataclass(frozen=True)
class Sandbox:
    user: str = SANDBOX_USER
    limits: Limits = field(default_factory=Limits)
    tmp: Path | None = None  # where scratch folders are made (default: the system temp dir)

    def identity(self) -> tuple[int, int]:
        """(uid, gid) of the sandbox user once every requirement holds."""
        if os.geteuid() != 0:
            raise SandboxUnavailable("the server must run as root to switch to the sandbox "
                                     "user and create namespaces")
        _system_tools()
        try:
            entry = pwd.getpwnam(self.user)
        except KeyError:
            raise SandboxUnavailable(
                f"no user '{self.user}': create it with `useradd --system --user-group "
                f"--no-create-home --shell /usr/sbin/nologin {self.user}`") from None
        if entry.pw_uid == 0 or entry.pw_gid == 0:
            raise SandboxUnavailable(f"user '{self.user}' has uid or gid 0")
        return entry.pw_uid, entry.pw_gid

    def run(self, args: Sequence[str], *, cwd: Path, env: Mapping[str, str], network: bool,
            expose: Sequence[Exposure], timeout: float, log: Path,
            cancel: threading.Event | None = None) -> CommandResult:
        """`args` confined; its output goes to `log` (root's, written through an inherited
        descriptor) and its tail is returned. Exit -9 with a note when the wall time ran
        out or `cancel` was set (polled every 0.25 s)."""
        uid, gid = self.identity()
        tools = _system_tools()
        script = _script(tools, uid, gid, self.limits, network,
                         _plan_mounts(expose, uid, gid, network))
        command = [tools["unshare"], "--pid", "--fork", "--kill-child", "--mount", "--mount-proc",
                   "--ipc", "--uts", *([] if network else ["--net"]),
                   "--", "/bin/sh", "-c", script, "sandbox", *args]
        started = time.monotonic()
        with log.open("wb") as out:
            proc = subprocess.Popen(command, cwd=cwd, env=dict(env), stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True)
            code, note = _wait(proc, started + timeout, timeout, cancel)
        return CommandResult(" ".join(args), code, _tail(log) + note, time.monotonic() - started)


def _wait(proc: subprocess.Popen, deadline: float, timeout: float,
          cancel: threading.Event | None) -> tuple[int, str]:
    """(exit code, a note) once the namespace's process ends, or it is killed at the
    deadline or on cancel: unshare's child is the namespace's init, so killing it (with
    unshare's process group) kills every process inside."""
    while True:
        try:
            code = proc.wait(timeout=0.25)
            return code, _signal_note(code)
        except subprocess.TimeoutExpired:
            why = (f"the wall-time limit of {timeout:.0f} s" if time.monotonic() >= deadline
                   else "cancel" if cancel is not None and cancel.is_set() else None)
            if why is not None:
                os.killpg(proc.pid, signal.SIGKILL)
                return proc.wait(), f"\n[sandbox: killed after {why}]"


_LIMIT_SIGNALS = {signal.SIGXCPU: "the CPU limit", signal.SIGXFSZ: "the file size limit",
                  signal.SIGKILL: "the hard CPU limit or the kernel's OOM killer",
                  signal.SIGSEGV: "a crash (or the memory limit)"}


def _signal_note(code: int) -> str:
    if code <= 128 or code - 128 >= signal.NSIG:
        return ""
    sig = signal.Signals(code - 128)
    return f"\n[sandbox: killed by {sig.name} ({_LIMIT_SIGNALS.get(sig, 'a signal')})]"


def _tail(path: Path, limit: int = _OUTPUT_TAIL) -> str:
    with path.open("rb") as f:
        f.seek(max(0, path.stat().st_size - limit))
        return f.read().decode(errors="replace")


def _reachable(path: Path, uid: int, gid: int) -> bool:
    """Whether `uid` (only group `gid`) can reach `path`: search on every folder above it,
    read (and search, for a folder) on itself."""
    def allowed(st: os.stat_result, bits: tuple[int, int, int]) -> bool:
        if st.st_uid == uid:
            return bool(st.st_mode & bits[0])
        if st.st_gid == gid:
            return bool(st.st_mode & bits[1])
        return bool(st.st_mode & bits[2])

    search = (stat.S_IXUSR, stat.S_IXGRP, stat.S_IXOTH)
    read = (stat.S_IRUSR, stat.S_IRGRP, stat.S_IROTH)
    path = Path(os.path.abspath(path))
    for folder in reversed(path.parents):
        if not allowed(os.stat(folder), search):
            return False
    st = os.stat(path)
    return allowed(st, read) and (not stat.S_ISDIR(st.st_mode) or allowed(st, search))


def _hidden_root(path: Path, uid: int, gid: int) -> Path | None:
    """The topmost folder above `path` the user cannot search (None: all searchable)."""
    for folder in reversed(Path(os.path.abspath(path)).parents):
        if not _reachable(folder, uid, gid):
            return folder
    return None


# World-writable folders every user shares: inside the sandbox each is a fresh, small,
# private tmpfs, so the sandbox can neither leave files for the host's processes nor
# read theirs.
_SHARED = (Path("/tmp"), Path("/var/tmp"), Path("/dev/shm"))
_SHARED_SIZE = "256m"
# The host's daemons' Unix sockets (PostgreSQL's, D-Bus's, ...) cross network
# namespaces: without network /run is an empty tmpfs too. The install phase keeps it
# (name resolution may live there) and runs only npm.
_RUN = Path("/run")
# Where host folders wait (bind-mounted) while the folders above them are covered: a
# tmpfs over /mnt inside the namespace (the host's /mnt is untouched).
_STAGE = Path("/mnt")


@dataclass(frozen=True)
class _Mounts:
    covers: tuple[tuple[Path, bool], ...]  # folders replaced by an empty tmpfs (shared?)
    binds: tuple[Exposure, ...]  # exposed folders under a cover, bound back
    read_only: tuple[Path, ...]  # exposed folders under no cover, remounted read-only


def _plan_mounts(expose: Sequence[Exposure], uid: int, gid: int, network: bool) -> _Mounts:
    covers = {p: True for p in _SHARED if p.is_dir() and not p.is_symlink()}
    if not network and _RUN.is_dir() and not _RUN.is_symlink():
        covers[_RUN] = False
    exposed = _outermost(expose)
    for item in exposed:
        hidden = _hidden_root(item.path, uid, gid)
        if hidden is not None and not any(c == hidden or c in hidden.parents for c in covers):
            covers[hidden] = False
    if not _STAGE.is_dir() or any(c == _STAGE or c in _STAGE.parents for c in covers):
        raise SandboxUnavailable(f"{_STAGE} is needed as a mount point and is missing")
    binds, read_only = [], []
    for item in exposed:
        if any(c == item.path or c in item.path.parents for c in covers):
            binds.append(item)
        elif not item.writable:
            read_only.append(item.path)
    return _Mounts(tuple(sorted(covers.items())), tuple(binds), tuple(read_only))


def _outermost(expose: Sequence[Exposure]) -> list[Exposure]:
    """Drop folders inside another exposed one: the outer one's mount covers them. A
    writable folder inside a read-only one cannot be (the sandbox refuses to start)."""
    paths: dict[Path, bool] = {}
    for item in expose:
        path = Path(os.path.abspath(item.path))
        paths[path] = paths.get(path, False) or item.writable
    kept = []
    for path, writable in sorted(paths.items()):
        outer = [q for q in paths if q in path.parents]
        if not outer:
            kept.append(Exposure(path, writable))
        elif writable and not any(paths[q] for q in outer):
            raise SandboxUnavailable(f"{path} must be writable but lies in the read-only "
                                     f"tool folder {outer[0]}: move it elsewhere")
    return kept


def _quote(path: Path) -> str:
    return shlex.quote(str(path))


def _system_tools() -> dict[str, str]:
    """The absolute paths of the programs that set the sandbox up (the sandbox's own PATH
    is not the server's, and `ip` often lives in an sbin folder)."""
    search = os.pathsep.join([os.environ.get("PATH", ""), _SYSTEM_PATH])
    found = {tool: shutil.which(tool, path=search) for tool in _TOOLS}
    missing = [tool for tool, path in found.items() if path is None]
    if missing:
        raise SandboxUnavailable(f"{', '.join(missing)} not found (util-linux, iproute2)")
    return {tool: str(path) for tool, path in found.items()}


def _script(tools: Mapping[str, str], uid: int, gid: int, limits: Limits, network: bool,
            mounts: _Mounts) -> str:
    """The shell run as root inside the new namespaces: loopback up, the mounts, then the
    limits and the user switch around the command (`"$@"`)."""
    q = _quote
    ip, mount, mkdir, prlimit, setpriv = (
        shlex.quote(tools[t]) for t in ("ip", "mount", "mkdir", "prlimit", "setpriv"))
    lines = ["set -eu"]
    if not network:
        lines.append(f"{ip} link set lo up")
    lines.append(f"{mount} -t tmpfs -o mode=0700,size=1m backforge-stage {q(_STAGE)}")
    for i, item in enumerate(mounts.binds):
        stage = q(_STAGE / str(i))
        lines += [f"{mkdir} {stage}", f"{mount} --bind {q(item.path)} {stage}"]
    for cover, shared in mounts.covers:
        options = f"mode=1777,size={_SHARED_SIZE}" if shared else "mode=0755,size=1m"
        lines.append(f"{mount} -t tmpfs -o {options},nosuid,nodev backforge-sandbox "
                     f"{q(cover)}")
    for i, item in enumerate(mounts.binds):
        lines += [f"{mkdir} -p {q(item.path)}",
                  f"{mount} --move {q(_STAGE / str(i))} {q(item.path)}"]
        if not item.writable:
            lines.append(f"{mount} -o remount,bind,ro {q(item.path)}")
    for path in mounts.read_only:
        lines += [f"{mount} --bind {q(path)} {q(path)}",
                  f"{mount} -o remount,bind,ro {q(path)}"]
    # Not exec'd: this shell waits and exits with the shell's 128 + signal when a limit
    # killed the command (unshare cannot pass a child's death by signal on reliably).
    cpu = f"{limits.cpu_seconds}:{limits.cpu_seconds + 5}"
    confined = (f"{prlimit} --cpu={cpu} --data={limits.memory_bytes} "
                f"--nproc={limits.processes} --fsize={limits.file_bytes} --core=0 -- "
                f"{setpriv} --reuid={uid} --regid={gid} --clear-groups --inh-caps=-all "
                f"--bounding-set=-all --no-new-privs --")
    lines += [f'status=0; {confined} "$@" || status=$?', "exit $status"]
    return "\n".join(lines)


def _tool_folders() -> list[Exposure]:
    """What the sandboxed commands execute: node and npm (where PATH finds them and where
    their links lead), Python and backforge itself, PostgreSQL's binaries."""
    folders: list[Path] = []
    for tool in ("node", "npm"):
        found = shutil.which(tool)
        if found is None:
            raise SandboxUnavailable(f"'{tool}' is not on the PATH")
        where = [Path(found).parent, Path(os.path.realpath(found)).parent]
        common = Path(os.path.commonpath(where))
        # Both folders when they share nothing but the root: never the whole file system.
        folders += where if common == Path("/") else [common]
    initdb = find_bin("initdb")
    if initdb is None:
        raise SandboxUnavailable("PostgreSQL's initdb is not on the PATH")
    folders.append(Path(os.path.realpath(initdb)).parent)
    folders += [Path(sys.prefix), Path(sys.base_prefix),
                Path(os.path.realpath(sys.executable)).parent,
                Path(backforge.__file__).resolve().parents[1]]
    return [Exposure(f) for f in folders]


# What npm needs from the server's environment to reach its registry (a proxy, a private
# CA, npm's own settings): passed to the install phase only, where npm alone runs.
_REGISTRY_VARS = ("NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR", "HTTPS_PROXY",
                  "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy")
_CA_VARS = ("NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR")


def _registry_environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items()
            if k in _REGISTRY_VARS or k.lower().startswith("npm_config_")}


def _ca_folders() -> list[Exposure]:
    """The folders of the CA files the install phase is told about, read-only."""
    found = [Path(os.environ[v]) for v in _CA_VARS if os.environ.get(v)]
    return [Exposure(p if p.is_dir() else p.parent) for p in found if p.exists()]


def _environment(work: Path, npm_cache: Path, *, offline: bool) -> dict[str, str]:
    """A fresh environment: none of the server's variables (provider keys, credentials),
    plus the registry settings when online."""
    path = [str(Path(shutil.which(t) or t).parent) for t in ("node", "npm")]
    path += [str(Path(find_bin("initdb") or "/usr/bin/initdb").parent),
             str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]
    env = {"PATH": os.pathsep.join(dict.fromkeys(path)), "HOME": str(work / "home"),
           "TMPDIR": str(work / "tmp"), "LANG": "C.UTF-8", "npm_config_cache": str(npm_cache),
           "npm_config_update_notifier": "false", "npm_config_fund": "false",
           "npm_config_audit": "false", "XDG_CACHE_HOME": str(work / "home" / ".cache")}
    if offline:
        env["npm_config_offline"] = "true"
    else:
        env = {**_registry_environment(), **env}
    return env


@dataclass(frozen=True)
class Workspace:
    """A job's scratch folder: root's (`scratch`: logs), holding the sandbox user's own
    (`work`: project/, home/, tmp/); removed with everything in it at the end."""

    scratch: Path
    work: Path
    tools: tuple[Exposure, ...]  # what the sandboxed commands execute, read-only

    def environment(self, npm_cache: Path, *, offline: bool) -> dict[str, str]:
        return _environment(self.work, npm_cache, offline=offline)


@contextmanager
def workspace(sandbox: Sandbox, project: Path | None = None) -> Iterator[Workspace]:
    """A scratch folder for one sandboxed run, holding a copy of `project` (without its
    node_modules) at work/project; SandboxUnavailable when the sandbox cannot run."""
    uid, gid = sandbox.identity()
    tools = tuple(_tool_folders())
    scratch = Path(tempfile.mkdtemp(prefix="backforge-sandbox-", dir=sandbox.tmp))
    try:
        scratch.chmod(0o755)
        if not _reachable(scratch, uid, gid):
            raise SandboxUnavailable(f"the scratch folder {scratch} is not reachable by "
                                     f"'{sandbox.user}' (choose the sandbox's temp folder)")
        work = scratch / "work"
        work.mkdir(mode=0o700)
        if project is not None:
            shutil.copytree(project, work / "project", symlinks=True,
                            ignore=shutil.ignore_patterns("node_modules"))
        for sub in ("home", "tmp"):
            (work / sub).mkdir()
        for root, dirs, files in os.walk(work):
            os.lchown(root, uid, gid)
            for name in dirs + files:
                os.lchown(os.path.join(root, name), uid, gid)
        yield Workspace(scratch, work, tools)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _install_args(project: Path) -> list[str]:
    verb = "ci" if (project / "package-lock.json").exists() else "install"
    return ["npm", verb, "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error",
            "--prefer-offline"]


def _failed(step: str, result: CommandResult, started: float) -> dict[str, Any]:
    detail = f"`{result.command}` exited with {result.returncode} in the sandbox"
    steps = (StepResult(step, StepStatus.FAILED, result.duration, detail, result.output[-4000:]),)
    return VerifyReport(False, time.monotonic() - started, steps).to_dict()


def verify_sandboxed(project: Path, sandbox: Sandbox, npm_cache: Path,
                     expose: Sequence[Exposure] = (),
                     cancel: threading.Event | None = None) -> dict[str, Any]:
    """`backforge verify` of a copy of `project`, confined; the report as a dict (the
    `verify` report's shape). Raises SandboxUnavailable before running anything when the
    sandbox cannot be set up. `npm_cache` is shared by jobs: written only by the install
    phase (npm's own code), read-only while generated code runs. `expose`: more host
    folders both phases see (the hostile tests' canary folders). `cancel` set kills the
    running phase."""
    started = time.monotonic()
    with workspace(sandbox, project) as ws:
        uid, gid = sandbox.identity()
        npm_cache.mkdir(parents=True, exist_ok=True)
        os.chown(npm_cache, uid, gid)
        root = ws.work / "project"
        install = sandbox.run(
            _install_args(root), cwd=root, network=True, timeout=sandbox.limits.install_seconds,
            env=ws.environment(npm_cache, offline=False), log=ws.scratch / "install.log",
            cancel=cancel,
            expose=[*ws.tools, *_ca_folders(), Exposure(npm_cache, writable=True),
                    Exposure(ws.work, writable=True), *expose])
        if not install.ok:
            return _failed("install", install, started)
        check = sandbox.run(
            [sys.executable, "-m", "backforge.service.sandbox", str(root)], cwd=root,
            network=False, timeout=sandbox.limits.verify_seconds,
            env=ws.environment(npm_cache, offline=True), log=ws.scratch / "verify.log",
            cancel=cancel,
            expose=[*ws.tools, Exposure(npm_cache), Exposure(ws.work, writable=True), *expose])
        return _report(check, ws.scratch / "verify.log", started)


_MARK = "backforge-sandbox-report "


_REPORT_TAIL = 16 << 20  # bytes of the verify log searched for the report line


def _report(result: CommandResult, log: Path, started: float) -> dict[str, Any]:
    """The report line the sandboxed verify printed last (read from root's own log file,
    which the sandbox writes only through its descriptor). It is what code inside the
    sandbox said: trusted to be data (parsed, never run), not to be honest."""
    for line in reversed(_tail(log, _REPORT_TAIL).splitlines()):
        if line.startswith(_MARK):
            try:
                report = json.loads(line[len(_MARK):])
            except ValueError:
                break
            if isinstance(report, dict) and isinstance(report.get("success"), bool):
                return {**report, "success": report["success"] and result.ok}
            break
    return _failed("verify", result, started)


def main(argv: Sequence[str]) -> int:
    """Inside the sandbox: verify the folder and print the report on one marked line."""
    report = api.verify(argv[0])
    sys.stdout.write(_MARK + json.dumps(report.to_dict()) + "\n")
    return 0 if report.success else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
