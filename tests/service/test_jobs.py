"""The service end to end over real HTTP on 127.0.0.1: submit, follow the events, download,
and the same bytes as the CLI and the library."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import backforge
from tests.service.conftest import TASKMANAGER, add_key, read_sse, wait_for

# Durations and the spec's path: the run's own facts; the stat cache: this machine's
# inodes and times (output/fastpath.py).
EXCLUDED = {".backforge/report.json", ".backforge/stat-cache.json"}


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _submit(client, text: str, **extra) -> dict:
    resp = client.post("/v1/jobs", json={"spec": text, "filename": "taskmanager.yaml",
                                         **extra})
    assert resp.status_code == 201, resp.text
    return resp.json()


def _events(client, job_id: str, last: str | None = None, stop_after: int | None = None):
    headers = {"Last-Event-ID": last} if last else {}
    out = []
    with client.stream("GET", f"/v1/jobs/{job_id}/events", headers=headers) as resp:
        assert resp.status_code == 200
        assert resp.headers["content-type"].startswith("text/event-stream")
        for item in read_sse(resp):
            out.append(item)
            if stop_after is not None and len(out) == stop_after:
                break
    return out


def test_taskmanager_every_unit_validated_and_bytes_match_cli_and_library(serve, tmp_path):
    server = serve()
    key = add_key(server.config, "tool")
    with server.client(key) as client:
        job = _submit(client, TASKMANAGER.read_text())
        stream = _events(client, job["id"])
        final = wait_for(client, job["id"])
        archive = client.get(f"/v1/jobs/{job['id']}/archive")
    assert final["status"] == "succeeded", final["reason"]
    *messages, end = stream
    assert end[1] == "end" and json.loads(end[2])["status"] == "succeeded"
    assert [int(i) for i, _, _ in messages] == list(range(1, len(messages) + 1))
    events = [json.loads(d) for _, kind, d in messages if kind == "message"]
    assert len(events) == len(messages)
    started, finished = events[0], events[-1]
    assert started["event"] == "run_started" and finished["event"] == "run_finished"
    validated = {e["unit"] for e in events if e["event"] == "unit_validated"}
    assert len(validated) == started["data"]["units"] > 20
    assert not [e for e in events if e["event"] in ("unit_failed", "unit_partial",
                                                     "unit_blocked", "unit_cancelled")]
    assert finished["data"]["success"] is True
    # The event lines are exactly what `generate --json` prints (same keys, same kinds).
    spec = tmp_path / "taskmanager.yaml"
    spec.write_text(TASKMANAGER.read_text())
    cli = subprocess.run([sys.executable, "-m", "backforge.cli", "generate", spec.name, "-o",
                          "cli-out", "--json"], cwd=tmp_path, capture_output=True, text=True,
                         timeout=300, check=False)
    assert cli.returncode == 0, cli.stderr
    cli_events = [json.loads(line) for line in cli.stdout.splitlines()]
    assert [set(e) for e in cli_events] == [set(e) for e in events]
    assert sorted(e["event"] for e in cli_events) == sorted(e["event"] for e in events)
    # The archive holds byte for byte what the CLI and the library wrote.
    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(archive.content)) as z:
        served = {n: z.read(n) for n in z.namelist()}
    backforge.generate(spec, output=tmp_path / "lib-out")
    cli_tree, lib_tree = _tree(tmp_path / "cli-out"), _tree(tmp_path / "lib-out")
    assert EXCLUDED <= set(served) and set(served) == set(cli_tree) == set(lib_tree)
    differ = [p for p in served if served[p] != cli_tree[p] or served[p] != lib_tree[p]]
    assert differ == sorted(EXCLUDED)
    assert len(served) > 50


def test_event_stream_resumes_from_last_event_id_without_loss_or_duplicates(serve):
    server = serve()
    key = add_key(server.config, "tool")
    with server.client(key) as client:
        job = _submit(client, TASKMANAGER.read_text())
        first = _events(client, job["id"], stop_after=7)  # the client drops mid-stream
        rest = _events(client, job["id"], last=first[-1][0])
        whole = _events(client, job["id"])
    assert [i for i, _, _ in first] == [str(n) for n in range(1, 8)]
    assert rest[0][0] == "8"  # picks up at the next event, none repeated
    assert first + rest == whole
    ids = [i for i, _, _ in whole if i is not None]
    assert len(ids) == len(set(ids)) > 50


def test_files_are_served_and_no_path_leaves_the_output(serve):
    server = serve()
    key = add_key(server.config, "tool")
    with server.client(key) as client:
        job = _submit(client, TASKMANAGER.read_text())
        wait_for(client, job["id"])
        listed = client.get(f"/v1/jobs/{job['id']}/files").json()["files"]
        app = client.get(f"/v1/jobs/{job['id']}/files/src/app.js")
        assert "src/app.js" in listed and app.status_code == 200
        assert app.text.startswith("'use strict'")
        for path in ("%2e%2e/input/taskmanager.yaml", "%2e%2e/%2e%2e/%2e%2e/jobs.sqlite",
                     "..%2f..%2f..%2fjobs.sqlite", "%2fetc%2fpasswd", "src/%2e%2e/%2e%2e/input",
                     "src/nothing.js"):
            resp = client.get(f"/v1/jobs/{job['id']}/files/{path}")
            assert resp.status_code == 404, (path, resp.status_code)
            assert "jobs.sqlite" not in resp.text or "no file" in resp.text


def test_regeneration_over_a_base_job_reports_the_impact(serve):
    server = serve()
    key = add_key(server.config, "tool")
    text = TASKMANAGER.read_text()
    changed = text.replace("      - {name: title,",
                           "      - {name: priority_note, type: string}\n"
                           "      - {name: title,", 1)
    assert changed != text
    with server.client(key) as client:
        base = _submit(client, text)
        assert wait_for(client, base["id"])["status"] == "succeeded"
        again = _submit(client, changed, base_job=base["id"])
        done = wait_for(client, again["id"])
        before, after = (set(client.get(f"/v1/jobs/{j['id']}/files").json()["files"])
                         for j in (base, again))
    assert done["status"] == "succeeded", done["reason"]
    impact = done["result"]["impact"]
    assert impact is not None and json.dumps(impact).count("priority_note") >= 1
    assert impact["root"] == "." and str(server.config.data_dir) not in json.dumps(impact)
    new_migrations = sorted(f for f in after - before if f.startswith("migrations/"))
    assert [m.rsplit(".", 2)[1] for m in new_migrations] == ["down", "up"], new_migrations
    with server.client(key) as client:
        sql = client.get(f"/v1/jobs/{again['id']}/files/{new_migrations[1]}").text
    assert "ADD COLUMN" in sql.upper() and "priority_note" in sql


def test_cancel_stops_a_running_job_like_the_deadline_and_keeps_what_validated(serve):
    server = serve()
    key = add_key(server.config, "tool")
    with server.client(key) as client:
        job = _submit(client, TASKMANAGER.read_text(), options={"concurrency": 1})
        seen = _events(client, job["id"], stop_after=4)  # it is running: events flow
        assert json.loads(seen[0][2])["event"] == "run_started"
        answer = client.post(f"/v1/jobs/{job['id']}/cancel")
        assert answer.status_code == 202, answer.text
        final = wait_for(client, job["id"])
        stream = _events(client, job["id"])
        files = set(client.get(f"/v1/jobs/{job['id']}/files").json()["files"])
    assert final["status"] == "cancelled" and "validated were kept" in final["reason"]
    assert final["result"]["report"]["stopped_by"] == "cancelled"
    events = [json.loads(d) for _, kind, d in stream if kind == "message"]
    assert events[-1]["event"] == "run_finished"
    assert any(e["event"] == "unit_cancelled" for e in events)
    written = {e["data"]["path"] for e in events if e["event"] == "file_written"}
    assert written and written <= files


SQL_DDL = """CREATE TABLE authors (id serial PRIMARY KEY, name varchar(80) NOT NULL);
CREATE TABLE books (id serial PRIMARY KEY, title text NOT NULL,
  author_id integer NOT NULL REFERENCES authors(id) ON DELETE CASCADE);
"""
DATA = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("name", "text", "how"), [
    ("blog.project.json", (DATA / "data" / "blog.project.json").read_text(), "filename"),
    ("shop.dbml", (DATA / "importers" / "data" / "shop.dbml").read_text(), "upload"),
    ("spec.sql", SQL_DDL, "sniffed"),  # saved as spec.sql: an SQL project is named after it
])
def test_every_input_format_gives_the_cli_s_files(serve, tmp_path, name, text, how):
    server = serve()
    key = add_key(server.config, "tool")
    with server.client(key) as client:
        if how == "upload":
            answer = client.post("/v1/jobs", files={"file": (name, text.encode())})
        elif how == "sniffed":  # no name, no format: the text says SQL
            answer = client.post("/v1/jobs", json={"spec": text})
        else:
            answer = client.post("/v1/jobs", json={"spec": text, "filename": name})
        assert answer.status_code == 201, answer.text
        final = wait_for(client, answer.json()["id"])
        archive = client.get(f"/v1/jobs/{final['id']}/archive").content
    assert final["status"] == "succeeded", final["reason"]
    assert final["spec"] == name
    (tmp_path / name).write_text(text)
    cli = subprocess.run([sys.executable, "-m", "backforge.cli", "generate", name, "-o", "out"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300,
                         check=False)
    assert cli.returncode == 0, cli.stderr
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        served = {n: z.read(n) for n in z.namelist()}
    local = _tree(tmp_path / "out")
    assert set(served) == set(local)
    assert [p for p in served if served[p] != local[p]] == sorted(EXCLUDED)
