"""`backforge serve` under load (issue 18): N concurrent template jobs through the
embedded server (a real `backforge serve` process, in-process worker pool, SQLite store)
and through `serve --broker` with Celery workers (`backforge worker`, concurrency 1 each)
on a local redis-server.

Every job is submitted at once from its own client thread, which then follows the job's
event stream to its `end` event. Latency is submit -> end as the client sees it. Lost: a
job that did not end `succeeded` or whose stream lacked a unit's validation; duplicated: an
event id seen twice in one stream, a unit validated twice, or a job id given out twice.

With `--store postgresql` the job store is a PostgreSQL started from its binaries for the
run (`serve/worker/keys --store URL`) instead of the SQLite file.

Run: .venv/bin/python bench/serve.py [--jobs 50] [--workers 2] [--setups embedded,celery]
                                     [--store sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx

from backforge.verify.postgres import EphemeralPostgres

SPEC = Path(__file__).resolve().parents[1] / "examples" / "taskmanager.yaml"


@dataclass
class Outcome:
    job_id: str
    latency: float
    status: str
    units: int  # units the run announced
    validated: int  # distinct units validated in the stream
    duplicates: int  # event ids or unit validations seen twice


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(folder: Path) -> tuple[subprocess.Popen, str]:
    port = _port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--dir", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    for _ in range(300):
        ping = subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True,
                              text=True, check=False)
        if ping.stdout.strip() == "PONG":
            return proc, f"redis://127.0.0.1:{port}/0"
        time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


def _store(url: str | None) -> list[str]:
    return ["--store", url] if url else []


def start_workers(data: Path, broker: str, count: int, store: str | None = None
                  ) -> list[subprocess.Popen]:
    """`count` workers, returned once each has logged that it is ready (so the latency
    measured is the jobs', not the workers' start-up)."""
    procs, logs = [], []
    for i in range(count):
        logs.append(data / f"worker-{i}.log")
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "backforge.cli", "worker", "--data", str(data), "--broker",
             broker, "--concurrency", "1", *_store(store)], stdout=logs[-1].open("wb"),
            stderr=subprocess.STDOUT, start_new_session=True))
    end = time.monotonic() + 120
    while not all(log.exists() and b" ready." in log.read_bytes() for log in logs):
        if time.monotonic() > end or any(p.poll() is not None for p in procs):
            raise RuntimeError("a worker did not start: " + logs[0].read_text()[-2000:])
        time.sleep(0.1)
    return procs


def start_server(data: Path, workers: int, jobs: int, broker: str | None = None,
                 store: str | None = None) -> tuple[subprocess.Popen, str, str]:
    """A `backforge serve` process with a fresh key; (process, base url, key)."""
    key = subprocess.run([sys.executable, "-m", "backforge.cli", "keys", "create", "bench",
                          "--data", str(data), *_store(store)], check=True, capture_output=True,
                         text=True).stdout.split()[0]
    port = _port()
    proc = subprocess.Popen([sys.executable, "-m", "backforge.cli", "serve", "--data",
                             str(data), "--port", str(port), "--workers", str(workers),
                             "--max-active", str(jobs), "--rate", str(max(60, 2 * jobs)),
                             *(["--broker", broker] if broker else []), *_store(store)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return proc, url, key
        except httpx.TransportError:
            time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    raise RuntimeError("backforge serve did not start")


def one_job(url: str, key: str, spec: str, go: threading.Event) -> Outcome:
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"},
                      timeout=600) as client:
        go.wait()
        start = time.perf_counter()
        job = client.post("/v1/jobs", json={"spec": spec, "filename": "taskmanager.yaml"})
        job.raise_for_status()
        job_id = job.json()["id"]
        ids, validated, units, status, dups = set(), [], 0, "no end event", 0
        with client.stream("GET", f"/v1/jobs/{job_id}/events") as resp:
            kind = "message"
            for line in resp.iter_lines():
                if line.startswith("id: "):
                    dups += line in ids
                    ids.add(line)
                elif line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: "):
                    data = json.loads(line[6:])
                    if kind == "end":
                        status = data["status"]
                        break
                    if data["event"] == "run_started":
                        units = data["data"]["units"]
                    elif data["event"] == "unit_validated":
                        validated.append(data["unit"])
                elif line == "":
                    kind = "message"
        latency = time.perf_counter() - start
    dups += len(validated) - len(set(validated))
    return Outcome(job_id, latency, status, units, len(set(validated)), dups)


def run(jobs: int, workers: int, celery: bool = False, postgres: bool = False
        ) -> tuple[list[Outcome], float]:
    """N jobs at once; with `celery`, through a local Redis and `workers` Celery workers;
    with `postgres`, on a PostgreSQL job store."""
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp, ExitStack() as stack:
        store = stack.enter_context(EphemeralPostgres()).url if postgres else None
        extra: list[subprocess.Popen] = []
        broker = None
        if celery:
            redis, broker = start_redis(Path(tmp))
            extra = [redis, *start_workers(Path(tmp), broker, workers, store)]
        try:
            return _load(Path(tmp), jobs, workers, broker, store)
        finally:
            for proc in reversed(extra):
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(60)


def _load(data: Path, jobs: int, workers: int, broker: str | None, store: str | None
          ) -> tuple[list[Outcome], float]:
    spec = SPEC.read_text(encoding="utf-8")
    proc, url, key = start_server(data, workers, jobs, broker, store)
    go, results, errors = threading.Event(), [], []

    def client() -> None:
        try:
            results.append(one_job(url, key, spec, go))
        except Exception as exc:  # noqa: BLE001 - counted as a lost job
            errors.append(exc)

    try:
        threads = [threading.Thread(target=client) for _ in range(jobs)]
        for t in threads:
            t.start()
        start = time.perf_counter()
        go.set()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(60)
    for exc in errors:
        print(f"client error: {exc}", file=sys.stderr)
    return results, wall


def summary(results: list[Outcome], jobs: int, wall: float) -> dict[str, float | int]:
    ok = [r for r in results if r.status == "succeeded" and r.units and r.validated == r.units]
    lat = sorted(r.latency for r in results)
    return {
        "jobs": jobs, "succeeded": len(ok), "lost": jobs - len(ok),
        "duplicated": sum(r.duplicates for r in results)
        + len(results) - len({r.job_id for r in results}),
        "p50_s": statistics.median(lat) if lat else float("nan"),
        "p95_s": lat[max(0, round(0.95 * len(lat)) - 1)] if lat else float("nan"),
        "jobs_per_s": len(ok) / wall if wall else 0.0, "wall_s": wall}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--jobs", type=int, default=50)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--setups", default="embedded,celery")
    ap.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    args = ap.parse_args()
    names = {"embedded": "embedded (in-process pool)", "celery": "Celery workers + Redis"}
    print("| setup | store | jobs | workers | p50 latency | p95 latency | jobs/s | lost | "
          "duplicated |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    bad = 0
    for setup in args.setups.split(","):
        results, wall = run(args.jobs, args.workers, celery=setup == "celery",
                            postgres=args.store == "postgresql")
        s = summary(results, args.jobs, wall)
        bad += s["lost"] + s["duplicated"]
        print(f"| {names[setup]} | {args.store} | {s['jobs']} | {args.workers} | "
              f"{s['p50_s']:.2f} s | "
              f"{s['p95_s']:.2f} s | {s['jobs_per_s']:.2f} | {s['lost']} | "
              f"{s['duplicated']} |", flush=True)
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
