"""A real `backforge serve` app on 127.0.0.1 (uvicorn in a thread), its keys, a client.

Every test that starts a server runs once per job store: the SQLite file, and (slow) a
fresh database on a real PostgreSQL started from its binaries for the session."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from backforge.service import ServeConfig, create_app, create_key, open_store
from backforge.verify.postgres import EphemeralPostgres, find_bin

TASKMANAGER = Path(__file__).resolve().parents[2] / "examples" / "taskmanager.yaml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def add_key(config: ServeConfig, name: str) -> str:
    """A new key in a server's store (a data folder alone would miss a PostgreSQL one)."""
    store = open_store(config)
    try:
        return create_key(store, name)
    finally:
        store.close()


def stored(config: ServeConfig, sql: str, *args) -> list[tuple]:
    """Rows of a query (qmark parameters) on a server's store, whichever engine it is."""
    store = open_store(config)
    try:
        return store._query(sql, args)
    finally:
        store.close()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[EphemeralPostgres]:
    if find_bin("initdb") is None or find_bin("pg_ctl") is None:
        pytest.skip("SKIPPED LOUDLY: PostgreSQL binaries (initdb, pg_ctl) are not installed")
    with EphemeralPostgres() as server:
        yield server


def new_database(server: EphemeralPostgres) -> str:
    import psycopg  # not at the top: only the PostgreSQL runs need it

    name = f"jobs_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server.url, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    return server.url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def store_url(request) -> str | None:
    """The job store of this test's servers: None (SQLite) or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return None
    return new_database(request.getfixturevalue("postgres_server"))


@dataclass
class Running:
    url: str
    config: ServeConfig
    server: uvicorn.Server
    thread: threading.Thread

    def client(self, key: str | None, timeout: float = 60) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=timeout)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(60)
        assert not self.thread.is_alive()


def start(config: ServeConfig) -> Running:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(config), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    end = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < end, "uvicorn did not start"
        time.sleep(0.02)
    return Running(f"http://127.0.0.1:{port}", config, server, thread)


@pytest.fixture
def serve(tmp_path: Path, store_url: str | None) -> Iterator[Callable[..., Running]]:
    """start(**config overrides) -> a running server; every one is stopped at the end."""
    started: list[Running] = []

    def _start(**overrides) -> Running:
        config = ServeConfig(**{"data_dir": tmp_path / "data", "workers": 2,
                                "store": store_url, **overrides})
        running = start(config)
        started.append(running)
        return running

    yield _start
    for running in started:
        if running.thread.is_alive():
            running.stop()


def wait_for(client: httpx.Client, job_id: str, timeout: float = 120) -> dict:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        job = client.get(f"/v1/jobs/{job_id}").raise_for_status().json()
        if job["status"] not in ("queued", "running"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not end in {timeout} s")


def read_sse(response: httpx.Response) -> Iterator[tuple[str | None, str, str]]:
    """(id, event type, data) per server-sent event of a streamed response."""
    ident, kind, data = None, "message", []
    for line in response.iter_lines():
        if line == "":
            if data:
                yield ident, kind, "\n".join(data)
            ident, kind, data = None, "message", []
        elif line.startswith(":"):
            continue
        else:
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "id":
                ident = value
            elif field == "event":
                kind = value
            elif field == "data":
                data.append(value)
