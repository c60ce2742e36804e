"""An unchanged re-run answers "up to date" from the manifest and the files' hashes alone:
nothing rendered or written, the folder's lock still taken, an interrupted run still
recovered first, conflicts still exit 3; `generate --check` tells CI whether the folder
is current (exit 0) or stale (exit 1) and writes nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from backforge import api, cli
from backforge.output import journal
from backforge.output.journal import FolderLock, FolderLockedError
from backforge.output.manifest import base_file, load_manifest
from backforge.providers.template import TemplateProvider
from tests.crash.support import tree
from tests.regen.support import SPECS, mutated, write_spec

SPEC = SPECS / "taskmanager.yaml"


def _mtimes(root: Path) -> dict[str, int]:
    """Every file, .backforge/ included (report.json too: a full run always rewrites it)."""
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*")
            if p.is_file() and p.name != "lock"}


def _no_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args, **_kwargs):
        raise AssertionError("an up-to-date run must not render")
    monkeypatch.setattr(TemplateProvider, "generate", refuse)


def test_unchanged_rerun_is_up_to_date_without_rendering_or_writing(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before, contents = _mtimes(project), tree(project)
    _no_rendering(monkeypatch)
    events = []
    result = api.generate(SPEC, output=project, on_event=events.append)
    assert result.up_to_date and result.success and result.exit_code == 0
    assert _mtimes(project) == before and tree(project) == contents
    manifest = load_manifest(project)
    assert manifest is not None and set(result.files) == set(manifest.files)
    assert result.files["src/app.js"] == (project / "src/app.js").read_text(encoding="utf-8")
    assert result.report["up_to_date"] is True and result.report["project"]
    [event] = events
    assert event.kind == "run_finished" and event.data["up_to_date"] is True
    assert event.data["success"] is True


@pytest.mark.parametrize("change", ["edit", "delete", "base", "spec"])
def test_any_difference_runs_the_full_regeneration(project: Path, tmp_path: Path,
                                                   change: str) -> None:
    spec = SPEC
    if change == "edit":
        with (project / "src/app.js").open("a", encoding="utf-8") as fh:
            fh.write("\n// mine\n")
    elif change == "delete":
        (project / "README.md").unlink()
    elif change == "base":
        base_file(project, "src/app.js").unlink()
    else:
        spec = write_spec(tmp_path / "spec.yaml", mutated("add_column"))
    result = api.generate(spec, output=project)
    assert not result.up_to_date and result.exit_code == 0
    assert "regeneration" in result.report
    if change == "edit":
        assert (project / "src/app.js").read_text(encoding="utf-8").endswith("// mine\n")
    if change == "base":  # the full run restored it; the next one is a no-op again
        assert base_file(project, "src/app.js").is_file()
        assert api.generate(spec, output=project).up_to_date


def test_other_provider_or_model_is_not_up_to_date(project: Path) -> None:
    from backforge.regenerate import up_to_date
    from backforge.stacks import get_stack

    loaded = api.load(SPEC)
    data, stack = loaded.project.model_dump(mode="json"), get_stack("express-js")
    assert up_to_date(project, stack, data, provider_name="template", model=None)
    assert up_to_date(project, stack, data, provider_name="openai", model="m") is None
    assert up_to_date(project, stack, data, provider_name="template", model="m") is None


def test_up_to_date_still_takes_the_folder_lock(project: Path) -> None:
    with FolderLock(project), pytest.raises(FolderLockedError):
        api.generate(SPEC, output=project)
    assert api.generate(SPEC, output=project).up_to_date  # released again


def test_recorded_conflicts_keep_exit_3(project: Path) -> None:
    path = project / ".backforge" / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["conflicts"] = ["README.md"]
    path.write_text(json.dumps(data), encoding="utf-8")
    text = (project / "README.md").read_text(encoding="utf-8")
    (project / "README.md").write_text("<<<<<<< yours\nx\n=======\ny\n>>>>>>> backforge\n"
                                       + text, encoding="utf-8")
    result = api.generate(SPEC, output=project)
    assert not result.up_to_date and result.exit_code == 3
    assert cli.main(["generate", str(SPEC), "-o", str(project), "--check"]) == 1


@pytest.mark.parametrize("after_commit", [False, True])
def test_an_interrupted_run_is_recovered_before_the_answer(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        after_commit: bool) -> None:
    """Killed before the commit: rolled back, so the old spec is up to date; killed while
    renaming: rolled forward, so the new spec is."""
    new = write_spec(tmp_path / "spec.yaml", mutated("add_column"))
    reference = tmp_path / "reference"
    shutil.copytree(project, reference)
    monkeypatch.setenv(journal.CRASH_AFTER_ENV, "0")
    assert api.generate(new, output=reference).exit_code == 0
    names = list(journal.boundary.names)
    commit = names.index("journal committed") + 1  # boundaries count from 1
    monkeypatch.setenv(journal.CRASH_AFTER_ENV, f"{commit + 2 if after_commit else commit - 1}"
                                                ":raise")
    with pytest.raises(journal.SimulatedCrash):
        api.generate(new, output=project)
    monkeypatch.delenv(journal.CRASH_AFTER_ENV)
    assert journal.pending(project)  # staging or journal left: something to recover
    result = api.generate(new if after_commit else SPEC, output=project)
    assert result.up_to_date and not journal.pending(project)
    if after_commit:
        assert tree(project) == tree(reference)


def test_check_exits_0_when_current_and_1_when_stale_writing_nothing(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _mtimes(project)
    assert cli.main(["generate", str(SPEC), "-o", str(project), "--check"]) == 0
    assert "up to date" in capsys.readouterr().out
    new = write_spec(tmp_path / "spec.yaml", mutated("add_column"))
    assert cli.main(["generate", str(new), "-o", str(project), "--check", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["up_to_date"] is False
    assert "migrations/0003_add_tasks_notes.up.sql" in {f["path"] for f in out["plan"]["files"]}
    assert _mtimes(project) == before
    # A hand edit alone: the run would merge and keep it, changing nothing.
    with (project / "src/app.js").open("a", encoding="utf-8") as fh:
        fh.write("\n// mine\n")
    assert cli.main(["generate", str(SPEC), "-o", str(project), "--check"]) == 0
    assert "edits by hand kept" in capsys.readouterr().out
    empty = tmp_path / "empty"
    assert cli.main(["generate", str(SPEC), "-o", str(empty), "--check"]) == 1
    assert not empty.exists() or not any(empty.iterdir())


def test_cli_says_up_to_date(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["generate", str(SPEC), "-o", str(project)]) == 0
    recorded = len(load_manifest(project).files)
    assert recorded > 80 and f"up to date: {recorded} files" in capsys.readouterr().out
    assert cli.main(["generate", str(SPEC), "-o", str(project), "--json"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    event = json.loads(line)
    assert event["event"] == "run_finished" and event["data"]["up_to_date"] is True
