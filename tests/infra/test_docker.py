"""Docker files of the express-js stack: static checks plus real runs of the
entrypoint script and of the image's HEALTHCHECK command."""

from __future__ import annotations

import json
import re
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from .conftest import CASES, Rendered, infra_context, load_project, render_infra, require_tool

DOCKER_FILES = ("Dockerfile", "docker-compose.yml", ".dockerignore", "docker-entrypoint.sh")
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message} as compose reads them.
COMPOSE_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


def test_docker_files_are_rendered(rendered: Rendered):
    for name in DOCKER_FILES:
        assert rendered.files[name].strip(), name


def test_rendering_is_deterministic():
    for case in CASES.values():
        context = infra_context(load_project(case.spec), case.extra_env)
        assert render_infra(context) == render_infra(context)


# ---------------------------------------------------------------- compose


def compose(rendered: Rendered) -> dict:
    return yaml.safe_load(rendered.text("docker-compose.yml"))


def interpolate(value: str, env: dict[str, str]) -> str:
    """Resolve compose-style variables; fails on a `$` compose would reject."""
    out, pos = [], 0
    while (start := value.find("$", pos)) != -1:
        out.append(value[pos:start])
        if value.startswith("$$", start):
            out.append("$")
            pos = start + 2
            continue
        match = COMPOSE_VAR.match(value, start)
        assert match, f"malformed interpolation at {value[start:]!r}"
        name, op, default = match.groups()
        out.append(env.get(name) or (default if op and "-" in op else ""))
        pos = match.end()
    out.append(value[pos:])
    return "".join(out)


def test_compose_services_and_db_health(rendered: Rendered):
    doc = compose(rendered)
    assert set(doc["services"]) == {"app", "db"}
    app, db = doc["services"]["app"], doc["services"]["db"]
    assert app["build"] == "."
    assert app["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert db["image"] == "postgres:16-alpine"
    test = db["healthcheck"]["test"]
    assert test[0] == "CMD-SHELL" and "pg_isready" in test[1]
    volume = db["volumes"][0].split(":")[0]
    assert volume in doc["volumes"], "db data must live in a named volume"


def test_compose_environment_resolves_to_a_working_config(rendered: Rendered):
    doc = compose(rendered)
    app_env = {k: interpolate(str(v), {}) for k, v in doc["services"]["app"]["environment"].items()}
    db_env = {k: interpolate(str(v), {}) for k, v in doc["services"]["db"]["environment"].items()}
    db_name = rendered.context["db_name"]
    assert db_env == {"POSTGRES_USER": "app", "POSTGRES_PASSWORD": "app", "POSTGRES_DB": db_name}
    assert app_env["DATABASE_URL"] == f"postgres://app:app@db:5432/{db_name}"
    assert app_env["PORT"] == "3000"
    # Every variable the app reads is passed, with its example value as default.
    for name, example, *_ in rendered.context["env_vars"]:
        assert name in app_env
        if name not in ("DATABASE_URL", "PORT", "NODE_ENV", "HOST"):
            assert app_env[name] == example
    # An override from the shell or .env wins over the committed default.
    overridden = interpolate(doc["services"]["app"]["environment"]["DATABASE_URL"],
                             {"POSTGRES_PASSWORD": "s3cret"})
    assert overridden == f"postgres://app:s3cret@db:5432/{db_name}"
    ports = [interpolate(p, {}) for p in doc["services"]["app"]["ports"]]
    assert ports == ["3000:3000"]


def test_compose_marks_secrets_for_override(rendered: Rendered):
    text = rendered.text("docker-compose.yml")
    for name, _example, secret, *_ in rendered.context["env_vars"]:
        if secret and name != "DATABASE_URL":
            assert f"# secret: set {name} in .env" in text


# ---------------------------------------------------------------- Dockerfile


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", text)
    rows = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, args = line.partition(" ")
            rows.append((keyword.upper(), args.strip()))
    return rows


def test_dockerfile_is_multi_stage_non_root_with_healthcheck(rendered: Rendered):
    rows = dockerfile_instructions(rendered.text("Dockerfile"))
    froms = [i for i, (k, _) in enumerate(rows) if k == "FROM"]
    assert len(froms) >= 2
    final = rows[froms[-1]:]
    assert rows[froms[-1]][1].startswith("node:22-alpine")
    assert all(rows[i][1].startswith("node:22-alpine") for i in froms), "every stage on Node 22"
    users = [a for k, a in final if k == "USER"]
    assert users and users[-1] not in ("root", "0"), "the final stage must drop root"
    assert ("EXPOSE", "3000") in final
    assert any(k == "HEALTHCHECK" and "/health" in a for k, a in final)
    assert any(k == "COPY" and a.startswith("--from=deps") for k, a in final)
    entry = json.loads(next(a for k, a in final if k == "ENTRYPOINT"))
    assert entry[-1] == "/usr/local/bin/app-entrypoint.sh"
    assert json.loads(next(a for k, a in final if k == "CMD")) == ["node", "src/index.js"]
    deps = rows[froms[0]:froms[1]]
    install = next(a for k, a in deps if k == "RUN" and "npm" in a)
    assert "npm ci --omit=dev --ignore-scripts" in install
    copied = next(a for k, a in deps if k == "COPY")
    assert {"package.json", "package-lock.json", ".npmrc"} <= set(copied.split())


def test_image_has_no_build_tools_and_listens_in_the_container(rendered: Rendered):
    rows = dockerfile_instructions(rendered.text("Dockerfile"))
    runs = " ".join(a for k, a in rows if k == "RUN")
    for tool in ("python3", "make", "g++", "gcc", "build-base"):
        assert not re.search(rf"apk add[^&]*\b{re.escape(tool)}\b", runs), tool
    final = rows[[i for i, (k, _) in enumerate(rows) if k == "FROM"][-1]:]
    env = " ".join(a for k, a in final if k == "ENV")
    assert "HOST=0.0.0.0" in env and "NODE_ENV=production" in env
    # The RDS CA bundle is fetched at image build and named for verify-full.
    bundle = "/usr/local/share/ca-certificates/rds-global-bundle.pem"
    assert f"DATABASE_CA_FILE={bundle}" in env
    assert ("ADD", f"https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem {bundle}") \
        in final
    assert any(k == "RUN" and "rm -rf /usr/local/lib/node_modules/npm" in a for k, a in final)
    app = compose(rendered)["services"]["app"]["environment"]
    assert app["HOST"] == "0.0.0.0"


def test_dockerignore_keeps_what_the_image_needs(rendered: Rendered):
    ignored = {line for line in rendered.text(".dockerignore").splitlines()
               if line and not line.startswith("#")}
    for needed in ("src", "package.json", "package-lock.json", "docker-entrypoint.sh"):
        assert needed not in ignored
    for secret_or_heavy in ("node_modules", ".env", ".git", "terraform"):
        assert secret_or_heavy in ignored
    assert "!.env.example" in ignored


class _Health(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self):
        self.send_response(self.status if self.path == "/health" else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


def healthcheck_command(text: str) -> str:
    rows = dockerfile_instructions(text)
    args = next(a for k, a in rows if k == "HEALTHCHECK")
    return args.split(" CMD ", 1)[1]


@pytest.mark.parametrize("status, expected", [(200, 0), (503, 1)])
def test_healthcheck_command_probes_health(rendered: Rendered, status: int, expected: int):
    require_tool("node")
    handler = type("Handler", (_Health,), {"status": status})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        command = healthcheck_command(rendered.text("Dockerfile"))
        env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "PORT": str(server.server_port)}
        result = subprocess.run(["sh", "-c", command], check=False, env=env, timeout=20)
    finally:
        server.shutdown()
    assert result.returncode == expected


def test_healthcheck_fails_when_nothing_listens(rendered: Rendered):
    require_tool("node")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    port = server.server_port
    server.server_close()
    command = healthcheck_command(rendered.text("Dockerfile"))
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "PORT": str(port)}
    assert subprocess.run(["sh", "-c", command], check=False, env=env, timeout=20).returncode == 1


# ---------------------------------------------------------------- entrypoint


def test_entrypoint_is_valid_posix_sh(rendered: Rendered):
    script = rendered.root / "docker-entrypoint.sh"
    assert rendered.text("docker-entrypoint.sh").startswith("#!/bin/sh\n")
    subprocess.run(["sh", "-n", str(script)], check=True)


def test_entrypoint_passes_shellcheck(rendered: Rendered):
    shellcheck = require_tool("shellcheck")
    result = subprocess.run([shellcheck, "-s", "sh", str(rendered.root / "docker-entrypoint.sh")],
                            check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


MIGRATE_STUB = """
const fs = require("fs");
fs.writeFileSync(process.env.MIGRATE_LOG, JSON.stringify({
  argv: process.argv.slice(2), url: process.env.DATABASE_URL || null }));
process.exit(Number(process.env.MIGRATE_EXIT || 0));
"""
PARSE_URL = """
const u = new URL(process.argv[1]);
process.stdout.write(JSON.stringify({user: decodeURIComponent(u.username),
  password: decodeURIComponent(u.password), host: u.hostname, port: u.port,
  db: decodeURIComponent(u.pathname.slice(1)), sslmode: u.searchParams.get("sslmode")}));
"""


def run_entrypoint(rendered: Rendered, app: Path, env: dict[str, str], *cmd: str):
    (app / "src" / "db").mkdir(parents=True, exist_ok=True)
    (app / "src" / "db" / "migrate.js").write_text(MIGRATE_STUB)
    full_env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "MIGRATE_LOG": str(app / "migrate.json"), **env}
    process = subprocess.Popen(["sh", str(rendered.root / "docker-entrypoint.sh"), *cmd],
                               cwd=app, env=full_env)
    return process, process.wait(timeout=30)


def test_entrypoint_builds_database_url_migrates_then_execs(rendered: Rendered, tmp_path: Path):
    require_tool("node")
    password = "p@ss:w/rd%41#?&= 'x\"+"
    env = {"DB_HOST": "db.example.internal", "DB_PORT": "6543", "DB_NAME": "task_manager",
           "DB_USER": "app", "DB_PASSWORD": password, "DB_SSLMODE": "no-verify"}
    pid_file = tmp_path / "pid"
    process, code = run_entrypoint(rendered, tmp_path, env, "sh", "-c", f'echo $$ > "{pid_file}"')
    assert code == 0
    log = json.loads((tmp_path / "migrate.json").read_text())
    assert log["argv"] == ["up"]
    parsed = subprocess.run(["node", "-e", PARSE_URL, log["url"]], capture_output=True, text=True,
                            check=True)
    assert json.loads(parsed.stdout) == {"user": "app", "password": password,
                                         "host": "db.example.internal", "port": "6543",
                                         "db": "task_manager", "sslmode": "no-verify"}
    # exec: the command replaced the entrypoint's shell, so it gets the signals.
    assert int(pid_file.read_text()) == process.pid


def test_entrypoint_keeps_a_given_database_url(rendered: Rendered, tmp_path: Path):
    require_tool("node")
    url = "postgres://u:p@localhost:5432/x"
    _, code = run_entrypoint(rendered, tmp_path, {"DATABASE_URL": url, "DB_HOST": "ignored"}, "true")
    assert code == 0
    assert json.loads((tmp_path / "migrate.json").read_text())["url"] == url


def test_entrypoint_stops_when_migrations_fail(rendered: Rendered, tmp_path: Path):
    require_tool("node")
    marker = tmp_path / "server-started"
    _, code = run_entrypoint(rendered, tmp_path, {"MIGRATE_EXIT": "3"}, "touch", str(marker))
    assert code == 3
    assert not marker.exists()


def test_entrypoint_can_skip_migrations(rendered: Rendered, tmp_path: Path):
    require_tool("node")
    _, code = run_entrypoint(rendered, tmp_path, {"RUN_MIGRATIONS": "false"}, "sh", "-c", "exit 7")
    assert code == 7
    assert not (tmp_path / "migrate.json").exists()
