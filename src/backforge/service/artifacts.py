"""Where a finished job's output lives: the `ArtifactStore` interface and its two stores.

A job always generates into a local working folder (the engine merges, locks and
validates on a real file system); when it ends, `put` hands that folder to the store.
The routes read the file list, one file and the zip archive back through `list_files`,
`get` and `archive`; a regeneration copies its base job's output out with `download`;
expiry removes everything of a job with `delete`.

- `LocalArtifacts` (the default): the working folder *is* the artifact, under
  `DATA/jobs/ID/output`; `put` keeps it where it is and the archive is built on request.
- `S3Artifacts`: any S3-compatible object store (boto3, the `s3` extra). `put` uploads
  every file under `PREFIX/ID/output/` and the archive as `PREFIX/ID/archive.zip`; the
  runner then drops the working copy, so API processes and workers on other hosts read
  the same artifacts.

Paths from a request never leave the job: `..`, absolute paths, backslashes, NUL and
(locally) symlinks that resolve outside are refused, and a store key is only ever built
from the job's own prefix plus such a checked path. The zip is deterministic (sorted
names, fixed times), so the same output always gives the same archive bytes.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any, Protocol
from urllib.parse import urlsplit

from backforge.errors import InputError

__all__ = ["ArtifactStore", "LocalArtifacts", "S3Artifacts", "file_list", "open_artifacts",
           "resolve", "s3_location", "safe_path", "zip_folder"]

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
OUTPUT = "output"
ARCHIVE = "archive.zip"
LOCK = "lock"  # the generator's folder lock (.backforge/lock): never part of a base copy
_JOB_ID = re.compile(r"^[0-9a-f]{32}$")


class ArtifactStore(Protocol):
    """A finished job's output files and their zip archive, by job id."""

    # True when `put` leaves the artifacts in the working folder (nothing to clean up).
    keeps_working_folder: bool

    def put(self, job_id: str, output: Path) -> None:
        """Store the job's output folder (and its archive) once the job has ended."""

    def list_files(self, job_id: str) -> list[str]:
        """The output's file paths, sorted; [] for an unknown job."""

    def get(self, job_id: str, path: str) -> bytes | None:
        """One output file's bytes; None when missing or when `path` leaves the job."""

    def archive(self, job_id: str) -> bytes:
        """The output as a deterministic zip (empty archive for no files)."""

    def download(self, job_id: str, dest: Path) -> bool:
        """Copy the output into `dest` (for a regeneration); False when there is none."""

    def delete(self, job_id: str) -> None:
        """Remove everything stored for the job; a missing job is not an error."""


def open_artifacts(jobs_dir: Path, url: str | None, endpoint: str | None = None) -> ArtifactStore:
    """The store a server's configuration names: `s3://BUCKET[/PREFIX]`, else local."""
    if url is None:
        return LocalArtifacts(jobs_dir)
    return S3Artifacts(*s3_location(url), endpoint)


def s3_location(url: str) -> tuple[str, str]:
    """(bucket, prefix) of `s3://BUCKET[/PREFIX]`; InputError naming the form otherwise."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
        raise InputError(f"--artifacts-s3: '{url}' is not an s3://BUCKET[/PREFIX] URL")
    return parts.netloc, parts.path.strip("/")


def safe_path(requested: str) -> PurePosixPath | None:
    """`requested` as a relative path that stays inside its folder, or None."""
    if not requested or "\\" in requested or "\0" in requested:
        return None
    rel = PurePosixPath(requested)
    if rel.is_absolute() or not rel.parts or ".." in rel.parts:
        return None
    return rel


def _job(job_id: str) -> str:
    if not _JOB_ID.match(job_id):  # ids are ours (uuid4 hex); anything else is a bug
        raise ValueError(f"not a job id: {job_id!r}")
    return job_id


def file_list(root: Path) -> list[str]:
    if not root.is_dir():
        return []
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            out.append((Path(dirpath) / name).relative_to(root).as_posix())
    return sorted(out)


def zip_folder(root: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for rel in file_list(root):
            path = root / rel
            if path.is_symlink():
                continue  # generated output holds none; never follow one out of the folder
            info = zipfile.ZipInfo(rel, FIXED_TIME)
            info.external_attr = (path.stat().st_mode & 0o777 | 0o100000) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def _empty_zip() -> bytes:
    buffer = io.BytesIO()
    zipfile.ZipFile(buffer, "w").close()
    return buffer.getvalue()


def resolve(root: Path, requested: str) -> Path | None:
    """The file `requested` names inside `root`, or None (missing, or outside the folder)."""
    rel = safe_path(requested)
    if rel is None:
        return None
    target = (root / rel).resolve()
    try:
        target.relative_to(root.resolve())
    except ValueError:
        return None
    return target if target.is_file() else None


class LocalArtifacts:
    """Artifacts in the local job folders: `JOBS/ID/output` (the default)."""

    keeps_working_folder = True

    def __init__(self, jobs_dir: Path) -> None:
        self.jobs_dir = jobs_dir

    def output(self, job_id: str) -> Path:
        return self.jobs_dir / _job(job_id) / OUTPUT

    def put(self, job_id: str, output: Path) -> None:
        if output.resolve() != self.output(job_id).resolve():
            raise ValueError(f"job {job_id}: local artifacts live in {self.output(job_id)}")

    def list_files(self, job_id: str) -> list[str]:
        return file_list(self.output(job_id))

    def get(self, job_id: str, path: str) -> bytes | None:
        target = resolve(self.output(job_id), path)
        return target.read_bytes() if target is not None else None

    def archive(self, job_id: str) -> bytes:
        return zip_folder(self.output(job_id))

    def download(self, job_id: str, dest: Path) -> bool:
        source = self.output(job_id)
        if not source.is_dir():
            return False
        shutil.copytree(source, dest, symlinks=True, ignore=shutil.ignore_patterns(LOCK))
        return True

    def delete(self, job_id: str) -> None:
        shutil.rmtree(self.jobs_dir / _job(job_id), ignore_errors=True)


class S3Artifacts:
    """Artifacts in an S3-compatible bucket under `PREFIX/ID/`. Credentials come from
    boto3's usual chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, a role);
    `endpoint` points it at MinIO, Ceph, R2 or any other S3-compatible server."""

    keeps_working_folder = False

    def __init__(self, bucket: str, prefix: str = "", endpoint: str | None = None,
                 client: Any = None) -> None:
        if client is None:
            # Not at the top: boto3 is the optional `s3` extra and a ~0.4 s import that
            # the default local store never needs.
            import boto3

            client = boto3.client("s3", endpoint_url=endpoint)
        self.client, self.bucket = client, bucket
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""

    def _key(self, job_id: str, rest: str) -> str:
        return f"{self.prefix}{_job(job_id)}/{rest}"

    def _keys(self, prefix: str) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix)
        return [o["Key"] for page in pages for o in page.get("Contents", ())]

    def _read(self, key: str) -> bytes | None:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except self.client.exceptions.NoSuchKey:
            return None

    def put(self, job_id: str, output: Path) -> None:
        for rel in file_list(output):
            path = output / rel
            if not path.is_symlink():
                self.client.put_object(Bucket=self.bucket, Key=self._key(job_id, f"{OUTPUT}/{rel}"),
                                       Body=path.read_bytes())
        # Last: a job's archive present means its upload completed.
        self.client.put_object(Bucket=self.bucket, Key=self._key(job_id, ARCHIVE),
                               Body=zip_folder(output), ContentType="application/zip")

    def list_files(self, job_id: str) -> list[str]:
        base = self._key(job_id, f"{OUTPUT}/")
        return sorted(k[len(base):] for k in self._keys(base))

    def get(self, job_id: str, path: str) -> bytes | None:
        rel = safe_path(path)
        if rel is None:
            return None
        return self._read(self._key(job_id, f"{OUTPUT}/{rel.as_posix()}"))

    def archive(self, job_id: str) -> bytes:
        data = self._read(self._key(job_id, ARCHIVE))
        return data if data is not None else _empty_zip()

    def download(self, job_id: str, dest: Path) -> bool:
        files = self.list_files(job_id)
        if not files:
            return False
        for name in files:
            rel = safe_path(name)
            if rel is not None and rel.name == LOCK:
                continue  # the folder lock of the base run, as LocalArtifacts skips it
            data = self.get(job_id, name) if rel is not None else None
            if data is None:
                continue  # a key no job of ours wrote (or removed meanwhile): not copied
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            (dest / rel).write_bytes(data)
        return True

    def delete(self, job_id: str) -> None:
        keys = self._keys(self._key(job_id, ""))
        for start in range(0, len(keys), 1000):  # the API's batch limit
            self.client.delete_objects(Bucket=self.bucket, Delete={
                "Objects": [{"Key": k} for k in keys[start:start + 1000]], "Quiet": True})
