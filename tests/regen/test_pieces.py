"""The pieces on their own: three-way decisions, the manifest's determinism, git missing,
and the replay provider's fallback to a real call on a retry."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from backforge import api, cli
from backforge.engine.protocols import GeneratedFile, Generation, UnitContext
from backforge.output.merge import Action, decide, decide_orphan
from backforge.plan.model import Unit
from backforge.providers.replay import ReplayProvider
from tests.regen.support import SPECS, mutated, snapshot, write_spec

BASE = "a\nb\nc\nd\ne\n"


@pytest.mark.parametrize(("ours", "theirs", "action", "content"), [
    (BASE, BASE, Action.UNCHANGED, None),
    ("mine\n", BASE, Action.UNCHANGED, None),  # theirs == base: the user's file stays
    (BASE, "a\nb\nC\nd\ne\n", Action.UPDATED, "a\nb\nC\nd\ne\n"),
    ("A\nb\nc\nd\ne\n", "a\nb\nc\nd\nE\n", Action.MERGED, "A\nb\nc\nd\nE\n"),
    ("a\nb\nX\nd\ne\n", "a\nb\nY\nd\ne\n", Action.CONFLICT, None),
    (None, "a\n", Action.USER_DELETED, None),
])
def test_three_way_decisions(ours, theirs, action, content) -> None:
    d = decide("f.js", ours, BASE, theirs, known=True)
    assert d.action is action
    if content is not None:
        assert d.content == content
    if action is Action.CONFLICT:
        assert d.content is not None and d.conflicts == 1
        assert "<<<<<<< yours\nX\n=======\nY\n>>>>>>> backforge\n" in d.content


def test_new_file_over_an_unrelated_user_file_merges_with_an_empty_base() -> None:
    assert decide("n.js", None, None, "x\n", known=False).action is Action.ADDED
    d = decide("n.js", "mine\n", None, "theirs\n", known=False)
    assert d.action is Action.CONFLICT and "mine" in (d.content or "")


def test_orphans() -> None:
    assert decide_orphan("o.js", BASE, BASE).action is Action.DELETED
    assert decide_orphan("o.js", "edited\n", BASE).action is Action.KEPT
    assert decide_orphan("o.js", None, BASE).action is Action.USER_DELETED


def test_manifest_is_deterministic(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert api.generate(SPECS / "taskmanager.yaml", output=tmp_path / name).success
    first = (tmp_path / "a/.backforge/manifest.json").read_bytes()
    assert first == (tmp_path / "b/.backforge/manifest.json").read_bytes()


def test_no_git_is_an_input_error_before_anything_is_written(tmp_path: Path, monkeypatch,
                                                             capsys) -> None:
    root = tmp_path / "tm"
    assert api.generate(SPECS / "taskmanager.yaml", output=root).success
    before = snapshot(root)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    spec = write_spec(tmp_path / "s.yaml", mutated("add_column"))
    assert cli.main(["generate", str(spec), "-o", str(root)]) == 2
    assert "git is not on PATH" in capsys.readouterr().err
    assert snapshot(root) == before


class _Counting:
    name = "counting"

    def __init__(self) -> None:
        self.calls = 0

    async def generate(self, unit: Unit, ctx: UnitContext) -> Generation:
        self.calls += 1
        return Generation((GeneratedFile("x.js", "fresh\n"),))


def test_replay_serves_the_base_then_calls_the_provider_on_a_retry() -> None:
    inner = _Counting()
    unit = Unit("u", "m", None, (), ("x.js",), ())
    replay = Generation((GeneratedFile("x.js", "old\n"),))
    wrapper = ReplayProvider(inner, {"u": replay},
                             {"u": (GeneratedFile("migrations/9.sql", "--\n"),)})

    def ctx(attempt: int) -> UnitContext:
        return UnitContext(None, attempt, {}, {})  # type: ignore[arg-type]

    first = asyncio.run(wrapper.generate(unit, ctx(1)))
    assert inner.calls == 0 and first.file_map() == {"x.js": "old\n", "migrations/9.sql": "--\n"}
    second = asyncio.run(wrapper.generate(unit, ctx(2)))
    assert inner.calls == 1 and second.file_map()["x.js"] == "fresh\n"
    assert wrapper.calls == 1 and "u" not in wrapper.replayed


def test_validate_ignores_the_base_copies(tmp_path: Path) -> None:
    root = tmp_path / "tm"
    result = api.generate(SPECS / "taskmanager.yaml", output=root)
    assert any((root / ".backforge" / "base").rglob("*.js.base"))
    checked = api.validate_dir(root)
    assert checked.files == len(result.files) and checked.exit_code == 0
