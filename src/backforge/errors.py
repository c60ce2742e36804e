"""One error root for everything backforge raises on purpose.

Each subclass carries its context as attributes and builds its own message;
constructors have no side effects. Only the CLI prints errors and maps them to
exit codes (2 for bad input, 1 for a failed run). A folder locked by another run
(output.journal.FolderLockedError) is an OutputError, so exit 2 too: nothing was
written and the fix is the user's, like any output folder that cannot be used.
"""

from __future__ import annotations


class BackforgeError(Exception):
    """Root of every error backforge raises on purpose."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(BackforgeError):
    """Bad input from the user: exit code 2, nothing written."""

    exit_code = 2


class SpecError(InputError):
    """The spec is invalid. `problems` holds one `location: message` line each."""

    def __init__(self, problems: list[str] | str, *, source: str | None = None) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.source = source
        head = f"invalid spec {source}" if source else "invalid spec"
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{head}:\n{lines}")


class SpecFileError(InputError):
    """The spec file cannot be read or parsed (missing, malformed YAML/JSON)."""

    def __init__(self, path: str, reason: str, *, line: int | None = None) -> None:
        self.path = path
        self.reason = reason
        self.line = line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {reason}")


class OutputError(InputError):
    """The output folder cannot be used (not empty and not ours, without --force)."""

    def __init__(self, path: str, reason: str, hint: str | None = None) -> None:
        self.path = path
        self.reason = reason
        self.hint = hint
        msg = f"{path}: {reason}"
        super().__init__(f"{msg}\n  fix: {hint}" if hint else msg)


class UnknownStackError(InputError):
    def __init__(self, stack: str, known: list[str]) -> None:
        self.stack = stack
        self.known = known
        super().__init__(f"stack: unknown stack '{stack}'; known stacks: {', '.join(known)}")
