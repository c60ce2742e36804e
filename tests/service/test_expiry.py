"""Ended jobs expire: 410 once past the retention, then the sweeper deletes the row, the
events and the files (404 afterwards, as for a job that never existed)."""

from __future__ import annotations

import time

from backforge.service import ServeConfig
from backforge.service.store import JobStatus, open_store
from tests.service.conftest import TASKMANAGER, add_key, stored, wait_for

SECOND = 1 / 86400  # retention_days is in days
ROUTES = ("", "/events", "/archive", "/files", "/files/src/app.js")


def _submit(client) -> str:
    resp = client.post("/v1/jobs", json={"spec": TASKMANAGER.read_text(),
                                         "filename": "taskmanager.yaml"})
    assert resp.status_code == 201, resp.text
    return resp.json()["id"]


def _rows(config, job_id: str) -> tuple[int, int]:
    (jobs,), = stored(config, "SELECT count(*) FROM jobs WHERE id = ?", job_id)
    (events,), = stored(config, "SELECT count(*) FROM events WHERE job_id = ?", job_id)
    return jobs, events


def _until(check, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.1)


def test_an_expired_job_answers_410_until_swept_then_404_and_nothing_is_left(serve):
    # Retention 2 s, no periodic sweep: the job is seen expired before anything deletes it.
    server = serve(retention_days=2 * SECOND, sweep_interval=3600)
    key = add_key(server.config, "tool")
    with server.client(key) as client:
        job_id = _submit(client)
        _until(lambda: client.get(f"/v1/jobs/{job_id}").status_code == 410, 120)
        for route in ROUTES:
            resp = client.get(f"/v1/jobs/{job_id}{route}")
            assert resp.status_code == 410 and "expired" in resp.json()["detail"], route
        base = client.post("/v1/jobs", json={"spec": TASKMANAGER.read_text(),
                                             "filename": "t.yaml", "base_job": job_id})
        assert base.status_code == 410 and "base_job" in base.json()["detail"]
        assert _rows(server.config, job_id)[1] > 0
        assert (server.config.jobs_dir / job_id / "output" / "src" / "app.js").is_file()
        service = server.server.config.app.state.service
        swept = service.sweep()
        assert job_id in swept
        for route in ROUTES:
            assert client.get(f"/v1/jobs/{job_id}{route}").status_code == 404, route
        assert job_id not in [j["id"] for j in client.get("/v1/jobs").json()["jobs"]]
    assert _rows(server.config, job_id) == (0, 0)
    assert not (server.config.jobs_dir / job_id).exists()


def test_the_sweeper_runs_by_itself_and_retention_0_keeps_jobs(serve):
    keep = serve(retention_days=7)
    key = add_key(keep.config, "tool")
    with keep.client(key) as client:
        job_id = _submit(client)
        assert wait_for(client, job_id)["status"] == "succeeded"
    keep.stop()
    forever = serve(retention_days=0, sweep_interval=0.2)
    time.sleep(1)  # several sweeps
    with forever.client(key) as client:
        assert client.get(f"/v1/jobs/{job_id}").status_code == 200
    forever.stop()
    short = serve(retention_days=SECOND / 10, sweep_interval=0.2)
    with short.client(key) as client:
        _until(lambda: client.get(f"/v1/jobs/{job_id}").status_code == 404)
    assert _rows(short.config, job_id) == (0, 0)
    assert not (short.config.jobs_dir / job_id).exists()


def test_only_ended_jobs_expire_and_deleting_one_leaves_the_others(tmp_path, store_url):
    store = open_store(ServeConfig(data_dir=tmp_path, store=store_url))
    try:
        key = store.add_key("k", "bfk_x")
        for job_id in ("queued", "running", "ended", "kept"):
            store.add_job(job_id, key.id, "s.yaml", None, {}, None)
            store.add_event(job_id, "{}")
        store.claim("running")
        for job_id in ("ended", "kept"):
            store.claim(job_id)
            store.finish(job_id, JobStatus.SUCCEEDED, None, {})
        # Everything is older than "an hour from now": only ended jobs qualify.
        assert store.expired(time.time() + 3600) == ["ended", "kept"]
        assert store.expired(time.time() - 3600) == []
        store.delete_job("ended")
        assert store.job("ended") is None and store.events_after("ended", 0) == []
        assert [store.job(j).status for j in ("queued", "running", "kept")] == [
            JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.SUCCEEDED]
        assert store.events_after("kept", 0) != []
    finally:
        store.close()
