"""The FastAPI application: routes, API-key checks, limits, and the event streams."""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from anyio import to_thread
from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles

from backforge import __version__
from backforge.service.config import ServeConfig
from backforge.service.events import stream as event_stream
from backforge.service.jobs import INPUT, JobRunner
from backforge.service.limits import RateLimiter, quota_wait, retry_after
from backforge.service.store import ApiKey, Job, JobStatus, open_store
from backforge.service.submit import (
    RequestError,
    Submission,
    decode,
    load_spec,
    parse_options,
    spec_file_name,
    spec_text,
)
from backforge.stacks import known_stacks

__all__ = ["create_app"]

STATIC = Path(__file__).parent / "static"
# What a request may carry besides the spec: options, names, multipart framing.
BODY_OVERHEAD = 64 * 1024
log = logging.getLogger("backforge.service")

JOB_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {"type": "object", "required": ["spec"], "properties": {
            "spec": {"description": "spec text (YAML, JSON, SQL DDL, DBML) or a JSON object"},
            "format": {"type": "string", "description": "native, designtool, sql, postgres, "
                                                        "mysql, sqlite, dbml"},
            "filename": {"type": "string", "description": "names the spec; its extension "
                                                          "chooses the format"},
            "options": {"type": "object", "description": "generate options (see the guide)"},
            "base_job": {"type": "string", "description": "regenerate over this job's output"},
        }}},
        "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary"}, "format": {"type": "string"},
            "options": {"type": "string", "description": "JSON object"},
            "base_job": {"type": "string"}}}},
    },
}


class Service:
    """What every route shares: the configuration, the store, the workers, the limits."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.store = open_store(config)
        self.runner = JobRunner(self.store, config, _enqueuer(config))
        self.hub = _hub(config)
        self.limiter = RateLimiter(config.rate_per_minute)

    def key(self, authorization: str | None, x_api_key: str | None) -> ApiKey:
        token = x_api_key
        if authorization and authorization.lower().startswith("bearer "):
            token = authorization[7:].strip()
        found = self.store.key_for(token) if token else None
        if found is None:
            raise HTTPException(401, "a valid API key is required: 'Authorization: Bearer "
                                     "KEY' (create one with `backforge keys create NAME`)",
                                headers={"WWW-Authenticate": "Bearer"})
        return found

    def limit(self, key: ApiKey) -> None:
        wait = self.limiter.take(key.id)
        if wait is not None:
            raise HTTPException(429, f"rate limit: {self.config.rate_per_minute} requests "
                                     "per minute for this key",
                                headers={"Retry-After": retry_after(wait)})

    def own(self, job_id: str, key: ApiKey) -> Job:
        job = self.store.job(job_id, key.id)
        if job is None:  # another key's job is as invisible as a missing one
            raise HTTPException(404, f"no job {job_id}")
        if self.expired(job):  # past its retention, not swept yet: already gone
            raise HTTPException(410, f"job {job_id} has expired: ended jobs are kept "
                                     f"{self.config.retention_days:g} day(s)")
        return job

    def expired(self, job: Job) -> bool:
        keep = self.config.retention
        return keep is not None and job.finished is not None and \
            job.status.terminal and job.finished < time.time() - keep

    def quota_retry_after(self, key: ApiKey) -> str:
        now = time.time()
        running = [now - started for started in self.store.running_since(key.id)]
        return retry_after(quota_wait(running, self.store.durations()))

    def sweep(self) -> list[str]:
        """Delete the jobs past their retention: files first, then events and row, so a
        sweep that fails half-way is finished by the next one."""
        keep = self.config.retention
        if keep is None:
            return []
        cutoff, gone = time.time() - keep, []
        while (batch := self.store.expired(cutoff)) and not set(batch) & set(gone):
            for job_id in batch:
                self.runner.artifacts.delete(job_id)
                shutil.rmtree(self.runner.folder(job_id), ignore_errors=True)
                self.store.delete_job(job_id)
            gone += batch
        return gone


def _enqueuer(config: ServeConfig) -> Any:
    if config.broker is None:
        return None
    # Not at the top: celery is the optional `queue` extra and a measured ~0.3 s import
    # the embedded server never needs.
    from backforge.service.broker import Enqueuer

    return Enqueuer(config)


def _hub(config: ServeConfig) -> Any:
    if config.broker is None:
        return None
    from backforge.service.broker import RedisHub  # not at the top: as _enqueuer

    return RedisHub(config.broker)


def _caller(request: Request, authorization: Annotated[str | None, Header()] = None,
            x_api_key: Annotated[str | None, Header()] = None) -> ApiKey:
    return request.app.state.service.key(authorization, x_api_key)


Key = Annotated[ApiKey, Depends(_caller)]


def create_app(config: ServeConfig) -> FastAPI:
    service = Service(config)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service.runner.start()
        sweeper = asyncio.create_task(_sweeper(service))
        if service.hub is not None:
            await service.hub.start()
        yield
        sweeper.cancel()
        if service.hub is not None:
            await service.hub.stop()
        await to_thread.run_sync(service.runner.shutdown)
        service.store.close()

    app = FastAPI(title="backforge", version=__version__, lifespan=lifespan,
                  description="The backforge generator as a service: submit a spec, follow "
                              "its units live, download the validated project.")
    app.state.service = service
    if config.cors_origins:  # a design tool's web page on another origin calls the API
        app.add_middleware(CORSMiddleware, allow_origins=list(config.cors_origins),
                           allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "X-API-Key", "Content-Type",
                                          "Last-Event-ID"])

    @app.exception_handler(RequestError)
    async def request_error(_: Request, exc: RequestError) -> JSONResponse:
        return JSONResponse({"detail": exc.message, "problems": exc.problems},
                            status_code=exc.status)

    _routes(app, service)
    _job_routes(app, service)
    if STATIC.is_dir():
        app.mount("/ui", StaticFiles(directory=STATIC, html=True), name="ui")
    return app


def _routes(app: FastAPI, service: Service) -> None:
    @app.get("/health")
    def health() -> dict[str, Any]:
        return {"status": "ok", "version": __version__,
                "workers": "queue" if service.config.broker else service.config.workers,
                "jobs": service.store.counts()}

    @app.get("/v1/stacks")
    def stacks() -> dict[str, Any]:
        return {"stacks": known_stacks(), "providers": list(service.config.providers),
                "verify": service.config.allow_verify}

    @app.get("/", include_in_schema=False)
    def root() -> Response:
        return Response(status_code=307, headers={"Location": "/ui/"})

    @app.post("/v1/jobs", status_code=201, openapi_extra={"requestBody": JOB_BODY})
    async def submit(request: Request, key: Key) -> JSONResponse:
        service.limit(key)
        if service.store.active_count(key.id) >= service.config.max_active_jobs:
            raise HTTPException(429, f"quota: at most {service.config.max_active_jobs} "
                                     "queued or running jobs per key",
                                headers={"Retry-After": service.quota_retry_after(key)})
        sub, raw_options, base_job = await _read_submission(request, service.config)
        options = parse_options(raw_options, service.config)
        if base_job is not None:
            base = service.store.job(str(base_job), key.id)
            if base is None:
                raise RequestError(404, f"base_job: no job {base_job}")
            if service.expired(base):
                raise RequestError(410, f"base_job: job {base_job} has expired")
            if base.status is not JobStatus.SUCCEEDED:
                raise RequestError(409, f"base_job: job {base_job} is {base.status.value}; "
                                        "only a succeeded job can be a base")
        job_id = uuid.uuid4().hex
        folder = service.runner.folder(job_id)
        try:
            await to_thread.run_sync(load_spec, folder / INPUT, sub)
        except RequestError:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        service.store.add_job(job_id, key.id, sub.name, sub.fmt,
                              options.model_dump(), base_job)
        service.runner.submit(job_id)
        job = service.store.job(job_id)
        return JSONResponse(job.to_dict() if job else {}, status_code=201,
                            headers={"Location": f"/v1/jobs/{job_id}"})


async def _read_submission(request: Request, config: ServeConfig
                           ) -> tuple[Submission, Any, str | None]:
    body = await _bounded_body(request, config.max_spec_bytes + BODY_OVERHEAD)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        # The stream is consumed: starlette parses the form from the cached body.
        request._body = body
        form = await request.form(max_files=1, max_fields=8,
                                  max_part_size=config.max_spec_bytes + 1)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise RequestError(422, "file: upload the spec as the 'file' field")
        text = decode(await upload.read(), config)
        fmt = _form_str(form.get("format"))
        raw = _form_str(form.get("options"))
        try:
            options = json.loads(raw) if raw else None
        except json.JSONDecodeError as exc:
            raise RequestError(422, f"options: not JSON ({exc.msg})") from None
        name = spec_file_name(text, upload.filename, fmt)
        return Submission(text, name, fmt), options, _form_str(form.get("base_job"))
    if kind != "application/json":
        raise RequestError(415, "send application/json ({\"spec\": ...}) or "
                                "multipart/form-data (a 'file' field)")
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise RequestError(422, "body: not a JSON object") from None
    if not isinstance(data, dict) or "spec" not in data:
        raise RequestError(422, "body: a JSON object with 'spec' is required")
    unknown = set(data) - {"spec", "format", "filename", "options", "base_job"}
    if unknown:
        raise RequestError(422, f"body: unknown field(s) {', '.join(sorted(unknown))}")
    text = decode(spec_text(data["spec"]).encode(), config)
    fmt, filename = data.get("format"), data.get("filename")
    if not isinstance(fmt, str | None) or not isinstance(filename, str | None):
        raise RequestError(422, "format and filename must be strings")
    if isinstance(data["spec"], dict) and fmt is None and filename is None:
        filename = "spec.json"
    base = data.get("base_job")
    return Submission(text, spec_file_name(text, filename, fmt), fmt), data.get("options"), \
        str(base) if base is not None else None


def _form_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


async def _bounded_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise RequestError(413, f"request: {declared} bytes exceeds this server's limit of "
                                f"{limit} bytes (spec limit plus {BODY_OVERHEAD} for options)")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestError(413, f"request: more than {limit} bytes (this server's spec "
                                    "limit plus room for options)")
        chunks.append(chunk)
    return b"".join(chunks)


def _job_routes(app: FastAPI, service: Service) -> None:
    @app.get("/v1/jobs")
    def jobs(key: Key) -> dict[str, Any]:
        return {"jobs": [j.to_dict() for j in service.store.jobs_of(key.id)]}

    @app.get("/v1/jobs/{job_id}")
    def job(job_id: str, key: Key) -> dict[str, Any]:
        return service.own(job_id, key).to_dict()

    @app.post("/v1/jobs/{job_id}/cancel", status_code=202)
    def cancel(job_id: str, key: Key) -> dict[str, Any]:
        service.limit(key)
        found = service.own(job_id, key)
        if found.status.terminal or not service.runner.cancel(job_id):
            raise HTTPException(409, f"job {job_id} has already ended "
                                     f"({service.store.job(job_id).status.value})")
        return service.store.job(job_id).to_dict()

    @app.get("/v1/jobs/{job_id}/events")
    async def events(job_id: str, key: Key, request: Request,
                     last_event_id: Annotated[str | None, Header()] = None) -> StreamingResponse:
        service.own(job_id, key)
        after = int(last_event_id) if last_event_id and last_event_id.isdigit() else 0
        return StreamingResponse(event_stream(service.store, service.config, job_id, after,
                                               request, service.hub),
                                 media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache",
                                          "X-Accel-Buffering": "no"})

    @app.get("/v1/jobs/{job_id}/archive")
    async def archive(job_id: str, key: Key) -> Response:
        found = _ended(service, job_id, key)
        data = await to_thread.run_sync(service.runner.artifacts.archive, found.id)
        return Response(data, media_type="application/zip", headers={
            "Content-Disposition": f'attachment; filename="backforge-{job_id}.zip"'})

    @app.get("/v1/jobs/{job_id}/files")
    def files(job_id: str, key: Key) -> dict[str, Any]:
        found = _ended(service, job_id, key)
        return {"files": service.runner.artifacts.list_files(found.id)}

    @app.get("/v1/jobs/{job_id}/files/{path:path}")
    def file(job_id: str, path: str, key: Key) -> Response:
        found = _ended(service, job_id, key)
        data = service.runner.artifacts.get(found.id, path)
        if data is None:
            raise HTTPException(404, f"no file {path} in job {job_id}")
        # Always text, never sniffed: a generated HTML or SVG file must not run in the
        # browser of whoever views it here.
        return Response(data, media_type="text/plain; charset=utf-8",
                        headers={"X-Content-Type-Options": "nosniff"})


def _ended(service: Service, job_id: str, key: ApiKey) -> Job:
    found = service.own(job_id, key)
    if not found.status.terminal:
        raise HTTPException(409, f"job {job_id} is {found.status.value}; its files are "
                                 "ready when it ends", headers={"Retry-After": "1"})
    return found


async def _sweeper(service: Service) -> None:
    """Delete expired jobs at start-up and then every sweep_interval seconds."""
    while True:
        try:
            gone = await to_thread.run_sync(service.sweep)
            if gone:
                log.info("deleted %d expired job(s)", len(gone))
        except Exception:  # a failed sweep (store busy, S3 down) is retried next time
            log.exception("sweeping expired jobs failed")
        await asyncio.sleep(service.config.sweep_interval)
