"""The verify sandbox holds: real namespaces, a real unprivileged user, real limits.

Each test runs a small Python program through `Sandbox.run` exactly as verify's phases
run (same mounts, same user switch, same limits) and looks at what it could and could not
do; where a refusal is the point, the same program with the permission granted shows
the check can tell the difference. Needs root, like the sandbox itself (CI runs as root).
"""

from __future__ import annotations

import errno
import json
import os
import pwd
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from pathlib import Path

import pytest

from backforge import api
from backforge.cli import main as cli_main
from backforge.service import sandbox as sandbox_module
from backforge.service.sandbox import (
    SANDBOX_USER,
    Exposure,
    Limits,
    Sandbox,
    SandboxUnavailable,
    verify_sandboxed,
    workspace,
)
from backforge.verify.process import CommandResult
from tests.service.conftest import TASKMANAGER, add_key, wait_for

HOSTILE = Path(__file__).resolve().parents[1] / "hostile"


@pytest.fixture(scope="session")
def sandbox_user() -> str:
    if os.geteuid() != 0:
        pytest.skip("the verify sandbox needs root (it switches users and creates namespaces)")
    try:
        pwd.getpwnam(SANDBOX_USER)
    except KeyError:  # what an operator does once (docs/guides/serve.md); CI does it too
        subprocess.run(["useradd", "--system", "--user-group", "--no-create-home",
                        "--shell", "/usr/sbin/nologin", SANDBOX_USER], check=True)
    return SANDBOX_USER


def _run(code: str, *, network: bool = False, limits: Limits | None = None,
         timeout: float = 60, extra: tuple[Exposure, ...] = (),
         cancel: threading.Event | None = None) -> tuple[CommandResult, Path]:
    """Run Python `code` in the sandbox; (result, the work folder it could write, which is
    gone after the run: its listing is taken inside `code` when a test needs it)."""
    sandbox = Sandbox(limits=limits or Limits(cpu_seconds=60, install_seconds=60,
                                              verify_seconds=60))
    with workspace(sandbox) as ws:
        result = sandbox.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ws.work,
                             env=ws.environment(ws.work / "home" / ".npm", offline=not network),
                             network=network, timeout=timeout, log=ws.scratch / "run.log",
                             cancel=cancel,
                             expose=[*ws.tools, *extra, Exposure(ws.work, writable=True)])
        return result, ws.work


def _json(result: CommandResult) -> dict:
    assert result.ok, result.output
    return json.loads(result.output.strip().splitlines()[-1])


def test_public_surface():
    assert sandbox_module.__all__ == ["SANDBOX_USER", "Exposure", "Limits", "Sandbox",
                                      "SandboxUnavailable", "Workspace", "verify_sandboxed",
                                      "workspace"]


def test_exposed_folders_nest_into_one_mount_and_never_hide_a_writable_one():
    tools, work = Path("/opt/tools"), Path("/opt/tools/lib")
    assert sandbox_module._outermost([Exposure(work), Exposure(tools)]) == [Exposure(tools)]
    with pytest.raises(SandboxUnavailable, match="must be writable"):
        sandbox_module._outermost([Exposure(tools), Exposure(work, writable=True)])


def test_runs_as_the_unprivileged_user_without_capabilities(sandbox_user):
    got = _json(_run("""
        import json, os
        status = dict(line.split(":", 1) for line in open("/proc/self/status"))
        print(json.dumps({"uid": os.getuid(), "euid": os.geteuid(), "gid": os.getgid(),
                          "groups": os.getgroups(), "cap": status["CapEff"].strip(),
                          "nnp": status["NoNewPrivs"].strip(),
                          "pids": [p for p in os.listdir("/proc") if p.isdigit()],
                          "home": os.environ["HOME"], "keys": sorted(os.environ)}))
    """)[0])
    user = pwd.getpwnam(sandbox_user)
    assert (got["uid"], got["euid"], got["gid"]) == (user.pw_uid, user.pw_uid, user.pw_gid)
    assert got["groups"] == [] and got["cap"] == "0000000000000000" and got["nnp"] == "1"
    # Its own PID namespace: the namespace's shell and this program, no host process.
    assert len(got["pids"]) <= 3 and "1" in got["pids"]
    # A fresh environment: none of the server's variables (provider keys would be here).
    assert not [k for k in got["keys"] if "KEY" in k or "TOKEN" in k or "PROXY" in k.upper()]


NET_PROBE = """
    import json, socket
    def connect(host, port):
        try:
            socket.create_connection((host, port), timeout=3).close()
            return "connected"
        except OSError as exc:
            return type(exc).__name__ + " " + str(exc.errno)
    def resolve(name):
        try:
            socket.getaddrinfo(name, 443)
            return "resolved"
        except OSError as exc:
            return type(exc).__name__
    inner = socket.socket(); inner.bind(("127.0.0.1", 0)); inner.listen()
    print(json.dumps({"host": connect("127.0.0.1", PORT),
                      "inner": connect("127.0.0.1", inner.getsockname()[1]),
                      "outside": connect("192.0.2.1", 443),
                      "dns": resolve("registry.npmjs.org"),
                      "links": [name for _, name in socket.if_nameindex()]}))
"""


def test_no_network_but_its_own_loopback(sandbox_user):
    with socket.socket() as host:  # a service of the host, on the host's loopback
        host.bind(("127.0.0.1", 0))
        host.listen()
        probe = NET_PROBE.replace("PORT", str(host.getsockname()[1]))
        confined = _json(_run(probe)[0])
        online = _json(_run(probe, network=True)[0])  # the install phase's view
    assert confined["links"] == ["lo"]
    assert confined["host"] == f"ConnectionRefusedError {errno.ECONNREFUSED}"
    assert confined["outside"] == f"OSError {errno.ENETUNREACH}"
    assert confined["dns"] == "gaierror"
    assert confined["inner"] == "connected"  # the ephemeral PostgreSQL lives here
    # The same probe with the host's network reaches the host's port: the refusal above
    # is the namespace, not the probe.
    assert online["host"] == "connected" and online["links"] != ["lo"]


def test_no_host_unix_socket_without_network(sandbox_user):
    """Unix sockets on the file system cross network namespaces: the host's daemons
    listen in /run (PostgreSQL, D-Bus), which the offline phase does not see."""
    path = Path("/run") / f"backforge-sandbox-test-{uuid.uuid4().hex}.sock"
    probe = f"""
        import socket
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect({str(path)!r})
            print("connected")
        except OSError as exc:
            print(type(exc).__name__)
    """
    with socket.socket(socket.AF_UNIX) as host:
        host.bind(str(path))
        try:
            path.chmod(0o777)
            host.listen()
            confined = _run(probe)[0]
            online = _run(probe, network=True)[0]
        finally:
            path.unlink()
    assert confined.ok and confined.output.strip() == "FileNotFoundError", confined.output
    assert online.ok and online.output.strip() == "connected", online.output


def test_cannot_write_outside_its_folder(sandbox_user, tmp_path):
    store = tmp_path / "data" / "jobs.sqlite"  # where the server's job store lives
    store.parent.mkdir()
    store.write_text("the job store")
    cache = tmp_path / "npm-cache"  # the sandbox user's own, mounted read-only
    cache.mkdir()
    user = pwd.getpwnam(sandbox_user)
    os.chown(cache, user.pw_uid, user.pw_gid)
    marker = f"backforge-sandbox-test-{uuid.uuid4().hex}"
    got = _json(_run(f"""
        import json, os
        def write(path):
            try:
                with open(path, "w") as f:
                    f.write("x")
                return "written"
            except OSError as exc:
                return exc.errno
        def read(path):
            try:
                return open(path).read()
            except OSError as exc:
                return exc.errno
        work = os.getcwd()
        print(json.dumps({{
            "store": write({str(store)!r}), "store_read": read({str(store)!r}),
            "etc": write("/etc/backforge-sandbox"), "root": write("/root/x"),
            "root_list": sorted(os.listdir("/root")),
            "cache": write({str(cache / "x")!r}),
            "tmp": write("/tmp/{marker}"), "shm": write("/dev/shm/{marker}"),
            "work": write(os.path.join(work, "ok")),
        }}))
    """, extra=(Exposure(cache),))[0])
    assert got["store"] in (errno.EACCES, errno.ENOENT) and got["store_read"] in (
        errno.EACCES, errno.ENOENT)
    assert got["etc"] == errno.EACCES and got["root"] in (errno.EACCES, errno.ENOENT)
    # /root is an empty tmpfs but for the folders holding the tools (Python, node).
    assert ".bashrc" not in got["root_list"] and ".ssh" not in got["root_list"]
    assert got["cache"] == errno.EROFS  # its own folder, yet read-only: the mount holds
    assert got["tmp"] == got["shm"] == "written"  # private: the host never sees them
    assert not Path("/tmp", marker).exists() and not Path("/dev/shm", marker).exists()
    assert got["work"] == "written"
    assert store.read_text() == "the job store" and not list(cache.iterdir())


def test_cpu_limit_kills_a_busy_loop(sandbox_user):
    started = time.monotonic()
    result, _ = _run("while True: pass", limits=Limits(cpu_seconds=1), timeout=120)
    assert result.returncode == 128 + signal.SIGXCPU, result
    assert "killed by SIGXCPU (the CPU limit)" in result.output
    assert time.monotonic() - started < 60  # the CPU limit, not the wall time


def test_memory_limit_refuses_a_large_allocation(sandbox_user):
    limits = Limits(memory_bytes=256 << 20)
    small, _ = _run("b = bytearray(64 << 20); print('ok')", limits=limits)
    big, _ = _run("b = bytearray(1 << 30); print('ok')", limits=limits)
    assert small.ok and small.output.strip().endswith("ok")
    assert not big.ok and "MemoryError" in big.output


def _alive_with(marker: str) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and marker.encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:
            pass
    return found


def test_wall_time_kills_every_process_even_detached_ones(sandbox_user):
    marker = f"backforge-sandbox-{uuid.uuid4().hex}"
    # A grandchild in its own session, as pg_ctl leaves PostgreSQL: no process group kill
    # reaches it; the PID namespace's end does.
    code = f"""
        import subprocess, sys, time
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "{marker}"],
                         start_new_session=True)
        time.sleep(600)
    """
    started = time.monotonic()
    result, _ = _run(code, timeout=3)
    assert result.returncode == -signal.SIGKILL and "wall-time limit of 3 s" in result.output
    assert time.monotonic() - started < 30
    end = time.monotonic() + 10
    while _alive_with(marker) and time.monotonic() < end:
        time.sleep(0.1)
    assert _alive_with(marker) == []


def test_cancel_kills_the_namespace(sandbox_user):
    cancel = threading.Event()
    threading.Timer(1.0, cancel.set).start()
    started = time.monotonic()
    result, _ = _run("import time; time.sleep(600)", timeout=120, cancel=cancel)
    assert result.returncode == -signal.SIGKILL and "killed after cancel" in result.output
    assert time.monotonic() - started < 30


def test_fails_closed_without_its_user(sandbox_user, tmp_path):
    with pytest.raises(SandboxUnavailable, match="useradd --system"):
        verify_sandboxed(tmp_path, Sandbox(user="backforge-no-such-user"), tmp_path / "c")


def test_a_verify_job_fails_closed_with_the_reason(serve, sandbox_user):
    server = serve(allow_verify=True, sandbox_user="backforge-no-such-user")
    key = add_key(server.config, "tool")
    with server.client(key) as client:
        job = client.post("/v1/jobs", json={"spec": TASKMANAGER.read_text(),
                                            "filename": "taskmanager.yaml",
                                            "options": {"verify": True}})
        assert job.status_code == 201, job.text
        done = wait_for(client, job.json()["id"])
        events = client.get(f"/v1/jobs/{job.json()['id']}/events").text
    assert done["status"] == "failed"
    assert done["reason"].startswith("verify sandbox unavailable: no user "
                                     "'backforge-no-such-user'")
    assert "never runs outside the sandbox" in done["reason"]
    assert "verify" not in done["result"] and "verify_finished" not in events


@pytest.mark.slow
def test_verify_through_the_service_runs_confined_and_reports(serve, sandbox_user):
    server = serve(allow_verify=True)
    key = add_key(server.config, "tool")
    with server.client(key) as client:
        assert client.get("/v1/stacks").json()["verify"] is True
        job = client.post("/v1/jobs", json={"spec": TASKMANAGER.read_text(),
                                            "filename": "taskmanager.yaml",
                                            "options": {"verify": True}})
        assert job.status_code == 201, job.text
        done = wait_for(client, job.json()["id"], timeout=900)
        events = [json.loads(line.removeprefix("data: ")) for line in
                  client.get(f"/v1/jobs/{job.json()['id']}/events").text.splitlines()
                  if line.startswith("data: {")]
    assert done["status"] == "succeeded", (done["reason"], done["result"].get("verify"))
    report = done["result"]["verify"]
    steps = {s["name"]: s["status"] for s in report["steps"]}
    assert steps == dict.fromkeys(["install", "lint", "database", "migrate", "migrate-down-up",
                                   "seed", "boot", "contract", "shutdown", "tests"], "passed")
    assert report["success"] and report["tests"]["failed"] == 0 and report["tests"]["passed"] > 0
    assert report["checks"]["total"] > 100 and report["checks"]["failed"] == 0
    assert report["checks"]["server_errors"] == 0 and report["failures"] == []
    engine = [e for e in events if "event" in e]  # the stream ends with its `end` status
    assert engine[-1]["event"] == "verify_finished" and engine[-1]["success"] is True
    # The job's own output is untouched: verify ran on the sandbox's copy.
    output = server.config.jobs_dir / job.json()["id"] / "output"
    assert not (output / "node_modules").exists()
    assert not any(p.owner() == sandbox_user for p in output.rglob("*"))


@pytest.mark.slow
def test_a_hostile_spec_verified_in_the_sandbox_stays_inert(sandbox_user, tmp_path):
    """The payloads of a hostile case try to write to the canary folder when the
    generated code runs; the canary is exposed writable inside the sandbox, so only
    inert output keeps it empty (the sandbox is not what stops them here)."""
    case = HOSTILE / "inert" / "native-endpoint-summary-js-block.yaml"
    canary = tmp_path / "canary"
    canary.mkdir()
    user = pwd.getpwnam(sandbox_user)
    os.chown(canary, user.pw_uid, user.pw_gid)
    spec = tmp_path / case.name
    spec.write_text(case.read_text().replace("@CANARY@", str(canary)))
    result = api.generate(spec, output=tmp_path / "out")
    assert result.success
    sandbox = Sandbox()
    report = verify_sandboxed(tmp_path / "out", sandbox, tmp_path / "npm-cache",
                              expose=(Exposure(canary, writable=True),))
    steps = {s["name"]: s["status"] for s in report["steps"]}
    assert report["success"], [s for s in report["steps"] if s["status"] != "passed"]
    assert steps["contract"] == steps["tests"] == "passed"
    assert list(canary.iterdir()) == []


PROBE = """
const fs = require('fs'), net = require('net');
const event = process.env.npm_lifecycle_event;
const mark = (how) => { fs.writeFileSync(CANARY + '/' + event + '-' + how, ''); process.exit(0); };
const s = net.connect(PORT, '127.0.0.1');
s.on('connect', () => mark('online'));
s.on('error', () => mark('offline'));
"""


def test_no_script_of_the_project_runs_with_network_or_as_root(sandbox_user, tmp_path):
    """A project whose every install lifecycle script reports whether it reached the
    host's network; a script that ran while installing would leave `<event>-online`."""
    canary, project = tmp_path / "canary", tmp_path / "project"
    canary.mkdir()
    project.mkdir()
    user = pwd.getpwnam(sandbox_user)
    os.chown(canary, user.pw_uid, user.pw_gid)
    events = ("preinstall", "install", "postinstall", "prepare")
    package = {"name": "hostile", "version": "1.0.0",
               "scripts": dict.fromkeys(events, "node probe.js")}
    lock = {"name": "hostile", "version": "1.0.0", "lockfileVersion": 3, "requires": True,
            "packages": {"": {"name": "hostile", "version": "1.0.0"}}}
    (project / "package.json").write_text(json.dumps(package))
    (project / "package-lock.json").write_text(json.dumps(lock))
    with socket.socket() as host:
        host.bind(("127.0.0.1", 0))
        host.listen()
        (project / "probe.js").write_text(PROBE.replace("CANARY", json.dumps(str(canary)))
                                          .replace("PORT", str(host.getsockname()[1])))
        sandbox = Sandbox()
        with workspace(sandbox, project) as ws:  # the probe works when it does run
            ran = sandbox.run(["npm", "run", "--silent", "preinstall"],
                              cwd=ws.work / "project", network=True, timeout=120,
                              env=ws.environment(ws.work / "home" / ".npm", offline=False),
                              log=ws.scratch / "run.log",
                              expose=[*ws.tools, Exposure(canary, writable=True),
                                      Exposure(ws.work, writable=True)])
        assert ran.ok and [p.name for p in canary.iterdir()] == ["preinstall-online"], ran
        (canary / "preinstall-online").unlink()
        report = verify_sandboxed(project, sandbox, tmp_path / "npm-cache",
                                  expose=(Exposure(canary, writable=True),))
    assert not report["success"]  # not a backforge project: verify itself fails
    marks = sorted(p.name for p in canary.iterdir())
    assert not [m for m in marks if m.endswith("-online")], marks
    assert all(p.owner() == sandbox_user for p in canary.iterdir())


def test_serve_refuses_allow_verify_without_a_working_sandbox(tmp_path, capsys):
    code = cli_main(["serve", "--allow-verify", "--sandbox-user", "backforge-no-such-user",
                     "--data", str(tmp_path / "data"), "--port", "0"])
    err = capsys.readouterr().err
    assert code == 2 and "serve --allow-verify: verify sandbox unavailable" in err
    assert not (tmp_path / "data" / "jobs.sqlite").exists()  # it stopped before serving
