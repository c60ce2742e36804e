"""Engine: the async scheduler over the unit DAG, retry policy, deadlines, events, report.

Knows only the protocols in `engine.protocols` (Provider, Validator, Sink),
never a concrete provider, validator or writer.

    result = await run(plan, provider, validator, sink, EngineOptions(), on_event=print)
    result.report.success, result.files, result.partial_files
"""

from backforge.engine.clock import Clock, LoopClock, VirtualEventLoop, run_virtual
from backforge.engine.events import Event, EventKind
from backforge.engine.options import EngineOptions
from backforge.engine.report import (
    AttemptOutcome,
    AttemptRecord,
    ModuleReport,
    RunReport,
    UnitReport,
    UnitStatus,
)
from backforge.engine.scheduler import RunResult, run, run_sync

__all__ = [
    "AttemptOutcome", "AttemptRecord", "Clock", "EngineOptions", "Event", "EventKind",
    "LoopClock", "ModuleReport", "RunReport", "RunResult", "UnitReport", "UnitStatus",
    "VirtualEventLoop", "run", "run_sync", "run_virtual",
]
