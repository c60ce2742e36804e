"""Make requests against the live server and record each as a check.

Every response is compared with the expected status and with the OpenAPI
document the server serves; a failing check keeps the request, the response
and the server log lines written while it ran, so the cause is on screen.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from backforge.verify.http import Client, Response
from backforge.verify.model import CheckResult, MatrixResult, Recorder
from backforge.verify.openapi import ResponseSchemas


def _short(value: Any, limit: int = 600) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[:limit] + "…"


# Runs a command of the generated project (cwd: its folder, env: the app's, so it reaches
# the same database); returns (exit code, output). The admin bootstrap of the
# authorisation matrix uses it: there is no API route that makes an admin.
Shell = Callable[[list[str]], tuple[int, str]]


class Probe:
    """A client bound to a recorder, the served OpenAPI document and the server log."""

    def __init__(self, client: Client, recorder: Recorder, schemas: ResponseSchemas | None,
                 log_reader: Callable[[], str], shell: Shell | None = None) -> None:
        self.client = client
        self.recorder = recorder
        self.schemas = schemas
        self._log = log_reader
        self.shell = shell

    def with_token(self, token: str | None) -> Probe:
        return Probe(self.client.with_token(token), self.recorder, self.schemas, self._log,
                     self.shell)

    def request(self, method: str, path: str, expect: int, name: str, *,
                table: str | None = None, body: Any = None, raw: bytes | None = None,
                documented: bool = True, content_type: str = "application/json") -> Response:
        """Call the API; record whether the status and (when `documented`) the body are as
        the OpenAPI document says."""
        before = len(self._log())
        res = self.client.call(method, path, body, raw, content_type)
        problems = [] if res.status == expect else [f"expected {expect}, got {res.status}"]
        if self.schemas is not None and documented:
            problems += [f"response does not match OpenAPI: {p}"
                         for p in self.schemas.problems(method, path, res.status, res.body)]
        if res.status >= 500 and res.status != expect:  # an expected 501 is not a fault
            self.recorder.server_errors += 1
        sent = raw.decode(errors="replace") if raw is not None else body
        self.recorder.add(CheckResult(
            table, name, not problems, "; ".join(problems),
            f"{method} {path}" + (f" {_short(sent)}" if sent is not None else ""),
            f"{res.status} {_short(res.body) if res.body is not None else ''}".strip(),
            "" if not problems else self._settled_log()[before:][-3000:]))
        return res

    def _settled_log(self, quiet: float = 0.15, limit: float = 1.0) -> str:
        """The server log once it stops growing: the app's logger may write a request's
        lines after the response (an asynchronous destination), and a failure's evidence
        must hold the lines its request caused. Only failed checks wait."""
        text, deadline = self._log(), time.monotonic() + limit
        while time.monotonic() < deadline:
            time.sleep(quiet)
            now = self._log()
            if len(now) == len(text):
                return now
            text = now
        return text

    def cell(self, table: str, operation: str, principal: str, expected: int,
             got: int | None, passed: bool, reason: str, note: str = "") -> bool:
        """Record one cell of the authorisation matrix (its request is already a check of
        its own); `got` None: not checked, `note` says why."""
        self.recorder.matrix.append(MatrixResult(table, operation, principal, expected, got,
                                                 passed, reason, note))
        return passed

    def expect(self, condition: bool, name: str, message: str, *,
               table: str | None = None) -> bool:
        """Record a plain assertion about data already fetched."""
        return self.recorder.add(CheckResult(table, name, condition, "" if condition else message))
