"""Helpers for the express-js stack tests: render every unit of a project and
write it to a folder (running it for real is `backforge.verify`'s job)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from backforge.plan import build
from backforge.spec.model import Project
from backforge.stacks.express_js import STACK


def render_project(project: Project) -> dict[str, str]:
    """Every file of every unit, path -> content."""
    plan = build(project, STACK)
    files: dict[str, str] = {}
    for unit in plan.units.values():
        for f in STACK.render(unit, plan).files:
            if f.path in files:
                raise AssertionError(f"{f.path} produced twice (again by {unit.id})")
            files[f.path] = f.content
    return files


def write_project(files: Mapping[str, str], root: Path) -> None:
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
