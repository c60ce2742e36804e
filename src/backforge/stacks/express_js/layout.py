"""The express-js module table (backforge.express.layout, shared by every Express stack)
and its JavaScript files."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from backforge.express.context import table_stem
from backforge.express.layout import (
    MIGRATION_FILES,
    MODULES,
    SETTINGS_MODULES,
    Layout,
    has_tableless_endpoints,
)
from backforge.express.templates import extra_output_path
from backforge.express.templates import extra_templates as shared_extra_templates
from backforge.plan.model import UnitFiles
from backforge.spec.model import Project
from backforge.spec.names import Names

__all__ = ["CONFIG_FILES", "LAYOUT", "MIGRATION_FILES", "MODULES", "POLICY_MODULES",
           "SETTINGS_MODULES", "TEMPLATES", "extra_output_path", "extra_templates",
           "has_tableless_endpoints", "table_stem", "unit_files"]

TEMPLATES = Path(__file__).parent / "templates"
# src/policies/<table>.js and routes that apply them (access.ENFORCED); verify's contract
# and tests/access.test.js hold the authorisation matrix.
POLICY_MODULES = True

CONFIG_FILES = ("package.json", "package-lock.json", ".npmrc", ".env.example", ".gitignore",
                "eslint.config.js", "README.md", ".github/workflows/ci.yml")


@cache
def extra_templates(folder: str) -> tuple[str, ...]:
    """Template paths (relative to templates/<folder>, minus .j2) found on disk, sorted."""
    return shared_extra_templates(TEMPLATES, folder)


def _deploy_files(module: str) -> tuple[str, ...]:
    return tuple(extra_output_path(module, rel) for rel in extra_templates(module))


LAYOUT = Layout(".js", CONFIG_FILES, _deploy_files, lambda: POLICY_MODULES)


def unit_files(module: str, table: str | None, project: Project, names: Names) -> UnitFiles:
    return LAYOUT.unit_files(module, table, project, names)
