"""OpenAI and Anthropic clients: request shape, response parsing (recorded payloads in
the documented shapes), and the mapping of HTTP failures onto the engine's errors."""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path

import httpx
import pytest

from backforge.engine.protocols import PermanentError, ProviderTimeout, RetryableError, Usage
from backforge.providers.fake_server import FakeLLMServer
from backforge.providers.llm.anthropic import AnthropicProvider, parse_message
from backforge.providers.llm.http import retry_after
from backforge.providers.llm.openai import OpenAIProvider, parse_chat_completion
from backforge.providers.llm.prompts import parse_header
from backforge.providers.llm.settings import LLMSettings
from tests.llm.conftest import template_context

DATA = Path(__file__).parent / "data"


def _fixture(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def test_chat_completion_payload():
    gen = parse_chat_completion(_fixture("chat_completion.json"))
    assert [f.path for f in gen.files] == ["src/utils/logger.js"]
    assert gen.dependencies == {"pino": "^9.0.0"}
    assert gen.usage == Usage(19, 10)


def test_messages_payload():
    gen = parse_message(_fixture("message.json"))
    assert [f.path for f in gen.files] == ["src/utils/logger.js"]
    assert gen.usage == Usage(2095, 503)


def _recording(payload: dict, seen: list, status: int = 200, headers=None):
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, json=payload, headers=headers or {})
    return httpx.MockTransport(handle)


def test_openai_request_shape(task_plan):
    seen: list[httpx.Request] = []
    provider = OpenAIProvider(LLMSettings(base_url="https://llm.example/v1/", model="m1",
                                          api_key="sk-test"),
                              transport=_recording(_fixture("chat_completion.json"), seen))
    unit = task_plan.units["utils"]
    gen = asyncio.run(provider.generate(unit, template_context(task_plan, unit.id)))
    assert gen.usage == Usage(19, 10)
    (request,) = seen
    assert str(request.url) == "https://llm.example/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-test"
    body = json.loads(request.content)
    assert body["model"] == "m1"
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert parse_header(body["messages"][1]["content"])["unit"] == "utils"


def test_anthropic_request_shape(task_plan, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "ak-env")
    seen: list[httpx.Request] = []
    provider = AnthropicProvider(LLMSettings(base_url="https://a.example/v1", model="c1"),
                                 transport=_recording(_fixture("message.json"), seen))
    unit = task_plan.units["utils"]
    asyncio.run(provider.generate(unit, template_context(task_plan, unit.id)))
    (request,) = seen
    assert str(request.url) == "https://a.example/v1/messages"
    assert request.headers["x-api-key"] == "ak-env"
    assert request.headers["anthropic-version"] == "2023-06-01"
    body = json.loads(request.content)
    assert body["model"] == "c1" and body["max_tokens"] > 0
    assert "CommonJS" in body["system"]
    assert [m["role"] for m in body["messages"]] == ["user"]


def test_env_settings(monkeypatch):
    monkeypatch.setenv("BACKFORGE_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("BACKFORGE_LLM_MODEL", "local-model")
    monkeypatch.setenv("MY_KEY", "k1")
    p = OpenAIProvider(LLMSettings(api_key_env="MY_KEY"))
    assert (p.base_url, p.model, p.api_key) == ("http://127.0.0.1:9/v1", "local-model", "k1")


def _call(provider, task_plan):
    unit = task_plan.units["utils"]
    return asyncio.run(provider.generate(unit, template_context(task_plan, unit.id)))


@pytest.mark.parametrize("status, headers, error, after", [
    (429, {"Retry-After": "7"}, RetryableError, 7.0),
    (503, {}, RetryableError, None),
    (500, {}, RetryableError, None),
])
def test_retryable_statuses(task_plan, status, headers, error, after):
    transport = _recording({"error": {"message": "busy"}}, [], status, headers)
    with pytest.raises(error) as info:
        _call(OpenAIProvider(LLMSettings(base_url="http://x/v1"), transport), task_plan)
    assert info.value.retryable and info.value.retry_after == after
    assert f"{status}" in str(info.value)


@pytest.mark.parametrize("status", [401, 403])
def test_rejected_key_is_permanent_and_says_what_to_do(task_plan, status):
    transport = _recording({"error": {"message": "bad key"}}, [], status)
    with pytest.raises(PermanentError) as info:
        _call(OpenAIProvider(LLMSettings(base_url="http://x/v1"), transport), task_plan)
    assert not info.value.retryable
    assert "the API key was rejected by http://x/v1" in str(info.value)
    assert "set OPENAI_API_KEY" in str(info.value)


def test_other_4xx_is_permanent_with_body_excerpt(task_plan):
    transport = _recording({"error": {"message": "model not found: m9"}}, [], 404)
    with pytest.raises(PermanentError, match="HTTP 404: .*model not found: m9"):
        _call(AnthropicProvider(LLMSettings(base_url="http://x/v1"), transport), task_plan)


def test_connection_refused_is_retryable(task_plan):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(RetryableError, match="connection failed"):
        _call(OpenAIProvider(LLMSettings(base_url=f"http://127.0.0.1:{port}/v1")), task_plan)


def test_transport_timeout_is_provider_timeout(task_plan):
    def slow(request):
        raise httpx.ReadTimeout("read timed out", request=request)
    with pytest.raises(ProviderTimeout):
        _call(OpenAIProvider(LLMSettings(base_url="http://x/v1"), httpx.MockTransport(slow)),
              task_plan)


def test_retry_after_forms():
    assert retry_after("2.5") == 2.5
    assert retry_after(None) is None and retry_after("soon") is None
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past


def test_fake_server_401_over_real_http(task_plan):
    with FakeLLMServer(api_key="right") as url:
        with pytest.raises(PermanentError, match="rejected by http://127.0.0.1"):
            _call(OpenAIProvider(LLMSettings(base_url=url, api_key="wrong")), task_plan)
        gen = _call(OpenAIProvider(LLMSettings(base_url=url, api_key="right")), task_plan)
        assert gen.files and gen.usage.completion_tokens > 0


# -- streaming (server-sent chat.completion.chunk events) ----------------------------------

def _sse(text: str, seen: list):
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text=text, headers={"content-type": "text/event-stream"})
    return httpx.MockTransport(handle)


def test_streamed_chat_completion_in_the_documented_shape(task_plan):
    """Deltas in the documented chunk shape, the finish reason, then the usage event that
    stream_options.include_usage asks for: the same Generation as the non-streamed body."""
    seen: list[httpx.Request] = []
    text = (DATA / "chat_completion_stream.txt").read_text(encoding="utf-8")
    provider = OpenAIProvider(LLMSettings(base_url="http://x/v1", stream=True),
                              transport=_sse(text, seen))
    gen = _call(provider, task_plan)
    whole = parse_chat_completion(_fixture("chat_completion.json"))
    assert gen.files == whole.files and gen.usage == Usage(19, 10)
    body = json.loads(seen[0].content)
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}


def test_a_stream_cut_before_done_is_retryable(task_plan):
    text = (DATA / "chat_completion_stream.txt").read_text(encoding="utf-8")
    cut = text[: text.index("data: [DONE]")]
    provider = OpenAIProvider(LLMSettings(base_url="http://x/v1", stream=True),
                              transport=_sse(cut, []))
    with pytest.raises(RetryableError, match="ended before its last event"):
        _call(provider, task_plan)


def test_a_streaming_request_maps_http_errors_like_any_other(task_plan):
    transport = _recording({"error": {"message": "slow down"}}, [], 429, {"Retry-After": "3"})
    with pytest.raises(RetryableError) as info:
        _call(OpenAIProvider(LLMSettings(base_url="http://x/v1", stream=True), transport),
              task_plan)
    assert info.value.retry_after == 3.0 and "429" in str(info.value)


def test_streamed_message_in_the_documented_shape(task_plan):
    """message_start (input tokens), text deltas, message_delta (output tokens, stop
    reason), message_stop: the same Generation as the whole Messages response."""
    seen: list[httpx.Request] = []
    text = (DATA / "message_stream.txt").read_text(encoding="utf-8")
    provider = AnthropicProvider(LLMSettings(base_url="http://x/v1", stream=True),
                                 transport=_sse(text, seen))
    gen = _call(provider, task_plan)
    whole = parse_message(_fixture("message.json"))
    assert gen.files == whole.files and gen.usage == Usage(2095, 503)
    assert json.loads(seen[0].content)["stream"] is True


def test_an_error_event_in_a_message_stream_is_retryable(task_plan):
    text = (DATA / "message_stream.txt").read_text(encoding="utf-8")
    broken = text[: text.index("event: content_block_stop")] + (
        'event: error\ndata: {"type": "error", "error": {"type": "overloaded_error", '
        '"message": "Overloaded"}}\n\nevent: message_stop\ndata: {"type": "message_stop"}\n\n')
    provider = AnthropicProvider(LLMSettings(base_url="http://x/v1", stream=True),
                                 transport=_sse(broken, []))
    with pytest.raises(RetryableError, match="overloaded_error"):
        _call(provider, task_plan)
