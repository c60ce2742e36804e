"""Running jobs: a bounded pool of worker threads over the job store, or a queue.

A job is claimed (queued -> running) by one worker, runs `backforge.api.generate` into its
own folder with every event stored as the CLI's `--json` line, and ends in a terminal
state. The worker holds the job's run lock (the store's: a flock on the job folder's
`run.lock`, or a PostgreSQL advisory lock) while it runs, so a job that is `running` with a
free lock has lost its worker. With a `publisher` (service/broker.py) every stored event
is also sent to the API instances' live streams. Embedded (no queue): at start-up, jobs a
previous process left running are marked interrupted with the reason, and queued ones are
handed to the pool again in submission order. With a queue (`enqueue`, see
service/broker.py) the pool is unused: jobs go to the queue's workers, which call `run_job`.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backforge import api
from backforge.engine.events import Event
from backforge.errors import InputError
from backforge.service.artifacts import open_artifacts
from backforge.service.config import ServeConfig
from backforge.service.sandbox import SandboxUnavailable, verify_sandboxed
from backforge.service.store import Job, JobStatus, JobStore
from backforge.service.submit import JobOptions

if TYPE_CHECKING:
    from backforge.service.broker import RedisPublisher

__all__ = ["JobRunner"]

log = logging.getLogger("backforge.service")

INPUT, OUTPUT = "input", "output"


class StoreCancel(threading.Event):
    """A job's cancel signal: set here, or requested through the store by any API process
    (looked up at most every POLL seconds while the engine polls it)."""

    POLL = 0.25

    def __init__(self, store: JobStore, job_id: str) -> None:
        super().__init__()
        self._store, self._job, self._next = store, job_id, 0.0

    def is_set(self) -> bool:
        if not super().is_set() and time.monotonic() >= self._next:
            self._next = time.monotonic() + self.POLL
            if self._store.cancel_requested(self._job):
                self.set()
        return super().is_set()


class JobRunner:
    """The in-process worker pool (`workers` jobs at once), or the queue's client."""

    def __init__(self, store: JobStore, config: ServeConfig,
                 enqueue: Callable[[str], None] | None = None,
                 publisher: RedisPublisher | None = None) -> None:
        self.store, self.config, self._enqueue = store, config, enqueue
        self.artifacts = open_artifacts(config.jobs_dir, config.artifacts_url, config.s3_endpoint)
        self._publisher = publisher
        self._pool = ThreadPoolExecutor(config.workers, thread_name_prefix="backforge-job")
        self._cancels: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self._stopping = False

    def folder(self, job_id: str) -> Path:
        return self.config.jobs_dir / job_id

    def output(self, job_id: str) -> Path:
        """The job's working folder: where it generates (and, locally, its artifacts)."""
        return self.folder(job_id) / OUTPUT

    def start(self) -> None:
        """Recover what the previous process left, then resume the queue."""
        if self._enqueue is not None:
            # The queue's workers own running jobs; a queued one is sent again in case the
            # broker lost it (a duplicate delivery finds it claimed and does nothing).
            for job_id in self.store.queued():
                self._enqueue(job_id)
            return
        lost = self.store.interrupt_running(
            "interrupted: the server stopped while the job ran; files that validated before "
            "the stop were kept only if the run committed them (submit it again to finish)")
        if lost:
            log.warning("marked %d job(s) interrupted: %s", len(lost), ", ".join(lost))
        for job_id in self.store.queued():
            self.submit(job_id)

    def submit(self, job_id: str) -> None:
        if self._enqueue is not None:
            self._enqueue(job_id)
        else:
            self._pool.submit(self.run_job, job_id)

    def cancel(self, job_id: str) -> bool:
        """Cancel a queued job at once or stop a running one like the deadline (its worker
        may be another process); False when it had already ended."""
        if self.store.cancel_queued(job_id):
            return True
        if not self.store.request_cancel(job_id):
            return False
        with self._lock:
            event = self._cancels.get(job_id)
        if event is not None:
            event.set()  # this process runs it: no need to wait for the store poll
        return True

    def shutdown(self, grace: float = 10.0) -> None:
        """Stop taking jobs (queued ones stay queued for the next start) and stop the
        running ones the clean way, waiting up to `grace` seconds."""
        self._stopping = True
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            running = list(self._cancels.values())
        for event in running:
            event.set()
        end = time.monotonic() + grace
        while time.monotonic() < end:
            with self._lock:
                if not self._cancels:
                    return
            time.sleep(0.05)

    def run_job(self, job_id: str, *, rerun: bool = False) -> None:
        """Run one job unless another live worker runs it or it is no longer queued. With
        `rerun` (a queue's worker) a job whose worker died is run again, once."""
        release = self.store.run_lock(job_id, self.folder(job_id))
        if release is None:
            return  # a live worker holds it
        try:
            if self._stopping or not self.store.claim(job_id, rerun=rerun):
                job = self.store.job(job_id)
                if rerun and job is not None and job.status is JobStatus.RUNNING:
                    self._finish(job_id, JobStatus.FAILED, "failed: the worker running "
                                 f"it died {job.attempts} times; not retried again", None)
                return  # cancelled while queued, ended, or the server is stopping
            self._run(job_id)
        finally:
            release()

    def _run(self, job_id: str) -> None:
        job = self.store.job(job_id)
        assert job is not None
        cancel = StoreCancel(self.store, job_id)
        with self._lock:
            self._cancels[job_id] = cancel
        try:
            status, reason, result = self._execute(job, cancel)
        except InputError as exc:
            status, reason, result = JobStatus.FAILED, exc.message, None
        except Exception as exc:
            log.exception("job %s failed", job_id)
            status, reason, result = (JobStatus.FAILED,
                                      f"unexpected {type(exc).__name__}: {exc}", None)
        finally:
            with self._lock:
                self._cancels.pop(job_id, None)
        if self._stopping and cancel.is_set():
            status = JobStatus.INTERRUPTED
            reason = "interrupted: the server shut down; files that validated were kept"
        try:  # before the status turns terminal: an ended job's files are readable
            self._keep(job_id)
        except Exception as exc:
            log.exception("job %s: storing the output failed", job_id)
            status, reason = JobStatus.FAILED, f"storing the output failed: {exc}"
        self._finish(job_id, status, reason, result)

    def _finish(self, job_id: str, status: JobStatus, reason: str | None,
                result: dict[str, Any] | None) -> None:
        self.store.finish(job_id, status, reason, result)
        if self._publisher is not None:
            self._publisher.end(job_id)

    def _event(self, job_id: str, data: str) -> None:
        """Store the event (the durable record), then send it live."""
        seq = self.store.add_event(job_id, data)
        if self._publisher is not None:
            self._publisher.event(job_id, seq, data)

    def _keep(self, job_id: str) -> None:
        out = self.output(job_id)
        if not out.is_dir():
            return
        self.artifacts.put(job_id, out)
        if not self.artifacts.keeps_working_folder:
            shutil.rmtree(out)

    def _execute(self, job: Job, cancel: threading.Event
                 ) -> tuple[JobStatus, str | None, dict[str, Any]]:
        options = JobOptions.model_validate(job.options)
        folder = self.folder(job.id)
        loaded = api.load(folder / INPUT / job.spec_name, fmt=job.fmt)
        out = folder / OUTPUT
        generate = options.generate_options()
        impact = None
        if job.base_job is not None:
            if out.exists():  # a resumed job starts again from the base
                shutil.rmtree(out)
            if not self.artifacts.download(job.base_job, out):
                raise InputError(f"base_job: the output of job {job.base_job} is gone "
                                 "(expired or deleted); submit without base_job")
            impact = api.plan(loaded, generate, output=out).to_dict()
            impact["root"] = "."  # the server's folder layout is not the client's business

        def on_event(event: Event) -> None:
            self._event(job.id, json.dumps(event.to_dict()))

        result = api.generate(loaded, generate, output=out, on_event=on_event, cancel=cancel)
        data: dict[str, Any] = {
            "success": result.success, "exit_code": result.exit_code,
            "files": len(result.files), "conflicts": list(result.conflicts),
            "report": result.report, "impact": impact}
        if options.verify and result.exit_code == 0:
            try:
                data["verify"] = self._verify(job.id, out, cancel)
            except SandboxUnavailable as exc:  # fail closed: never verify unconfined
                return JobStatus.FAILED, exc.message, data
            result_ok = data["verify"]["success"]
        else:
            result_ok = result.success
        if cancel.is_set():
            return JobStatus.CANCELLED, "cancelled on request; files that validated were kept", \
                data
        if result_ok:
            return JobStatus.SUCCEEDED, None, data
        return JobStatus.FAILED, "the run did not validate (see result.report)", data

    def _verify(self, job_id: str, out: Path, cancel: threading.Event) -> dict[str, Any]:
        report = verify_sandboxed(out, self.config.sandbox, self.config.npm_cache,
                                  cancel=cancel)
        self._event(job_id, json.dumps({"event": "verify_finished", **report}))
        return report

