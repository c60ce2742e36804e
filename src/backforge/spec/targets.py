"""The spec's view of the stack catalogue (backforge.targets): the design tool's
`options.language` / `options.framework` spellings, and the problem for a stack that no
subpackage under `stacks/` implements."""

from __future__ import annotations

from backforge.spec.problems import Problem
from backforge.targets import STACK_NAMES, TARGETS

# Spellings of the design tool (and its generator API) for the same language/framework.
_LANGUAGES = {"javascript": "javascript", "js": "javascript", "node": "javascript",
              "nodejs": "javascript", "typescript": "typescript", "ts": "typescript"}
_FRAMEWORKS = {"express": "express", "expressjs": "express", "express.js": "express"}


def stacks_text() -> str:
    return ", ".join(f"{t.stack} ({t.language} + {t.framework})" for t in TARGETS)


def stack_for(language: str | None, framework: str | None) -> str | None:
    """The stack serving `language` + `framework` (a missing one is JavaScript / Express,
    as in express-js, the default stack); None when no stack serves the pair."""
    lang = _spelled(language, _LANGUAGES, "javascript")
    frame = _spelled(framework, _FRAMEWORKS, "express")
    return next((t.stack for t in TARGETS if t.language == lang and t.framework == frame), None)


def _spelled(value: str | None, spellings: dict[str, str], default: str) -> str:
    if value is None:
        return default
    key = value.strip().lower()
    return spellings.get(key, key)


def stack_problems(stack: str) -> list[Problem]:
    if stack in STACK_NAMES:
        return []
    return [Problem("stack", f"no stack '{stack}'; the stacks that exist: {stacks_text()}",
                    "choose one of them (spec `stack:`, or --stack on the command line)")]
