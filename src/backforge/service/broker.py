"""Scale-out: jobs on Celery workers through a Redis broker (`serve --broker URL`,
`backforge worker`). Needs the `queue` extra (celery[redis]).

The API only enqueues a job's id; a worker claims it in the shared job store and runs it
exactly as the embedded pool does (`JobRunner.run_job`). Messages are acknowledged late
and rejected when a worker is lost, so a killed worker's job is delivered again; the job
folder's lock tells a live run from a dead one, and the store allows one more attempt
before the job fails with the reason. Nothing runs twice to completion: a delivery that
finds the job claimed by a live worker, or ended, does nothing.

The store (the SQLite file of one host, or PostgreSQL for several: ServeConfig.store) and the
job folders are shared by the API processes and the workers. A worker stores each event (the
durable record, numbered) and then publishes it on the job's Redis channel; every API
process subscribes once (`RedisHub`) and hands the messages to the streams following that
job, which read the store only for what they missed (a reconnect's Last-Event-ID, a gap, a
lost message). Pub/sub is at-most-once: a message lost costs latency, never an event.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Iterator

import redis
import redis.asyncio
from celery import Celery

from backforge.service.config import ServeConfig
from backforge.service.jobs import JobRunner
from backforge.service.store import open_store

__all__ = ["Enqueuer", "RedisHub", "RedisPublisher", "celery_app", "run_worker"]

log = logging.getLogger("backforge.service")

TASK = "backforge.run_job"
CHANNEL = "backforge:events:"  # + job id
END = "end"  # the message after a job's last event: its status is terminal
RECONNECT = 1.0  # s between attempts when the hub lost Redis


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
            runner = runners[os.getpid()] = JobRunner(open_store(config), config,
                                                      publisher=RedisPublisher(config.broker))
        runner.run_job(job_id, rerun=True)

    name = f"backforge-{os.getpid()}@{socket.gethostname()}"
    app.worker_main(["worker", f"--concurrency={concurrency}", "--pool=prefork",
                     "--loglevel=INFO", "--without-gossip", "--without-mingle",
                     "--queues=backforge", "-n", name])


class RedisPublisher:
    """A worker's side: each stored event (`"SEQ DATA"`) and the end on the job's channel.
    A failed publish is logged, never raised: the store has the event, streams catch up."""

    def __init__(self, url: str) -> None:
        self._client = redis.Redis.from_url(url, socket_timeout=5)

    def event(self, job_id: str, seq: int, data: str) -> None:
        self._send(job_id, f"{seq} {data}")

    def end(self, job_id: str) -> None:
        self._send(job_id, END)

    def _send(self, job_id: str, message: str) -> None:
        try:
            self._client.publish(CHANNEL + job_id, message)
        except redis.RedisError as exc:
            log.warning("event for job %s not published (%s); streams read the store",
                        job_id, exc)


class RedisHub:
    """An API process's side: one pattern subscription for every job's channel, fanned out
    to the queues of the streams that follow each job. Items: (seq, data), or (None, END)."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._queues: dict[str, set[asyncio.Queue]] = {}
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._pump(), name="backforge-events")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    @contextlib.contextmanager
    def listen(self, job_id: str) -> Iterator[asyncio.Queue]:
        queue: asyncio.Queue = asyncio.Queue()
        self._queues.setdefault(job_id, set()).add(queue)
        try:
            yield queue
        finally:
            listeners = self._queues.get(job_id, set())
            listeners.discard(queue)
            if not listeners:
                self._queues.pop(job_id, None)

    async def _pump(self) -> None:
        while True:
            client = redis.asyncio.Redis.from_url(self._url)
            try:
                async with client.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.psubscribe(CHANNEL + "*")
                    async for message in pubsub.listen():
                        self._dispatch(message)
            except (redis.RedisError, OSError) as exc:
                log.warning("live events: lost Redis (%s); streams read the store until it "
                            "is back", exc)
            finally:
                await client.aclose()
            await asyncio.sleep(RECONNECT)

    def _dispatch(self, message: dict) -> None:
        if message.get("type") != "pmessage":
            return
        job_id = message["channel"].decode().removeprefix(CHANNEL)
        listeners = self._queues.get(job_id)
        if not listeners:
            return
        text = message["data"].decode()
        if text == END:
            item: tuple[int | None, str] = (None, END)
        else:
            seq, _, data = text.partition(" ")
            item = (int(seq), data)
        for queue in listeners:
            queue.put_nowait(item)
