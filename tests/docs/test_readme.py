"""The README's five-minute tour, executed: each `sh` block of the tour is run in a scratch
folder and the `text` block after it must match the real output's shape (numbers,
durations and ports may differ; `...` elides lines). The README's two setup commands are
checked to be the ones CI runs."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BACKFORGE = Path(sys.executable).with_name("backforge")
# No Docker engine runs where the tests run (CI included): the compose/curl block is shown
# for the reader and not executed; its output is the generated /health handler's body,
# which `verify` checks for real (its boot step).
NEEDS_DOCKER = ("docker", "curl")


def _blocks(text: str) -> list[tuple[str, str]]:
    return re.findall(r"^```(\w+)\n(.*?)^```", text, re.DOTALL | re.MULTILINE)


def _tour() -> list[tuple[str, str | None]]:
    """(commands, the output shown after them or None) for each sh block of the tour."""
    section = README.split("## A five-minute tour", 1)[1].split("\n## ", 1)[0]
    blocks = _blocks(section)
    out = []
    for i, (lang, body) in enumerate(blocks):
        if lang == "sh":
            shown = blocks[i + 1][1] if i + 1 < len(blocks) and blocks[i + 1][0] == "text" \
                else None
            out.append((body, shown))
    return out


def _shape(line: str) -> str:
    line = re.sub(r"\d+(?:\.\d+)?", "N", line.strip())
    if re.match(r"^(ok|FAIL|failed|skipped) ", line):  # a verify step: its detail varies
        line = " ".join(line.split()[:2])  # (e.g. a warm install is a hard-link copy)
    return line


def _assert_shape(shown: str, actual: str) -> None:
    want = [_shape(line) for line in shown.splitlines() if line.strip() not in ("", "...")]
    got = [_shape(line) for line in actual.splitlines() if line.strip()]
    pos = 0
    for line in want:  # in order, each shown line appears in the real output
        try:
            pos = got.index(line, pos) + 1
        except ValueError:
            pytest.fail(f"README shows {line!r}, the real output has no such line after "
                        f"line {pos}:\n{actual}")


def _run(commands: str, cwd: Path) -> str:
    out = []
    for line in commands.strip().splitlines():
        argv = shlex.split(line)
        assert argv[0] == ".venv/bin/backforge", f"unexpected tour command: {line}"
        proc = subprocess.run([str(BACKFORGE), *argv[1:]], cwd=cwd, capture_output=True,
                              text=True, check=False, timeout=900)
        assert proc.returncode == 0, f"{line} exited {proc.returncode}:\n{proc.stdout}" \
                                     f"{proc.stderr}"
        out.append(proc.stdout)
    return "".join(out)


def _scratch(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    return tmp_path


def test_the_setup_commands_are_the_ones_ci_runs():
    commands = [body.strip() for lang, body in _blocks(README.split("## ", 2)[0])
                if lang == "sh"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands[1] in ci.splitlines(), "CI must run the README's test command verbatim"
    assert commands[0].endswith(".venv/bin/backforge generate examples/taskmanager.yaml "
                                "-o out/taskmanager")
    first_tour = _tour()[0][0].strip()
    assert commands[0].endswith(first_tour.removeprefix(".venv/bin/"))


def test_the_tour_has_the_steps_the_issue_asks_for():
    text = " ".join(body for body, _ in _tour())
    for step in ("backforge generate", "backforge validate", "backforge verify",
                 "docker compose up", "curl -s http://127.0.0.1:3000/health"):
        assert step in text
    assert "http://127.0.0.1:3000/docs" in README


def test_the_tour_generate_and_validate_blocks_run_and_match(tmp_path):
    cwd = _scratch(tmp_path)
    ran = 0
    for commands, shown in _tour():
        if any(word in commands for word in NEEDS_DOCKER):
            continue
        if "backforge verify" in commands:
            continue  # npm + PostgreSQL: the slow test below
        actual = _run(commands, cwd)
        if shown is not None:
            _assert_shape(shown, actual)
        ran += 1
    assert ran >= 2


@pytest.mark.slow
def test_the_tour_verify_block_runs_and_matches(tmp_path):
    cwd = _scratch(tmp_path)
    for commands, shown in _tour():
        if any(word in commands for word in NEEDS_DOCKER):
            continue
        actual = _run(commands, cwd)
        if "backforge verify" in commands:
            assert shown is not None
            _assert_shape(shown, actual)
            return
    pytest.fail("the tour has no verify block")
