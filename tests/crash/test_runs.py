"""Issue 12's operator cases: real SIGKILLs, two runs at once, unresolved conflicts."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from backforge import api
from backforge.output import journal
from backforge.output.journal import FolderLockedError
from tests.crash.support import (
    EDIT,
    ROOT,
    SCENARIOS,
    cli,
    crash_in_process,
    leftovers,
    prepare,
    tree,
)
from tests.regen.support import SPECS, mutated, write_spec

TM = str(SPECS / "taskmanager.yaml")


def _holder(root: Path) -> subprocess.Popen[str]:
    """Another process holding the folder's lock (as a running generate would)."""
    code = ("import sys, time; from pathlib import Path; "
            "from backforge.output.journal import FolderLock; "
            "FolderLock(Path(sys.argv[1])).acquire(); print('locked', flush=True); "
            "time.sleep(120)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(root)], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_a_second_run_is_refused_naming_the_pid_and_the_lock_dies_with_its_holder(
        tmp_path: Path) -> None:
    root = tmp_path / "tm"
    assert api.generate(TM, output=root).exit_code == 0
    before = tree(root)
    holder = _holder(root)
    try:
        done = cli("generate", TM, "-o", str(root))
        out, err = done.communicate(timeout=60)
        assert done.returncode == 2, (out, err)
        assert f"another backforge run (pid {holder.pid}) is using this folder" in err
        with pytest.raises(FolderLockedError, match=f"pid {holder.pid}"):
            api.verify(root)  # verify takes the same lock, before anything else
        with pytest.raises(FolderLockedError):
            api.generate(write_spec(tmp_path / "s.yaml", mutated("add_column")), output=root)
        assert tree(root) == before  # the refused runs wrote nothing
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    # The kernel released the lock of the killed holder: the folder is usable at once.
    assert api.generate(write_spec(tmp_path / "s.yaml", mutated("add_column")),
                        output=root).exit_code == 0


def test_two_generates_at_once_into_one_folder_exactly_one_runs(tmp_path: Path) -> None:
    """A slow model keeps the first run busy while the second starts (issue 12: taskmanager
    and shop generated at the same moment mixed their files)."""
    fake = cli("fake-llm", "--port", "0", "--latency-ms", "150")
    try:
        assert fake.stdout is not None
        url = re.search(r"http://\S+", fake.stdout.readline()).group(0)
        root = tmp_path / "out"
        first = cli("generate", TM, "-o", str(root), "--provider", "openai", "--base-url", url,
                    "--json", env={"OPENAI_API_KEY": "test"})
        lock = root / ".backforge" / journal.LOCK
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (
                lock.is_file() and lock.read_text().strip() == str(first.pid)):
            time.sleep(0.05)
        second = cli("generate", str(SPECS / "shop.yaml"), "-o", str(root))
        out2, err2 = second.communicate(timeout=60)
        _out1, err1 = first.communicate(timeout=300)
    finally:
        fake.send_signal(signal.SIGTERM)
        fake.wait(timeout=10)
    assert first.returncode == 0, err1[-2000:]
    assert second.returncode == 2, (out2, err2)
    assert f"pid {first.pid}" in err2
    assert "shop" not in (root / "package.json").read_text()
    assert api.validate_dir(root).exit_code == 0


def test_markers_left_in_a_file_keep_the_run_at_exit_3_until_resolved(tmp_path: Path) -> None:
    root = tmp_path / "tm"
    assert api.generate(TM, output=root).exit_code == 0
    target = root / "src/models/tasks.js"
    # An edit on the very line the new column changes: a real conflict.
    text = target.read_text()
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("select:"))
    target.write_text(text.replace(line, line.replace('"title" AS', '"title"  AS')))
    spec = write_spec(tmp_path / "s.yaml", mutated("add_column"))
    first = api.generate(spec, output=root)
    assert first.exit_code == 3 and first.conflicts == ("src/models/tasks.js",)
    assert "<<<<<<< yours" in target.read_text()
    again = api.generate(spec, output=root)  # nothing resolved: still a conflict
    assert again.exit_code == 3 and again.conflicts == first.conflicts
    assert again.report["regeneration"]["conflicts"] == list(first.conflicts)
    resolved = re.sub(r"<<<<<<< yours\n(.*?)=======\n.*?>>>>>>> backforge\n",
                      lambda m: m.group(1).split("||||||| base\n")[0], target.read_text(),
                      flags=re.DOTALL)
    assert "<<<<<<<" not in resolved
    target.write_text(resolved)
    done = api.generate(spec, output=root)
    assert done.exit_code == 0 and not done.conflicts
    assert '"conflicts": []' in (root / ".backforge/manifest.json").read_text()


def test_no_false_conflict_after_a_kill_while_base_copies_are_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = prepare(SCENARIOS["add_column"], tmp_path)
    n = 1 + next(i for i, b in enumerate(p.boundaries)
                 if b.startswith("applied .backforge/base/"))
    root = p.fresh(tmp_path / "tm")
    crash_in_process(p.spec, root, n, monkeypatch)
    result = api.generate(p.spec, output=root)
    assert result.exit_code == 0 and not result.conflicts
    assert EDIT[1] in (root / EDIT[0]).read_text()  # the hand edit survived
    assert tree(root) == p.expected


def _sigkill_when(args: list[str], ready, timeout: float = 60) -> int:
    """SIGKILL the CLI the moment `ready()` sees the state to interrupt (polled every ms)."""
    proc = cli(*args)
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline and not ready():
        time.sleep(0.001)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    return proc.returncode


def _staged(root: Path, at_least: int):
    staging = root / ".backforge" / journal.STAGING
    return lambda: staging.is_dir() and sum(1 for _ in staging.rglob("*.js")) >= at_least


@pytest.mark.parametrize("when", ["locked", "staged 1", "staged 40"])
def test_a_first_generation_sigkilled_mid_run_converges(when: str, tmp_path: Path) -> None:
    """A real SIGKILL (no cleanup at all) right after the lock was taken, and while units
    were being staged; the rerun needs no --force (the folder is backforge's from its
    first moment) and converges to the uninterrupted tree."""
    reference = tmp_path / "reference"
    assert api.generate(TM, output=reference).exit_code == 0
    root = tmp_path / "tm"
    lock = root / ".backforge" / journal.LOCK
    ready = (lambda: lock.is_file() and lock.stat().st_size > 0) if when == "locked" else \
        _staged(root, int(when.split()[1]))
    code = _sigkill_when(["generate", TM, "-o", str(root)], ready)
    assert code == -signal.SIGKILL  # killed mid-run, not after it finished
    assert not (root / "package.json").exists()  # nothing of the run is visible yet
    again = cli("generate", TM, "-o", str(root))
    _out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err[-2000:]
    assert not leftovers(root)
    assert tree(root) == tree(reference)


@pytest.mark.parametrize("where", ["staged", "applied"])
def test_a_regeneration_stopped_by_the_exit_hook_in_a_real_process_converges(
        where: str, tmp_path: Path) -> None:
    """The hook's os._exit(137) in a real CLI process: no finally block, no atexit."""
    p = prepare(SCENARIOS["add_table"], tmp_path)
    n = 1 + [i for i, b in enumerate(p.boundaries) if b.startswith(where)][3]
    root = p.fresh(tmp_path / "tm")
    killed = cli("generate", str(p.spec), "-o", str(root),
                 env={journal.CRASH_AFTER_ENV: str(n)})
    killed.communicate(timeout=120)
    assert killed.returncode == 137
    assert (root / ".backforge" / (journal.JOURNAL if where == "applied" else
                                   journal.STAGING)).exists()
    again = cli("generate", str(p.spec), "-o", str(root))
    _out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err[-2000:]
    assert not leftovers(root)
    assert tree(root) == p.expected
    shutil.rmtree(root)


def test_plan_finishes_an_interrupted_run_before_planning(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed right after its commit, the run's changes are in the journal only; `plan`
    (which otherwise writes nothing) completes them first, so it plans from the real
    state: nothing left to do for the same spec."""
    p = prepare(SCENARIOS["add_column"], tmp_path)
    root = p.fresh(tmp_path / "tm")
    crash_in_process(p.spec, root, 1 + p.boundaries.index("journal committed"), monkeypatch)
    assert (root / ".backforge" / journal.JOURNAL).is_file()
    planned = api.plan(p.spec, output=root)
    assert not planned.regenerated, planned.to_dict()
    assert planned.evolution is None or not planned.evolution.files  # no new migration
    assert not [d for d in planned.files if d.action.writes], planned.to_dict()
    assert not leftovers(root)
    assert tree(root) == p.expected
