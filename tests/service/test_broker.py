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


def _stored_events(config: ServeConfig, job_id: str, like: str = "%") -> int:
    return stored(config, "SELECT count(*) FROM events WHERE job_id = ? AND data LIKE ?",
                  job_id, like)[0][0]


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
        # A unit has validated (on a busy machine the first can take longer than the
        # cancel's poll), so there is something to keep.
        while not _stored_events(server.config, job_id, '%"unit_validated"%'):
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


def _count_reads(server) -> list[str]:
    """The job ids of every store read of events by this API instance's streams."""
    store = server.server.config.app.state.service.store
    reads: list[str] = []
    original = store.events_after

    def counting(job_id: str, after: int, limit: int = 500) -> list[tuple[int, str]]:
        reads.append(job_id)
        return original(job_id, after, limit)

    store.events_after = counting
    return reads


@pytest.mark.slow
def test_events_reach_another_api_instance_live_through_redis(serve, workers, redis_url):
    """A enqueues, a worker runs, a client of B follows: the events come to B through
    Redis, not from polling the store (B's fallback read is set to 5 minutes)."""
    quiet = {"broker": redis_url, "visibility_timeout": 4, "live_poll": 300,
             "keepalive": 300}
    a, b = serve(**quiet), serve(**quiet)
    key = add_key(a.config, "tool")
    reads = _count_reads(b)
    with a.client(key) as client_a, b.client(key) as client_b:
        job_id = client_a.post("/v1/jobs", json={"spec": TASKMANAGER.read_text(),
                                                 "filename": "tm.yaml"}).json()["id"]
        with client_b.stream("GET", f"/v1/jobs/{job_id}/events") as resp:
            end = time.monotonic() + 60
            while job_id not in reads:  # B's stream has read the (empty) backlog
                assert time.monotonic() < end
                time.sleep(0.02)
            workers.start()  # only now does anything run
            stream = list(read_sse(resp))
        final = wait_for(client_a, job_id, timeout=300)
    assert final["status"] == "succeeded", workers.log.read_text()[-3000:]
    *messages, last = stream
    assert last[1] == "end" and json.loads(last[2])["status"] == "succeeded"
    assert [int(i) for i, _, _ in messages] == list(range(1, len(messages) + 1))
    events = [json.loads(d) for _, _, d in messages]
    assert events[0]["event"] == "run_started" and events[-1]["event"] == "run_finished"
    assert len(events) > 20
    # The empty backlog, then after Redis' end message one read and the re-read before
    # `end`: every event itself came through Redis.
    assert reads.count(job_id) == 3, reads


@pytest.mark.slow
def test_a_stream_resumes_on_another_instance_after_its_instance_stops(serve, workers,
                                                                        redis_url):
    """Last-Event-ID across API instances and a restart: what B's client missed while
    disconnected comes from the store through A, with no event lost or repeated."""
    a, b = serve(broker=redis_url, visibility_timeout=4), serve(broker=redis_url,
                                                                visibility_timeout=4)
    key = add_key(a.config, "tool")
    workers.start()
    with a.client(key) as client_a, b.client(key) as client_b:
        job_id = client_a.post("/v1/jobs", json={"spec": TASKMANAGER.read_text(),
                                                 "filename": "tm.yaml",
                                                 "options": {"concurrency": 1}}).json()["id"]
        first = []
        with client_b.stream("GET", f"/v1/jobs/{job_id}/events") as resp:
            for item in read_sse(resp):
                first.append(item)
                if len(first) == 5:
                    break
        b.stop()  # B goes away while the job runs on
        headers = {"Last-Event-ID": first[-1][0]}
        with client_a.stream("GET", f"/v1/jobs/{job_id}/events", headers=headers) as resp:
            rest = list(read_sse(resp))
        assert wait_for(client_a, job_id, timeout=300)["status"] == "succeeded"
    ids = [int(i) for i, _, _ in first + rest[:-1]]
    assert ids == list(range(1, len(ids) + 1)) and len(ids) > 20
    assert rest[-1][1] == "end" and json.loads(rest[-1][2])["status"] == "succeeded"
    assert json.loads(rest[-2][2])["event"] == "run_finished"
