"""Start-up loads only what the input needs: WHICH modules a command imports (read from
`python -X importtime` in a fresh process), never how long it takes (timings live in
bench/generate.py)."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import backforge

SPEC = Path(__file__).resolve().parents[1] / "examples" / "taskmanager.yaml"
# Heavy third-party packages, each only for some inputs or commands.
FORMAT_ONLY = {"pydbml", "pyparsing"}  # .dbml (and pyparsing through pydbml)
LLM_ONLY = {"httpx", "httpcore", "anyio"}  # --provider openai/anthropic/hybrid
VERIFY_ONLY = {"jsonschema"}  # verify's contract checks
SERVE_ONLY = {"fastapi", "starlette", "uvicorn"}  # `backforge serve`


def _imported(*args: str, cwd: Path) -> set[str]:
    """Top-level packages `backforge ARGS` imports, with its exit code checked."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "backforge.cli", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    names = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines()
             if line.startswith("import time:") and line.count("|") == 2}
    assert "backforge" in names  # the parse itself worked
    return names


def _packages(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names}


def test_version_imports_no_stage(tmp_path: Path) -> None:
    names = _imported("--version", cwd=tmp_path)
    heavy = {"sqlglot", "jinja2", "rich", "pydantic", "yaml", "importlib.metadata",
             *FORMAT_ONLY, *LLM_ONLY, *VERIFY_ONLY, *SERVE_ONLY}
    assert not heavy & (names | _packages(names))
    # cli_serve: the parsers of serve/keys, which import nothing of the service.
    assert not {n for n in names if n.startswith("backforge.")} - {
        "backforge.cli", "backforge.cli_help", "backforge.run_options", "backforge.errors",
        "backforge.cli_serve", "backforge.targets"}


def test_version_is_the_installed_one() -> None:
    assert backforge.__version__ == version("backforge")


def test_yaml_generate_loads_no_other_format_provider_or_verify(tmp_path: Path) -> None:
    args = ("generate", str(SPEC), "-o", str(tmp_path / "tm"))
    first = _packages(_imported(*args, cwd=tmp_path))
    assert not (FORMAT_ONLY | LLM_ONLY | VERIFY_ONLY | SERVE_ONLY) & first
    assert "backforge.spec.loaders.dbml" not in _imported(*args, cwd=tmp_path)  # up to date


# What only rendering, validation or raw SQL needs: an unchanged re-run ("up to date")
# of a YAML spec with no checks, index predicates, index methods or db_types hashes
# files and loads the spec, nothing more.
RENDER_OR_VALIDATE_ONLY = {"sqlglot", "jinja2", "tree_sitter"}


def test_unchanged_rerun_of_a_yaml_spec_without_raw_sql_imports_no_parser(
        tmp_path: Path) -> None:
    spec = tmp_path / "plain.yaml"
    spec.write_text("name: plain\ntables:\n  - name: notes\n    fields:\n"
                    "      - {name: title, type: string, required: true}\n"
                    "      - {name: due, type: date, default: today}\n", encoding="utf-8")
    out = tmp_path / "out"
    first = _packages(_imported("generate", str(spec), "-o", str(out), cwd=tmp_path))
    assert RENDER_OR_VALIDATE_ONLY - {"sqlglot"} <= first  # a real run renders and validates
    again = _imported("generate", str(spec), "-o", str(out), cwd=tmp_path)
    assert (out / ".backforge" / "manifest.json").is_file()
    assert not RENDER_OR_VALIDATE_ONLY & _packages(again)
    assert not {"backforge.spec.sqlparse", "backforge.providers.llm.prompts",
                "backforge.stacks.express_js.render", "backforge.validate"} & again
    # Answered by output/fastpath.py from the stat cache: no stage, no spec model.
    assert not {"pydantic", "yaml", "rich"} & _packages(again)
    assert not {n for n in again if n.startswith("backforge.")} - {
        "backforge.cli", "backforge.cli_help", "backforge.run_options", "backforge.errors",
        "backforge.cli_serve", "backforge.targets", "backforge.fingerprint",
        "backforge.output", "backforge.output.fastpath", "backforge.output.journal",
        "backforge.output.manifest", "backforge.output.writer"}


def test_raw_sql_in_the_spec_loads_the_sql_parser(tmp_path: Path) -> None:
    spec = tmp_path / "checked.yaml"
    spec.write_text("name: checked\ntables:\n  - name: items\n    fields:\n"
                    "      - {name: price, type: integer}\n"
                    "    checks: ['price > 0']\n", encoding="utf-8")
    out = tmp_path / "out"
    assert "backforge.spec.sqlparse" in _imported("generate", str(spec), "-o", str(out),
                                                  cwd=tmp_path)
    # --check loads the spec (the no-op answer of a plain re-run does not: see above).
    assert "backforge.spec.sqlparse" in _imported("generate", str(spec), "-o", str(out),
                                                  "--check", cwd=tmp_path)
