"""A stream fed by live messages (what a RedisHub queue carries) on a real SQLite store: an
event that follows on goes out without a store read, a repeat is dropped, a gap and the
end go back to the store, and nothing is sent twice or skipped."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from starlette.requests import Request

from backforge.service import ServeConfig, create_key
from backforge.service.events import _live
from backforge.service.store import JobStatus, SqliteStore


def _request() -> Request:
    async def receive() -> dict:
        await asyncio.sleep(3600)  # the client stays connected
        return {"type": "http.disconnect"}

    return Request({"type": "http", "method": "GET", "path": "/", "headers": []}, receive)


async def test_live_messages_go_out_directly_and_gaps_and_the_end_come_from_the_store(
        tmp_path: Path):
    store = SqliteStore(tmp_path / "jobs.sqlite")
    key_id = store.key_for(create_key(store, "tool")).id
    store.add_job("j", key_id, "spec.yaml", None, {}, None)
    reads: list[int] = []
    original = store.events_after

    def counting(job_id: str, after: int, limit: int = 500):
        reads.append(after)
        return original(job_id, after, limit)

    store.events_after = counting
    for i in (1, 2):
        store.add_event("j", json.dumps({"n": i}))
    queue: asyncio.Queue = asyncio.Queue()
    config = ServeConfig(data_dir=tmp_path, live_poll=300, keepalive=300)
    stream = _live(store, config, "j", 1, _request(), queue)  # the client saw event 1
    out = [await anext(stream)]  # the backlog: event 2
    seq3 = store.add_event("j", json.dumps({"n": 3}))
    queue.put_nowait((2, '{"n": 2}'))  # already sent from the store: dropped
    queue.put_nowait((seq3, '{"n": 3}'))
    out.append(await anext(stream))
    assert reads == [1]  # event 3 came from the queue
    for i in (4, 5):
        store.add_event("j", json.dumps({"n": i}))
    queue.put_nowait((5, '{"n": 5}'))  # 4's message was lost: a gap
    out += [await anext(stream), await anext(stream)]
    assert reads == [1, 3]
    store.finish("j", JobStatus.SUCCEEDED, None, None)
    queue.put_nowait((None, "end"))
    out.append(await anext(stream))
    assert out == ['id: 2\ndata: {"n": 2}\n\n', 'id: 3\ndata: {"n": 3}\n\n',
                   'id: 4\ndata: {"n": 4}\n\n', 'id: 5\ndata: {"n": 5}\n\n',
                   'event: end\ndata: {"status": "succeeded", "reason": null}\n\n']
    store.close()
