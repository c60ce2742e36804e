"""The one-way dependency rule of docs/architecture.md, read from the source with `ast`.

Every `import` / `from ... import` in src/backforge counts, including imports inside
functions and under `if TYPE_CHECKING:`: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

# What a stack subpackage (backforge.stacks.<name>) may import besides itself. A stack
# is data, templates and language-specific renderers over the shared layers.
STACK_ALLOWED = ("backforge.spec", "backforge.plan", "backforge.sql", "backforge.rest",
                 "backforge.express", "backforge.render", "backforge.engine.protocols",
                 "backforge.errors")
# Single modules a stack still reaches outside that set, each for a named reason. A new
# entry needs the same kind of reason; removing one is progress.
STACK_EXCEPTIONS: set[str] = set()
# The shared layers: sql/ is the lower one (a REST resource is a PostgreSQL table here);
# render/ (the quoting of every target language) sits below both and imports only errors.
RENDER_ALLOWED = ("backforge.render", "backforge.errors")
SQL_ALLOWED = ("backforge.sql", "backforge.spec", "backforge.render",
               "backforge.engine.protocols", "backforge.errors")
REST_ALLOWED = ("backforge.rest", "backforge.sql", "backforge.spec", "backforge.render",
                "backforge.engine.protocols", "backforge.errors")
# express/ (what every Express stack shares) sits on the shared layers, never a stack.
EXPRESS_ALLOWED = ("backforge.express", "backforge.rest", "backforge.sql", "backforge.spec",
                   "backforge.plan", "backforge.render", "backforge.engine.protocols",
                   "backforge.errors")
# contract.py (the API contract verify runs against an Express server) is written against
# the verify stage's Probe; it stays so until the contract is split from testgen.
# hybrid.py shows the model the exports of the files an endpoint may import.
EXPRESS_EXCEPTIONS = {"backforge.verify.checks", "backforge.validate.registry"}
# The engine knows only the protocols it defines; spec <- plan <- engine.
ENGINE_ALLOWED = ("backforge.engine", "backforge.plan", "backforge.spec", "backforge.errors")


def _module_name(path: Path) -> str:
    parts = list(path.with_suffix("").relative_to(SRC).parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(module: str, source: str, *, is_package: bool = False) -> set[str]:
    """Every backforge module `source` imports; `from pkg import name` yields both
    `pkg` and `pkg.name` (the name may be a submodule)."""
    package = module if is_package else module.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            out.add(target)
            out |= {f"{target}.{a.name}" for a in node.names}
    return {m for m in out if m == "backforge" or m.startswith("backforge.")}


def _graph() -> dict[str, set[str]]:
    graph = {}
    for path in sorted((SRC / "backforge").rglob("*.py")):
        module = _module_name(path)
        graph[module] = imports_of(module, path.read_text(encoding="utf-8"),
                                   is_package=path.name == "__init__.py")
    return graph


GRAPH = _graph()


def _within(module: str, prefixes: tuple[str, ...] | set[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def violations(graph: dict[str, set[str]], layer: str, allowed: tuple[str, ...],
               exceptions: set[str] | frozenset[str] = frozenset()) -> list[str]:
    out = []
    for module, targets in sorted(graph.items()):
        if not _within(module, (layer,)):
            continue
        for target in sorted(targets):
            if target not in graph and target.rpartition(".")[0] in graph:
                continue  # `from pkg import name` where name is not a module: pkg counts
            if not _within(target, allowed) and target not in exceptions:
                out.append(f"{module} imports {target}")
    return out


def _stacks() -> list[str]:
    return sorted({m.split(".")[2] for m in GRAPH if m.startswith("backforge.stacks.")})


def test_scanner_sees_imports() -> None:
    """The rules below mean something only if the scanner finds real edges."""
    assert "backforge.sql.columns" in GRAPH["backforge.sql.ddl"]
    assert "backforge.sql.ddl" in GRAPH["backforge.express.render"]
    assert "backforge.engine.protocols" in GRAPH["backforge.stacks"]  # an __init__ module
    assert "express_js" in _stacks()
    # A function-level import and a relative one count too.
    lazy = imports_of("backforge.sql.x", "def f():\n    from ..stacks import express_js\n")
    assert "backforge.stacks.express_js" in lazy
    fake = {"backforge.sql.x": lazy, "backforge.stacks.express_js": set()}
    assert violations(fake, "backforge.sql", SQL_ALLOWED) == \
        ["backforge.sql.x imports backforge.stacks",
         "backforge.sql.x imports backforge.stacks.express_js"]


@pytest.mark.parametrize("stack", _stacks())
def test_a_stack_imports_only_the_shared_layers(stack: str) -> None:
    own = f"backforge.stacks.{stack}"
    allowed = (*STACK_ALLOWED, own)
    found = violations(GRAPH, own, allowed, STACK_EXCEPTIONS | {"backforge.stacks"})
    assert found == []


def test_stack_exceptions_are_still_needed() -> None:
    """An exception nobody uses any more is dropped, so the set only shrinks."""
    used = {t for m, ts in GRAPH.items() if m.startswith("backforge.stacks.") for t in ts}
    assert STACK_EXCEPTIONS <= used


def test_render_layer_imports_only_errors():
    assert any(m.startswith("backforge.render") for m in GRAPH)
    assert violations(GRAPH, "backforge.render", RENDER_ALLOWED) == []


def test_sql_layer_imports_no_stack_and_no_rest() -> None:
    assert violations(GRAPH, "backforge.sql", SQL_ALLOWED) == []


def test_express_layer_imports_no_stack() -> None:
    assert any(m.startswith("backforge.express") for m in GRAPH)
    assert violations(GRAPH, "backforge.express", EXPRESS_ALLOWED, EXPRESS_EXCEPTIONS) == []


def test_express_exceptions_are_still_needed() -> None:
    used = {t for m, ts in GRAPH.items() if m.startswith("backforge.express") for t in ts}
    assert EXPRESS_EXCEPTIONS <= used


def test_rest_layer_imports_no_stack() -> None:
    assert violations(GRAPH, "backforge.rest", REST_ALLOWED) == []


def test_engine_imports_no_concrete_stage() -> None:
    assert violations(GRAPH, "backforge.engine", ENGINE_ALLOWED) == []


@pytest.mark.parametrize("stage", ["backforge.verify", "backforge.validate",
                                   "backforge.regenerate", "backforge.api"])
def test_stages_do_not_reach_into_a_stack(stage: str) -> None:
    """verify/validate/regenerate/api go through the Stack protocol (get_stack), never
    into one stack's modules."""
    stacks = tuple(f"backforge.stacks.{name}" for name in _stacks())
    reach = [f"{m} imports {t}" for m, ts in GRAPH.items() if _within(m, (stage,))
             for t in ts if _within(t, stacks)]
    assert reach == []


def test_only_the_serve_command_imports_the_service() -> None:
    """The service sits above api.py: the library and every stage know nothing of it."""
    assert "backforge.api" in GRAPH["backforge.service.jobs"]  # the rule sees real edges
    reach = [f"{m} imports {t}" for m, ts in GRAPH.items()
             if not _within(m, ("backforge.service", "backforge.cli_serve"))
             for t in ts if _within(t, ("backforge.service",))]
    assert reach == []
