"""One HTTP call to a model API, with every failure mapped to the engine's error types.

No retries here: the engine owns retries, backoff and the per-call timeout.
"""

from __future__ import annotations

import email.utils
import json
import ssl
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from typing import Any

import httpx

from backforge.engine.protocols import (
    PermanentError,
    ProviderTimeout,
    RetryableError,
)

_EXCERPT = 300


@cache
def tls_context() -> ssl.SSLContext:
    """One TLS context for every call: building one loads the whole CA bundle, which cost
    ~0.1 s of CPU on the event loop per call when each client made its own."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


async def post_json(transport: httpx.AsyncBaseTransport | None, url: str, payload: Mapping[str, Any],
                    headers: Mapping[str, str], *, key_env: str, base_url: str) -> Any:
    """POST `payload`; return the decoded JSON body of a 2xx answer (`transport`: tests)."""
    with _mapped_errors(base_url):
        # A client per call: it lives on the running loop and closes with the call, even
        # when the engine cancels it. No timeout of our own: call_timeout cancels the call.
        async with _client(transport) as client:
            response = await client.post(url, json=payload, headers=dict(headers))
    check_status(response, key_env=key_env, base_url=base_url)
    try:
        return response.json()
    except ValueError:
        # A 2xx that is not JSON: a proxy hiccup or a cut connection; worth another try.
        raise RetryableError(f"{base_url}: HTTP {response.status_code} answer is not JSON: "
                             f"{_excerpt(response)}") from None


async def post_stream(transport: httpx.AsyncBaseTransport | None, url: str,
                      payload: Mapping[str, Any], headers: Mapping[str, str], *, key_env: str,
                      base_url: str, last: Callable[[Any], bool] = lambda _: False) -> list[Any]:
    """POST a streaming request; return the JSON of every server-sent `data:` event up to
    `[DONE]` (OpenAI) or the event `last` accepts (Anthropic's message_stop). A stream that
    ends before either was cut: retryable."""
    events: list[Any] = []
    with _mapped_errors(base_url):
        async with _client(transport) as client, client.stream(
                "POST", url, json=payload, headers=dict(headers)) as response:
            if response.status_code >= 300:
                await response.aread()
                check_status(response, key_env=key_env, base_url=base_url)
            async for line in response.aiter_lines():
                if not line.startswith("data:"):
                    continue  # blank separators, comments, `event:` lines
                data = line[5:].strip()
                if data == "[DONE]":
                    return events
                try:
                    events.append(json.loads(data))
                except ValueError:
                    raise RetryableError(f"{base_url}: a stream event is not JSON: "
                                         f"{data[:_EXCERPT]}") from None
                if last(events[-1]):
                    return events
    raise RetryableError(f"{base_url}: the stream ended before its last event, after "
                         f"{len(events)} event(s)")


def _client(transport: httpx.AsyncBaseTransport | None) -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=None, transport=transport, verify=tls_context())


@contextmanager
def _mapped_errors(base_url: str) -> Iterator[None]:
    try:
        yield
    except httpx.TimeoutException as exc:
        raise ProviderTimeout(f"{base_url}: timed out ({type(exc).__name__})") from None
    except httpx.TransportError as exc:
        raise RetryableError(f"{base_url}: connection failed ({type(exc).__name__}: "
                             f"{exc})") from None


def check_status(response: httpx.Response, *, key_env: str, base_url: str) -> None:
    """Raise the engine's error for a non-2xx answer (its body must have been read)."""
    status = response.status_code
    if status in (401, 403):
        raise PermanentError(f"the API key was rejected by {base_url} (HTTP {status}): "
                             f"set {key_env} (or pass --api-key-env NAME) to a valid key")
    if status == 429:
        raise RetryableError(f"{base_url}: rate limited (HTTP 429)",
                             retry_after=retry_after(response.headers.get("retry-after")))
    if status >= 500:
        raise RetryableError(f"{base_url}: server error HTTP {status}: {_excerpt(response)}",
                             retry_after=retry_after(response.headers.get("retry-after")))
    if status >= 400:
        raise PermanentError(f"{base_url} refused the request: HTTP {status}: "
                             f"{_excerpt(response)}")


def retry_after(value: str | None) -> float | None:
    """Retry-After in seconds: a number of seconds or an HTTP date; None when absent/odd."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _excerpt(response: httpx.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return text[:_EXCERPT] + ("..." if len(text) > _EXCERPT else "") if text else "(empty body)"
