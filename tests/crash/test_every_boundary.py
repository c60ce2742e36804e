"""Kill a run at every write boundary; the next run must converge to the uninterrupted tree.

The hook (`BACKFORGE_TEST_CRASH_AFTER=N:raise`, output/journal.py) stops the run at
its Nth write boundary: each staged file, the journal's commit, each applied rename or
deletion, the journal's removal. The next, normal run then recovers (rolls the journal
forward, or the staging back) and runs; its tree (every file, migrations, base copies,
manifest and spec included; only report.json and the lock's pid left out) must equal
the tree of a run that was never interrupted, and it must leave no temp file behind.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from backforge import api
from tests.crash.support import SCENARIOS, Prepared, crash_in_process, leftovers, prepare, tree

# A first generation has ~360 boundaries: the fast suite tries a spread of them
# (every phase: staging, commit, applying the project, applying .backforge/), the slow
# test all of them. Regenerations are tried at every boundary in the fast suite.
FIRST_SAMPLES = 24


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> dict[str, Prepared]:
    tmp = tmp_path_factory.mktemp("scenarios")
    return {name: prepare(s, tmp) for name, s in SCENARIOS.items()}


def _converges(p: Prepared, n: int, where: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    root = p.fresh(where)
    stopped_at = crash_in_process(p.spec, root, n, monkeypatch)
    result = api.generate(p.spec, output=root)
    assert result.exit_code == 0, (n, stopped_at, result.report.get("missing"))
    assert not leftovers(root), (n, stopped_at, leftovers(root))
    got = tree(root)
    assert got.keys() == p.expected.keys(), (n, stopped_at,
                                             sorted(got.keys() ^ p.expected.keys()))
    differ = sorted(k for k in got if got[k] != p.expected[k])
    assert not differ, (n, stopped_at, differ)
    return stopped_at


def _sample(total: int, k: int) -> list[int]:
    return sorted({1 + (total - 1) * i // (k - 1) for i in range(k)})


@pytest.mark.parametrize("name", ["add_column", "add_table"])
def test_a_regeneration_killed_at_every_boundary_converges(
        name: str, prepared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = prepared[name]
    total = len(p.boundaries)
    # Every phase has boundaries: staging files, the commit, applying, the journal's end.
    assert {b.split()[0] for b in p.boundaries} == {"staged", "journal", "applied"}
    assert total > 20, p.boundaries
    for n in range(1, total + 1):
        _converges(p, n, tmp_path / f"n{n}", monkeypatch)


def test_a_first_generation_killed_at_sampled_boundaries_converges(
        prepared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = prepared["first"]
    total = len(p.boundaries)
    special = [i + 1 for i, b in enumerate(p.boundaries)
               if b == "journal committed" or b == "journal removed"]
    for n in sorted({*_sample(total, FIRST_SAMPLES), *special, *(s + 1 for s in special
                                                                 if s < total)}):
        _converges(p, n, tmp_path / f"n{n}", monkeypatch)


@pytest.mark.slow
def test_a_first_generation_killed_at_every_boundary_converges(
        prepared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = prepared["first"]
    for n in range(1, len(p.boundaries) + 1):
        _converges(p, n, tmp_path / f"n{n}", monkeypatch)


def test_the_migration_is_not_duplicated_after_a_kill_before_the_manifest(
        prepared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 12: killed after 0003_add_tasks_notes reached migrations/ but before the
    manifest recorded it, the next run appended 0004 with the same ALTER TABLE."""
    p = prepared["add_column"]
    n = 1 + p.boundaries.index("applied migrations/0003_add_tasks_notes.up.sql")
    assert p.boundaries.index("applied .backforge/manifest.json") + 1 > n
    root = p.fresh(tmp_path / "tm")
    crash_in_process(p.spec, root, n, monkeypatch)
    # The kill left the migration in place and the old manifest: the state of the bug.
    assert (root / "migrations/0003_add_tasks_notes.up.sql").is_file()
    assert "migrations/0003_add_tasks_notes.up.sql" not in \
        (root / ".backforge/manifest.json").read_text()
    assert api.generate(p.spec, output=root).exit_code == 0
    migrations = sorted(q.name for q in (root / "migrations").iterdir())
    assert not [m for m in migrations if m.startswith("0004")], migrations
    assert tree(root) == p.expected
