"""Helpers of the fault-injection suite: scenarios, crashed runs, tree comparison."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from backforge import api
from backforge.output import journal
from tests.regen.support import SPECS, mutated, write_spec

ROOT = Path(__file__).resolve().parents[2]
# Files that differ between two runs by design: this run's timings, this process's pid,
# the stat cache (this machine's inodes and times; a recovered run writes none).
VOLATILE = {".backforge/report.json", ".backforge/lock", ".backforge/stat-cache.json"}
EDIT = ("src/services/tasks.js", "\n// hand-written\nmodule.exports.audit = () => 'audited';\n")


def tree(root: Path) -> dict[str, bytes]:
    """Every file of the folder (with .backforge/) but the volatile ones, path -> bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.relative_to(root).as_posix() not in VOLATILE}


def leftovers(root: Path) -> list[str]:
    """What a finished run must never leave: temp files, staging, a journal."""
    marker = root / ".backforge"
    found = [p.relative_to(root).as_posix() for p in root.rglob("*.tmp")]
    found += [n for n in (journal.JOURNAL, journal.STAGING) if (marker / n).exists()]
    return found


@dataclass(frozen=True)
class Scenario:
    """A run to interrupt: `prepare` builds the folder before it (in `base`), `spec` is
    what the interrupted run generates."""

    name: str
    spec: Callable[[Path], Path]
    prepare: Callable[[Path], None]


def _empty(root: Path) -> None:
    root.mkdir()


def _generated(root: Path) -> None:
    """taskmanager generated, with a hand edit that the regeneration must merge."""
    assert api.generate(SPECS / "taskmanager.yaml", output=root).exit_code == 0
    with (root / EDIT[0]).open("a", encoding="utf-8") as fh:
        fh.write(EDIT[1])


SCENARIOS = {
    "first": Scenario("first", lambda d: SPECS / "taskmanager.yaml", _empty),
    "add_column": Scenario("add_column",
                           lambda d: write_spec(d / "add_column.yaml", mutated("add_column")),
                           _generated),
    "add_table": Scenario("add_table",
                          lambda d: write_spec(d / "add_table.yaml", mutated("add_table")),
                          _generated),
}


@dataclass
class Prepared:
    """A scenario's starting folder, its spec, and the uninterrupted run's result."""

    scenario: Scenario
    base: Path
    spec: Path
    expected: dict[str, bytes]
    boundaries: list[str]

    def fresh(self, where: Path) -> Path:
        shutil.copytree(self.base, where, symlinks=True)
        return where


def prepare(scenario: Scenario, tmp: Path) -> Prepared:
    base = tmp / f"{scenario.name}-base"
    scenario.prepare(base)
    spec = scenario.spec(tmp)
    reference = tmp / f"{scenario.name}-reference"
    shutil.copytree(base, reference, symlinks=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(journal.CRASH_AFTER_ENV, "0")  # list the boundaries, stop at none
        result = api.generate(spec, output=reference)
    assert result.exit_code == 0, result.report.get("missing")
    assert not leftovers(reference)
    return Prepared(scenario, base, spec, tree(reference), list(journal.boundary.names))


def crash_in_process(spec: Path, root: Path, n: int, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run `generate` stopped at write boundary `n` (the hook raises SimulatedCrash);
    returns the boundary it stopped at."""
    monkeypatch.setenv(journal.CRASH_AFTER_ENV, f"{n}:raise")
    try:
        with pytest.raises(journal.SimulatedCrash) as caught:
            api.generate(spec, output=root)
    finally:
        monkeypatch.delenv(journal.CRASH_AFTER_ENV)
    return str(caught.value)


def cli(*args: str, env: dict[str, str] | None = None,
        **popen: object) -> subprocess.Popen[str]:
    """`backforge ARGS` in a new process (the real CLI, as an operator runs it)."""
    return subprocess.Popen([sys.executable, "-m", "backforge.cli", *args], cwd=ROOT,
                            env={**os.environ, **(env or {})}, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)
