"""The specs the stack tests render: the three shared examples, an edge-case spec, and
`bare` (the shop without API prefix, tests or docker: the options' other branches)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from backforge.plan import Plan, build
from backforge.spec.load import load_project
from backforge.spec.model import Project
from backforge.stacks.express_js import STACK

DATA = Path(__file__).resolve().parents[1] / "data"
FILES = {
    "taskmanager": DATA / "taskmanager.yaml",
    "shop": DATA / "shop.yaml",
    "blog": DATA / "blog.project.json",
    "edge": Path(__file__).parent / "data" / "edge.yaml",
}
SPECS = (*FILES, "bare")


@cache
def project(name: str) -> Project:
    if name == "bare":
        shop = project("shop")
        options = shop.options.model_copy(update={"api_prefix": "", "tests": False,
                                                  "docker": False, "auth": False})
        return shop.model_copy(update={"name": "Bare Shop", "options": options})
    return load_project(FILES[name])


def plan_of(name: str) -> Plan:
    return build(project(name), STACK)
