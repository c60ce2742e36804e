"""A regeneration validates what changed: replayed files are known by the parse facts the
last run recorded (.backforge/facts.json), so they are not parsed again; replayed units
nothing changed for are not checked again; and a changed unit that breaks an unchanged
importer's import is still caught at that importer."""

from __future__ import annotations

from pathlib import Path

import pytest

from backforge import api
from backforge.output.manifest import load_manifest
from backforge.regenerate import FACTS
from backforge.stacks.express_js import ExpressJsStack
from backforge.validate import facts as parse_facts
from backforge.validate import registry as registry_module
from backforge.validate.registry import Registry
from tests.regen.support import SPECS, mutated, write_spec

SPEC = SPECS / "taskmanager.yaml"


@pytest.fixture
def parsed_paths(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every path the registry parses from here on."""
    seen: list[str] = []
    real = registry_module.parse_all

    def counting(jobs):
        seen.extend(path for _, path, _ in jobs)
        return real(jobs)
    monkeypatch.setattr(registry_module, "parse_all", counting)
    return seen


def test_the_facts_are_the_parses_of_the_recorded_files(pristine: Path) -> None:
    recorded = load_manifest(pristine).files
    known = parse_facts.loads((pristine / ".backforge" / FACTS).read_text(encoding="utf-8"))
    assert set(known) <= set(recorded) and len(known) > 0.8 * len(recorded)
    fresh = Registry()
    fresh.update({p: (pristine / p).read_text(encoding="utf-8") for p in known})
    for path, f in known.items():
        assert f.sha == recorded[path]
        assert f.parsed == fresh.get(path), path  # the same facts a parse gives
        assert f.resolved == {s: fresh.resolve(path, s) for s in f.resolved}


def test_a_regeneration_parses_and_checks_only_what_changed(
        project: Path, tmp_path: Path, parsed_paths: list[str]) -> None:
    spec = write_spec(tmp_path / "spec.yaml", mutated("add_column"))
    result = api.generate(spec, output=project)
    assert result.success and result.exit_code == 0 and not result.issues
    regen = result.report["regeneration"]
    manifest = load_manifest(project)
    regenerated = {p for uid in regen["regenerated"] for p in manifest.units[uid].files}
    # Parsed: only files of regenerated units (and the new migration), never a replay's.
    assert parsed_paths and set(parsed_paths) <= regenerated
    assert regen["units_not_revalidated"] >= regen["units_replayed"] // 2
    # The recorded facts follow the new files.
    known = parse_facts.loads((project / ".backforge" / FACTS).read_text(encoding="utf-8"))
    assert regenerated & set(known)
    assert all(manifest.files[p] == f.sha for p, f in known.items())


def test_without_facts_every_file_is_parsed_and_checked(
        project: Path, tmp_path: Path, parsed_paths: list[str]) -> None:
    (project / ".backforge" / FACTS).write_text("{not json", encoding="utf-8")
    spec = write_spec(tmp_path / "spec.yaml", mutated("add_column"))
    result = api.generate(spec, output=project)
    assert result.success
    assert result.report["regeneration"]["units_not_revalidated"] == 0
    assert len(set(parsed_paths)) > 0.8 * len(load_manifest(project).files)


def test_a_changed_unit_breaking_an_unchanged_importer_is_caught(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Adding a column regenerates the routes unit while the app unit replays; a routes
    answer that renames the export src/app.js imports must fail at src/app.js."""
    real = ExpressJsStack.render

    def renaming(self, unit, plan):
        generation = real(self, unit, plan)
        if unit.id != "routes":
            return generation
        from dataclasses import replace

        from backforge.engine.protocols import GeneratedFile
        files = tuple(GeneratedFile(f.path, f.content.replace("createApiRouter",
                                                              "makeApiRouter"))
                      if f.path == "src/routes/index.js" else f for f in generation.files)
        return replace(generation, files=files)
    monkeypatch.setattr(ExpressJsStack, "render", renaming)
    spec = write_spec(tmp_path / "spec.yaml", mutated("add_column"))
    result = api.generate(spec, output=project)
    regen = result.report["regeneration"]
    replay = {d["unit"]: d["replay"] for d in regen["units"]}
    assert replay["app"] and not replay["routes"]  # planned: app replays, routes reruns
    assert not result.success and result.exit_code == 1
    app = next(u for u in result.report["units"] if u["id"] == "app")
    issues = [i for a in app["attempts"] for i in a["issues"]]
    assert any(i["rule"] == "import-name-missing" and i["file"] == "src/app.js"
               and "createApiRouter" in i["message"] for i in issues), issues
