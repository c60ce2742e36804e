"""An unexpected exception (a bug) is one line and exit 1; `--debug` shows the stack."""

from __future__ import annotations

import pytest

from backforge import api
from backforge.cli import main


@pytest.fixture
def broken_load(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom [red]x[/red]\nsecond line")

    monkeypatch.setattr(api, "load", explode)


def test_an_unexpected_error_is_one_line_and_exit_1(broken_load, tmp_path, capsys):
    assert main(["plan", str(tmp_path / "spec.yaml")]) == 1
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    assert err.startswith("error: backforge plan failed: unexpected RuntimeError: boom")
    assert "[red]x[/red] second line" in err  # the text is escaped, not rich markup
    assert "rerun with --debug" in err and len(err.splitlines()) == 1


def test_debug_shows_the_stack(broken_load, tmp_path, capsys):
    assert main(["--debug", "plan", str(tmp_path / "spec.yaml")]) == 1
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "RuntimeError: boom" in err
