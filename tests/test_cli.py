"""The command line: exit codes, messages, and what is (not) written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from backforge.cli import main
from tests.conftest import DATA

BAD = DATA / "bad"


def _expected_bad_cases() -> list[tuple[str, str]]:
    """Rows of tests/data/bad/EXPECTED.md: | file | substring the error must contain |"""
    rows = []
    for line in (BAD / "EXPECTED.md").read_text().splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and (BAD / cells[0]).is_file():
            rows.append((cells[0], cells[1]))
    return rows


def test_generate_writes_project_and_report(tmp_path: Path, capsys) -> None:
    out = tmp_path / "tm"
    code = main(["generate", str(DATA / "taskmanager.yaml"), "-o", str(out)])
    assert code == 0, capsys.readouterr()
    report = json.loads((out / ".backforge" / "report.json").read_text())
    assert report["success"] is True
    assert report["success_rate"] == 1.0
    assert all(m["status"] == "validated" for m in report["modules"])
    assert (out / "package.json").is_file() and (out / "src" / "app.js").is_file()
    assert "success" in capsys.readouterr().out


def test_json_flag_prints_one_event_per_line(tmp_path: Path, capsys) -> None:
    code = main(["generate", str(DATA / "shop.yaml"), "-o", str(tmp_path / "s"), "--json"])
    assert code == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    kinds = [e["event"] for e in events]
    assert kinds[0] == "run_started" and kinds[-1] == "run_finished"
    assert "unit_validated" in kinds and "file_written" in kinds
    # run_started carries the unit DAG (unit -> deps, topological) for live displays.
    graph = events[0]["data"]["graph"]
    assert len(graph) == events[0]["data"]["units"]
    assert {e["unit"] for e in events if e["event"] == "unit_validated"} == set(graph)
    seen: set[str] = set()
    for unit, deps in graph.items():
        assert set(deps) <= seen, unit
        seen.add(unit)


def test_an_error_quoting_brackets_prints_them_as_text(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "[/red]" / "spec.yaml"  # rich markup syntax in a path
    code = main(["generate", str(missing), "-o", str(tmp_path / "out")])
    assert code == 2 and "[/red]" in capsys.readouterr().err


def test_refuses_foreign_non_empty_folder(tmp_path: Path, capsys) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    code = main(["generate", str(DATA / "taskmanager.yaml"), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "not empty" in err and "--force" in err
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_force_and_regenerate_into_own_folder(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    assert main(["generate", str(DATA / "taskmanager.yaml"), "-o", str(out), "--force"]) == 0
    # A folder backforge created can be regenerated without --force.
    assert main(["generate", str(DATA / "taskmanager.yaml"), "-o", str(out)]) == 0
    assert (out / "notes.txt").read_text() == "keep me"


@pytest.mark.parametrize(("name", "location"), _expected_bad_cases())
def test_bad_input_exits_2_names_the_place_writes_nothing(name: str, location: str,
                                                          tmp_path: Path, capsys) -> None:
    out = tmp_path / "never"
    code = main(["generate", str(BAD / name), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert location in re.sub(r"\s+", " ", err), err
    assert not out.exists()


def test_bad_input_case_list_is_not_empty() -> None:
    assert len(_expected_bad_cases()) >= 8


def test_missing_spec_file(tmp_path: Path, capsys) -> None:
    code = main(["generate", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "o")])
    assert code == 2
    assert "nope.yaml" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_the_report_and_console_name_custom_endpoints_answering_501(tmp_path, capsys):
    """The template provider cannot derive endpoint logic: it says so, by name."""
    out = tmp_path / "tm"
    assert main(["generate", str(DATA / "taskmanager.yaml"), "-o", str(out)]) == 0
    text = capsys.readouterr().out
    report = json.loads((out / ".backforge" / "report.json").read_text(encoding="utf-8"))
    assert report["endpoints"] == {"implemented": [], "not_implemented": [
        "POST /tasks/{id}/complete", "GET /projects/{id}/stats"]}
    assert "answering 501 until written: POST /tasks/{id}/complete" in " ".join(text.split())
