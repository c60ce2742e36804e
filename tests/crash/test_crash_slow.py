"""Slow: converged trees migrate a real PostgreSQL; verify from a relative path with a warm
node_modules cache; a verify SIGKILLed mid-way leaves nothing that breaks the next one."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from backforge import api
from backforge.verify.postgres import OWNER, PREFIX, EphemeralPostgres, find_bin
from backforge.verify.process import install_dependencies, modules_cache_dir
from tests.conftest import slow_needing
from tests.crash.support import SCENARIOS, cli, crash_in_process, prepare, tree
from tests.regen.support import SPECS

pytestmark = slow_needing("node", "npm", "git", "initdb", "pg_ctl", "psql",
                          why="Node + npm, PostgreSQL, git")


def _apply_migrations(root: Path, url: str) -> list[str]:
    """Every up migration in order, each in one transaction, stopping at the first error."""
    applied = []
    for path in sorted((root / "migrations").glob("*.up.sql")):
        done = subprocess.run([find_bin("psql") or "psql", url, "-v", "ON_ERROR_STOP=1",
                               "--single-transaction", "-q", "-f", str(path)],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, (path.name, done.stderr)
        applied.append(path.name)
    return applied


@pytest.mark.parametrize("name", ["first", "add_column", "add_table"])
def test_converged_trees_migrate_a_real_postgres(name: str, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """For a crash while applying (the riskiest place: half the renames done), and one
    while staging: the converged tree's migrations apply, none twice."""
    p = prepare(SCENARIOS[name], tmp_path)
    applied = [i + 1 for i, b in enumerate(p.boundaries) if b.startswith("applied migrations/")]
    staged = [i + 1 for i, b in enumerate(p.boundaries) if b.startswith("staged")]
    for n in (applied[len(applied) // 2], staged[len(staged) // 2]):
        root = p.fresh(tmp_path / f"n{n}")
        crash_in_process(p.spec, root, n, monkeypatch)
        assert api.generate(p.spec, output=root).exit_code == 0
        assert tree(root) == p.expected
        with EphemeralPostgres() as pg:
            names = _apply_migrations(root, pg.url)
        assert len(names) == len(set(names)) and names, names


def test_verify_from_a_relative_path_with_a_warm_cache(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 12: `backforge verify tm` with a warm cache hard-linked node_modules into
    tm/tm/ and lint failed with `eslint: not found`."""
    warm = tmp_path / "warm"
    assert api.generate(SPECS / "taskmanager.yaml", output=warm).exit_code == 0
    assert install_dependencies(warm, None, modules_cache_dir()).ok  # the cache is warm now
    assert api.generate(SPECS / "taskmanager.yaml", output=tmp_path / "tm").exit_code == 0
    monkeypatch.chdir(tmp_path)
    report = api.verify("tm", run_tests=False)
    steps = {s.name: s for s in report.steps}
    assert steps["install"].detail.startswith("reuse installed packages"), steps["install"]
    assert steps["lint"].status.value == "passed", steps["lint"].output[-2000:]
    assert (tmp_path / "tm/node_modules/.bin/eslint").exists()
    assert not (tmp_path / "tm/tm").exists()
    assert report.success, [(s.name, s.detail) for s in report.failed_steps()]


def _servers(tmp: Path) -> dict[Path, int]:
    """Ephemeral PostgreSQL dirs with a running postmaster: dir -> postmaster pid."""
    out = {}
    for root in tmp.glob(f"{PREFIX}*"):
        pid_file = root / "data" / "postmaster.pid"
        try:
            pid = int(pid_file.read_text().splitlines()[0])
            os.kill(pid, 0)
        except (OSError, ValueError, IndexError):
            continue
        out[root] = pid
    return out


def _owned_by(root: Path, pid: int) -> bool:
    try:
        return (root / OWNER).read_text().split()[0] == str(pid)
    except (OSError, IndexError):
        return False


def test_a_verify_killed_after_postgres_started_leaves_nothing_that_breaks_the_next(
        tmp_path: Path) -> None:
    """pg_ctl daemonizes PostgreSQL: a SIGKILLed verify leaves its server running. The next
    verify stops and removes it (its owner is gone) and passes."""
    root = tmp_path / "tm"
    assert api.generate(SPECS / "taskmanager.yaml", output=root).exit_code == 0
    tmp = Path(tempfile.gettempdir())
    proc = cli("verify", str(root))
    deadline, orphan = time.monotonic() + 240, None
    while proc.poll() is None and time.monotonic() < deadline and orphan is None:
        orphan = next((d for d in _servers(tmp) if _owned_by(d, proc.pid)), None)
        time.sleep(0.05)
    assert orphan is not None, "verify never started PostgreSQL"
    postmaster = _servers(tmp)[orphan]
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    time.sleep(1)
    os.kill(postmaster, 0)  # still running: nothing stopped it
    report = api.verify(root, run_tests=False)
    assert report.success, [(s.name, s.detail) for s in report.failed_steps()]
    assert not orphan.exists()
    with pytest.raises(ProcessLookupError):
        for _ in range(100):  # `pg_ctl stop -m immediate -w` returned: it is gone
            os.kill(postmaster, 0)
            time.sleep(0.1)


def test_a_verify_killed_during_install_leaves_nothing_that_breaks_the_next(
        tmp_path: Path) -> None:
    root = tmp_path / "tm"
    assert api.generate(SPECS / "taskmanager.yaml", output=root).exit_code == 0
    modules = root / "node_modules"
    proc = cli("verify", str(root))
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline and not modules.exists():
        time.sleep(0.001)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    report = api.verify(root, run_tests=False)
    assert report.success, [(s.name, s.detail, s.output[-1500:]) for s in report.failed_steps()]
    assert (modules / ".bin/eslint").exists()
