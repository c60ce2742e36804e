"""The artifact stores behind one interface: the local folder and an S3-compatible store.

There is no MinIO here (registries only, no docker), so the S3-compatible endpoint is
moto's standalone server (`ThreadedMotoServer`): a real HTTP server on 127.0.0.1 that
speaks the S3 REST API, reached by boto3 exactly as a MinIO or AWS endpoint would be.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from backforge.service.artifacts import LocalArtifacts, S3Artifacts, open_artifacts, zip_folder
from tests.service.conftest import TASKMANAGER, add_key, free_port, wait_for
from tests.service.test_broker import redis_url  # noqa: F401 (the fixture)

BUCKET = "backforge-artifacts"
HOSTILE = ["../x/output/secret.txt", "../../jobs.sqlite", "/etc/passwd", "src/../../x",
           "..", ".", "", "src\\..\\..\\secret.txt", "src/a\0.js", "./../secret.txt"]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_env(monkeypatch, s3_endpoint):
    # moto accepts any credentials; boto3 needs some and a region to sign requests.
    for name, value in (("AWS_ACCESS_KEY_ID", "backforge-test"),
                        ("AWS_SECRET_ACCESS_KEY", "backforge-test"),
                        ("AWS_DEFAULT_REGION", "us-east-1")):
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint)
    if BUCKET not in {b["Name"] for b in client.list_buckets()["Buckets"]}:
        client.create_bucket(Bucket=BUCKET)
    return client


def _job() -> str:
    return uuid.uuid4().hex


def _output(root: Path) -> Path:
    files = {"src/app.js": "'use strict';\n", "README.md": "# x\n", ".backforge/lock": "",
             "migrations/0001_init.up.sql": "CREATE TABLE t (id int);\n"}
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return LocalArtifacts(tmp_path / "jobs")
    request.getfixturevalue("s3_env")
    return S3Artifacts(BUCKET, f"t-{uuid.uuid4().hex[:8]}/jobs",
                       request.getfixturevalue("s3_endpoint"))


def _put(store, tmp_path: Path, job_id: str) -> Path:
    # Local artifacts are the job's own working folder; S3 takes any folder.
    root = store.output(job_id) if isinstance(store, LocalArtifacts) else tmp_path / job_id
    root.mkdir(parents=True)
    return _output(root)


def test_both_stores_keep_list_read_archive_copy_and_delete_a_job(store, tmp_path):
    job, other = _job(), _job()
    out = _put(store, tmp_path, job)
    store.put(job, out)
    expected = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert store.list_files(job) == expected
    assert store.get(job, "src/app.js") == b"'use strict';\n"
    assert store.get(job, "src/missing.js") is None and store.get(job, "src") is None
    assert store.archive(job) == zip_folder(out)  # deterministic: the same bytes
    with zipfile.ZipFile(io.BytesIO(store.archive(job))) as z:
        assert sorted(z.namelist()) == expected
    copy = tmp_path / "copy"
    assert store.download(job, copy)
    copied = sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*") if p.is_file())
    assert copied == [p for p in expected if p != ".backforge/lock"]
    assert store.list_files(other) == [] and not store.download(other, tmp_path / "none")
    store.delete(job)
    assert store.list_files(job) == [] and store.get(job, "src/app.js") is None
    store.delete(job)  # again: not an error


def test_no_path_leaves_the_job_in_either_store(store, tmp_path):
    job, other = _job(), _job()
    for j in (job, other):
        store.put(j, _put(store, tmp_path, j))
    # What a hostile path would reach: the other job's file, the parent's secret.
    if isinstance(store, LocalArtifacts):
        (store.jobs_dir / "secret.txt").write_text("secret")
        (store.jobs_dir / job / "secret.txt").write_text("secret")
    else:
        store.client.put_object(Bucket=BUCKET, Key=f"{store.prefix}secret.txt", Body=b"secret")
        store.client.put_object(Bucket=BUCKET, Key=f"{store.prefix}{job}/secret.txt",
                                Body=b"secret")
    hostile = [*HOSTILE, f"../{other}/output/src/app.js", f"../../{other}/output/README.md"]
    for path in hostile:
        assert store.get(job, path) is None, path
    with pytest.raises(ValueError):
        store.get("../" + job, "src/app.js")  # a job id is never a path
    assert store.get(job, "src/app.js") is not None


def test_open_artifacts_takes_only_s3_urls(tmp_path):
    assert isinstance(open_artifacts(tmp_path, None), LocalArtifacts)
    with pytest.raises(Exception, match="s3://BUCKET"):
        open_artifacts(tmp_path, "file:///tmp/x")


def test_the_service_serves_files_archive_and_regeneration_from_s3(serve, s3_env, s3_endpoint):
    prefix = f"svc-{uuid.uuid4().hex[:8]}"
    server = serve(artifacts_url=f"s3://{BUCKET}/{prefix}", s3_endpoint=s3_endpoint)
    key = add_key(server.config, "tool")
    text = TASKMANAGER.read_text()
    changed = text.replace("      - {name: title,",
                           "      - {name: priority_note, type: string}\n"
                           "      - {name: title,", 1)
    with server.client(key) as client:
        base = client.post("/v1/jobs", json={"spec": text, "filename": "tm.yaml"}).json()
        assert wait_for(client, base["id"])["status"] == "succeeded"
        # The working copy is gone: every answer below comes from the bucket.
        assert not (server.config.jobs_dir / base["id"] / "output").exists()
        files = client.get(f"/v1/jobs/{base['id']}/files").json()["files"]
        keys = s3_env.list_objects_v2(Bucket=BUCKET, Prefix=f"{prefix}/{base['id']}/")
        stored = {o["Key"] for o in keys["Contents"]}
        assert stored == {f"{prefix}/{base['id']}/output/{f}" for f in files} | \
            {f"{prefix}/{base['id']}/archive.zip"}
        app = client.get(f"/v1/jobs/{base['id']}/files/src/app.js")
        assert app.status_code == 200 and app.text.startswith("'use strict'")
        assert app.headers["content-type"].startswith("text/plain")
        with zipfile.ZipFile(io.BytesIO(client.get(f"/v1/jobs/{base['id']}/archive").content)) \
                as z:
            assert sorted(z.namelist()) == files
            assert z.read("src/app.js") == app.content
        for path in ("%2e%2e/archive.zip", "..%2f..%2fsecret", "%2fetc%2fpasswd",
                     "src/%2e%2e/%2e%2e/archive.zip", "src/nothing.js"):
            assert client.get(f"/v1/jobs/{base['id']}/files/{path}").status_code == 404, path
        again = client.post("/v1/jobs", json={"spec": changed, "filename": "tm.yaml",
                                              "base_job": base["id"]}).json()
        done = wait_for(client, again["id"])
        assert done["status"] == "succeeded", done["reason"]
        assert "priority_note" in str(done["result"]["impact"])
        after = client.get(f"/v1/jobs/{again['id']}/files").json()["files"]
        added = sorted(set(after) - set(files))
        assert [f for f in added if f.startswith("migrations/")] and \
            all("priority_note" in f for f in added if f.startswith("migrations/")), added


@pytest.mark.parametrize("args, message", [
    (["--artifacts-s3", "file:///srv/x"], "s3://BUCKET"),
    (["--artifacts-s3", "s3://"], "s3://BUCKET"),
    (["--retention-days", "-1"], "--retention-days"),
])
def test_bad_serve_options_exit_2_before_anything_is_written(tmp_path, args, message):
    done = subprocess.run([sys.executable, "-m", "backforge.cli", "serve", "--data",
                           str(tmp_path / "data"), *args], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert not (tmp_path / "data").exists()


@pytest.mark.slow  # Redis and a Celery worker process: ~10 s on a busy machine
def test_celery_workers_put_artifacts_in_s3_and_the_api_serves_them(
        serve, s3_env, s3_endpoint, request, tmp_path):
    broker = request.getfixturevalue("redis_url")  # test_broker's fixture
    prefix = f"queue-{uuid.uuid4().hex[:8]}"
    url = f"s3://{BUCKET}/{prefix}"
    server = serve(broker=broker, visibility_timeout=30, artifacts_url=url,
                   s3_endpoint=s3_endpoint)
    key = add_key(server.config, "tool")
    log = tmp_path / "worker.log"
    # The worker inherits the AWS_* variables the s3_env fixture set in this process.
    worker = subprocess.Popen(
        [sys.executable, "-m", "backforge.cli", "worker", "--data", str(server.config.data_dir),
         "--broker", broker, "--concurrency", "1", "--artifacts-s3", url,
         "--s3-endpoint", s3_endpoint,
         *(["--store", server.config.store] if server.config.store else [])],
        stdout=log.open("ab"), stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        with server.client(key) as client:
            job_id = client.post("/v1/jobs", json={"spec": TASKMANAGER.read_text(),
                                                   "filename": "tm.yaml"}).json()["id"]
            done = wait_for(client, job_id, timeout=300)
            assert done["status"] == "succeeded", log.read_text()[-3000:]
            files = client.get(f"/v1/jobs/{job_id}/files").json()["files"]
            app = client.get(f"/v1/jobs/{job_id}/files/src/app.js")
            archive = client.get(f"/v1/jobs/{job_id}/archive").content
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(60)
    assert not (server.config.jobs_dir / job_id / "output").exists()
    listed = s3_env.list_objects_v2(Bucket=BUCKET, Prefix=f"{prefix}/{job_id}/output/")
    assert sorted(o["Key"].split("/output/", 1)[1] for o in listed["Contents"]) == files
    assert app.status_code == 200 and app.text.startswith("'use strict'")
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        assert sorted(z.namelist()) == files
