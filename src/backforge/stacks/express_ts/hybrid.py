"""Hybrid mode for express-ts: the shared Express hybrid support (backforge.express.hybrid)
over ES import lines and the typed signature of a custom endpoint's service function."""

from __future__ import annotations

from backforge.engine.protocols import Generation
from backforge.express.hybrid import (
    TS_STYLE_LINE,
    TS_STYLE_SPECIFIER,
    Hybrid,
    HybridStyle,
    table_facts,
)
from backforge.express.render import es_import
from backforge.plan.model import Plan, Unit


def _render_unit(unit: Unit, plan: Plan, done: frozenset[str]) -> Generation:
    from backforge.stacks.express_ts.render import render_unit  # jinja2: on first render

    return render_unit(unit, plan, done)


HYBRID = Hybrid(HybridStyle(".ts", TS_STYLE_LINE, TS_STYLE_SPECIFIER, es_import,
                            ": EndpointRequest", ": Promise<unknown>", _render_unit))
CUSTOM_SERVICES = "src/services/custom.ts"

host_path, site, stub, implemented = HYBRID.host_path, HYBRID.site, HYBRID.stub, \
    HYBRID.implemented
endpoint_status, clean_body, splice = HYBRID.endpoint_status, HYBRID.clean_body, HYBRID.splice
add_requires, resolve_target = HYBRID.add_requires, HYBRID.resolve_target
drop_unused_stub_import, render = HYBRID.drop_unused_stub_import, HYBRID.render
usable_files, endpoint_facts = HYBRID.usable_files, HYBRID.endpoint_facts

__all__ = ["CUSTOM_SERVICES", "HYBRID", "add_requires", "clean_body", "drop_unused_stub_import",
           "endpoint_facts", "endpoint_status", "host_path", "implemented", "render",
           "resolve_target", "site", "splice", "stub", "table_facts", "usable_files"]
