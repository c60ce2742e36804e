"""Whole runs through the engine against the fake server over real HTTP: a clean run,
every fault kind detected and recovered, a rejected key failing fast, and the CLI."""

from __future__ import annotations

import pytest

from backforge import api, cli
from backforge.providers.fake_server import FAULTS, FakeLLMServer
from backforge.stacks import get_stack
from tests.conftest import DATA
from tests.llm.conftest import SMALL_SPEC

TEMPLATE_MODULES = get_stack("express-js").template_modules  # written by templates

FAST = {"backoff_base": 0.01, "call_timeout": 10.0, "concurrency": 4}

# What the first attempt of a unit must show for each injected fault.
EXPECTED = {
    "429": ("error", "rate limited (HTTP 429)"),
    "500": ("error", "server error HTTP 500"),
    "hang": ("timeout", "no answer within"),
    "truncated": ("error", "bad response"),
    "missing-file": ("invalid", "file-missing"),
    "renamed-export": ("invalid", "import-name-missing"),
    "wrong-import": ("invalid", "import-unresolved"),
    "syntax": ("invalid", "syntax"),
}


def _model_units(report):
    return [u for u in report["units"] if u["module"] not in TEMPLATE_MODULES]


def test_clean_run_matches_the_template_provider():
    template = api.generate(DATA / "taskmanager.yaml")
    with FakeLLMServer(latency_ms=5, per_token_ms=0.001, jitter=0.5) as url:
        result = api.generate(DATA / "taskmanager.yaml", api.GenerateOptions(
            provider="openai", base_url=url, **FAST))
    assert result.success and result.report["provider"] == "openai"
    assert dict(result.files) == dict(template.files)
    assert all(m["status"] == "validated" for m in result.report["modules"])
    for unit in result.report["units"]:
        (attempt,) = unit["attempts"]
        assert attempt["outcome"] == "validated"
        from_model = unit["module"] not in TEMPLATE_MODULES
        assert (attempt["usage"]["completion_tokens"] > 0) == from_model, unit["id"]
    assert any(u["module"] in TEMPLATE_MODULES for u in result.report["units"])


def test_anthropic_clean_run():
    with FakeLLMServer(latency_ms=2) as url:
        result = api.generate(SMALL_SPEC, api.GenerateOptions(
            provider="anthropic", base_url=url, **FAST))
    assert result.success and result.report["provider"] == "anthropic"
    assert all(len(u["attempts"]) == 1 for u in result.report["units"])


@pytest.mark.parametrize("kind", FAULTS)
def test_each_fault_is_detected_and_recovered(kind):
    assert set(EXPECTED) == set(FAULTS)
    options = {**FAST, "call_timeout": 0.5} if kind == "hang" else FAST
    with FakeLLMServer(latency_ms=2, fault_rate=1.0, faults=(kind,), fault_attempts=1,
                       retry_after=0.01, hang_seconds=30) as url:
        result = api.generate(SMALL_SPEC, api.GenerateOptions(
            provider="openai", base_url=url, **options))
    assert result.success, result.report["units"]
    outcome, needle = EXPECTED[kind]
    units = _model_units(result.report)
    assert units
    seen_needle = False
    for unit in units:
        first, second = unit["attempts"]  # exactly one retry each
        assert second["outcome"] == "validated", unit["id"]
        if first["outcome"] == "invalid":
            assert first["issues"], unit["id"]
            text = " ".join(f"{i['rule']} {i['message']}" for i in first["issues"])
        else:
            text = first["error"] or ""
        # Units with no import to break get a syntax error instead; the rest show the kind.
        if first["outcome"] == outcome and needle in text:
            seen_needle = True
        else:
            assert kind in ("renamed-export", "wrong-import") and "syntax" in text, unit
    assert seen_needle


def test_seeded_faults_are_reproducible():
    def run():
        with FakeLLMServer(latency_ms=1, fault_rate=0.5, fault_attempts=2, seed=7,
                           retry_after=0.01, hang_seconds=30) as url:
            result = api.generate(SMALL_SPEC, api.GenerateOptions(
                provider="openai", base_url=url, **{**FAST, "call_timeout": 0.5}))
        assert result.success
        return {u["id"]: [a["outcome"] for a in u["attempts"]]
                for u in result.report["units"]}
    first = run()
    assert first == run()
    assert any(len(outcomes) > 1 for outcomes in first.values())


def test_rejected_key_fails_fast_with_a_clear_message(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong")
    with FakeLLMServer(api_key="sk-right") as url:
        result = api.generate(SMALL_SPEC, api.GenerateOptions(provider="openai", base_url=url,
                                                              **FAST))
    assert not result.success
    tried = [u for u in _model_units(result.report) if u["attempts"]]
    assert tried and all(len(u["attempts"]) == 1 for u in tried)
    assert all(u["attempts"][0]["outcome"] == "permanent-error" for u in tried)
    assert f"the API key was rejected by {url}" in tried[0]["reason"]
    assert "set OPENAI_API_KEY" in tried[0]["reason"]


def test_cli_generate_with_openai_provider(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MY_LLM_KEY", "k")
    with FakeLLMServer(latency_ms=1, api_key="k") as url:
        code = cli.main(["generate", str(DATA / "shop.yaml"), "-o", str(tmp_path / "out"),
                         "--provider", "openai", "--base-url", url, "--model", "fake-1",
                         "--api-key-env", "MY_LLM_KEY", "--json"])
    assert code == 0
    assert (tmp_path / "out" / "package.json").is_file()
    assert '"provider": "openai"' in (tmp_path / "out" / ".backforge" / "report.json").read_text()


def test_cli_fake_llm_rejects_unknown_fault(capsys):
    assert cli.main(["fake-llm", "--faults", "429,gremlins"]) == 2
    assert "gremlins" in capsys.readouterr().err


def test_fake_llm_command_serves_until_stopped(tmp_path):
    import subprocess
    import sys

    with subprocess.Popen([sys.executable, "-m", "backforge.cli", "fake-llm", "--port", "0",
                           "--latency-ms", "1"], stdout=subprocess.PIPE, text=True) as proc:
        try:
            line = proc.stdout.readline()
            assert line.startswith("fake LLM serving on http://127.0.0.1:"), line
            url = line.split(" on ", 1)[1].strip()
            result = api.generate(SMALL_SPEC, api.GenerateOptions(
                provider="openai", base_url=url, **FAST))
            assert result.success
        finally:
            proc.terminate()
            proc.wait(10)


@pytest.mark.parametrize("repeat", [False, True])
def test_a_mistake_shown_in_a_repair_prompt_is_not_repeated_unless_asked(repeat):
    """Every unit's first two answers are faulty (all content kinds). The fake reads its
    repair prompt, so its second answer is never the mistake just shown and the loop breaker
    lets every unit recover; a stuck model (repeat_mistakes) repeats some, and the breaker
    stops those units instead of spending the remaining attempts."""
    from backforge.providers.fake_server import CONTENT_FAULTS

    with FakeLLMServer(latency_ms=1, fault_rate=1.0, faults=CONTENT_FAULTS, fault_attempts=2,
                       seed=5, repeat_mistakes=repeat) as url:
        result = api.generate(SMALL_SPEC, api.GenerateOptions(
            provider="openai", base_url=url, **FAST))
    stopped = [u["id"] for u in result.report["units"]
               if "repair did not reduce" in (u.get("reason") or "")]
    assert bool(stopped) == repeat, stopped
    if not repeat:
        assert result.success
        assert all(len(u["attempts"]) == 3 for u in _model_units(result.report))


def test_the_overall_deadline_stops_a_real_run_cleanly(tmp_path):
    """A slow model and a short deadline: the run ends at the deadline, keeps and writes
    what validated, cancels the calls in flight and reports every missing unit."""
    import time

    out = tmp_path / "out"
    with FakeLLMServer(latency_ms=400) as url:
        started = time.monotonic()
        result = api.generate(SMALL_SPEC, api.GenerateOptions(
            provider="openai", base_url=url, deadline=1.5, **FAST), output=out)
        took = time.monotonic() - started
    report = result.report
    assert not result.success and result.exit_code == 1
    assert report["stopped_by"] == "deadline"
    assert took < 1.5 + 5.0  # the deadline plus the cancel grace, not the whole run
    validated = [u for u in report["units"] if u["status"] == "validated"]
    stopped = [u for u in report["units"] if u["status"] == "cancelled"]
    assert validated and stopped
    assert all("deadline" in u["reason"] for u in stopped)
    assert {line.split(" ", 1)[0] for line in report["missing"]} >= {u["id"] for u in stopped}
    for unit in validated:
        assert all((out / path).is_file() for path in unit["files"]), unit["id"]
    assert (out / ".backforge" / "report.json").is_file()


def test_a_streamed_run_matches_the_template_provider_and_recovers_from_faults():
    template = api.generate(SMALL_SPEC)
    with FakeLLMServer(latency_ms=2, fault_rate=1.0, faults=("truncated", "500", "syntax"),
                       fault_attempts=1, retry_after=0.01) as url:
        result = api.generate(SMALL_SPEC, api.GenerateOptions(
            provider="openai", base_url=url, stream=True, **FAST))
    assert result.success and dict(result.files) == dict(template.files)
    units = _model_units(result.report)
    assert all([a["outcome"] for a in u["attempts"]][-1] == "validated" for u in units)
    assert all(len(u["attempts"]) == 2 for u in units)  # each unit's first answer faulted
    assert result.report["usage"]["completion_tokens"] > 0  # the stream's usage event


def test_a_streamed_anthropic_run_matches_the_template_provider():
    template = api.generate(SMALL_SPEC)
    with FakeLLMServer(latency_ms=2, fault_rate=1.0, faults=("truncated", "wrong-import"),
                       fault_attempts=1) as url:
        result = api.generate(SMALL_SPEC, api.GenerateOptions(
            provider="anthropic", base_url=url, stream=True, **FAST))
    assert result.success and dict(result.files) == dict(template.files)
    assert all(len(u["attempts"]) == 2 for u in _model_units(result.report))
    assert result.report["usage"]["completion_tokens"] > 0
