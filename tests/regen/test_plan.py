"""`backforge plan` and `generate --dry-run`: the decisions of a regeneration, nothing
written (not even under .backforge/)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from backforge import api, cli
from tests.regen.support import SPECS, mutated, write_spec


def _all_files(root: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(root).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def project(pristine: Path, tmp_path: Path) -> Path:
    root = tmp_path / "tm"
    shutil.copytree(pristine, root)
    with (root / "src/models/tasks.js").open("a", encoding="utf-8") as fh:
        fh.write("\n// mine\n")
    return root


def test_plan_lists_units_files_migration_and_api_changes(project: Path, tmp_path: Path,
                                                          capsys) -> None:
    before = _all_files(project)
    spec = write_spec(tmp_path / "s.yaml", mutated("add_column"))
    assert cli.main(["plan", str(spec), "-o", str(project), "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert _all_files(project) == before
    units = {u["unit"]: u["reasons"] for u in plan["units"]}
    assert "models/tasks" in units and "models/users" not in units
    assert any("tasks" in r for r in units["models/tasks"])
    files = {f["path"]: f["action"] for f in plan["files"]}
    assert files["src/models/tasks.js"] == "merged"  # the user edited it
    assert files["src/schemas/tasks.js"] == "updated"
    assert files["migrations/0003_add_tasks_notes.up.sql"] == "added"
    assert "migrations/0001_initial.up.sql" not in files  # applied: never touched
    evo = plan["evolution"]
    assert evo["changes"] == ["add column tasks.notes (text)"]
    assert any(a["target"].endswith(".notes") and not a["breaking"] for a in evo["api"])
    assert plan["needs_allow_destructive"] is False


def test_plan_of_a_destructive_change_names_the_data_loss(project: Path, tmp_path: Path,
                                                          capsys) -> None:
    before = _all_files(project)
    spec = write_spec(tmp_path / "s.yaml", mutated("drop_table"))
    assert cli.main(["plan", str(spec), "-o", str(project)]) == 0
    out = capsys.readouterr().out
    assert "data loss" in out and "comments" in out and "--allow-destructive" in out
    assert "BREAKING" in out  # the comments endpoints disappear
    assert "deleted" in out  # the untouched files of the dropped table
    assert _all_files(project) == before


def test_generate_dry_run_is_the_plan(project: Path, tmp_path: Path, capsys) -> None:
    before = _all_files(project)
    spec = write_spec(tmp_path / "s.yaml", mutated("add_table"))
    assert cli.main(["generate", str(spec), "-o", str(project), "--dry-run", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert {"models/labels", "services/labels"} <= {u["unit"] for u in plan["units"]}
    assert {f["path"]: f["action"] for f in plan["files"]}["src/models/labels.js"] == "added"
    assert _all_files(project) == before


def test_plan_for_an_llm_provider_lists_units_only(project: Path, tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "s.yaml", mutated("add_column"))
    # No server at this address: a call would fail; the plan makes none.
    options = api.GenerateOptions(provider="openai", base_url="http://127.0.0.1:9/v1",
                                  model="m")
    plan = api.plan(spec, options, output=project).to_dict()
    assert plan["files"] is None
    reasons = {u["unit"]: u["reasons"] for u in plan["units"]}
    assert all(any("provider changed" in r for r in rs) for rs in reasons.values())


def test_plan_into_a_fresh_folder_is_a_first_generation(tmp_path: Path) -> None:
    plan = api.plan(SPECS / "taskmanager.yaml", output=tmp_path / "new").to_dict()
    assert plan["first_run"] and plan["units_regenerated"] == 31
    assert all(f["action"] == "added" for f in plan["files"])
    assert not (tmp_path / "new").exists()


def test_plan_warns_when_the_migration_needs_a_default(project: Path, tmp_path: Path,
                                                        capsys) -> None:
    """A NOT NULL column without a default cannot be added to a table with rows: the
    plan says so before anyone runs the migration."""
    spec = mutated("add_column")
    for table in spec["tables"]:
        if table["name"] == "tasks":
            table["fields"].append({"name": "owner_code", "type": "string", "required": True})
    path = write_spec(tmp_path / "s.yaml", spec)
    assert cli.main(["plan", str(path), "-o", str(project)]) == 0
    out = capsys.readouterr().out
    assert "migration warning" in out and "owner_code" in out
