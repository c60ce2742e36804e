"""A real OpenAI-compatible (and Anthropic Messages) HTTP server on 127.0.0.1 for tests
and benchmarks: it answers each unit's prompt with the template provider's files for
that unit, after a configurable latency, with seeded fault injection.

    with FakeLLMServer(latency_ms=20, fault_rate=0.3, faults=("429", "syntax")) as base_url:
        ... OpenAIProvider(LLMSettings(base_url=base_url, api_key="k")) ...

The prompt's `backforge-unit` header block (unit id + spec slice) says what to render;
a hybrid prompt (`"kind": "endpoints"`) gets function bodies (see fake_endpoints).
Faults are drawn per (seed, unit, request number of that unit), so a run's faults do
not depend on the order concurrent requests arrive in.
"""

from __future__ import annotations

import asyncio
import json
import random
import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from backforge import plan as planner
from backforge.engine.protocols import Generation
from backforge.providers.fake_endpoints import (
    answer_functions,
    apply_endpoint_fault,
    load_answers,
)
from backforge.providers.fake_faults import (
    CONTENT_FAULTS,
    CONTRACT_FAULTS,
    HOSTILE_FAULTS,
    apply_content_fault,
)
from backforge.providers.hybrid_prompt import render_answer
from backforge.providers.llm.prompts import parse_header
from backforge.providers.llm.protocol import render_response
from backforge.spec.model import Project
from backforge.spec.names import resolve
from backforge.stacks import get_stack

TRANSPORT_FAULTS = ("429", "500", "hang", "truncated")
FAULTS = TRANSPORT_FAULTS + CONTENT_FAULTS  # the default mix
KNOWN_FAULTS = FAULTS + CONTRACT_FAULTS + HOSTILE_FAULTS  # the last two only when named
_REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found",
            429: "Too Many Requests", 500: "Internal Server Error"}


@dataclass(frozen=True)
class FakeLLMConfig:
    latency_ms: float = 0.0  # before every answer
    per_token_ms: float = 0.0  # per completion token (about 4 characters)
    jitter: float = 0.0  # latency varies by +- this fraction
    fault_rate: float = 0.0  # probability a request gets a fault
    faults: tuple[str, ...] = FAULTS  # the kinds drawn from
    fault_attempts: int | None = None  # only a unit's first N requests may fault (None: all)
    # False: like a model that reads its repair prompt, a unit's faulty answer is never
    # the very one its repair prompt just showed (faults stay independent otherwise).
    # True: a stuck model repeating its mistake, which the engine's loop breaker must stop.
    repeat_mistakes: bool = False
    seed: int = 0
    retry_after: float = 1.0  # the Retry-After a 429 sends, seconds
    hang_seconds: float = 3600.0
    api_key: str | None = None  # when set, requests must carry it (else 401)
    # hybrid prompts: canned function bodies by endpoint label (a JSON file's path or the
    # mapping itself; see fake_endpoints); unknown endpoints get a generic implementation
    answers: str | Mapping[str, Any] | None = None


@dataclass
class FakeLLMStats:
    requests: int = 0
    faults: Counter = field(default_factory=Counter)  # kind -> count
    per_unit: Counter = field(default_factory=Counter)  # unit id -> requests
    in_flight: int = 0
    peak_in_flight: int = 0


class FakeLLMServer:
    def __init__(self, config: FakeLLMConfig | None = None, *, port: int = 0, **knobs) -> None:
        self.config = config or FakeLLMConfig(**knobs)
        unknown = set(self.config.faults) - set(KNOWN_FAULTS)
        if unknown:
            raise ValueError(f"unknown fault kind(s): {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(KNOWN_FAULTS)}")
        self.port = port
        self.answers = load_answers(self.config.answers)
        self.stats = FakeLLMStats()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._tasks: set[asyncio.Task] = set()
        self._shown: dict[str, str] = {}  # unit id -> its last faulty answer (the repair shows it)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # -- lifecycle -----------------------------------------------------------------------

    async def serve(self, on_ready: Callable[[str], None] | None = None) -> None:
        """Serve on the running loop until cancelled (the CLI's foreground mode);
        `on_ready` gets the base URL once the port is bound."""
        await self._open()
        if on_ready is not None:
            on_ready(self.base_url)
        try:
            await self._server.serve_forever()
        finally:
            await self._close()

    def start(self) -> str:
        """Serve from a background thread; returns the base URL (…/v1)."""
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()

        def run() -> None:
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(self._open())
            ready.set()
            self._loop.run_forever()
            self._loop.run_until_complete(self._close())
            self._loop.close()

        self._thread = threading.Thread(target=run, name="fake-llm", daemon=True)
        self._thread.start()
        ready.wait(10)
        return self.base_url

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop = self._thread = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    async def _open(self) -> None:
        self._server = await asyncio.start_server(self._connection, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    # -- HTTP ------------------------------------------------------------------------------

    async def _connection(self, reader: asyncio.StreamReader,
                          writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        self._tasks.add(task)
        try:
            while True:  # keep-alive: one request after another on this connection
                request = await _read_request(reader)
                if request is None:
                    break
                status, headers, body = await self._handle(*request)
                writer.write(_response(status, headers, body))
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            self._tasks.discard(task)
            writer.close()

    async def _handle(self, method: str, path: str, headers: dict[str, str],
                      body: bytes) -> tuple[int, dict[str, str], bytes]:
        if method != "POST" or not path.rstrip("/").endswith(("/chat/completions", "/messages")):
            return _error(404, f"no route for {method} {path}")
        if self.config.api_key is not None and self.config.api_key not in (
                headers.get("authorization", "").removeprefix("Bearer "),
                headers.get("x-api-key", "")):
            return _error(401, "Incorrect API key provided")
        try:
            payload = json.loads(body)
            prompt = payload["messages"][-1]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            return _error(400, "expected a JSON body with messages")
        head = parse_header(prompt if isinstance(prompt, str) else "")
        if head is None:
            return _error(400, "no backforge-unit header block in the last message")
        with self._lock:
            self.stats.in_flight += 1
            self.stats.peak_in_flight = max(self.stats.peak_in_flight, self.stats.in_flight)
        try:
            return await self._answer(path, payload, prompt, head)
        finally:
            with self._lock:
                self.stats.in_flight -= 1

    async def _answer(self, path: str, payload: dict, prompt: str,
                      head: dict) -> tuple[int, dict[str, str], bytes]:
        unit_id = str(head.get("unit"))
        fault = self._draw(unit_id)
        text, faulty = self._content(head)
        await asyncio.sleep(self._latency(len(text) // 4, unit_id))
        if fault == "429":
            return _error(429, "Rate limit reached", {"Retry-After": f"{self.config.retry_after:g}"})
        if fault == "500":
            return _error(500, "The server had an error while processing your request")
        if fault == "hang":
            await asyncio.sleep(self.config.hang_seconds)
            return _error(500, "hung")
        finish = "stop"
        if fault == "truncated":
            text, finish = text[: len(text) // 2], "length"
        elif fault in CONTENT_FAULTS or fault in CONTRACT_FAULTS or fault in HOSTILE_FAULTS:
            text = self._mistake(unit_id, fault, faulty)
        elif fault is None:
            self._shown.pop(unit_id, None)  # a correct answer: nothing left to repair
        usage = (len(prompt) // 4, len(text) // 4)
        model = str(payload.get("model", "fake"))
        if path.rstrip("/").endswith("/messages"):
            if payload.get("stream"):
                return 200, {"Content-Type": "text/event-stream"}, \
                    _anthropic_stream(text, usage, model, finish)
            out = _anthropic_body(text, usage, model, finish)
        elif payload.get("stream"):
            usage_event = bool((payload.get("stream_options") or {}).get("include_usage"))
            return 200, {"Content-Type": "text/event-stream"}, \
                _openai_stream(text, usage if usage_event else None, model, finish)
        else:
            out = _openai_body(text, usage, model, finish)
        return 200, {"Content-Type": "application/json"}, json.dumps(out).encode()

    def _mistake(self, unit_id: str, fault: str, faulty: Callable[[str], str]) -> str:
        """The answer spoiled by `fault`; unless `repeat_mistakes`, never the very answer
        the unit's repair prompt just showed (another kind of mistake instead, if any)."""
        shown = self._shown.get(unit_id)
        kinds = [fault] if self.config.repeat_mistakes else \
            [fault, *(k for k in self.config.faults if k in CONTENT_FAULTS and k != fault)]
        for kind in kinds:
            text = faulty(kind)
            if text != shown:
                break
        self._shown[unit_id] = text
        return text

    def _content(self, head: dict) -> tuple[str, Callable[[str], str]]:
        """The answer text for a prompt header, and how to spoil it with a content fault."""
        if head.get("kind") == "endpoints":
            functions = answer_functions(head, self.answers)
            return render_answer(functions), \
                lambda kind: render_answer(apply_endpoint_fault(kind, functions))
        generation = render_header(head)
        return render_response(generation), \
            lambda kind: render_response(apply_content_fault(kind, generation))

    def _draw(self, unit_id: str) -> str | None:
        with self._lock:
            self.stats.requests += 1
            self.stats.per_unit[unit_id] += 1
            n = self.stats.per_unit[unit_id]
        c = self.config
        if not c.faults or (c.fault_attempts is not None and n > c.fault_attempts):
            return None
        rng = random.Random(f"{c.seed}:{unit_id}:{n}")
        if rng.random() >= c.fault_rate:
            return None
        kind = rng.choice(c.faults)
        with self._lock:
            self.stats.faults[kind] += 1
        return kind

    def _latency(self, tokens: int, unit_id: str) -> float:
        c = self.config
        base = (c.latency_ms + c.per_token_ms * tokens) / 1000
        if c.jitter:
            rng = random.Random(f"{c.seed}:latency:{unit_id}:{self.stats.per_unit[unit_id]}")
            base *= 1 + rng.uniform(-c.jitter, c.jitter)
        return max(0.0, base)


def render_header(head: dict) -> Generation:
    """The template output for the unit a prompt header names, from its spec slice."""
    project = Project.model_validate(head["spec"])
    stack = get_stack(str(head.get("stack") or project.stack))
    plan = planner.build(project, stack, resolve(project))
    unit = plan.units.get(str(head.get("unit")))
    if unit is None:
        return Generation(())
    return stack.render(unit, plan)


def _openai_body(text: str, usage: tuple[int, int], model: str, finish: str) -> dict:
    return {"id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                         "finish_reason": finish}],
            "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1],
                      "total_tokens": sum(usage)}}


def _openai_stream(text: str, usage: tuple[int, int] | None, model: str, finish: str,
                   piece: int = 400) -> bytes:
    """The answer as chat.completion.chunk server-sent events: the role, the text in
    pieces, the finish reason, the usage (when asked for), then [DONE]."""
    def chunk(delta: dict, reason: str | None = None) -> dict:
        return {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0,
                "model": model, "choices": [{"index": 0, "delta": delta,
                                             "finish_reason": reason}]}

    events = [chunk({"role": "assistant", "content": ""})]
    events += [chunk({"content": text[i:i + piece]}) for i in range(0, len(text), piece)]
    events.append(chunk({}, finish))
    if usage is not None:
        events.append({"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0,
                       "model": model, "choices": [],
                       "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1],
                                 "total_tokens": sum(usage)}})
    lines = [f"data: {json.dumps(e)}\n\n" for e in events] + ["data: [DONE]\n\n"]
    return "".join(lines).encode()


def _anthropic_stream(text: str, usage: tuple[int, int], model: str, finish: str,
                      piece: int = 400) -> bytes:
    """The answer as Messages API stream events (message_start ... message_stop)."""
    start = _anthropic_body("", (usage[0], 1), model, finish)
    start.update(content=[], stop_reason=None)
    events = [("message_start", {"type": "message_start", "message": start}),
              ("content_block_start", {"type": "content_block_start", "index": 0,
                                       "content_block": {"type": "text", "text": ""}}),
              ("ping", {"type": "ping"})]
    events += [("content_block_delta", {"type": "content_block_delta", "index": 0,
                                        "delta": {"type": "text_delta", "text": text[i:i + piece]}})
               for i in range(0, len(text), piece)]
    stop = "max_tokens" if finish == "length" else "end_turn"
    events += [("content_block_stop", {"type": "content_block_stop", "index": 0}),
               ("message_delta", {"type": "message_delta",
                                  "delta": {"stop_reason": stop, "stop_sequence": None},
                                  "usage": {"output_tokens": usage[1]}}),
               ("message_stop", {"type": "message_stop"})]
    return "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n"
                   for name, data in events).encode()


def _anthropic_body(text: str, usage: tuple[int, int], model: str, finish: str) -> dict:
    return {"id": "msg_fake", "type": "message", "role": "assistant", "model": model,
            "content": [{"type": "text", "text": text}],
            "stop_reason": "max_tokens" if finish == "length" else "end_turn",
            "usage": {"input_tokens": usage[0], "output_tokens": usage[1]}}


def _error(status: int, message: str, headers: dict[str, str] | None = None
           ) -> tuple[int, dict[str, str], bytes]:
    body = json.dumps({"error": {"message": message, "type": "fake_error", "code": status}})
    return status, {"Content-Type": "application/json", **(headers or {})}, body.encode()


async def _read_request(reader: asyncio.StreamReader
                        ) -> tuple[str, str, dict[str, str], bytes] | None:
    line = await reader.readline()
    if not line.strip():
        return None
    method, path, _ = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while (raw := await reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = raw.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0") or 0))
    return method, path, headers, body


def _response(status: int, headers: dict[str, str], body: bytes) -> bytes:
    head = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}",
            f"Content-Length: {len(body)}", "Connection: keep-alive"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def parse_faults(text: str | None) -> tuple[str, ...]:
    """`429,500,syntax` -> ("429", "500", "syntax"); empty/None -> every kind."""
    kinds = tuple(k.strip() for k in (text or "").split(",") if k.strip())
    return kinds or FAULTS


def describe(config: FakeLLMConfig) -> Sequence[str]:
    latency = (f"latency {config.latency_ms:g} ms + {config.per_token_ms:g} ms/token "
               f"(jitter {config.jitter:g})")
    faults = (f"faults: rate {config.fault_rate:g} of {', '.join(config.faults) or 'none'} "
              f"(seed {config.seed})")
    return [latency, faults]
