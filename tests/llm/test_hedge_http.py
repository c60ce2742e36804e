"""Hedged calls over real HTTP: the openai provider against the fake server, whose first
request of some units hangs. With hedging (the default) a hung call gets a second request
once the run knows how long answers take; with --no-hedge the call timeout is waited out."""

from __future__ import annotations

import json

from backforge import cli
from backforge.providers.fake_server import FakeLLMConfig, FakeLLMServer
from tests.llm.conftest import SMALL_SPEC

# Every unit's first request hangs with probability 0.4 (seeded), later ones answer.
HANGS = FakeLLMConfig(latency_ms=20, fault_rate=0.4, faults=("hang",), fault_attempts=1,
                      seed=3, hang_seconds=60)


def _run(tmp_path, *flags: str) -> tuple[dict, FakeLLMServer]:
    spec = tmp_path / "mini.json"
    spec.write_text(json.dumps(SMALL_SPEC))
    out = tmp_path / ("out" + "".join(flags))
    server = FakeLLMServer(HANGS)
    with server as url:
        code = cli.main(["generate", str(spec), "-o", str(out), "--provider", "openai",
                         "--base-url", url, "--json", "--no-cache", "--concurrency", "6",
                         "--timeout", "8", "--schedule", "contracts", *flags])
    assert code == 0
    return json.loads((out / ".backforge" / "report.json").read_text()), server


def _attempts(report: dict) -> list[tuple[str, dict]]:
    return [(u["id"], a) for u in report["units"] for a in u["attempts"]]


def test_hung_first_requests_are_hedged_and_the_run_ends_sooner(tmp_path):
    hedged_report, server = _run(tmp_path)
    plain_report, plain_server = _run(tmp_path, "--no-hedge")
    hangs = server.stats.faults["hang"]
    assert hangs >= 2 and plain_server.stats.faults["hang"] == hangs  # the same draws
    # Without hedging every hung request is waited out to the 8 s timeout, then retried.
    plain = _attempts(plain_report)
    assert not [a for _, a in plain if a["hedged"] is not None]
    assert sum(a["outcome"] == "timeout" for _, a in plain) == hangs
    # With it, a hang that started once the run had seen three answers got a second
    # request ~5 s in (the floor: answers here take milliseconds) and validated in one
    # attempt, before the timeout; the hung request was cancelled.
    hedged = [(uid, a) for uid, a in _attempts(hedged_report) if a["hedged"] is not None]
    timeouts = [a for _, a in _attempts(hedged_report) if a["outcome"] == "timeout"]
    assert hedged and len(hedged) + len(timeouts) == hangs
    for uid, a in hedged:
        assert a["outcome"] == "validated" and a["attempt"] == 1, (uid, a)
        assert 5.0 <= a["hedged"] < 8.0 and a["duration"] < 8.0, (uid, a)
        assert server.stats.per_unit[uid] == 2, uid  # the hung request and its hedge
    assert hedged_report["duration"] < plain_report["duration"]
    # Only the answers that won are counted: the tokens the plain run spent, no more.
    assert hedged_report["usage"]["total_tokens"] == plain_report["usage"]["total_tokens"]
