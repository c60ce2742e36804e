"""deploy/compose: there is no Docker daemon here, so the compose file is checked for what
would break it — every service healthy-checked, the commands real `backforge` subcommands
with real flags, the environment the names the configuration reads, secrets only from the
environment, the artifact volume shared — and (slow) its api and worker commands are run
as processes with its own environment against a real PostgreSQL and a password-protected
Redis, and a job goes through."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import yaml

from backforge.cli import _parser
from backforge.service import ServeConfig, create_app
from backforge.service.config import BROKER_ENV, DATA_ENV, STORE_ENV
from backforge.verify.postgres import EphemeralPostgres, find_bin
from tests.service.conftest import TASKMANAGER, free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "deploy" / "compose"
SECRETS = {"POSTGRES_PASSWORD": "pg-secret-1", "REDIS_PASSWORD": "redis-secret-2"}
BACKFORGE = ("api", "worker")


def interpolate(value, env: dict[str, str]):
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}, through lists and mappings."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def one(m: re.Match) -> str:
        name, op, arg = m.group(1), m.group(2), m.group(3) or ""
        if env.get(name):
            return env[name]
        if op == ":?":
            raise KeyError(f"{name}: {arg}")
        return arg if op == ":-" else ""

    return re.sub(r"\$\{(\w+)(:[-?])?([^}]*)\}", one, value)


def services(env: dict[str, str] | None = None) -> dict:
    raw = yaml.safe_load((COMPOSE / "docker-compose.yml").read_text())["services"]
    return interpolate(raw, {**SECRETS, **(env or {})})


def test_every_service_is_health_checked_and_waits_for_what_it_needs():
    found = services()
    assert set(found) == {"api", "worker", "postgres", "redis"}
    for name, service in found.items():
        test = service["healthcheck"]["test"]
        assert test[0] in ("CMD", "CMD-SHELL") and len(test) > 1, name
    for name in BACKFORGE:
        needs = found[name]["depends_on"]
        assert needs == {"postgres": {"condition": "service_healthy"},
                         "redis": {"condition": "service_healthy"}}, name
    assert found["worker"]["deploy"]["replicas"] >= 2
    assert "8000" in found["api"]["healthcheck"]["test"][-1]
    assert "/health" in found["api"]["healthcheck"]["test"][-1]
    assert {route.path for route in create_app(ServeConfig()).routes} >= {"/health"}


def test_commands_are_real_subcommands_with_real_flags_and_the_env_is_what_config_reads():
    found = services()
    for name in BACKFORGE:
        command, env = found[name]["command"], found[name]["environment"]
        assert command[0] == "backforge" and command[1] in ("serve", "worker"), name
        args = _parser().parse_args(command[1:])  # SystemExit on any unknown flag
        assert args.command == command[1]
        assert {k for k in env if k.startswith("BACKFORGE_")} == {DATA_ENV, STORE_ENV,
                                                                  BROKER_ENV}, name
        volumes = found[name]["volumes"]
        assert volumes == [f"artifacts:{env[DATA_ENV]}"], name  # the shared job folders
    api, worker = found["api"]["environment"], found["worker"]["environment"]
    assert api[STORE_ENV] == worker[STORE_ENV] and api[BROKER_ENV] == worker[BROKER_ENV]
    serve_args = _parser().parse_args(found["api"]["command"][1:])
    # Listening on the container's interfaces, on the port compose publishes.
    assert serve_args.host == "0.0.0.0"
    assert found["api"]["ports"][0].rsplit(":", 1)[1] == str(serve_args.port)


def test_urls_point_at_the_services_with_the_secrets_from_the_environment():
    found = services()
    pg, redis = found["postgres"]["environment"], found["redis"]
    store = urlsplit(found["api"]["environment"][STORE_ENV])
    assert (store.scheme, store.hostname, store.port) == ("postgresql", "postgres", 5432)
    assert store.username == pg["POSTGRES_USER"] and store.path == "/" + pg["POSTGRES_DB"]
    assert store.password == pg["POSTGRES_PASSWORD"] == SECRETS["POSTGRES_PASSWORD"]
    broker = urlsplit(found["api"]["environment"][BROKER_ENV])
    assert (broker.scheme, broker.hostname, broker.port) == ("redis", "redis", 6379)
    command = redis["command"]
    assert command[command.index("--requirepass") + 1] == broker.password \
        == SECRETS["REDIS_PASSWORD"] == redis["environment"]["REDISCLI_AUTH"]
    # No default for a secret: without it in the environment, compose refuses to start.
    for secret in SECRETS:
        with pytest.raises(KeyError, match=secret):
            interpolate(yaml.safe_load((COMPOSE / "docker-compose.yml").read_text()),
                        {k: v for k, v in SECRETS.items() if k != secret})
    example = (COMPOSE / "env.example").read_text()
    assert all(re.search(rf"^{s}=$", example, re.MULTILINE) for s in SECRETS)  # blank, not a default
    assert (COMPOSE / ".gitignore").read_text().split() == [".env"]


def test_the_image_installs_extras_that_exist_and_runs_unprivileged():
    dockerfile = (COMPOSE / "Dockerfile").read_text()
    extras = re.search(r"pip install [^\n]*'\.\[([\w,]+)\]'", dockerfile).group(1).split(",")
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    assert set(extras) <= set(declared)
    assert any("psycopg" in d for e in extras for d in declared[e])
    assert any("celery" in d for e in extras for d in declared[e])
    for source in re.findall(r"^COPY (.+) \S+$", dockerfile, re.MULTILINE):
        for path in source.split():
            assert (ROOT / path).exists(), path
    users = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    assert f"ENV {DATA_ENV}=/data" in dockerfile


def _local_env(pg_port: int, redis_port: int, data: Path) -> dict[str, str]:
    """The api/worker environment of the compose file, with the services' host names
    mapped to this machine's ports and the data volume to a folder."""
    env = services()["worker"]["environment"]
    env[STORE_ENV] = env[STORE_ENV].replace("@postgres:5432/", f"@127.0.0.1:{pg_port}/")
    env[BROKER_ENV] = env[BROKER_ENV].replace("@redis:6379/", f"@127.0.0.1:{redis_port}/")
    env[DATA_ENV] = str(data)
    return {**os.environ, **{k: str(v) for k, v in env.items()}}


def _command(name: str, port: int) -> list[str]:
    command = services()[name]["command"][1:]
    if name == "api":  # this machine's loopback, a free port
        command[command.index("--host") + 1] = "127.0.0.1"
        command[command.index("--port") + 1] = str(port)
    return [sys.executable, "-m", "backforge.cli", *command]


@pytest.mark.slow
def test_the_compose_commands_run_a_job_with_the_compose_environment(tmp_path):
    if find_bin("initdb") is None:
        pytest.skip("SKIPPED LOUDLY: PostgreSQL binaries (initdb) are not installed")
    redis_port, api_port = free_port(), free_port()
    redis = subprocess.Popen(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1",
                              "--save", "", "--dir", str(tmp_path), *services()["redis"][
                                  "command"][-2:]],
                             stdout=subprocess.DEVNULL, start_new_session=True)
    procs: list[subprocess.Popen] = [redis]
    try:
        with EphemeralPostgres(user="backforge", database="backforge") as pg:
            env = _local_env(pg.port, redis_port, tmp_path / "data")
            log = (tmp_path / "processes.log").open("ab")
            for name in ("worker", "api"):
                procs.append(subprocess.Popen(_command(name, api_port), env=env, stdout=log,
                                              stderr=subprocess.STDOUT,
                                              start_new_session=True))
            url = f"http://127.0.0.1:{api_port}"
            end = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(url + "/health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < end and procs[-1].poll() is None, \
                    (tmp_path / "processes.log").read_text()[-3000:]
                time.sleep(0.2)
            key = subprocess.run([sys.executable, "-m", "backforge.cli", "keys", "create",
                                  "tool"], env=env, capture_output=True, text=True,
                                 check=True).stdout.split()[0]
            with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"},
                              timeout=60) as client:
                job = client.post("/v1/jobs", json={"spec": TASKMANAGER.read_text(),
                                                    "filename": "tm.yaml"}).json()
                final = wait_for(client, job["id"], timeout=300)
                files = client.get(f"/v1/jobs/{job['id']}/files").json()["files"]
            assert final["status"] == "succeeded", (tmp_path / "processes.log").read_text()[
                -3000:]
            assert "src/app.js" in files
            assert (tmp_path / "data" / "jobs" / job["id"] / "output" / "src" / "app.js"
                    ).is_file()  # written by the worker into the shared folder
            assert not (tmp_path / "data" / "jobs.sqlite").exists()  # the store is PostgreSQL
            for proc in procs[1:]:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(60)
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(30)
