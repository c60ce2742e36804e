"""`backforge validate DIR` / `api.validate_dir`: a folder on disk, generated and then
edited by hand, judged with DESIGN.md's thresholds and its issues grouped by module."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from backforge import api
from backforge.cli import main
from backforge.engine.protocols import Issue, Severity
from backforge.engine.report import UnitStatus
from backforge.errors import InputError
from backforge.plan.model import ModuleDef, Plan, Unit
from backforge.spec.model import Field, FieldType, Project, Table
from backforge.spec.names import resolve
from backforge.validate.project import ModuleMap, assess, read_project
from tests.conftest import DATA


@pytest.fixture
def generated(generated_taskmanager: Path) -> Path:
    return generated_taskmanager


@pytest.fixture
def folder(taskmanager_copy: Path) -> Path:
    return taskmanager_copy


def statuses(result: api.ValidateResult) -> dict[str, str]:
    return {m.name: m.status.value for m in result.assessment.modules}


def test_a_generated_folder_validates(generated: Path) -> None:
    result = api.validate_dir(generated)
    assert result.success and result.exit_code == 0 and result.issues == ()
    # The normalized copy of the spec that generate saved beside the report.
    assert result.stack == "express-js" and result.spec.endswith(".backforge/spec.json")
    assert result.assessment.presence_checked
    assert set(statuses(result).values()) == {"validated"}
    assert "models" in statuses(result) and "other" not in statuses(result)


def test_a_missing_critical_file_fails_its_module_and_the_run(folder: Path) -> None:
    (folder / "src" / "models" / "tasks.js").unlink()
    result = api.validate_dir(folder)
    assert not result.success and result.exit_code == 1
    assert statuses(result)["models"] == "partial"
    assert statuses(result)["services"] == "partial"  # its require no longer resolves
    models = next(m for m in result.assessment.modules if m.name == "models")
    assert [i.rule for i in models.issues] == ["critical-file-missing"]


def test_a_missing_required_file_is_a_warning_above_ninety_percent(folder: Path) -> None:
    # Without a manifest nothing says the file was deleted on purpose.
    (folder / ".backforge" / "manifest.json").unlink()
    (folder / "terraform" / "README.md").unlink()  # 1 of 21 terraform files
    result = api.validate_dir(folder)
    assert result.success
    [issue] = result.issues
    assert (issue.rule, issue.severity) == ("file-missing", Severity.WARNING)
    assert statuses(result)["terraform"] == "validated"


def test_hand_edits_are_grouped_by_the_module_of_their_folder(folder: Path) -> None:
    (folder / "src" / "models" / "audit.js").write_text(
        "const { query } = require('../db/nope');\nmodule.exports = { query };\n")
    (folder / "src" / "routes" / "tasks.js").write_text(
        (folder / "src" / "routes" / "tasks.js").read_text()
        .replace("module.exports = { tasksRouter };", "module.exports = tasksRouter;"))
    result = api.validate_dir(folder)
    by_module = {m.name: [(i.rule, i.file) for i in m.issues]
                 for m in result.assessment.modules if m.issues}
    assert by_module == {"models": [("import-unresolved", "src/models/audit.js")],
                         "routes": [("export-default", "src/routes/tasks.js")]}
    assert statuses(result)["routes"] == "partial" and not result.success


def test_without_report_or_spec_presence_is_not_checked(folder: Path) -> None:
    shutil.rmtree(folder / ".backforge")
    (folder / "src" / "models" / "tasks.js").unlink()
    result = api.validate_dir(folder)
    assert result.spec is None and not result.assessment.presence_checked
    assert any("not checked" in note for note in result.assessment.notes)
    # The broken require still shows, in the module that owns the requiring file.
    [(module, issue)] = [(m.name, i) for m in result.assessment.modules for i in m.issues]
    assert (module, issue.rule, issue.file) == ("services", "import-unresolved",
                                                 "src/services/tasks.js")
    # With the spec given, the missing critical file is found again.
    again = api.validate_dir(folder, spec=DATA / "taskmanager.yaml")
    assert again.assessment.presence_checked
    assert any(i.rule == "critical-file-missing" for i in again.issues)


def test_bad_input_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such folder"):
        api.validate_dir(tmp_path / "nope")
    with pytest.raises(InputError):
        api.validate_dir(tmp_path, spec=tmp_path / "missing.yaml")


def test_cli_exit_codes_and_grouped_output(folder: Path, tmp_path: Path, capsys) -> None:
    assert main(["validate", str(folder)]) == 0
    assert "validated: 0 error(s)" in capsys.readouterr().out
    (folder / "src" / "services" / "tasks.js").write_text(
        (folder / "src" / "services" / "tasks.js").read_text()
        .replace("require('../models/tasks')", "require('../model/tasks')"))
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "services (critical): partial, 1 error(s)" in out
    assert "src/services/tasks.js:" in out and "[import-unresolved]" in out
    assert "fix: did you mean '../models/tasks'" in out
    assert main(["validate", str(tmp_path / "nope")]) == 2


def test_cli_json(folder: Path, capsys) -> None:
    (folder / ".env.example").write_text("PORT=3000\n")
    assert main(["validate", str(folder), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["success"] is False and data["presence_checked"] is True
    [utils] = [m for m in data["modules"] if m["name"] == "utils"]
    assert utils["status"] == "partial" and utils["errors"] > 0
    assert {i["rule"] for i in utils["issues"]} == {"env-undocumented"}
    assert all(i["file"] == "src/utils/config.js" and i["line"] for i in utils["issues"])


def test_read_project_skips_vendored_and_binary_files(tmp_path: Path) -> None:
    (tmp_path / "node_modules" / "x").mkdir(parents=True)
    (tmp_path / "node_modules" / "x" / "index.js").write_text("broken (")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.js").write_text("module.exports = {};\n")
    assert read_project(tmp_path) == {"src/a.js": "module.exports = {};\n"}


# -- thresholds, on a plan made by hand ---------------------------------------------------

def _plan(required: int) -> Plan:
    project = Project(name="p", tables=(Table(name="t", fields=(
        Field(name="id", type=FieldType.INTEGER, primary_key=True),)),))
    files = tuple(f"src/m{i}.js" for i in range(required))
    units = {"core": Unit("core", "core", None, (), files, files[:1], True),
             "extra": Unit("extra", "extra", None, ("core",), ("src/extra.js",), ())}
    return Plan(project, resolve(project), "test",
                (ModuleDef("core", critical=True), ModuleDef("extra")), units)


def _assess(files: dict[str, str], plan: Plan, issues: tuple[Issue, ...] = ()):
    return assess(files, issues, ModuleMap.from_plan(plan), plan=plan)


def test_thresholds_are_the_engines() -> None:
    plan = _plan(10)
    every = {f"src/m{i}.js": "" for i in range(10)} | {"src/extra.js": ""}
    assert _assess(every, plan).success
    nine = {k: v for k, v in every.items() if k != "src/m9.js"}  # 90 %: a warning
    result = _assess(nine, plan)
    assert result.success and [i.severity for i in result.issues] == [Severity.WARNING]
    eight = {k: v for k, v in nine.items() if k != "src/m8.js"}  # 80 %: errors
    result = _assess(eight, plan)
    assert not result.success and result.modules[0].status is UnitStatus.PARTIAL
    no_critical = {k: v for k, v in every.items() if k != "src/m0.js"}
    assert not _assess(no_critical, plan).success
    # A non-critical module may fail while >= 95 % ... of 2 modules is both: run fails.
    no_extra = {k: v for k, v in every.items() if k != "src/extra.js"}
    result = _assess(no_extra, plan)
    assert [m.status for m in result.modules] == [UnitStatus.VALIDATED, UnitStatus.FAILED]
    assert not result.success and result.success_rate == 0.5


def test_warnings_never_block_and_errors_anywhere_do() -> None:
    plan = _plan(1)
    files = {"src/m0.js": "", "src/extra.js": "", "scripts/x.js": ""}
    warning = Issue("dependency-unused", "w", "package.json", 3, Severity.WARNING)
    assert _assess(files, plan, (warning,)).success
    error = Issue("js-syntax", "e", "scripts/x.js", 1)
    result = _assess(files, plan, (error,))
    assert not result.success and result.modules[-1].name == "other"


def test_generated_files_the_user_deleted_are_info_not_errors(folder: Path) -> None:
    """Issue 12: the manifest says backforge wrote them; gone now means deleted on purpose."""
    (folder / "tests" / "tasks.test.js").unlink()  # the only file of unit tests/tasks
    (folder / "terraform" / "README.md").unlink()
    result = api.validate_dir(folder)
    assert result.success and result.exit_code == 0 and result.issues == ()
    assert result.assessment.deleted == ("terraform/README.md", "tests/tasks.test.js")
    assert statuses(result)["tests"] == "validated"
    assert any("deleted by hand" in n and "tests/tasks.test.js" in n
               for n in result.assessment.notes)
    assert result.to_dict()["deleted"] == ["terraform/README.md", "tests/tasks.test.js"]


def test_a_deleted_critical_file_stays_an_error_even_if_recorded(folder: Path) -> None:
    (folder / "src" / "app.js").unlink()
    result = api.validate_dir(folder)
    assert not result.success and result.exit_code == 1
    assert ("critical-file-missing", "src/app.js") in [(i.rule, i.file) for i in result.issues]


def test_a_file_the_manifest_never_had_is_still_required(folder: Path) -> None:
    manifest = json.loads((folder / ".backforge" / "manifest.json").read_text())
    del manifest["files"]["tests/tasks.test.js"]
    (folder / ".backforge" / "manifest.json").write_text(json.dumps(manifest))
    (folder / "tests" / "tasks.test.js").unlink()
    result = api.validate_dir(folder)
    assert not result.success
    assert ("file-missing", "tests/tasks.test.js") in [(i.rule, i.file) for i in result.issues]


def test_an_unreadable_manifest_is_a_note_not_a_crash(folder: Path) -> None:
    (folder / ".backforge" / "manifest.json").write_text("{ not json")
    (folder / "tests" / "tasks.test.js").unlink()
    result = api.validate_dir(folder)
    assert not result.success  # nothing tells the deletion apart: the old verdict
    assert any("deleted files were not told apart" in n for n in result.assessment.notes)
