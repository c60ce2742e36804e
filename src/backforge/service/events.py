"""A job's server-sent event stream: the stored events after the client's Last-Event-ID,
then new ones as they land, each with its sequence number as the SSE id; an `end` event
(no id) closes a finished job's stream.

The store is the record every stream reads from. Embedded, new events are found by polling
it. With a broker, they arrive through Redis (a `RedisHub` queue, see service/broker.py):
an event that follows on from the last one sent goes out as it comes; a gap, the end
message, or `live_poll` seconds of silence send the stream back to the store, so a message
lost on the way never loses an event.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from anyio import to_thread
from starlette.requests import Request

from backforge.service.config import ServeConfig
from backforge.service.store import JobStore

if TYPE_CHECKING:
    from backforge.service.broker import RedisHub

__all__ = ["stream"]

KEEPALIVE = ": keepalive\n\n"


def _message(seq: int, data: str) -> str:
    return f"id: {seq}\ndata: {data}\n\n"


async def _backlog(store: JobStore, job_id: str, after: int
                   ) -> tuple[list[tuple[int, str]], str | None]:
    """Stored events after `after`, or none and the `end` event when the job has ended."""
    rows = await to_thread.run_sync(store.events_after, job_id, after)
    if rows:
        return rows, None
    job = await to_thread.run_sync(store.job, job_id)
    # Events are all stored before the job's status turns terminal: read once more.
    if job is not None and job.status.terminal:
        rows = await to_thread.run_sync(store.events_after, job_id, after)
        if not rows:
            end = {"status": job.status.value, "reason": job.reason}
            return [], f"event: end\ndata: {json.dumps(end)}\n\n"
    return rows, None


async def _read(store: JobStore, job_id: str, after: int) -> tuple[list[str], int, bool]:
    """The stored events after `after` as SSE messages, the new `after`, and whether the
    stream ends (its one chunk is then the `end` event)."""
    rows, end = await _backlog(store, job_id, after)
    if end:
        return [end], after, True
    return [_message(seq, data) for seq, data in rows], rows[-1][0] if rows else after, False


async def stream(store: JobStore, config: ServeConfig, job_id: str, after: int,
                 request: Request, hub: RedisHub | None = None) -> AsyncIterator[str]:
    if hub is None:
        async for chunk in _polled(store, config, job_id, after, request):
            yield chunk
        return
    # Listening starts before the first store read: nothing published in between is missed.
    with hub.listen(job_id) as queue:
        async for chunk in _live(store, config, job_id, after, request, queue):
            yield chunk


async def _polled(store: JobStore, config: ServeConfig, job_id: str, after: int,
                  request: Request) -> AsyncIterator[str]:
    idle = 0.0
    while True:
        chunks, after, ended = await _read(store, job_id, after)
        for chunk in chunks:
            yield chunk
        if ended:
            return
        if chunks:
            idle = 0.0
            continue
        if await request.is_disconnected():
            return
        await asyncio.sleep(config.poll_interval)
        idle += config.poll_interval
        if idle >= config.keepalive:
            idle = 0.0
            yield KEEPALIVE


async def _live(store: JobStore, config: ServeConfig, job_id: str, after: int,
                request: Request, queue: asyncio.Queue) -> AsyncIterator[str]:
    read_store, last_sent = True, time.monotonic()
    while True:
        if read_store:
            chunks, after, ended = await _read(store, job_id, after)
            for chunk in chunks:
                yield chunk
            if ended:
                return
            read_store = len(chunks) >= 500  # a full page: more are stored
            if chunks:
                last_sent = time.monotonic()
                continue
        wait = min(config.live_poll, max(0.0, last_sent + config.keepalive - time.monotonic()))
        try:
            seq, data = await asyncio.wait_for(queue.get(), timeout=wait)
        except TimeoutError:
            read_store = True
            if await request.is_disconnected():
                return
            if time.monotonic() - last_sent >= config.keepalive:
                last_sent = time.monotonic()
                yield KEEPALIVE
            continue
        if seq is None or seq > after + 1:
            read_store = True  # the end, or a gap: the store has what came before
        elif seq == after + 1:
            yield _message(seq, data)
            after, last_sent = seq, time.monotonic()
