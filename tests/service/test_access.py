"""Keys, limits and hostile input through the API (real HTTP on 127.0.0.1)."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from backforge.service.limits import quota_wait, retry_after
from tests.service.conftest import TASKMANAGER, add_key, stored, wait_for

HOSTILE = Path(__file__).resolve().parents[1] / "hostile"


def _post(client, text: str, name: str = "taskmanager.yaml", **extra):
    return client.post("/v1/jobs", json={"spec": text, "filename": name, **extra})


def test_keys_are_stored_hashed_and_each_sees_only_its_own_jobs(serve):
    server = serve()
    mine, theirs = add_key(server.config, "mine"), add_key(server.config, "theirs")
    with server.client(mine) as a, server.client(theirs) as b, server.client(None) as anon:
        job = _post(a, TASKMANAGER.read_text()).json()
        wait_for(a, job["id"])
        for path in ("", "/events", "/archive", "/files", "/files/src/app.js"):
            assert b.get(f"/v1/jobs/{job['id']}{path}").status_code == 404, path
            assert anon.get(f"/v1/jobs/{job['id']}{path}").status_code == 401, path
            assert a.get(f"/v1/jobs/{job['id']}{path}").status_code == 200, path
        assert b.post(f"/v1/jobs/{job['id']}/cancel").status_code == 404
        assert b.get("/v1/jobs").json()["jobs"] == []
        assert [j["id"] for j in a.get("/v1/jobs").json()["jobs"]] == [job["id"]]
        wrong = server.client("bfk_not-a-key")
        assert wrong.get("/v1/jobs").status_code == 401
    hashes = {h for (h,) in stored(server.config, "SELECT hash FROM api_keys")}
    assert hashes == {hashlib.sha256(k.encode()).hexdigest() for k in (mine, theirs)}


def test_keys_create_prints_a_new_key_once(tmp_path):
    run = [sys.executable, "-m", "backforge.cli", "keys", "create", "ci-bot", "--data",
           str(tmp_path)]
    done = subprocess.run(run, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    key = done.stdout.splitlines()[0]
    assert key.startswith("bfk_") and len(key) > 40
    with sqlite3.connect(tmp_path / "jobs.sqlite") as db:
        rows = db.execute("SELECT name, hash FROM api_keys").fetchall()
    assert rows == [("ci-bot", hashlib.sha256(key.encode()).hexdigest())]
    again = subprocess.run(run, capture_output=True, text=True, timeout=60, check=False)
    assert again.returncode == 2 and "exists already" in again.stderr


def test_rate_limit_answers_429_with_retry_after(serve):
    server = serve(rate_per_minute=2)
    key = add_key(server.config, "tool")
    with server.client(key) as client:
        codes = [_post(client, "name: x\n").status_code for _ in range(2)]
        limited = _post(client, TASKMANAGER.read_text())
    assert codes == [422, 422]  # counted even when refused: the limit guards the server
    assert limited.status_code == 429 and "2 requests per minute" in limited.json()["detail"]
    assert 1 <= int(limited.headers["Retry-After"]) <= 30


def test_concurrent_job_quota_answers_429_with_retry_after(serve):
    server = serve(workers=1, max_active_jobs=2)
    key, other = add_key(server.config, "tool"), add_key(server.config, "b")
    text = TASKMANAGER.read_text()
    with server.client(key) as client, server.client(other) as b:
        # Jobs take ~1 s on one worker and a submission ~50 ms: the quota is hit well before.
        answers = [_post(client, text) for _ in range(6)]
        codes = [a.status_code for a in answers]
        assert codes[:2] == [201, 201] and 429 in codes, codes
        refused = answers[codes.index(429)]
        assert "at most 2 queued or running jobs" in refused.json()["detail"]
        assert int(refused.headers["Retry-After"]) >= 1
        assert _post(b, text).status_code == 201  # another key's quota is its own
        for a in answers:
            if a.status_code == 201:
                assert wait_for(client, a.json()["id"])["status"] == "succeeded"
        assert _post(client, text).status_code == 201  # free again once they ended


def test_size_and_option_limits_name_the_problem(serve):
    server = serve(max_spec_bytes=4000, max_deadline=60)
    key = add_key(server.config, "tool")
    text = TASKMANAGER.read_text()
    with server.client(key) as client:
        big = _post(client, text + "#" * 5000)
        assert big.status_code == 413 and "4000 bytes" in big.text
        over = _post(client, text, options={"deadline": 61, "concurrency": 999})
        assert over.status_code == 422
        assert "options.deadline: 61 exceeds this server's limit of 60" in over.json()["problems"]
        assert any(p.startswith("options.concurrency") for p in over.json()["problems"])
        # Keys, endpoints and price files are the server's, never a job's.
        for option in ({"api_key_env": "HOME"}, {"base_url": "http://evil"},
                       {"prices": ["/etc/passwd"]}):
            refused = _post(client, text, options=option)
            assert refused.status_code == 422, option
            assert "Extra inputs are not permitted" in refused.text
        llm = _post(client, text, options={"provider": "openai"})
        assert llm.status_code == 422 and "not enabled on this server" in llm.text
        verify = _post(client, text, options={"verify": True})
        assert verify.status_code == 403 and "--allow-verify" in verify.text
        assert _post(client, text, format="cobol").status_code == 422
        assert _post(client, text, name="../../evil.yaml").status_code == 201  # basename only
        assert _post(client, text, name="spec.exe").status_code == 422
        form = client.post("/v1/jobs", files={"file": ("tm.yaml", text.encode())},
                           data={"options": '{"concurrency": 2}'})
        assert form.status_code == 201, form.text
        assert form.json()["options"]["concurrency"] == 2 and form.json()["spec"] == "tm.yaml"
        assert client.post("/v1/jobs", content=text,
                           headers={"content-type": "text/plain"}).status_code == 415


def test_cli_exit_2_cases_answer_422_with_the_cli_message(serve, tmp_path):
    server = serve()
    key = add_key(server.config, "tool")
    refused = sorted((HOSTILE / "refused").glob("native-*.yaml"))
    refused = [p for p in refused if not p.name.endswith(".expect.yaml")][:4]
    assert refused
    with server.client(key) as client:
        for case in refused:
            text = case.read_text()
            answer = _post(client, text, name=case.name)
            (tmp_path / case.name).write_text(text)
            cli = subprocess.run([sys.executable, "-m", "backforge.cli", "generate", case.name,
                                  "-o", "out"], cwd=tmp_path, capture_output=True, text=True,
                                 timeout=120, check=False)
            assert cli.returncode == 2 and answer.status_code == 422, case.name
            message = " ".join(cli.stderr.removeprefix("error: ").split())
            assert " ".join(answer.json()["detail"].split()) == message, case.name
        assert client.get("/v1/jobs").json()["jobs"] == []  # nothing was queued


def test_a_hostile_spec_generates_inertly_and_never_runs(serve):
    server = serve()
    key = add_key(server.config, "tool")
    case = HOSTILE / "inert" / "native-endpoint-summary-js-block.yaml"
    canary = server.config.data_dir / "canary"
    text = case.read_text().replace("@CANARY@", str(canary))
    with server.client(key) as client:
        job = _post(client, text, name=case.name).json()
        done = wait_for(client, job["id"])
        files = client.get(f"/v1/jobs/{job['id']}/files").json()["files"]
    assert done["status"] == "succeeded", done["reason"]
    assert "verify" not in done["result"] and len(files) > 50
    assert not canary.exists()


def test_public_endpoints_and_openapi(serve):
    server = serve()
    with server.client(None) as anon:
        health = anon.get("/health").json()
        stacks = anon.get("/v1/stacks").json()
        spec = anon.get("/openapi.json").json()
    assert health["status"] == "ok" and health["workers"] == 2
    assert "express-js" in stacks["stacks"] and stacks["verify"] is False
    assert stacks["providers"] == ["template"]
    paths = set(spec["paths"])
    assert {"/v1/jobs", "/v1/jobs/{job_id}", "/v1/jobs/{job_id}/events",
            "/v1/jobs/{job_id}/archive", "/v1/jobs/{job_id}/files/{path}",
            "/v1/jobs/{job_id}/cancel", "/v1/stacks", "/health"} <= paths
    body = spec["paths"]["/v1/jobs"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(body)


def test_files_are_plain_text_and_cors_is_only_for_configured_origins(serve):
    server = serve(cors_origins=("https://tool.example.com",))
    key = add_key(server.config, "tool")
    with server.client(key) as client:
        job = _post(client, TASKMANAGER.read_text()).json()
        wait_for(client, job["id"])
        readme = client.get(f"/v1/jobs/{job['id']}/files/README.md")
        assert readme.headers["content-type"].startswith("text/plain")
        assert readme.headers["x-content-type-options"] == "nosniff"
        for origin, allowed in (("https://tool.example.com", True), ("https://evil.example",
                                                                      False)):
            pre = client.options("/v1/jobs", headers={
                "Origin": origin, "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type"})
            got = pre.headers.get("access-control-allow-origin")
            assert (got == origin) is allowed, (origin, pre.status_code, got)


def test_quota_wait_is_the_soonest_expected_end_against_the_median_job():
    recent = [10.0, 30.0, 20.0]  # median 20 s
    assert quota_wait([5.0, 12.0], recent) == 8.0  # the job 12 s in ends first
    assert quota_wait([25.0], recent) == 0.0  # past the median: may end any moment
    assert quota_wait([], recent) == 20.0  # all queued: a whole job must run first
    assert quota_wait([1.0], [], default=7.0) == 6.0  # no history yet
    assert retry_after(0.0) == "1" and retry_after(7.2) == "8"


def test_quota_retry_after_comes_from_the_running_job_and_past_durations(serve):
    server = serve(workers=1, max_active_jobs=1)
    key = add_key(server.config, "tool")
    text = TASKMANAGER.read_text()
    with server.client(key) as client:
        first = _post(client, text).json()["id"]
        wait_for(client, first)
        second = _post(client, text).json()["id"]
        before = time.time()
        refused = _post(client, text)
        after = time.time()
    assert refused.status_code == 429
    ((duration,),) = stored(server.config, "SELECT finished - started FROM jobs WHERE id = ?",
                            first)
    ((started,),) = stored(server.config, "SELECT started FROM jobs WHERE id = ?", second)
    # The second job was queued (wait: a whole median job) or running since `started`.
    if started is None or started > after:
        expected = {retry_after(duration)}
    else:
        expected = {retry_after(duration - (t - started)) for t in (before, after)}
    low, high = min(map(int, expected)), max(map(int, expected))
    assert low <= int(refused.headers["Retry-After"]) <= high, (refused.headers, duration)
