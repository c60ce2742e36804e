"""A small JSON HTTP client for the generated API (stdlib only, loopback only)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Response:
    status: int
    body: Any
    headers: Mapping[str, str]


class Client:
    def __init__(self, base: str, token: str | None = None, timeout: float = 15) -> None:
        self.base = base
        self.token = token
        self.timeout = timeout

    def with_token(self, token: str | None) -> Client:
        return Client(self.base, token, self.timeout)

    def call(self, method: str, path: str, body: Any = None, raw: bytes | None = None,
             content_type: str = "application/json") -> Response:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("content-type", content_type)
        if self.token:
            req.add_header("authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as res:
                return _response(res.status, res.read(), res.headers)
        except urllib.error.HTTPError as err:
            return _response(err.code, err.read(), err.headers)


def _response(status: int, raw: bytes, headers: Any) -> Response:
    text = raw.decode("utf-8", "replace")
    try:
        body: Any = json.loads(text) if text else None
    except json.JSONDecodeError:
        body = text
    return Response(status, body, {k.lower(): v for k, v in headers.items()})
