"""The SQLite response cache: keys, storage rules, concurrency, and whole runs on the fake
server over real HTTP (an unchanged spec makes zero requests; a changed table re-asks
only the units whose prompts changed; --no-cache always asks)."""

from __future__ import annotations

import asyncio
import copy
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from backforge import api
from backforge.engine.protocols import RetryableError, Usage
from backforge.providers.fake_server import FakeLLMServer
from backforge.providers.llm import cache as cache_module
from backforge.providers.llm.cache import (
    CacheError,
    ResponseCache,
    cache_key,
    default_path,
)
from backforge.providers.llm.openai import OpenAIProvider
from backforge.providers.llm.prompts import Prompt
from backforge.providers.llm.settings import LLMSettings
from backforge.stacks import get_stack
from tests.llm.conftest import SMALL_SPEC, template_context

TEMPLATE_MODULES = get_stack("express-js").template_modules  # written by templates

FAST = {"backoff_base": 0.01, "call_timeout": 10.0, "concurrency": 4}
GOOD = json.dumps({"files": [{"path": "src/utils/logger.js", "content": "export const x = 1;\n"}]})


def test_default_path_follows_the_environment(tmp_path):
    assert default_path({"BACKFORGE_CACHE_DIR": "/c"}) == Path("/c/llm-cache.sqlite3")
    assert default_path({"XDG_CACHE_HOME": "/x"}) == Path("/x/backforge/llm-cache.sqlite3")
    assert default_path({}) == Path.home() / ".cache" / "backforge" / "llm-cache.sqlite3"
    # The test suite's own fixture points every test at a private folder.
    assert "llm-cache" in str(default_path())


def test_key_covers_provider_model_url_prompt_version_and_payload(monkeypatch):
    payload = {"model": "m", "temperature": 0.0, "messages": [{"role": "user", "content": "a"}]}
    base = cache_key("openai", "m", "http://x/v1", payload)
    assert base == cache_key("openai", "m", "http://x/v1", copy.deepcopy(payload))
    others = {
        cache_key("anthropic", "m", "http://x/v1", payload),
        cache_key("openai", "m2", "http://x/v1", payload),
        cache_key("openai", "m", "http://y/v1", payload),
        cache_key("openai", "m", "http://x/v1", {**payload, "temperature": 0.2}),
        cache_key("openai", "m", "http://x/v1",
                  {**payload, "messages": [{"role": "user", "content": "b"}]}),
    }
    monkeypatch.setattr(cache_module, "PROMPT_VERSION", "999")
    others.add(cache_key("openai", "m", "http://x/v1", payload))
    assert base not in others and len(others) == 6


def test_put_and_get_round_trip(tmp_path):
    cache = ResponseCache(tmp_path / "c.sqlite3")
    assert cache.get("k") is None
    cache.put("k", "openai", "m", "answer text", Usage(10, 20))
    hit = ResponseCache(tmp_path / "c.sqlite3").get("k")  # another handle, same file
    assert hit is not None and hit.text == "answer text" and hit.usage == Usage(10, 20)
    assert (cache.hits, cache.misses, cache.stores, cache.count()) == (0, 1, 1, 1)


def test_unusable_cache_location_is_an_input_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(CacheError, match="--no-cache"):
        ResponseCache(blocker / "sub" / "c.sqlite3")


def test_concurrent_threads_share_one_file(tmp_path):
    path = tmp_path / "c.sqlite3"
    ResponseCache(path)

    def work(n: int) -> int:
        cache = ResponseCache(path)
        for i in range(40):
            cache.put(f"{n}:{i}", "openai", "m", f"text {n} {i}", Usage(i, n))
            hit = cache.get(f"{n}:{i}")
            assert hit is not None and hit.text == f"text {n} {i}"
        return cache.stores

    with ThreadPoolExecutor(8) as pool:
        stores = list(pool.map(work, range(8)))  # re-raises any thread's failure
    assert stores == [40] * 8
    assert ResponseCache(path).count() == 8 * 40


def _counting(text: str, seen: list) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={
            "choices": [{"message": {"content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 50}})
    return httpx.MockTransport(handle)


def test_provider_replays_a_parsed_answer_with_zero_usage(tmp_path, task_plan):
    seen: list = []
    cache = ResponseCache(tmp_path / "c.sqlite3")

    def provider() -> OpenAIProvider:  # one per run, as api.generate builds them
        return OpenAIProvider(LLMSettings(base_url="http://x/v1", model="m"),
                              transport=_counting(GOOD, seen), cache=cache)
    unit = task_plan.units["utils"]
    ctx = template_context(task_plan, unit.id)
    first = asyncio.run(provider().generate(unit, ctx))
    second = asyncio.run(provider().generate(unit, ctx))
    assert len(seen) == 1
    assert not first.cached and first.usage == Usage(100, 50)
    assert second.cached and second.usage == Usage()
    assert second.files == first.files


def test_a_prompt_repeated_within_one_run_is_asked_again(tmp_path, task_plan):
    """The same prompt twice in one run means its answer did not work: no replay."""
    seen: list = []
    cache = ResponseCache(tmp_path / "c.sqlite3")
    provider = OpenAIProvider(LLMSettings(base_url="http://x/v1", model="m"),
                              transport=_counting(GOOD, seen), cache=cache)
    unit = task_plan.units["utils"]
    ctx = template_context(task_plan, unit.id)
    answers = [asyncio.run(provider.generate(unit, ctx)) for _ in range(2)]
    assert len(seen) == 2 and not any(a.cached for a in answers)
    assert cache.count() == 1  # the newer answer replaced the older one


def test_complete_exposes_text_usage_and_the_cached_flag(tmp_path):
    seen: list = []
    cache = ResponseCache(tmp_path / "c.sqlite3")

    def provider() -> OpenAIProvider:
        return OpenAIProvider(LLMSettings(base_url="http://x/v1", model="m"),
                              transport=_counting("plain text answer", seen), cache=cache)
    prompt = Prompt("system", "user")
    # A caller with its own answer format passes its own check (here: any text).
    first = asyncio.run(provider().complete(prompt, accept=lambda text: None))
    second = asyncio.run(provider().complete(prompt, accept=lambda text: None))
    assert (first.text, first.usage, first.cached) == ("plain text answer", Usage(100, 50), False)
    assert (second.text, second.usage, second.cached) == ("plain text answer", Usage(), True)
    assert len(seen) == 1


def test_answers_that_do_not_parse_are_never_stored(tmp_path):
    seen: list = []
    cache = ResponseCache(tmp_path / "c.sqlite3")
    provider = OpenAIProvider(LLMSettings(base_url="http://x/v1", model="m"),
                              transport=_counting("{ not json", seen), cache=cache)
    for _ in range(2):
        with pytest.raises(RetryableError, match="bad response"):
            asyncio.run(provider.complete(Prompt("s", "u")))
    assert len(seen) == 2 and cache.count() == 0


def _model_units(report) -> list[dict]:
    return [u for u in report["units"] if u["module"] not in TEMPLATE_MODULES]


def _run(spec, url, **options):
    return api.generate(spec, api.GenerateOptions(provider="openai", base_url=url,
                                                  **{**FAST, **options}))


def test_unchanged_spec_makes_zero_requests_the_second_time():
    server = FakeLLMServer(latency_ms=1)
    with server as url:
        first = _run(SMALL_SPEC, url)
        asked = server.stats.requests
        second = _run(SMALL_SPEC, url)
        assert server.stats.requests == asked  # zero requests for the second run
    assert first.success and second.success
    assert dict(second.files) == dict(first.files)
    units = _model_units(second.report)
    assert units and all(a["cached"] for u in units for a in u["attempts"])
    assert second.report["usage"]["cache_hits"] == len(units) == asked
    assert second.report["usage"]["total_tokens"] == 0
    assert first.report["usage"]["cache_hits"] == 0
    assert first.report["usage"]["total_tokens"] > 0


def test_a_changed_table_re_asks_only_the_units_whose_prompts_changed():
    changed = copy.deepcopy(SMALL_SPEC)
    changed["tables"][1]["fields"].append({"name": "pages", "type": "integer"})
    server = FakeLLMServer(latency_ms=1)
    with server as url:
        _run(SMALL_SPEC, url)
        before = dict(server.stats.per_unit)
        result = _run(changed, url)
        again = {u: n - before.get(u, 0) for u, n in server.stats.per_unit.items()
                 if n - before.get(u, 0)}
    assert result.success
    assert "models/books" in again  # the changed table's units are asked again
    assert "models/authors" not in again  # its slice and imports did not change
    hits = result.report["usage"]["cache_hits"]
    assert hits > 0 and hits + sum(again.values()) == len(_model_units(result.report))


def test_no_cache_asks_every_time():
    server = FakeLLMServer(latency_ms=1)
    with server as url:
        first = _run(SMALL_SPEC, url, cache=False)
        asked = server.stats.requests
        second = _run(SMALL_SPEC, url, cache=False)
        assert server.stats.requests == 2 * asked
    assert second.report["usage"]["cache_hits"] == 0
    assert second.report["usage"]["total_tokens"] == first.report["usage"]["total_tokens"] > 0
    assert not any(a["cached"] for u in second.report["units"] for a in u["attempts"])


def test_an_answer_that_does_not_parse_still_reports_its_tokens(tmp_path):
    provider = OpenAIProvider(LLMSettings(base_url="http://x/v1", model="m"),
                              transport=_counting("{ cut short", []), cache=None)
    with pytest.raises(RetryableError) as info:
        asyncio.run(provider.complete(Prompt("s", "u")))
    assert info.value.usage == Usage(100, 50)
