"""env-undocumented: the code reads an environment variable that `.env.example`
does not list, so whoever deploys the project cannot know to set it.

A key counts as listed when it is set or commented out (`# TEST_DATABASE_URL=...`
documents an optional variable). Variables the runtime or the tools set
themselves are never expected there.
"""

from __future__ import annotations

import difflib
import re

from backforge.engine.protocols import Issue, Severity
from backforge.validate.checks import Scope

ENV_EXAMPLE = ".env.example"
_KEY = re.compile(r"^\s*#?\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=", re.MULTILINE)
# Set by the OS, Node, npm or the test runner, not by whoever deploys the project.
RUNTIME_VARIABLES = frozenset({"CI", "HOME", "PATH", "PWD", "TZ", "HOSTNAME", "USER", "SHELL",
                               "TERM", "TMPDIR", "JEST_WORKER_ID", "NODE_OPTIONS",
                               "NODE_DEBUG"})


def example_keys(content: str) -> frozenset[str]:
    return frozenset(_KEY.findall(content))


class EnvExampleCheck:
    name = "env-example"
    rules = ("env-undocumented",)

    def check(self, scope: Scope) -> list[Issue]:
        content = scope.registry.content(ENV_EXAMPLE)
        if content is None:
            return []  # no example file (yet): presence is another rule's business
        keys = scope.registry.derived("env-example-keys", lambda r: example_keys(content))
        issues: list[Issue] = []
        for path in scope.paths:
            parsed = scope.registry.get(path)
            if parsed is None:
                continue
            seen: set[str] = set()
            for read in parsed.env_reads:
                name = read.name
                if name in keys or name in seen or name in RUNTIME_VARIABLES \
                        or name.startswith("npm_"):
                    continue
                seen.add(name)  # one issue per variable and file: the first read
                close = difflib.get_close_matches(name, list(keys), n=1, cutoff=0.6)
                hint = f"if you meant {close[0]}, read that; otherwise " if close else ""
                issues.append(Issue(
                    "env-undocumented", f"reads environment variable {name}, which "
                    f"{ENV_EXAMPLE} does not list", path, read.line, Severity.ERROR,
                    f"{hint}add {name}=<example value> with a comment to {ENV_EXAMPLE}"))
        return issues
