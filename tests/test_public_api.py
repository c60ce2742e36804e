"""The public surface is small and pinned (like httpx's __all__ test)."""

import backforge


def test_public_names_are_pinned() -> None:
    assert sorted(backforge.__all__) == sorted([
        "BackforgeError", "GenerateOptions", "GenerateResult", "InputError", "SpecError",
        "__version__", "generate", "load",
    ])
    for name in backforge.__all__:
        assert hasattr(backforge, name), name


def test_generate_in_memory_returns_files_and_report() -> None:
    from tests.conftest import DATA

    events = []
    result = backforge.generate(DATA / "taskmanager.yaml", on_event=events.append)
    assert result.success and result.exit_code == 0
    assert result.output is None
    assert "src/app.js" in result.files
    assert result.report["modules"] and result.report["project"] == "Task Manager"
    assert events and str(events[-1].kind) == "run_finished"
