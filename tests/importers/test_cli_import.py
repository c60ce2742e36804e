"""`backforge import` and `backforge generate` on schema files: exit codes and outputs."""

from __future__ import annotations

import json

from backforge.cli import main
from backforge.spec import load
from tests.importers.conftest import DATA, write

SQL = """CREATE TABLE authors (id serial PRIMARY KEY, name varchar(80) NOT NULL);
CREATE TABLE books (id serial PRIMARY KEY, author_id int NOT NULL REFERENCES authors,
                    pages smallint CHECK (pages > 0), body tsvector);
CREATE VIEW v AS SELECT 1;
"""


def test_import_writes_an_editable_spec_that_loads_back(tmp_path, capsys):
    source = write(tmp_path, "library.sql", SQL)
    out = tmp_path / "spec" / "library.yaml"
    assert main(["import", str(source), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"wrote {out}: 2 tables, 6 fields" in printed
    assert "note: library.sql: skipped 1 statements the spec does not model: CREATE VIEW x1" \
        in printed
    text = out.read_text()
    assert text.startswith("# Imported from ") and "#   - no spec type" in text
    assert load(out).project == load(source).project


def test_import_without_output_prints_yaml(tmp_path, capsys):
    assert main(["import", str(write(tmp_path, "a.dbml", "Table a {\n  id int [pk]\n}\n"))]) == 0
    assert "name: a\ntables:\n- name: a\n" in capsys.readouterr().out


def test_import_refuses_to_overwrite_without_force(tmp_path, capsys):
    source = write(tmp_path, "library.sql", SQL)
    out = write(tmp_path, "spec.yaml", "keep me")
    assert main(["import", str(source), "-o", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err and out.read_text() == "keep me"
    assert main(["import", str(source), "-o", str(out), "--force"]) == 0


def test_generate_takes_sql_directly(tmp_path, capsys):
    source = write(tmp_path, "library.sql", SQL)
    out = tmp_path / "app"
    assert main(["generate", str(source), "-o", str(out)]) == 0, capsys.readouterr()
    report = json.loads((out / ".backforge" / "report.json").read_text())
    assert report["success"] and any("CREATE VIEW" in n for n in report["spec_notes"])
    assert '"pages" smallint' in (out / "migrations" / "0001_initial.up.sql").read_text()


def test_generate_with_a_forced_format_and_dbml(tmp_path, capsys):
    source = write(tmp_path, "schema.txt", "CREATE TABLE t (id integer PRIMARY KEY);")
    assert main(["generate", str(source), "--from", "postgres", "-o", str(tmp_path / "a")]) == 0
    assert main(["generate", str(DATA / "shop.dbml"), "-o", str(tmp_path / "b")]) == 0


def test_bad_input_exits_2(tmp_path, capsys):
    assert main(["import", str(tmp_path / "missing.sql")]) == 2
    assert "file not found" in capsys.readouterr().err
    assert main(["import", str(write(tmp_path, "x.sql", "SELECT 1;"))]) == 2
    assert "the project has no tables" in capsys.readouterr().err
    assert main(["import", str(write(tmp_path, "x.sql", "CREATE TABLE t (a int);")),
                 "--from", "oracle"]) == 2
    assert "unknown spec format 'oracle'" in capsys.readouterr().err
    assert main(["import"]) == 2
    assert "give a schema file or --from-db URL" in capsys.readouterr().err
    assert main(["import", "--from-db", "postgresql://nobody@127.0.0.1:1/none"]) == 2
    assert "cannot read the database" in capsys.readouterr().err
