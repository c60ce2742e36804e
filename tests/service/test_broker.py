"""Scale-out over a real Redis (redis-server) and real Celery workers (`backforge worker`):
jobs enqueued by the API run on the workers; a worker killed mid-job has its job delivered
again and run once more, to completion exactly once."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from backforge.service import ServeConfig
from tests.service.conftest import (
    TASKMANAGER,
    add_key,
    free_port,
    read_sse,
    stored,
    wait_for,
)


@pytest.fixture
def redis_url(tmp_path):
    binary = shutil.which("redis-server")
    assert binary, "redis-server is missing: apt-get install redis-server (.ci/run)"
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    end = time.monotonic() + 30
    while True:
        done = subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True,
                              text=True, check=False)
        if done.stdout.strip() == "PONG":
            break
        assert time.monotonic() < end and proc.poll() is None, "redis-server did not start"
        time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(30)


class Workers:
    def __init__(self, data: Path, broker: str, log: Path, store: str | None = None) -> None:
        self.data, self.broker, self.log, self.store, self.procs = data, broker, log, store, []

    def start(self) -> subprocess.Popen:
        proc = subprocess.Popen(
            [sys.executable, "-m", "backforge.cli", "worker", "--data", str(self.data),
             "--broker", self.broker, "--concurrency", "1", "--visibility-timeout", "4",
             *(["--store", self.store] if self.store else [])],
            stdout=self.log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen) -> None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    self.kill(proc)


@pytest.fixture
def workers(tmp_path, redis_url, store_url):
    pool = Workers(tmp_path / "data", redis_url, tmp_path / "workers.log", store_url)
    yield pool
    pool.stop_all()


def _stored_events(config: ServeConfig, job_id: str) -> int:
    return stored(config, "SELECT count(*) FROM events WHERE job_id = ?", job_id)[0][0]


def _events(client: httpx.Client, job_id: str) -> list[dict]:
    with client.stream("GET", f"/v1/jobs/{job_id}/events") as resp:
        return [json.loads(d) for _, kind, d in read_sse(resp) if kind == "message"]


@pytest.mark.slow  # Redis and Celery worker processes: ~10 s each on a busy machine
def test_jobs_run_on_two_celery_workers(serve, workers, redis_url):
    server = serve(broker=redis_url, visibility_timeout=4, max_active_jobs=10)
    key = add_key(server.config, "tool")
    workers.start(), workers.start()
    with server.client(key) as client:
        ids = [client.post("/v1/jobs", json={"spec": TASKMANAGER.read_text(),
                                             "filename": "tm.yaml"}).json()["id"]
               for _ in range(6)]
        final = [wait_for(client, i, timeout=300) for i in ids]
        streams = [_events(client, i) for i in ids]
    assert [j["status"] for j in final] == ["succeeded"] * 6, workers.log.read_text()[-3000:]
    assert [j["attempts"] for j in final] == [1] * 6
    for events in streams:
        assert [e["event"] for e in events].count("run_finished") == 1
        validated = [e["unit"] for e in events if e["event"] == "unit_validated"]
        assert len(validated) == len(set(validated)) == events[0]["data"]["units"]


@pytest.mark.slow
def test_a_killed_worker_s_job_is_retried_once_and_completes_once(serve, workers,
                                                                   redis_url):
    server = serve(broker=redis_url, visibility_timeout=4)
    key = add_key(server.config, "tool")
    first = workers.start()
    with server.client(key) as client:
        job_id = client.post("/v1/jobs", json={"spec": TASKMANAGER.read_text(),
                                               "filename": "tm.yaml",
                                               "options": {"concurrency": 1}}).json()["id"]
        end = time.monotonic() + 120
        # Running, and its first events stored: the kill lands inside the engine's run.
        while not _stored_events(server.config, job_id):
            assert time.monotonic() < end, workers.log.read_text()[-3000:]
            time.sleep(0.02)
        workers.kill(first)  # SIGKILL mid-job: nothing acknowledges the message
        killed_at = client.get(f"/v1/jobs/{job_id}").json()
        workers.start()
        final = wait_for(client, job_id, timeout=300)
        events = _events(client, job_id)
    assert killed_at["status"] == "running" and killed_at["attempts"] == 1
    assert final["status"] == "succeeded", (final, workers.log.read_text()[-3000:])
    assert final["attempts"] == 2
    kinds = [e["event"] for e in events]
    assert kinds.count("run_finished") == 1 and kinds[-1] == "run_finished"
    assert kinds.count("run_started") == 2  # the lost attempt's events stay in the stream


@pytest.mark.slow
def test_cancel_reaches_a_job_running_on_a_worker(serve, workers, redis_url):
    """The API and the worker are different processes: the request goes through the store,
    and the run stops the deadline's way, keeping what validated."""
    server = serve(broker=redis_url, visibility_timeout=4)
    key = add_key(server.config, "tool")
    workers.start()
    with server.client(key) as client:
        job_id = client.post("/v1/jobs", json={"spec": TASKMANAGER.read_text(),
                                               "filename": "tm.yaml",
                                               "options": {"concurrency": 1}}).json()["id"]
        end = time.monotonic() + 120
        while not _stored_events(server.config, job_id):
            assert time.monotonic() < end, workers.log.read_text()[-3000:]
            time.sleep(0.02)
        assert client.post(f"/v1/jobs/{job_id}/cancel").status_code == 202
        final = wait_for(client, job_id, timeout=120)
        events = _events(client, job_id)
        files = client.get(f"/v1/jobs/{job_id}/files").json()["files"]
    assert final["status"] == "cancelled", final
    assert final["result"]["report"]["stopped_by"] == "cancelled"
    assert events[-1]["event"] == "run_finished"
    assert events[-1]["data"]["stopped_by"] == "cancelled"
    validated = {e["unit"] for e in events if e["event"] == "unit_validated"}
    assert validated and any(e["event"] == "unit_cancelled" for e in events)
    written = {e["data"]["path"] for e in events if e["event"] == "file_written"}
    assert written and written <= set(files)  # what validated was kept
