"""The generator as an HTTP service (`backforge serve`): jobs, API keys, events, artifacts.

Owns the job store (SQLite, WAL; or PostgreSQL to share it between hosts), the bounded in-process worker pool that runs jobs
through `backforge.api`, the API keys with their rate limits and quotas, and the FastAPI
application (`/v1/jobs`, server-sent events, archives, the static web UI). It depends on
`backforge.api` and never the other way: the library and the CLI know nothing of it.
Needs the `serve` extra (FastAPI, uvicorn, python-multipart).

    app = create_app(ServeConfig(data_dir=Path("serve-data")))
"""

from backforge.service.app import create_app
from backforge.service.config import ServeConfig
from backforge.service.store import JobStore, create_key, open_store

__all__ = ["JobStore", "ServeConfig", "create_app", "create_key", "open_store"]
