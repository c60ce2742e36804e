"""A SQL file as separate statements, before any of them is understood.

The text is tokenized once and cut at top-level semicolons, so every statement
keeps its line number and is parsed on its own. A CREATE TABLE that sqlglot
cannot parse is retried without the column definitions that fail alone
(`salvage`), so one exotic column does not cost the whole table.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import Token, TokenType

from backforge.errors import SpecFileError

DIALECTS = ("postgres", "mysql", "sqlite")
_MYSQL_HINTS = re.compile(r"`|\bENGINE\s*=|\bAUTO_INCREMENT\b|\bUNSIGNED\b", re.IGNORECASE)
_SQLITE_HINTS = re.compile(r"\bAUTOINCREMENT\b|^\s*CREATE\s+TABLE\s+\[",
                           re.IGNORECASE | re.MULTILINE)
_VERSION_COMMENT = re.compile(r"/\*!\d*\s*(.*?)\*/", re.DOTALL)
_LABEL_SKIP = {"OR", "REPLACE", "TEMPORARY", "TEMP", "UNIQUE", "IF", "NOT", "EXISTS",
               "MATERIALIZED", "ONLY", "GLOBAL", "LOCAL", "UNLOGGED"}


def guess_dialect(text: str, where: str) -> str:
    """By the file name (`x.mysql.sql`), else by telltale syntax; PostgreSQL by default."""
    parts = Path(where).name.lower().split(".")
    for name in DIALECTS:
        if name in parts[1:-1] or (name == "postgres" and "pg" in parts[1:-1]):
            return name
    if _MYSQL_HINTS.search(text):
        return "mysql"
    if _SQLITE_HINTS.search(text):
        return "sqlite"
    return "postgres"


@contextmanager
def quiet_sqlglot() -> Iterator[None]:
    """sqlglot logs a warning for each statement it keeps as an opaque Command."""
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def statements(dialect: Dialect, text: str, source: str) -> list[list[Token]]:
    """The tokens of each statement, in order."""
    try:
        tokens = dialect.tokenize(text)
    except TokenError as exc:
        raise SpecFileError(source, f"cannot read the SQL: {exc}") from None
    chunks: list[list[Token]] = [[]]
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            chunks.append([])
        else:
            chunks[-1].append(token)
    return [c for c in chunks if c]


def version_comments(text: str) -> list[tuple[int, str]]:
    """(line, body) of MySQL `/*!50705 ... */` comments: code other parsers ignore."""
    found = []
    for m in _VERSION_COMMENT.finditer(text):
        body = " ".join(m.group(1).split())
        line_start = text.rfind("\n", 0, m.start()) + 1
        if body and "--" not in text[line_start:m.start()]:
            found.append((text.count("\n", 0, m.start()) + 1, body))
    return found


def kind_label(chunk: list[Token]) -> str:
    """`CREATE FUNCTION`, `GRANT`, ...: how a skipped statement is counted."""
    words = [t.text.upper() for t in chunk[:4] if t.token_type != TokenType.STRING]
    if words and words[0] in ("CREATE", "ALTER", "DROP"):
        rest = [w for w in words[1:] if w not in _LABEL_SKIP]
        return f"{words[0]} {rest[0]}" if rest else words[0]
    return words[0] if words else "?"


def reason(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if errors:
        return str(errors[0].get("description") or exc).strip()
    return str(exc).splitlines()[0].strip()


def table_name(chunk: list[Token]) -> str | None:
    """The name in `CREATE [...] TABLE [IF NOT EXISTS] name (`, from raw tokens."""
    texts = [t.text.upper() for t in chunk[:8]]
    if not texts or texts[0] != "CREATE" or "TABLE" not in texts:
        return None
    i = texts.index("TABLE") + 1
    while i < len(chunk) and chunk[i].text.upper() in ("IF", "NOT", "EXISTS"):
        i += 1
    parts = []
    while i < len(chunk) and chunk[i].token_type != TokenType.L_PAREN:
        if chunk[i].token_type != TokenType.DOT:
            parts.append(chunk[i].text)
        i += 1
    return parts[-1] if parts else None


def _body_span(chunk: list[Token]) -> tuple[int, int] | None:
    """Indices of the column list's opening and closing parentheses."""
    depth, start = 0, None
    for i, token in enumerate(chunk):
        if token.token_type == TokenType.L_PAREN:
            if depth == 0 and start is None:
                start = i
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
            if depth == 0 and start is not None:
                return start, i
    return None


def _split_top(tokens: list[Token]) -> list[list[Token]]:
    pieces: list[list[Token]] = [[]]
    depth = 0
    for token in tokens:
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
        if token.token_type == TokenType.COMMA and depth == 0:
            pieces.append([])
        else:
            pieces[-1].append(token)
    return [p for p in pieces if p]


@dataclass(frozen=True)
class Dropped:
    """A column definition left out of a salvaged CREATE TABLE."""

    line: int
    column: str
    reason: str


def _failure(dialect: Dialect, text: str, piece: list[Token]) -> str | None:
    sql = f"CREATE TABLE _t ({text[piece[0].start:piece[-1].end + 1]})"
    try:
        dialect.parse(sql)
    except (ParseError, TokenError) as exc:
        return reason(exc)
    return None


def salvage(dialect: Dialect, text: str,
            chunk: list[Token]) -> tuple[list[exp.Expression], list[Dropped]] | None:
    """The CREATE TABLE parsed without the column definitions that fail on their own, and
    those columns; None when that does not help (nothing, or everything, fails alone)."""
    span = _body_span(chunk)
    if span is None:
        return None
    pieces = _split_top(chunk[span[0] + 1:span[1]])
    failures = {i: _failure(dialect, text, piece) for i, piece in enumerate(pieces)}
    bad = [i for i, why in failures.items() if why is not None]
    if not bad or len(bad) == len(pieces):
        return None
    first, last = chunk[0].start, chunk[-1].end + 1
    chars = list(text[first:last])
    for i in bad:  # blank the piece and one comma next to it; newlines keep line numbers
        lo = pieces[i - 1][-1].end + 1 if i > 0 else pieces[i][0].start
        hi = pieces[i][-1].end + 1 if i > 0 else pieces[i + 1][0].start
        for pos in range(lo - first, hi - first):
            if chars[pos] != "\n":
                chars[pos] = " "
    padded = "\n" * text.count("\n", 0, first) + "".join(chars)
    try:
        parsed = [s for s in dialect.parse(padded) if s is not None]
    except (ParseError, TokenError):
        return None
    dropped = [Dropped(pieces[i][0].line, pieces[i][0].text, failures[i] or "") for i in bad]
    return parsed, dropped
