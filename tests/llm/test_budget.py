"""Price tables and run budgets over real HTTP: the fake server, the library and the CLI."""

from __future__ import annotations

import json

import pytest

from backforge import api, cli
from backforge.engine.protocols import Usage
from backforge.errors import InputError
from backforge.providers.fake_server import FakeLLMServer
from backforge.providers.llm.pricing import (
    BUILTIN_PRICES,
    PRICES_ENV,
    Price,
    PricesFileError,
    UnknownModelPrice,
    load_prices,
    price_table,
)
from backforge.stacks import get_stack
from tests.conftest import DATA
from tests.llm.conftest import SMALL_SPEC

TEMPLATE_MODULES = get_stack("express-js").template_modules  # written by templates

FAST = {"backoff_base": 0.01, "call_timeout": 10.0, "concurrency": 2}


# -- the price table ----------------------------------------------------------------------

def test_lookup_is_exact_then_longest_prefix():
    table = price_table(env={})
    assert table.lookup("gpt-4o-mini") == BUILTIN_PRICES["gpt-4o-mini"]
    assert table.lookup("gpt-4o-mini-2024-07-18") == BUILTIN_PRICES["gpt-4o-mini"]
    assert table.lookup("gpt-4o-2024-08-06") == BUILTIN_PRICES["gpt-4o"]
    assert table.lookup("claude-sonnet-4-5-20250929") == BUILTIN_PRICES["claude-sonnet-4-5"]
    assert table.lookup("mystery-model") is None
    assert table.cost_function("mystery-model") is None


def test_cost_is_usd_per_million_tokens():
    price = Price(input=3.0, output=15.0)
    assert price.cost(Usage(1_000_000, 0)) == pytest.approx(3.0)
    assert price.cost(Usage(2000, 1000)) == pytest.approx(0.006 + 0.015)


def test_user_files_extend_and_override_toml_and_json(tmp_path):
    toml = tmp_path / "p.toml"
    toml.write_text('["my-model"]\ninput = 1.0\noutput = 2.0\n\n'
                    '["gpt-4o"]\ninput = 0.5\noutput = 0.5\n')
    js = tmp_path / "p.json"
    js.write_text(json.dumps({"my-model": {"input": 4, "output": 8}}))
    assert load_prices(toml) == {"my-model": Price(1.0, 2.0), "gpt-4o": Price(0.5, 0.5)}
    table = price_table((toml, js), env={})
    assert table.lookup("my-model") == Price(4.0, 8.0)  # the later file wins
    assert table.lookup("gpt-4o") == Price(0.5, 0.5)  # a built-in overridden
    assert table.lookup("gpt-4o-mini") == BUILTIN_PRICES["gpt-4o-mini"]  # the rest kept
    # $BACKFORGE_PRICES is read first; --prices files win over it.
    assert price_table((), env={PRICES_ENV: str(js)}).lookup("my-model") == Price(4.0, 8.0)
    assert price_table((toml,), env={PRICES_ENV: str(js)}).lookup("my-model") == Price(1.0, 2.0)


@pytest.mark.parametrize(("name", "text", "needle"), [
    ("p.json", "{ nope", "not valid JSON"),
    ("p.toml", "x = ", "not valid TOML"),
    ("p.json", "[1, 2]", "expected a table of models"),
    ("p.json", '{"m": {"input": 1}}', "'m' needs exactly `input` and `output`"),
    ("p.json", '{"m": {"input": -1, "output": 1}}', "prices must be numbers >= 0"),
    ("p.json", '{"m": {"input": "1", "output": 1}}', "prices must be numbers >= 0"),
])
def test_bad_prices_files_are_input_errors(tmp_path, name, text, needle):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(PricesFileError, match=needle) as info:
        load_prices(path)
    assert isinstance(info.value, InputError) and str(path) in str(info.value)
    with pytest.raises(PricesFileError, match="cannot read it"):
        load_prices(tmp_path / "missing.json")


def test_unknown_model_error_says_what_to_do():
    message = str(UnknownModelPrice("my-llm"))
    assert "no price known for model 'my-llm'" in message
    assert "--prices FILE" in message and PRICES_ENV in message


# -- budgets over real HTTP ---------------------------------------------------------------

def _model_units(report):
    return [u for u in report["units"] if u["module"] not in TEMPLATE_MODULES]


def test_token_budget_stops_a_real_run_and_keeps_the_validated_files(tmp_path):
    with FakeLLMServer(latency_ms=5) as url:
        full = api.generate(SMALL_SPEC, api.GenerateOptions(
            provider="openai", base_url=url, cache=False, **FAST))
        total = full.report["usage"]["total_tokens"]
        limit = total // 3
        out = tmp_path / "out"
        result = api.generate(SMALL_SPEC, api.GenerateOptions(
            provider="openai", base_url=url, max_tokens_total=limit, **FAST), output=out)
    report = result.report
    assert full.success and not result.success and result.exit_code == 1
    assert report["stopped_by"] == "tokens"
    assert limit <= report["usage"]["total_tokens"] < total
    validated = [u for u in report["units"] if u["status"] == "validated"]
    cancelled = [u for u in report["units"] if u["status"] == "cancelled"]
    assert validated and cancelled
    assert all(u["reason"].startswith(f"token budget of {limit} reached") for u in cancelled)
    assert any(line.startswith(f"{u['id']} ") for u in cancelled for line in report["missing"])
    for unit in validated:  # validated files were written
        assert all((out / path).is_file() for path in unit["files"]), unit["id"]
    for unit in cancelled:
        assert not any((out / path).exists() for path in unit["files"])
    on_disk = json.loads((out / ".backforge" / "report.json").read_text())
    assert on_disk["stopped_by"] == "tokens" and on_disk["usage"] == report["usage"]
    assert report["notes"][0].startswith(f"token budget of {limit} reached")


def test_cost_budget_on_the_cli_with_a_prices_file(tmp_path, capsys):
    prices = tmp_path / "prices.toml"
    prices.write_text('["fake-pricey"]\ninput = 1000.0\noutput = 1000.0\n')
    spec = tmp_path / "mini.json"
    spec.write_text(json.dumps(SMALL_SPEC))
    with FakeLLMServer(latency_ms=2) as url:
        code = cli.main(["generate", str(spec), "-o", str(tmp_path / "out"), "--provider",
                         "openai", "--base-url", url, "--model", "fake-pricey", "--prices",
                         str(prices), "--max-cost", "5", "--concurrency", "1", "--json"])
    assert code == 1
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    (reached,) = [e for e in events if e["event"] == "budget_reached"]
    assert reached["data"]["limit"] == "cost" and reached["data"]["cost"] >= 5
    assert "cost budget of $5 reached" in reached["message"]
    finished = events[-1]
    assert finished["event"] == "run_finished" and finished["data"]["stopped_by"] == "cost"
    assert finished["data"]["usage"]["cost"] >= 5
    cancelled = [e for e in events if e["event"] == "unit_cancelled"]
    assert cancelled and all("cost budget of $5 reached" in e["message"] for e in cancelled)


def test_unknown_model_with_max_cost_is_exit_2_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    code = cli.main(["generate", str(DATA / "taskmanager.yaml"), "-o", str(out), "--provider",
                     "openai", "--base-url", "http://127.0.0.1:9/v1", "--model",
                     "mystery-model", "--max-cost", "1"])
    assert code == 2
    err = capsys.readouterr().err
    assert "no price known for model 'mystery-model'" in err and "prices file" in err
    assert not out.exists()


def test_template_provider_costs_nothing():
    result = api.generate(SMALL_SPEC, api.GenerateOptions(max_cost=0.01))
    assert result.success
    assert result.report["usage"] == {"prompt_tokens": 0, "completion_tokens": 0,
                                      "total_tokens": 0, "cost": 0.0, "cache_hits": 0}
    assert result.report["stopped_by"] is None


def test_console_summary_prints_tokens_cost_and_cache_hits(tmp_path, capsys):
    spec = tmp_path / "mini.json"
    spec.write_text(json.dumps(SMALL_SPEC))
    with FakeLLMServer(latency_ms=1) as url:
        args = ["generate", str(spec), "--provider", "openai", "--base-url", url,
                "--model", "gpt-4o-mini", "--concurrency", "2"]
        assert cli.main([*args, "-o", str(tmp_path / "a")]) == 0
        first = capsys.readouterr().out
        assert cli.main([*args, "-o", str(tmp_path / "b")]) == 0
        second = capsys.readouterr().out
        assert cli.main([*args, "-o", str(tmp_path / "c"), "--no-cache"]) == 0
        third = capsys.readouterr().out
    assert "prompt +" in first and "completion =" in first and "cost $0.0" in first
    assert "; 0 cache hit(s)" in first
    units = len(_model_units(json.loads(
        (tmp_path / "b" / ".backforge" / "report.json").read_text())))
    assert f"= 0, cost $0.0000; {units} cache hit(s)" in second
    assert "; 0 cache hit(s)" in third


@pytest.mark.parametrize("schedule", ["dependencies", "contracts"])
@pytest.mark.parametrize("breaker", [True, False])
def test_loop_breaker_over_http(tmp_path, breaker, schedule):
    """Every answer has the same syntax error: the breaker stops after one repair. Asked
    by contracts, a unit whose dependency failed meanwhile is asked no more (blocked)."""
    spec = tmp_path / "mini.json"
    spec.write_text(json.dumps(SMALL_SPEC))
    server = FakeLLMServer(latency_ms=1, fault_rate=1.0, faults=("syntax",))
    with server as url:
        code = cli.main(["generate", str(spec), "-o", str(tmp_path / "out"), "--provider",
                         "openai", "--base-url", url, "--json", "--concurrency", "2",
                         "--schedule", schedule, *([] if breaker else ["--no-loop-breaker"])])
    assert code == 1
    report = json.loads((tmp_path / "out" / ".backforge" / "report.json").read_text())
    tried = [u for u in _model_units(report) if u["attempts"]]
    assert tried
    full = 2 if breaker else 4
    for unit in tried:
        outcomes = [a["outcome"] for a in unit["attempts"]]
        if unit["status"] == "blocked":
            assert schedule == "contracts" and 1 <= len(outcomes) <= full, unit
            assert outcomes == ["invalid"] * len(outcomes)
            assert unit["reason"].startswith("its answer is not kept: dependency "), unit
            continue
        assert outcomes == ["invalid"] * full
        assert ("repair did not reduce the issues (1 -> 1); stopped retrying"
                in unit["reason"]) == breaker, unit["reason"]
    assert server.stats.requests == sum(len(u["attempts"]) for u in tried)
    if schedule == "dependencies":
        assert server.stats.requests == len(tried) * full
