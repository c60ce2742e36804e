"""Progress events: what the engine tells the CLI (progress bars, `--json` lines) while it runs.

A failing `on_event` callback must not kill a run, and must not vanish either:
the emitter catches `Exception` from the callback, logs it on the
`backforge.engine` logger, counts it, and the run report gets a note naming
the first failure. Later events are still offered to the callback (a progress
display that failed once may recover). BaseExceptions (KeyboardInterrupt)
propagate.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from backforge.engine.clock import Clock

log = logging.getLogger("backforge.engine")


class EventKind(StrEnum):
    RUN_STARTED = "run_started"
    UNIT_STARTED = "unit_started"  # one per attempt, when the provider call begins
    UNIT_RETRIED = "unit_retried"  # an attempt failed and another follows after data["delay"]
    UNIT_HEDGED = "unit_hedged"  # a slow call got a second request (data["after"] s in)
    UNIT_VALIDATED = "unit_validated"
    UNIT_PARTIAL = "unit_partial"
    UNIT_FAILED = "unit_failed"
    UNIT_BLOCKED = "unit_blocked"
    UNIT_CANCELLED = "unit_cancelled"  # stopped by the deadline or a budget (or never reached)
    BUDGET_REACHED = "budget_reached"  # a token or cost limit was reached: the run stops
    FILE_WRITTEN = "file_written"  # after Sink.write, one per file
    RUN_FINISHED = "run_finished"


@dataclass(frozen=True)
class Event:
    kind: EventKind
    time: float  # seconds since the run started
    unit: str | None = None
    attempt: int | None = None
    message: str = ""
    data: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def to_dict(self) -> dict[str, Any]:
        return {
            "event": self.kind.value,
            "time": round(self.time, 3),
            "unit": self.unit,
            "attempt": self.attempt,
            "message": self.message,
            "data": dict(self.data),
        }


EventCallback = Callable[[Event], None]


class Emitter:
    """Stamps events with the run time, keeps them, and offers them to the callback."""

    def __init__(self, callback: EventCallback | None, clock: Clock, started: float) -> None:
        self._callback = callback
        self._clock = clock
        self._started = started
        self.events: list[Event] = []
        self.callback_failures = 0
        self.first_failure: str | None = None

    def elapsed(self) -> float:
        return self._clock.now() - self._started

    def emit(self, kind: EventKind, unit: str | None = None, attempt: int | None = None,
             message: str = "", **data: Any) -> Event:
        event = Event(kind, self.elapsed(), unit, attempt, message, MappingProxyType(data))
        self.events.append(event)
        if self._callback is not None:
            try:
                self._callback(event)
            except Exception as exc:  # a broken progress display must not stop generation
                self.callback_failures += 1
                if self.first_failure is None:
                    self.first_failure = f"{type(exc).__name__}: {exc} (on {kind.value})"
                log.warning("on_event callback failed on %s", kind.value, exc_info=True)
        return event

    def notes(self) -> list[str]:
        if not self.callback_failures:
            return []
        return [(f"the on_event callback raised {self.callback_failures} time(s), first "
                 f"{self.first_failure}; the run went on")]
