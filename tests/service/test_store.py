"""The job store's contract, on each engine (the SQLite file; a real PostgreSQL, slow):
keys stored hashed and unique, claims and attempts, cancels, events numbered 1, 2, 3...
even with writers racing, the run lock freed by its holder's death, and a schema created
idempotently by instances starting together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from backforge.errors import InputError
from backforge.service import ServeConfig, create_key, open_store
from backforge.service.store import JobStatus, hash_key


@pytest.fixture
def config(tmp_path: Path, store_url: str | None) -> ServeConfig:
    return ServeConfig(data_dir=tmp_path / "data", store=store_url)


@pytest.fixture
def store(config):
    opened = open_store(config)
    yield opened
    opened.close()


def _job(store, key_id: str, job_id: str = "j1") -> str:
    store.add_job(job_id, key_id, "spec.yaml", None, {"stack": "express-js"}, None)
    return job_id


def test_keys_are_hashed_unique_and_found_by_their_value(store):
    key = create_key(store, "tool")
    found = store.key_for(key)
    assert found is not None and found.name == "tool"
    assert store.key_for(key + "x") is None
    assert store._query("SELECT hash FROM api_keys") == [(hash_key(key),)]
    with pytest.raises(InputError, match="exists already"):
        create_key(store, "tool")
    assert store.key_count() == 1  # the failed insert left nothing behind


def test_a_job_is_claimed_once_and_rerun_at_most_max_attempts(store):
    key = create_key(store, "tool")
    key_id = store.key_for(key).id
    job_id = _job(store, key_id)
    assert store.active_count(key_id) == 1
    job = store.job(job_id, key_id)
    assert job.status is JobStatus.QUEUED and job.options == {"stack": "express-js"}
    assert store.job(job_id, "another-key") is None
    assert store.claim(job_id) and not store.claim(job_id)
    assert store.attempts(job_id) == 1
    assert store.claim(job_id, rerun=True, max_attempts=2)  # its worker died: once more
    assert not store.claim(job_id, rerun=True, max_attempts=2)
    assert store.attempts(job_id) == 2
    store.finish(job_id, JobStatus.SUCCEEDED, None, {"files": 3})
    done = store.job(job_id)
    assert done.status is JobStatus.SUCCEEDED and done.result == {"files": 3}
    assert done.finished >= done.started >= done.created
    assert not store.claim(job_id, rerun=True, max_attempts=5)  # ended stays ended
    assert store.active_count(key_id) == 0 and store.counts() == {"succeeded": 1}
    assert [j.id for j in store.jobs_of(key_id)] == [job_id]


def test_cancels_and_interrupts(store):
    key_id = store.key_for(create_key(store, "tool")).id
    queued, running = _job(store, key_id, "q"), _job(store, key_id, "r")
    assert store.queued() == ["q", "r"]
    assert not store.request_cancel(queued)  # not running: nothing to ask
    assert store.cancel_queued(queued) and not store.cancel_queued(queued)
    assert store.job(queued).status is JobStatus.CANCELLED
    assert store.claim(running) and not store.cancel_queued(running)
    assert not store.cancel_requested(running)
    assert store.request_cancel(running) and store.cancel_requested(running)
    assert store.interrupt_running("the server stopped") == ["r"]
    assert store.job(running).status is JobStatus.INTERRUPTED
    assert store.job(running).reason == "the server stopped"


def test_events_are_numbered_without_gaps_or_duplicates_under_racing_writers(config, store):
    key_id = store.key_for(create_key(store, "tool")).id
    job_id = _job(store, key_id)
    stores = [open_store(config) for _ in range(4)]  # as four processes would
    seqs: list[int] = []

    def write(s, n: int) -> None:
        for i in range(n):
            seqs.append(s.add_event(job_id, f'{{"i": {i}}}'))

    threads = [threading.Thread(target=write, args=(s, 25)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores:
        s.close()
    assert sorted(seqs) == list(range(1, 101))
    rows = store.events_after(job_id, 0, limit=1000)
    assert [seq for seq, _ in rows] == list(range(1, 101))
    assert [seq for seq, _ in store.events_after(job_id, 97)] == [98, 99, 100]
    assert store.events_after(job_id, 100) == []


HOLD = """
import sys, time
from pathlib import Path
from backforge.service import ServeConfig, open_store
store = open_store(ServeConfig(data_dir=Path(sys.argv[1]), store=sys.argv[2] or None))
release = store.run_lock("j1", Path(sys.argv[3]))  # held while referenced
assert release is not None
print("held", flush=True)
time.sleep(600)
"""


def test_the_run_lock_is_exclusive_and_freed_when_its_holder_dies(config, store, tmp_path):
    folder = tmp_path / "jobs" / "j1"
    release = store.run_lock("j1", folder)
    assert release is not None
    other = open_store(config)
    try:
        assert other.run_lock("j1", folder) is None
        assert other.run_lock("j2", tmp_path / "jobs" / "j2") is not None  # per job
        release()
        again = other.run_lock("j1", folder)
        assert again is not None
        again()
        holder = subprocess.Popen([sys.executable, "-c", HOLD, str(config.data_dir),
                                   config.store or "", str(folder)],
                                  stdout=subprocess.PIPE, text=True, start_new_session=True)
        assert holder.stdout.readline().strip() == "held"
        assert other.run_lock("j1", folder) is None
        os.killpg(holder.pid, signal.SIGKILL)  # dies without releasing anything
        holder.wait(30)
        end = time.monotonic() + 30
        while (taken := other.run_lock("j1", folder)) is None:
            assert time.monotonic() < end, "the dead holder's lock was never freed"
            time.sleep(0.05)
        taken()
    finally:
        other.close()


def test_the_schema_is_created_idempotently_by_instances_starting_together(config, store):
    errors: list[BaseException] = []

    def start() -> None:
        try:
            open_store(config).close()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    create_key(store, "after")
    assert store.key_count() == 1


def test_a_store_url_that_is_not_postgresql_names_the_fix(tmp_path):
    with pytest.raises(InputError, match=r"not a postgresql:// URL") as caught:
        open_store(ServeConfig(data_dir=tmp_path, store="mysql://user:s3cret@db/jobs"))
    assert "s3cret" not in str(caught.value)
