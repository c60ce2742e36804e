"""An unexpected exception (a bug) is one line and exit 1; `--debug` shows the stack; text
from events is printed as text."""

from __future__ import annotations

import io

import pytest

from backforge import api
from backforge.cli import main
from backforge.console import Console
from backforge.engine.events import Event, EventKind


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


def test_progress_lines_print_event_text_as_text():
    """On a terminal the progress bar prints retries and hedges; their messages quote
    provider errors and spec text, so "[red]" in them stays text (and "[/x]" no crash)."""
    out = io.StringIO()
    console = Console(out=out)
    console.out._force_terminal = True  # rich's switch for a terminal without a tty
    with console.progress() as on_event:
        on_event(Event(EventKind.RUN_STARTED, 0.0, data={"units": 2}))
        on_event(Event(EventKind.UNIT_RETRIED, 1.0, "models/[red]x", 1,
                       "attempt 1 error: 500 [/bad] [red]y[/red]"))
        on_event(Event(EventKind.UNIT_HEDGED, 2.0, "models/[red]x", 2, "a second [b]request"))
        on_event(Event(EventKind.UNIT_VALIDATED, 3.0, "models/[red]x", 2, "done"))
    text = out.getvalue()
    assert "retry models/[red]x: attempt 1 error: 500 [/bad] [red]y[/red]" in text
    assert "hedge models/[red]x: a second [b]request" in text
