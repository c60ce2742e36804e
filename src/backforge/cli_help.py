"""What the command line says besides results: suggestions for typos, help layout, next steps.

Python 3.12 grew `ArgumentParser(suggest_on_error=True)`; we support 3.11, so the
parser below does the same with difflib: a mistyped command or option gets the
closest known spelling in the error (`did you mean 'generate'?`).
"""

from __future__ import annotations

import argparse
import difflib
import re
import shlex
import sys
from pathlib import Path

__all__ = ["HelpFormatter", "Parser", "next_steps", "suggest"]

_INVALID_CHOICE = re.compile(r"argument (?P<arg>[^:]+): invalid choice: '(?P<value>[^']*)'")
_UNRECOGNIZED = re.compile(r"unrecognized arguments: (?P<args>.+)$")


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str | None:
    """The closest known spelling of `word`, or None when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows `(default: X)` for every option that has a real default and help text.

    Flags (`store_true`) and options whose default is None say nothing: their help
    already tells what happens without them."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "%(default)" in text or "default" in text.lower():
            return text
        if action.default in (None, False, [], argparse.SUPPRESS) or not action.option_strings:
            return text
        return f"{text} (default: %(default)s)" if text else "(default: %(default)s)"


class Parser(argparse.ArgumentParser):
    """argparse with "did you mean" for commands, choices and options."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str):  # type: ignore[override]
        super().error(message + self._hint(message))

    def _hint(self, message: str) -> str:
        match = _INVALID_CHOICE.search(message)
        if match:
            close = suggest(match["value"], self._choices_of(match["arg"]))
            return f"; did you mean '{close}'?" if close else ""
        match = _UNRECOGNIZED.search(message)
        # argparse reports a missing command before an unknown option (`--verson`):
        # look at the raw arguments then, so the typo still gets its suggestion.
        words = match["args"].split() if match else getattr(self, "_bf_argv", [])
        known = self._option_strings()
        hints = []
        for word in words:
            flag = word.split("=", 1)[0]
            if word.startswith("-") and flag not in known:
                close = suggest(flag, known)
                if close:
                    hints.append((flag, close))
        if len(hints) == 1:
            return f"; did you mean '{hints[0][1]}'?"
        return "".join(f"; '{flag}': did you mean '{close}'?" for flag, close in hints)

    def _choices_of(self, arg: str) -> list[str]:
        for action in self._actions:
            names = {*action.option_strings, action.dest, str(action.metavar)}
            if isinstance(action, argparse._SubParsersAction):
                names.add("command")
                names.add("{" + ",".join(action.choices) + "}")
            if arg in names and action.choices:
                return [str(c) for c in action.choices]
        return []

    def _option_strings(self) -> list[str]:
        return [s for action in self._actions for s in action.option_strings]

    def parse_known_args(self, args=None, namespace=None):
        # A subparser reports unrecognized arguments through its parent's error, which
        # knows only the top-level options; remember the deepest parser that parsed.
        namespace, extras = super().parse_known_args(args, namespace)
        if extras and not getattr(namespace, "_bf_leaf", None):
            namespace._bf_leaf = self
        return namespace, extras

    def parse_args(self, args=None, namespace=None):
        self._bf_argv = list(sys.argv[1:] if args is None else args)
        namespace, extras = self.parse_known_args(args, namespace)
        if extras:
            leaf = getattr(namespace, "_bf_leaf", None) or self
            leaf.error(f"unrecognized arguments: {' '.join(extras)}")
        if hasattr(namespace, "_bf_leaf"):
            del namespace._bf_leaf
        return namespace


def next_steps(output: Path, *, docker: bool = True, auth: bool = False,
               port: int = 3000) -> list[str]:
    """What to run after a successful generate; the folder is quoted for a POSIX shell."""
    where = shlex.quote(str(output))
    steps = [(f"backforge verify {where}    # npm install, a temporary PostgreSQL, API checks, "
             "npm test")]
    if docker:
        steps.append(f"cd {where}")
        if auth:  # NODE_ENV=production in compose: the example JWT secret is refused
            steps.append('echo "JWT_SECRET=$(openssl rand -hex 32)" > .env')
        steps.append("docker compose up --build    # the API and its PostgreSQL")
        steps.append(f"open http://127.0.0.1:{port}/docs    # Swagger UI; "
                     f"http://127.0.0.1:{port}/health for the health check")
    return steps
