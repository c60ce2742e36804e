"""One quoting filter per target language: the only way spec text reaches a file.

A spec is untrusted (design-tool exports, DDL dumps, web forms). Every string it
carries into generated output goes through the filter of the spot it lands in:

| filter | output | spec text cannot |
| --- | --- | --- |
| `js_string` | a single-quoted JS string literal | end the string, hide characters |
| `js_line_comment` | the text of a `//` comment | start a new line |
| `js_block_comment` | the text inside `/* */` or a JSDoc line | close the comment, start a line |
| `sql_literal` | a single-quoted SQL string | end the string |
| `sql_ident` | a double-quoted SQL identifier | end the identifier |
| `hash_comment` (`shell_comment`, `yaml_comment`, `hcl_comment`) | text after `# ` | start a new line |
| `dockerfile_comment` | text after `# ` | start a line, look like a parser directive |
| `shell_word` | one single-quoted POSIX shell word | expand, split or end the word |
| `hcl_string` | a double-quoted HCL string | end the string, interpolate `${` / `%{` |
| `yaml_scalar` | a double-quoted YAML scalar | end the scalar, start a line |
| `md_text` | inline Markdown (a line, a table cell) | open HTML, links, code spans, cells, lines |
| `md_code` | a Markdown code span | close the span |

Comment and one-line filters (`js_*_comment`, `hash_comment`, `dockerfile_comment`,
`md_text`) collapse every run of whitespace, line terminators included (LF, CR, VT,
FF, NEL, U+2028, U+2029), to one space, and make the invisible characters that can
hide or reorder code **visible-escaped** as `\\u{202e}`: control characters (NUL and
the other C0/C1 codes), format characters (bidi embeddings and overrides
U+202A-U+202E and isolates U+2066-U+2069, LRM/RLM, zero-width space/joiners,
word joiner, BOM, soft hyphen, tag characters) and lone surrogates. Nothing is
dropped silently: a reader sees exactly what the spec said. String-literal filters
escape the same characters with the language's own escapes, so the value is kept.

`SpecText` marks spec strings in template contexts; the `finalize` hook of a Jinja
environment refuses to print one that no filter has quoted (filters return `str`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from typing import Any, SupportsIndex

from backforge.errors import BackforgeError

# --- SpecText: spec strings that must be quoted before they are printed ---------------


class UnquotedSpecText(BackforgeError):
    """A template printed a spec string without a quoting filter (a template bug)."""

    def __init__(self, value: str) -> None:
        self.value = value
        shown = value if len(value) <= 60 else value[:57] + "..."
        super().__init__(f"spec text {shown!r} reached a template's output without a "
                         "quoting filter; pipe it through the filter of the target language "
                         "(e.g. | js_string, | js_line_comment, | hash_comment, | md_text)")


class SpecText(str):
    """A string that came from the spec. It behaves as a `str` (compare, hash, json),
    and the usual text transformations (`strip`, `lower`, `replace`, slicing, `+`)
    keep the mark, so `{{ x | lower }}` still needs a quoting filter. Quoting filters
    take it and return a plain `str`."""

    __slots__ = ()

    def __add__(self, other: str) -> SpecText:
        return SpecText(str.__add__(self, other))

    def __radd__(self, other: str) -> SpecText:
        return SpecText(str.__add__(other, self))

    def __getitem__(self, key: SupportsIndex | slice) -> SpecText:
        return SpecText(str.__getitem__(self, key))

    def __repr__(self) -> str:
        return f"SpecText({str.__repr__(self)})"


def _keep_mark(name: str) -> Callable[..., Any]:
    method = getattr(str, name)

    def wrapped(self: SpecText, *args: Any, **kwargs: Any) -> SpecText:
        return SpecText(method(self, *args, **kwargs))

    wrapped.__name__ = name
    return wrapped


for _name in ("capitalize", "casefold", "center", "expandtabs", "format", "ljust", "lower",
              "lstrip", "removeprefix", "removesuffix", "replace", "rjust", "rstrip", "strip",
              "swapcase", "title", "translate", "upper", "zfill", "__mod__", "__mul__"):
    setattr(SpecText, _name, _keep_mark(_name))


def spec_text(value: str | None) -> SpecText | None:
    """`value` marked as spec text (None stays None)."""
    return None if value is None else SpecText(value)


def finalize(value: Any) -> Any:
    """Jinja `finalize` hook: every `{{ ... }}` result passes here before it is printed."""
    if isinstance(value, SpecText):
        raise UnquotedSpecText(value)
    return value


# --- shared character policy -----------------------------------------------------------

_LINE_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"
_WHITESPACE = re.compile(r"[\s\u2028\u2029]+")


def _hidden(ch: str) -> bool:
    """Characters that hide, reorder or end text without looking like anything."""
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs")


def _visible(ch: str) -> str:
    return f"\\u{{{ord(ch):x}}}"


def one_line(text: str) -> str:
    """Whitespace runs (line terminators included) as one space; hidden characters
    visible-escaped; trimmed."""
    flat = _WHITESPACE.sub(" ", str(text)).strip()
    return "".join(_visible(ch) if _hidden(ch) else ch for ch in flat)


# --- JavaScript ------------------------------------------------------------------------


def _js_escape(ch: str) -> str:
    code = ord(ch)
    if code > 0xFFFF:
        return f"\\u{{{code:x}}}"
    return f"\\u{code:04x}"


def js_string(value: str) -> str:
    """A single-quoted JavaScript string literal holding exactly `value`."""
    body = json.dumps(str(value), ensure_ascii=False)[1:-1]  # escapes \ " and C0 controls
    # json.dumps left no C0 control or ASCII line break; of ASCII only DEL is still hidden
    # (Cc). Most generated strings are plain ASCII: the per-character pass below was a
    # sixth of a 500-table run.
    if not body.isascii() or "\x7f" in body:
        body = "".join(_js_escape(ch) if ch in _LINE_BREAKS or _hidden(ch) else ch
                       for ch in body)
    return "'" + body.replace('\\"', '"').replace("'", "\\'") + "'"


def js_line_comment(text: str) -> str:
    """Text for after `// `: one line (a line terminator would end the comment)."""
    return one_line(text)


def js_block_comment(text: str) -> str:
    """Text for inside `/* ... */` or a ` * ` JSDoc line: one line, `*/` broken up."""
    return one_line(text).replace("*/", "*\\/")


# --- SQL -------------------------------------------------------------------------------


def sql_literal(value: str) -> str:
    """A standard SQL string literal ('' doubles a quote; backslashes are literal with
    standard_conforming_strings, PostgreSQL's default since 9.1). PostgreSQL text cannot
    hold NUL: the spec layer refuses it before anything renders."""
    value = str(value)  # a plain str: SpecText.replace would keep the mark
    if "\x00" in value:
        raise ValueError("PostgreSQL text cannot contain NUL characters")
    return "'" + value.replace("'", "''") + "'"


def sql_ident(name: str) -> str:
    """A double-quoted SQL identifier ("" doubles a quote)."""
    name = str(name)
    if "\x00" in name:
        raise ValueError("SQL identifiers cannot contain NUL characters")
    return '"' + name.replace('"', '""') + '"'


# --- '#' comments: shell, YAML, HCL, Dockerfile ----------------------------------------


def hash_comment(text: str) -> str:
    """Text for after `# ` in shell, YAML, HCL, .env and Dockerfile comments: one line,
    so nothing after it is read as code."""
    return one_line(text)


shell_comment = yaml_comment = hcl_comment = hash_comment

_DIRECTIVE = re.compile(r"^\s*[A-Za-z][A-Za-z0-9]*\s*=")


def dockerfile_comment(text: str) -> str:
    """A `#` comment text that cannot pass for a parser directive (`# syntax=...`,
    `# escape=...` at the top of a Dockerfile): such text is put in double quotes."""
    out = one_line(text)
    return f'"{out}"' if _DIRECTIVE.match(out) else out


# --- shell, HCL, YAML values -----------------------------------------------------------


def shell_word(value: str) -> str:
    """One POSIX shell word that the shell takes literally (no expansion, no splitting)."""
    value = str(value)
    if "\x00" in value:
        raise ValueError("a shell word cannot contain NUL characters")
    return "'" + value.replace("'", "'\\''") + "'"


_HCL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _u_escape(ch: str) -> str:
    """`\\uXXXX` / `\\UXXXXXXXX`: the escape HCL and YAML share."""
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _hcl_char(ch: str) -> str:
    if ch in _HCL_ESCAPES:
        return _HCL_ESCAPES[ch]
    return _u_escape(ch) if ch in _LINE_BREAKS or _hidden(ch) else ch


def hcl_string(value: str) -> str:
    """A double-quoted HCL string holding exactly `value`: `${` and `%{` (template
    interpolation and directives) are doubled to `$${` / `%%{`."""
    body = "".join(_hcl_char(ch) for ch in str(value))
    return '"' + body.replace("${", "$${").replace("%{", "%%{") + '"'


def yaml_scalar(value: str) -> str:
    """A double-quoted YAML scalar holding exactly `value` (JSON escapes are YAML's)."""
    body = json.dumps(str(value), ensure_ascii=False)[1:-1]
    return '"' + "".join(_u_escape(ch) if ch in _LINE_BREAKS or _hidden(ch) else ch
                         for ch in body) + '"'


# --- Markdown --------------------------------------------------------------------------

_MD_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\\": "\\\\", "`": "\\`", "|": "\\|",
               "[": "\\[", "]": "\\]"}
_MD_LINE_START = re.compile(r"^([#=+\-*]|\d+[.)])")


def md_text(text: str) -> str:
    """Inline Markdown that renders as the literal text: one line (fits a heading, a
    list item or a table cell), no raw HTML (`<`, `>`, `&` become entities), no links,
    code spans or cell breaks, and no heading/list marker at its start."""
    out = "".join(_MD_ESCAPES.get(ch, ch) for ch in one_line(text))
    return _MD_LINE_START.sub(r"\\\1", out)


def md_code(text: str) -> str:
    """A Markdown code span holding the text (one line): the fence is one backtick
    longer than the longest backtick run inside, so the text cannot close it."""
    flat = one_line(text)
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


FILTERS: dict[str, Callable[[str], str]] = {
    "js_string": js_string, "js_line_comment": js_line_comment,
    "js_block_comment": js_block_comment, "sql_literal": sql_literal, "sql_ident": sql_ident,
    "hash_comment": hash_comment, "shell_comment": shell_comment,
    "yaml_comment": yaml_comment, "hcl_comment": hcl_comment,
    "dockerfile_comment": dockerfile_comment, "shell_word": shell_word,
    "hcl_string": hcl_string, "yaml_scalar": yaml_scalar, "md_text": md_text,
    "md_code": md_code,
}
"""Every quoting filter by its Jinja name."""
