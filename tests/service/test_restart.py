"""A restart loses no job: killed mid-queue, the server resumes the queued jobs, marks the
running one interrupted with the reason, and event streams resume from Last-Event-ID."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from backforge.service import ServeConfig
from tests.service.conftest import (
    TASKMANAGER,
    add_key,
    free_port,
    read_sse,
    stored,
    wait_for,
)


def _serve(config: ServeConfig, port: int, log: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "backforge.cli", "serve", "--data", str(config.data_dir),
         "--port", str(port), "--workers", "1", "--max-active", "50", "--rate", "600",
         *(["--store", config.store] if config.store else [])],
        stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
    end = time.monotonic() + 60
    while time.monotonic() < end:
        assert proc.poll() is None, log.read_text()[-3000:]
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("backforge serve did not start: " + log.read_text()[-3000:])


def _kill(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(30)


def _statuses(config: ServeConfig) -> dict[str, str]:
    return dict(stored(config, "SELECT id, status FROM jobs"))


def _stored_events(config: ServeConfig, job_id: str) -> int:
    return stored(config, "SELECT count(*) FROM events WHERE job_id = ?", job_id)[0][0]


def _events(client: httpx.Client, job_id: str, last: str | None = None, stop_after=None):
    out = []
    headers = {"Last-Event-ID": last} if last else {}
    with client.stream("GET", f"/v1/jobs/{job_id}/events", headers=headers) as resp:
        for item in read_sse(resp):
            out.append(item)
            if len(out) == stop_after:
                break
    return out


def test_killed_mid_queue_the_restarted_server_loses_no_job(tmp_path, store_url):
    config, port = ServeConfig(data_dir=tmp_path / "data", store=store_url), free_port()
    key = add_key(config, "tool")
    log = tmp_path / "serve.log"
    headers = {"Authorization": f"Bearer {key}"}
    proc = _serve(config, port, log)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers,
                          timeout=60) as client:
            ids = [client.post("/v1/jobs", json={"spec": TASKMANAGER.read_text(),
                                                 "filename": "tm.yaml"}).json()["id"]
                   for _ in range(5)]
            first = _events(client, ids[0], stop_after=3)  # a client mid-stream
            # More is stored than the client saw, so the resumed stream has events to give.
            end = time.monotonic() + 30
            while _stored_events(config, ids[0]) <= len(first) and time.monotonic() < end:
                time.sleep(0.01)
            _kill(proc)  # SIGKILL: no shutdown code runs
    finally:
        if proc.poll() is None:
            _kill(proc)
    at_kill = _statuses(config)
    queued = [i for i in ids if at_kill[i] == "queued"]
    running = [i for i in ids if at_kill[i] == "running"]
    assert running or at_kill[ids[0]] == "succeeded", at_kill  # the streamed job had begun
    assert len(queued) >= 2, at_kill  # one worker, ~1 s per job: most were still waiting
    proc = _serve(config, port, log)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers,
                          timeout=60) as client:
            final = {i: wait_for(client, i, timeout=240) for i in ids}
            rest = _events(client, ids[0], last=first[-1][0])
            whole = _events(client, ids[0])
    finally:
        _kill(proc)
    for i in queued:
        assert final[i]["status"] == "succeeded", final[i]
        assert final[i]["result"]["report"]["success"] is True
    for i in running:
        assert final[i]["status"] == "interrupted"
        assert "server stopped while the job ran" in final[i]["reason"]
    assert len(ids) == len(set(ids)) == len(final)
    # The stream picks up after the last id the client saw, across the restart.
    assert first + rest == whole and rest[-1][1] == "end"
    assert rest[0][0] == str(int(first[-1][0]) + 1)


def test_cancel_a_queued_job_and_shutdown_keeps_the_queue(serve):
    server = serve(workers=1)
    key = add_key(server.config, "tool")
    text = TASKMANAGER.read_text()
    with server.client(key) as client:
        ids = [client.post("/v1/jobs", json={"spec": text, "filename": "tm.yaml"}).json()["id"]
               for _ in range(4)]
        cancelled = client.post(f"/v1/jobs/{ids[-1]}/cancel")
        assert cancelled.status_code == 202, cancelled.text
        assert cancelled.json()["status"] == "cancelled"
        assert "before it started" in cancelled.json()["reason"]
        assert client.post(f"/v1/jobs/{ids[-1]}/cancel").status_code == 409
    server.stop()  # a clean shutdown while jobs wait: they stay queued
    statuses = _statuses(server.config)
    assert statuses[ids[-1]] == "cancelled"
    waiting = [i for i in ids[:-1] if statuses[i] == "queued"]
    assert waiting, statuses
    again = serve(workers=1)
    with again.client(key) as client:
        for i in waiting:
            assert wait_for(client, i)["status"] == "succeeded"
        events = _events(client, ids[-1])
    assert [kind for _, kind, _ in events] == ["end"]  # a job cancelled before it ran
