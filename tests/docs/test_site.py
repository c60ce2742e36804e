"""The documentation site builds with `mkdocs build --strict` (any warning fails), and the
built pages carry the generated references (about 3 s here: not marked slow)."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from backforge.cli import _parser
from backforge.spec import model as spec_model

ROOT = Path(__file__).resolve().parents[2]


def _text(page: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir",
                           str(out)], cwd=ROOT, capture_output=True, text=True, check=False,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=300)
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}"
    assert "WARNING" not in proc.stderr, proc.stderr
    return out


def test_every_nav_page_is_built(site: Path):
    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["nav"]

    def pages(items):
        for item in items:
            for value in item.values():
                yield from pages(value) if isinstance(value, list) else [value]

    for page in pages(nav):
        built = site / page.removesuffix(".md") / "index.html"
        if page == "index.md":
            built = site / "index.html"
        assert built.is_file(), f"{page} was not built"


def test_built_spec_reference_names_every_model_field(site: Path):
    text = _text(site / "reference" / "spec" / "index.html")
    for model in (spec_model.Project, spec_model.Table, spec_model.Field, spec_model.Endpoint,
                  spec_model.Options, spec_model.Database, spec_model.Index,
                  spec_model.ForeignKey):
        for key in model.model_fields:
            assert key in text, f"{model.__name__}.{key} not in the built spec reference"


def test_built_cli_reference_names_every_option(site: Path):
    text = _text(site / "reference" / "cli" / "index.html")
    parser = _parser()
    stack = [parser]
    while stack:
        p = stack.pop()
        for action in p._actions:
            for option in action.option_strings:
                assert option in text, f"{option} not in the built CLI reference"
            if hasattr(action, "choices") and isinstance(action.choices, dict):
                stack.extend(action.choices.values())


def test_built_api_reference_documents_the_library(site: Path):
    text = _text(site / "reference" / "api" / "index.html")
    for name in ("generate", "verify", "validate_dir", "import_spec", "GenerateOptions",
                 "BackforgeError", "SpecError"):
        assert name in text
