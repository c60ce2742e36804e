"""backforge verify against real PostgreSQL, npm and node (slow: CI runs it).

The three examples must verify with every step green, zero 5xx and green
generated tests; a project broken on purpose must fail with a message that
points at the cause, and leave no PostgreSQL process or temp dir behind.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from backforge import api
from backforge.verify.postgres import OWNER, PREFIX
from tests.conftest import DATA, slow_needing

pytestmark = slow_needing("node", "npm", "initdb", "pg_ctl", "psql",
                          why="Node + npm, PostgreSQL")

VERIFIED_SPECS = ["taskmanager.yaml", "shop.yaml", "blog.project.json"]
# The authorisation matrix per example: (cells, principals). shop has auth off: anonymous
# may do everything a route serves.
MATRIX = {"taskmanager.yaml": (80, 4), "shop.yaml": (40, 1), "blog.project.json": (80, 4)}


def _postgres_leftovers() -> tuple[set[str], int]:
    """The temp dirs and servers this test process started (each dir's owner file names its
    pid): a verify or test run elsewhere on the machine has its own and must not count."""
    dirs = set()
    for folder in glob.glob(f"{tempfile.gettempdir()}/{PREFIX}*"):
        try:
            owner = (Path(folder) / OWNER).read_text().split()
        except OSError:
            continue
        if owner and owner[0] == str(os.getpid()):
            dirs.add(folder)
    lines = subprocess.run(["pgrep", "-af", PREFIX], capture_output=True, text=True,
                           check=False).stdout.splitlines()
    return dirs, sum(any(d in line for d in dirs) for line in lines)


@pytest.mark.parametrize("spec", VERIFIED_SPECS)
def test_example_verifies_end_to_end(spec: str, tmp_path: Path) -> None:
    out = tmp_path / "project"
    assert api.generate(DATA / spec, output=out).success
    report = api.verify(out)
    failed = [(s.name, s.detail, s.output[-2000:]) for s in report.failed_steps()]
    assert report.success, (failed, [c for c in report.failed_checks()][:5])
    assert [s.name for s in report.steps][:7] == [
        "install", "lint", "database", "migrate", "migrate-down-up", "seed", "boot"]
    assert report.server_errors == 0
    assert len(report.checks) > 50 and not report.failed_checks()
    assert report.tests is not None and report.tests.failed == 0
    assert report.tests.passed == report.tests.total > 10
    saved = (out / ".backforge" / "report.json").read_text()
    assert '"verify"' in saved and '"success": true' in saved
    matrix = report.matrix_summary()
    assert (matrix["cells"], matrix["principals"]) == MATRIX[spec]
    assert matrix["failed"] == 0 and matrix["checked"] == matrix["cells"], \
        [m for m in report.matrix if not m.passed or not m.checked]
    assert json.loads(saved)["verify"]["matrix"]["cells"] == MATRIX[spec][0]


@pytest.fixture(scope="module")
def taskmanager(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tm") / "project"
    assert api.generate(DATA / "taskmanager.yaml", output=out).success
    return out


def _broken(taskmanager: Path, tmp_path: Path, path: str, old: str, new: str) -> Path:
    root = tmp_path / "broken"
    shutil.copytree(taskmanager, root, ignore=shutil.ignore_patterns("node_modules"))
    target = root / path
    text = target.read_text()
    assert old in text, f"{old!r} not in {path}: the template changed, update the test"
    target.write_text(text.replace(old, new, 1))
    return root


def _verify_broken(root: Path) -> tuple[object, str]:
    before = _postgres_leftovers()
    report = api.verify(root, run_tests=False)
    after = _postgres_leftovers()
    assert after[0] <= before[0], f"temp dirs left behind: {after[0] - before[0]}"
    assert after[1] <= before[1], "a PostgreSQL process was left running"
    assert not report.success
    failed = report.failed_steps()
    assert failed, "verify must name the failing step"
    return report, failed[0].name


def test_wrong_column_in_a_model_points_at_the_column(taskmanager: Path, tmp_path: Path) -> None:
    root = _broken(taskmanager, tmp_path, "src/models/tasks.js",
                   '"title" AS "title"', '"titel" AS "title"')
    report, step = _verify_broken(root)
    assert step == "contract"
    assert report.server_errors > 0
    failures = report.failed_checks()
    assert all(c.table in ("tasks", "comments") for c in failures), failures
    evidence = " ".join(c.response + c.log for c in failures)
    assert "titel" in evidence, evidence[:2000]


def test_failing_migration_names_the_error(taskmanager: Path, tmp_path: Path) -> None:
    root = _broken(taskmanager, tmp_path, "migrations/0001_initial.up.sql",
                   "CREATE TABLE", 'ALTER TABLE "no_such_table" ADD COLUMN x integer;\n'
                   "CREATE TABLE")
    report, step = _verify_broken(root)
    assert step == "migrate"
    detail = report.failed_steps()[0].detail
    assert "no_such_table" in detail, detail
    assert [s.name for s in report.steps][-1] == "migrate"  # nothing after it ran


def test_server_crashing_on_boot_shows_the_crash(taskmanager: Path, tmp_path: Path) -> None:
    root = _broken(taskmanager, tmp_path, "src/app.js", "'use strict';\n",
                   "'use strict';\n\nif (process.env.NODE_ENV === 'test') {\n"
                   "  throw new Error('boom on boot');\n}\n")
    report, step = _verify_broken(root)
    assert step == "boot"
    failed = report.failed_steps()[0]
    assert "exited" in failed.detail and "boom on boot" in failed.detail + failed.output


def test_verify_cli_exit_codes(taskmanager: Path, tmp_path: Path, capsys) -> None:
    from backforge.cli import main

    assert main(["verify", str(tmp_path / "nope")]) == 2
    assert "no such folder" in capsys.readouterr().err
    root = _broken(taskmanager, tmp_path, "src/app.js", "'use strict';\n",
                   "'use strict';\nprocess.exit(3);\n")
    assert main(["verify", str(root), "--no-tests"]) == 1
    out = capsys.readouterr().out
    assert "boot" in out and "NOT verified" in out


def test_a_loosened_policy_fails_the_matrix_in_verify_and_in_jest(taskmanager: Path,
                                                                  tmp_path: Path) -> None:
    """tasks.js lets any signed-in account read and delete any task: the owner-only cells
    of verify's matrix and of the generated tests/access.test.js both fail, naming them."""
    old = "    read: { grant: 'owner', roles: ['admin'] },"
    root = _broken(taskmanager, tmp_path, "src/policies/tasks.js", old,
                   "    read: { grant: 'authenticated', roles: [] },")
    report = api.verify(root)
    assert not report.success
    bad = {(m.table, m.operation, m.principal, m.expected, m.got)
           for m in report.matrix if not m.passed}
    assert ("tasks", "read", "other", 404, 200) in bad
    assert {m.table for m in report.matrix if not m.passed} == {"tasks"}
    tests = next(s for s in report.steps if s.name == "tests")
    assert tests.status == "failed" and "access.test.js" in tests.output
    assert "other read tasks: expected 404, got 200" in tests.output


def test_every_rule_kind_holds_its_matrix(tmp_path: Path) -> None:
    """A spec with public, authenticated, owner, role-list and none rules, a composite-key
    chained table and a table with no create route: every cell of verify's matrix is
    checked (tags' rows are the seeded ones) and green; the generated suite checks the
    cells it can without a row and lists the rest as todo."""
    out = tmp_path / "project"
    assert api.generate(DATA / "access-kinds.yaml", output=out).success
    report = api.verify(out)
    assert report.success, ([(s.name, s.detail) for s in report.failed_steps()],
                            [m for m in report.matrix if not m.passed])
    matrix = report.matrix_summary()
    assert (matrix["cells"], matrix["checked"], matrix["failed"]) == (80, 80, 0)
    statuses = {(m.table, m.operation, m.principal): m.got for m in report.matrix}
    assert statuses[("notes", "list", "anonymous")] == 200  # public
    assert statuses[("notes", "update", "other")] == 403  # may read it, not change it
    assert statuses[("notes", "delete", "owner")] == 403  # reader is not in [editor]
    assert statuses[("tags", "create", "admin")] == 405  # none: not even admin
    assert statuses[("pages", "read", "other")] == 404  # owned through notes
    tests = report.tests
    assert tests is not None and tests.failed == 0 and tests.total > tests.passed

