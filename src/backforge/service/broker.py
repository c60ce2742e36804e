"""Scale-out: jobs on Celery workers through a Redis broker (`serve --broker URL`,
`backforge worker`). Needs the `queue` extra (celery[redis]).

The API only enqueues a job's id; a worker claims it in the shared job store and runs it
exactly as the embedded pool does (`JobRunner.run_job`). Messages are acknowledged late
and rejected when a worker is lost, so a killed worker's job is delivered again; the job
folder's lock tells a live run from a dead one, and the store allows one more attempt
before the job fails with the reason. Nothing runs twice to completion: a delivery that
finds the job claimed by a live worker, or ended, does nothing.

The store is the SQLite file and the artifacts the folder of ServeConfig, shared by the API
processes and the workers of one host (flock and SQLite's locking need one kernel). Events
reach every API process's streams through that store.
"""

from __future__ import annotations

import os
import socket

from celery import Celery

from backforge.service.config import ServeConfig
from backforge.service.jobs import JobRunner
from backforge.service.store import JobStore

__all__ = ["Enqueuer", "celery_app", "run_worker"]

TASK = "backforge.run_job"


def celery_app(config: ServeConfig) -> Celery:
    app = Celery("backforge", broker=config.broker)
    app.conf.update(
        task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
        task_ignore_result=True, broker_connection_retry_on_startup=True,
        # An unacknowledged job comes back after visibility_timeout (longer than any job
        # may run); sweeps for such jobs run every few seconds, not kombu's ~100 s.
        broker_transport_options={
            "visibility_timeout": config.visibility_timeout,
            "unacked_restore_interval": max(1, min(10, int(config.visibility_timeout / 4))),
            "unacked_restore_throttle": 1},
        worker_hijack_root_logger=False, task_default_queue="backforge")
    return app


class Enqueuer:
    """What the API calls to hand a job to the workers."""

    def __init__(self, config: ServeConfig) -> None:
        self.app = celery_app(config)

    def __call__(self, job_id: str) -> None:
        self.app.send_task(TASK, args=[job_id])


def run_worker(config: ServeConfig, concurrency: int) -> None:
    """`backforge worker`: consume jobs until stopped (prefork: one job per child)."""
    app = celery_app(config)
    runners: dict[int, JobRunner] = {}

    @app.task(name=TASK)
    def run_job(job_id: str) -> None:
        # One runner per process, made after the fork: a SQLite connection is never shared.
        runner = runners.get(os.getpid())
        if runner is None:
            runner = runners[os.getpid()] = JobRunner(JobStore(config.database), config)
        runner.run_job(job_id, rerun=True)

    name = f"backforge-{os.getpid()}@{socket.gethostname()}"
    app.worker_main(["worker", f"--concurrency={concurrency}", "--pool=prefork",
                     "--loglevel=INFO", "--without-gossip", "--without-mingle",
                     "--queues=backforge", "-n", name])
