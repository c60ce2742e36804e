"""The stacks that exist and the (language, framework) pair each serves: plain data.

Its own module, importing nothing of backforge, because the command line's parser offers
these names (`--stack`) without loading any stage, the spec loader refuses a name no
stack implements (exit 2, naming the stacks that exist) before anything is written, and
`backforge.stacks.get_stack` serves exactly these names (a test pins it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    stack: str
    language: str
    framework: str
    summary: str


TARGETS: tuple[Target, ...] = (
    Target("express-js", "javascript", "express", "Node 22, Express 5, node-postgres, JavaScript"),
    Target("express-ts", "typescript", "express",
           "Node 22, Express 5, node-postgres, strict TypeScript"),
)
STACK_NAMES: tuple[str, ...] = tuple(t.stack for t in TARGETS)
