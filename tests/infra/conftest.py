"""Render the express-js docker and terraform templates for the infra tests.

The render helper mirrors the stack's contract (every `*.j2` under `docker/`
lands at the project root, under `terraform/` in `terraform/`) without using
the stack's Python code, so these templates are tested on their own.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from backforge.render.quoting import FILTERS, SpecText, finalize
from backforge.spec.model import Project
from backforge.spec.naming import kebab, snake

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "backforge" / "stacks" / "express_js" / "templates"
SHARED = ROOT / "src" / "backforge" / "express" / "templates"  # terraform: every Express stack
SPECS = ROOT / "tests" / "data"
# Template folder -> output folder relative to the project root.
FOLDERS = {"docker": Path("."), "terraform": Path("terraform")}

EnvVar = tuple  # (NAME, example_value, is_secret) and optionally more fields after those

# The shape the stack passes today: a description after the three contract fields,
# and the app's own TLS switch DATABASE_SSL.
STACK_ENV: tuple[EnvVar, ...] = (
    ("NODE_ENV", "development", False, "development, test or production"),
    ("DATABASE_SSL", "disable", False, "disable, require or verify-full"),
    ("DATABASE_POOL_MAX", "10", False, "maximum open database connections"),
    ("JSON_BODY_LIMIT", "100kb", False, "largest accepted JSON request body"),
    ("JWT_EXPIRES_IN", "1h", False, "access token lifetime"),
)


@dataclass(frozen=True)
class Case:
    """One rendering: a spec plus any extra env vars the app would read."""

    spec: str
    extra_env: tuple[EnvVar, ...] = ()


CASES = {
    "taskmanager": Case("taskmanager.yaml"),
    "shop": Case("shop.yaml"),
    # Values that need escaping in YAML, compose interpolation and HCL.
    "odd-values": Case(
        "taskmanager.yaml",
        (
            ("GREETING", 'say "hi" ${HOME} %{x} \\ $5', False),
            ("API_KEY", "k$y'<&>", True),
            ("NODE_ENV", "development", False),
        ),
    ),
    "stack-env": Case("taskmanager.yaml", STACK_ENV),
}


def load_project(spec: str) -> Project:
    return Project.model_validate(yaml.safe_load((SPECS / spec).read_text()))


def infra_context(project: Project, extra_env: tuple[EnvVar, ...] = ()) -> dict:
    db_name = project.database.name or snake(project.name)
    env_vars: list[EnvVar] = [
        ("DATABASE_URL", f"postgres://app:app@localhost:5432/{db_name}", True),
        ("PORT", "3000", False),
        ("LOG_LEVEL", "info", False),
        ("HOST", "127.0.0.1", False),
        ("CORS_ORIGINS", "", False),
        ("DOCS_ENABLED", "true", False),
    ]
    if project.options.auth:
        env_vars.append(("JWT_SECRET", "change-me", True))
    env_vars.extend(extra_env)
    return {
        "project": project,
        "app": kebab(project.name),
        "project_name": SpecText(project.name),
        "db_name": db_name,
        "port": 3000,
        "node_major": 22,
        "options": project.options,
        "env_vars": env_vars,
    }


def render_infra(context: dict) -> dict[str, str]:
    """Render every infra template; returns output path -> content."""
    env = Environment(
        loader=FileSystemLoader([str(TEMPLATES), str(SHARED)]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=finalize,  # as the stack's environment: spec text must be quoted
    )
    env.filters.update(FILTERS)
    files: dict[str, str] = {}
    for folder, out_dir in FOLDERS.items():
        base = TEMPLATES if (TEMPLATES / folder).is_dir() else SHARED
        for source in sorted((base / folder).rglob("*.j2")):
            relative = source.relative_to(base / folder)
            target = (out_dir / relative).with_suffix("").as_posix()
            template = env.get_template(source.relative_to(base).as_posix())
            files[target] = template.render(**context)
    return files


def write_tree(files: dict[str, str], root: Path) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
        if rel.endswith(".sh"):
            path.chmod(0o755)
    return root


@dataclass(frozen=True)
class Rendered:
    name: str
    context: dict
    files: dict[str, str]
    root: Path

    def text(self, rel: str) -> str:
        return self.files[rel]


@pytest.fixture(scope="session", params=sorted(CASES))
def rendered(request, tmp_path_factory) -> Rendered:
    case = CASES[request.param]
    context = infra_context(load_project(case.spec), case.extra_env)
    files = render_infra(context)
    root = write_tree(files, tmp_path_factory.mktemp(f"infra-{request.param}"))
    return Rendered(request.param, context, files, root)


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"SKIPPED LOUDLY: '{name}' is not installed, this check did not run")
    return path
