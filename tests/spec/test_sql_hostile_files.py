"""The SQL cases of the hostile corpus (tests/hostile/*/sql-*): each refused file exits 2
through the CLI with nothing written; each inert one loads and its migration holds no
statement beyond the declared ones. (The corpus harness runs them all after merge; this
keeps the SQL gate's own cases honest on their own.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from backforge import api
from backforge.cli import main
from backforge.spec import load

HOSTILE = Path(__file__).resolve().parents[1] / "hostile"
REFUSED = sorted((HOSTILE / "refused").glob("sql-*"))
INERT = sorted(p for p in (HOSTILE / "inert").glob("sql-*") if not p.name.endswith(".expect.yaml"))


def test_there_are_enough_cases():
    assert len(REFUSED) >= 20 and len(INERT) >= 5
    suffixes = {p.name.split(".", 1)[1] for p in REFUSED}
    assert {"yaml", "json", "project.json", "sql", "dbml"} <= suffixes


@pytest.mark.parametrize("path", REFUSED, ids=lambda p: p.name)
def test_a_refused_case_exits_2_and_writes_nothing(path, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["generate", str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.startswith("error: ")
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("path", INERT, ids=lambda p: p.name)
def test_an_inert_case_creates_only_its_declared_table(path):
    up = api.generate(load(path)).files["migrations/0001_initial.up.sql"]
    creates = [line for line in up.splitlines() if line.startswith("CREATE ")]
    assert [c.split(" (")[0] for c in creates if c.startswith("CREATE TABLE")] == \
        ['CREATE TABLE "items"']
    assert all(c.startswith(("CREATE TABLE", "CREATE INDEX", "CREATE UNIQUE INDEX"))
               for c in creates), creates
    statements = [s for s in up.split(";\n") if s.strip()]
    assert not any(s.lstrip().upper().startswith("CREATE TABLE PWNED") for s in statements)
