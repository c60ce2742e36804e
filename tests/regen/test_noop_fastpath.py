"""The command line's no-op answer (output/fastpath.py) trusts a file's unchanged stat
tuple instead of reading it, and a spec's fingerprint instead of loading it. Any edit of
any recorded file (even one that keeps its size and mtime), of the spec, of the options,
of backforge's version or of the templates and prompt sources must still make the
folder not up to date; an incomplete run must never leave a folder that answers
"up to date"; and `generate --check` never rests on the stat cache."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from backforge import api, cli, regenerate
from backforge.output import fastpath
from backforge.output.manifest import load_manifest
from backforge.run_options import GenerateOptions
from backforge.stacks import get_stack
from tests.regen.support import SPECS

SPEC = SPECS / "taskmanager.yaml"


@pytest.fixture
def project(pristine: Path, tmp_path: Path) -> Path:
    """A copy whose stat cache still matches: copied with its times, then re-recorded as
    the run that wrote it would have (a copy has new inodes and ctimes)."""
    root = tmp_path / "tm"
    shutil.copytree(pristine, root)
    cache = fastpath.StatCache.load(root)
    assert cache is not None
    fastpath.record(root, _expected(root), cache.sources[0])
    return root


def _expected(root: Path) -> dict[str, str]:
    cache = fastpath.StatCache.load(root)
    assert cache is not None
    return fastpath.expected_files(load_manifest(root), cache.files[fastpath.SPEC_JSON][1])


def _answer(root: Path, spec: Path = SPEC, **kw) -> int | None:
    args = {"fmt": None, "stack": None, "provider": "template", **kw}
    return fastpath.cli_answer(str(root), str(spec), **args)


def _trusted(root: Path) -> set[str]:
    """Paths the cache vouches for by their stat alone (not read)."""
    cache = fastpath.StatCache.load(root)
    out = set()
    for path, (st, _) in cache.files.items():
        now = os.stat(root / path)
        if (now.st_size, now.st_mtime_ns, now.st_ctime_ns, now.st_ino) == st \
                and max(st[1], st[2]) < cache.epoch:
            out.add(path)
    return out


def _same_size_edit(path: Path) -> bytes:
    """Change one byte, keep the size and put the mtime back (what `cp -p`, an editor
    restoring times or a fast tool could leave); returns the old bytes."""
    old = path.read_bytes()
    st = path.stat()
    flipped = bytes([old[0] ^ 0x01]) + old[1:] if old else b"x"
    path.write_bytes(flipped)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    return old


def test_an_unchanged_folder_is_answered_from_stats_alone(project: Path) -> None:
    expected = _expected(project)
    assert _answer(project) == len(load_manifest(project).files)
    # Files, base copies and spec.json: all vouched for by the cache, all checked.
    assert len(expected) == 2 * len(load_manifest(project).files) + 1
    assert len(_trusted(project)) > 0.9 * len(expected)  # not read: that is the point


def test_any_edit_of_any_recorded_file_is_seen(project: Path) -> None:
    """Every project file, base copy and spec.json, edited in place with its size and
    mtime kept: the answer is no, and yes again once the bytes are back."""
    total = len(load_manifest(project).files)
    paths = sorted(_expected(project))
    for rel in paths:
        target = project / rel
        old = _same_size_edit(target)
        assert _answer(project) is None, rel
        target.write_bytes(old)
        assert _answer(project) == total, rel  # re-hashed (new ctime): equal again


def test_deleting_a_recorded_file_or_the_report_is_seen(project: Path) -> None:
    (project / "src/app.js").unlink()
    assert _answer(project) is None
    shutil.copy(project / ".backforge/base/src/app.js.base", project / "src/app.js")
    assert _answer(project) is not None
    (project / ".backforge/report.json").unlink()
    assert _answer(project) is None


def test_a_racy_entry_is_hashed_not_trusted(project: Path) -> None:
    """A file changed in the clock tick the stats were taken in could keep its whole stat
    tuple: entries not older than the cache's epoch are always read."""
    target, rel = project / "src/app.js", "src/app.js"
    _same_size_edit(target)
    cache = fastpath.StatCache.load(project)
    st = os.stat(target)
    now = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    sha = cache.files[rel][1]  # the recorded bytes' hash, not the edited file's
    racy = fastpath.StatCache(cache.manifest, max(now[1], now[2]),
                              {**cache.files, rel: (now, sha)}, cache.sources)
    assert not racy.current(project, rel, sha)  # same tuple, but not older than epoch
    older = fastpath.StatCache(cache.manifest, max(now[1], now[2]) + 1,
                               {**cache.files, rel: (now, sha)}, cache.sources)
    assert older.current(project, rel, sha)  # the trust rule itself: stat alone


@pytest.mark.parametrize("change", ["semantic", "whitespace", "format", "stack"])
def test_a_different_spec_or_load_argument_is_not_answered(project: Path, tmp_path: Path,
                                                           change: str) -> None:
    text = SPEC.read_text(encoding="utf-8")
    spec, kw = tmp_path / "taskmanager.yaml", {}
    if change == "semantic":
        spec.write_text(text.replace("title", "headline", 1), encoding="utf-8")
    elif change == "whitespace":
        spec.write_text(text + "\n\n", encoding="utf-8")
    else:
        spec.write_text(text, encoding="utf-8")
        kw = {"fmt": "native"} if change == "format" else {"stack": "express-ts"}
    assert _answer(project, spec, **kw) is None
    if change in ("whitespace", "format"):  # the same project: the full answer says so
        assert api.generate(api.load(spec, fmt=kw.get("fmt")), output=project).up_to_date


@pytest.mark.parametrize("provider", ["openai", "anthropic", "hybrid"])
def test_another_provider_is_not_answered(project: Path, provider: str) -> None:
    assert _answer(project, provider=provider) is None


def test_another_backforge_version_is_not_answered(project: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastpath, "__version__", "0.0.0-other")
    assert _answer(project) is None


def test_a_changed_template_is_not_answered(project: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    stack = tmp_path / "express_js"
    real = fastpath.stack_folder("express-js")
    shutil.copytree(real / "templates", stack / "templates")
    shutil.copytree(real / "prompts", stack / "prompts")
    monkeypatch.setattr(fastpath, "stack_folder", lambda name: stack)
    assert _answer(project) is not None  # the same files: the same version
    first = min((stack / "templates").rglob("*.j2"))
    first.write_text(first.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert _answer(project) is None


@pytest.mark.parametrize("source", fastpath.PROMPT_SOURCES)
def test_prompt_sources_and_contracts_are_in_the_template_version(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str) -> None:
    """Contract-first prompts list the dependencies' contracts (validate/contracts.py
    derives them): a change there re-asks the model, like a prompt change."""
    folder = fastpath.stack_folder("express-js")
    before = fastpath.template_version_of(folder)
    copy = tmp_path / Path(source).name
    copy.write_text(Path(fastpath._PACKAGE, source).read_text(encoding="utf-8") + "\n#\n",
                    encoding="utf-8")
    monkeypatch.setattr(fastpath, "PROMPT_SOURCES", tuple(
        str(copy) if s == source else s for s in fastpath.PROMPT_SOURCES))
    assert fastpath.template_version_of(folder) != before


@pytest.mark.parametrize("name", ["express-js", "express-ts"])
def test_the_fast_and_full_template_versions_agree(name: str) -> None:
    assert fastpath.template_version_of(fastpath.stack_folder(name)) == \
        regenerate.template_version(get_stack(name))


def test_an_incomplete_run_leaves_no_up_to_date_answer(tmp_path: Path) -> None:
    """A run stopped by its deadline records what validated; the next run must finish
    the rest, so neither answer may say "up to date"."""
    root = tmp_path / "tm"
    result = api.generate(SPEC, GenerateOptions(deadline=0.01), output=root)
    assert not fastpath.run_complete(result.report)
    assert not (root / ".backforge" / fastpath.STAT_CACHE).exists()
    assert _answer(root) is None
    again = api.generate(SPEC, output=root)
    assert not again.up_to_date and again.exit_code == 0
    assert _answer(root) == len(load_manifest(root).files)  # complete now


def test_a_run_removes_the_cache_before_it_commits(project: Path, tmp_path: Path) -> None:
    """A later run's cache describes that run only: the old one never survives it."""
    manifest = project / ".backforge" / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["conflicts"] = ["README.md"]  # a recorded conflict: no cache is written
    manifest.write_text(json.dumps(data), encoding="utf-8")
    assert fastpath.StatCache.load(project) is None  # it describes another manifest
    text = (project / "README.md").read_text(encoding="utf-8")
    (project / "README.md").write_text("<<<<<<< yours\nx\n=======\ny\n>>>>>>> backforge\n"
                                       + text, encoding="utf-8")
    assert api.generate(SPEC, output=project).exit_code == 3
    assert not (project / ".backforge" / fastpath.STAT_CACHE).exists()
    assert _answer(project) is None


def test_check_hashes_every_file_whatever_the_cache_says(project: Path) -> None:
    """CI's --check reads every byte: an edit is seen even with a cache forged to vouch
    for the edited file's stat tuple."""
    target = project / "src/app.js"
    _same_size_edit(target)
    cache = fastpath.StatCache.load(project)
    st = os.stat(target)
    forged = fastpath.StatCache(
        cache.manifest, cache.epoch + 10**12,
        {**cache.files, "src/app.js": ((st.st_size, st.st_mtime_ns, st.st_ctime_ns,
                                        st.st_ino), cache.files["src/app.js"][1])},
        cache.sources)
    (project / ".backforge" / fastpath.STAT_CACHE).write_text(forged.to_json(),
                                                              encoding="utf-8")
    assert _answer(project) is not None  # the forged cache fools the stat answer...
    loaded = api.load(SPEC)
    assert regenerate.up_to_date(project, get_stack("express-js"),
                                 loaded.project.model_dump(mode="json"),
                                 provider_name="template", model=None) is None
    # ...but not --check, which hashes (and a hand edit alone changes nothing to merge).
    assert api.check(SPEC, output=project).plan is not None


def test_the_cli_answers_and_the_full_command_agrees(project: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    total = len(load_manifest(project).files)
    assert cli.main(["generate", str(SPEC), "-o", str(project)]) == 0
    assert f"up to date: {total} files" in capsys.readouterr().out
    (project / "src/app.js").write_text("// mine\n", encoding="utf-8")
    assert cli.main(["generate", str(SPEC), "-o", str(project)]) == 0  # merged, kept
    out = capsys.readouterr().out
    assert "up to date" not in out
    assert (project / "src/app.js").read_text(encoding="utf-8") == "// mine\n"
