"""Regenerating into a folder the user edited: edits survive, the new schema lands in the
code, a new migration is appended, conflicts are marked and reported (exit 3)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from backforge import api, cli
from backforge.output.manifest import base_file, load_manifest, sha256_text
from backforge.regenerate import DestructiveChangeError
from tests.regen.support import SPECS, mutated, snapshot, write_spec

MODEL_EDIT = "\n// hand-written: soft-delete helper\nmodule.exports.softDelete = () => null;\n"
SERVICE_EDIT = "\n// hand-written: audit hook\nmodule.exports.audit = () => 'audited';\n"
README_EDIT = "\n## Our deployment notes\n\nDeployed by the platform team on Fridays.\n"
OLD_MIGRATIONS = ("0001_initial.up.sql", "0001_initial.down.sql", "0002_auth.up.sql",
                  "0002_auth.down.sql")


@pytest.fixture
def project(pristine: Path, tmp_path: Path) -> Path:
    """The generated taskmanager, with a model, a service and the README edited by hand."""
    root = tmp_path / "tm"
    shutil.copytree(pristine, root)
    for rel, text in (("src/models/tasks.js", MODEL_EDIT), ("src/services/tasks.js",
                      SERVICE_EDIT), ("README.md", README_EDIT)):
        with (root / rel).open("a", encoding="utf-8") as fh:
            fh.write(text)
    return root


def _regen(root: Path, mutation: str | None, tmp_path: Path, **options) -> api.GenerateResult:
    path = write_spec(tmp_path / "spec.yaml", mutated(mutation)) if mutation \
        else SPECS / "taskmanager.yaml"
    return api.generate(path, api.GenerateOptions(**options), output=root)


def _text(root: Path, rel: str) -> str:
    return (root / rel).read_text(encoding="utf-8")


def _edits_survive(root: Path) -> None:
    assert _text(root, "src/models/tasks.js").endswith(MODEL_EDIT)
    assert _text(root, "src/services/tasks.js").endswith(SERVICE_EDIT)
    assert README_EDIT in _text(root, "README.md")


CASES = {
    # mutation: (needs --allow-destructive, present in models/tasks.js, absent from it)
    "add_column": (False, '"notes"', None),
    "drop_column": (True, None, '"estimate_hours"'),
    "rename_column": (True, '"deadline"', '"due_date"'),
    "change_type": (False, '"title"', None),
    "change_checked_type": (False, '"priority"', None),
    "add_table": (False, '"priority"', None),
}


@pytest.mark.parametrize("mutation", sorted(CASES))
def test_schema_edit_keeps_user_edits_and_appends_a_migration(
        project: Path, pristine: Path, tmp_path: Path, mutation: str) -> None:
    destructive, present, absent = CASES[mutation]
    result = _regen(project, mutation, tmp_path, allow_destructive=destructive)
    assert result.success and result.exit_code == 0, result.report.get("regeneration")
    _edits_survive(project)
    model = _text(project, "src/models/tasks.js")
    if present:
        assert present in model
    if absent:
        assert absent not in model
    if mutation == "add_table":
        assert "labels" in _text(project, "src/models/labels.js")
    if mutation == "change_type":
        assert "maxLength: 200" not in _text(project, "src/schemas/tasks.js")
    for name in OLD_MIGRATIONS:  # applied migrations are never edited
        assert _text(project, f"migrations/{name}") == _text(pristine, f"migrations/{name}")
    new = sorted(p.name for p in (project / "migrations").iterdir()
                 if p.name not in OLD_MIGRATIONS)
    assert len(new) == 2 and new[0].startswith("0003_"), new
    regen = result.report["regeneration"]
    assert regen["evolution"]["files"] == [f"migrations/{n}" for n in reversed(new)] or \
        sorted(regen["evolution"]["files"]) == [f"migrations/{n}" for n in new]
    assert regen["units_replayed"] > 0 and regen["units_regenerated"] > 0
    actions = {f["path"]: f["action"] for f in regen["files"]}
    assert actions["src/models/tasks.js"] in ("merged", "unchanged")
    assert actions["src/models/users.js"] == "unchanged"


def test_manifest_records_what_backforge_wrote_not_the_merge(project: Path,
                                                             tmp_path: Path) -> None:
    _regen(project, "add_column", tmp_path)
    manifest = load_manifest(project)
    assert manifest is not None
    base = base_file(project, "src/models/tasks.js").read_text(encoding="utf-8")
    assert '"notes"' in base and "softDelete" not in base  # the generation, not the merge
    assert manifest.files["src/models/tasks.js"] == sha256_text(base)
    assert "migrations/0003_add_tasks_notes.up.sql" in manifest.files
    spec = json.loads(_text(project, ".backforge/spec.json"))
    tasks = next(t for t in spec["tables"] if t["name"] == "tasks")
    assert any(f["name"] == "notes" for f in tasks["fields"])


def test_second_schema_change_keeps_the_first_migration(project: Path,
                                                        tmp_path: Path) -> None:
    assert _regen(project, "add_column", tmp_path).success
    first = _text(project, "migrations/0003_add_tasks_notes.up.sql")
    spec = mutated("add_users_column", mutated("add_column"))
    result = api.generate(write_spec(tmp_path / "s2.yaml", spec), output=project)
    assert result.success, result.report.get("regeneration")
    assert _text(project, "migrations/0003_add_tasks_notes.up.sql") == first
    assert any(p.name.startswith("0004_") for p in (project / "migrations").iterdir())
    _edits_survive(project)


def test_destructive_change_is_refused_without_the_flag(project: Path, tmp_path: Path,
                                                        capsys) -> None:
    before = snapshot(project)
    meta = {p.name: p.read_bytes() for p in (project / ".backforge").iterdir() if p.is_file()}
    with pytest.raises(DestructiveChangeError) as caught:
        _regen(project, "drop_column", tmp_path)
    assert "estimate_hours" in str(caught.value)
    spec = write_spec(tmp_path / "drop.yaml", mutated("drop_column"))
    assert cli.main(["generate", str(spec), "-o", str(project)]) == 2
    err = capsys.readouterr().err
    assert "estimate_hours" in err and "--allow-destructive" in err
    assert snapshot(project) == before
    assert {p.name: p.read_bytes() for p in (project / ".backforge").iterdir()
            if p.is_file()} == meta


def test_conflicting_edit_gets_markers_a_report_entry_and_exit_3(project: Path,
                                                                 tmp_path: Path) -> None:
    model = project / "src/models/tasks.js"
    text = model.read_text(encoding="utf-8")
    # The user edits the very line the new column changes.
    line = next(x for x in text.splitlines() if x.strip().startswith("select:"))
    model.write_text(text.replace(line, line.replace('"title" AS', '"title"  AS')),
                     encoding="utf-8")
    spec = write_spec(tmp_path / "spec.yaml", mutated("add_column"))
    assert cli.main(["generate", str(spec), "-o", str(project), "--json"]) == 3
    merged = model.read_text(encoding="utf-8")
    assert "<<<<<<< yours" in merged and ">>>>>>> backforge" in merged
    assert merged.endswith(MODEL_EDIT)  # the rest of the user's edits is still there
    assert _text(project, "src/services/tasks.js").endswith(SERVICE_EDIT)
    assert README_EDIT in _text(project, "README.md")
    report = json.loads(_text(project, ".backforge/report.json"))
    assert report["regeneration"]["conflicts"] == ["src/models/tasks.js"]


def test_a_deleted_file_stays_deleted(project: Path, tmp_path: Path) -> None:
    (project / "tests/tasks.test.js").unlink()
    result = _regen(project, "add_column", tmp_path)
    assert result.success
    assert not (project / "tests/tasks.test.js").exists()
    actions = {f["path"]: f["action"] for f in result.report["regeneration"]["files"]}
    assert actions["tests/tasks.test.js"] == "user-deleted"


def test_dropped_table_files_are_deleted_unless_edited(project: Path, tmp_path: Path) -> None:
    with (project / "src/services/comments.js").open("a", encoding="utf-8") as fh:
        fh.write("\n// mine\n")
    result = _regen(project, "drop_table", tmp_path, allow_destructive=True)
    assert result.success, result.report.get("regeneration")
    actions = {f["path"]: f["action"] for f in result.report["regeneration"]["files"]}
    assert actions["src/services/comments.js"] == "kept"
    assert (project / "src/services/comments.js").exists()
    assert actions["src/models/comments.js"] == "deleted"
    assert not (project / "src/models/comments.js").exists()
    manifest = load_manifest(project)
    assert manifest is not None and "src/services/comments.js" not in manifest.files
    _edits_survive(project)


def test_unchanged_spec_writes_nothing_and_calls_no_provider(project: Path,
                                                             tmp_path: Path) -> None:
    before = snapshot(project)
    meta = {n: (project / ".backforge" / n).stat().st_mtime_ns
            for n in ("manifest.json", "spec.json")}
    result = _regen(project, None, tmp_path)
    assert result.success and result.exit_code == 0
    regen = result.report["regeneration"]
    assert regen["provider_calls"] == 0 and regen["units_regenerated"] == 0
    assert set(regen["counts"]) == {"unchanged"}
    assert snapshot(project) == before
    assert {n: (project / ".backforge" / n).stat().st_mtime_ns for n in meta} == meta


def test_a_folder_not_made_by_backforge_is_still_refused(tmp_path: Path) -> None:
    root = tmp_path / "mine"
    root.mkdir()
    (root / "notes.txt").write_text("mine", encoding="utf-8")
    assert cli.main(["generate", str(SPECS / "taskmanager.yaml"), "-o", str(root)]) == 2
    assert sorted(p.name for p in root.iterdir()) == ["notes.txt"]
