"""Name sanitizing: safe SQL, JavaScript and URL identifiers from user names.

The spec keeps the user's names. Stacks derive identifiers from them with these
functions; `names.resolve()` applies them to a whole project, detects names
that collide after sanitizing, and records every rename for the report.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

SQL_MAX_BYTES = 63  # PostgreSQL's NAMEDATALEN - 1

# Words that cannot be bare identifiers in JavaScript (strict mode, CommonJS).
JS_RESERVED = frozenset((
    "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete",
    "do", "else", "enum", "export", "extends", "false", "finally", "for", "function", "if",
    "import", "in",
    "instanceof", "new", "null", "return", "super", "switch", "this", "throw", "true", "try",
    "typeof", "var", "void", "while", "with", "yield", "let", "static", "implements", "interface",
    "package", "private", "protected", "public", "await", "arguments", "eval", "undefined", "NaN",
    "Infinity", "require", "module", "exports",
))

# Keys that are dangerous or surprising as properties of plain JS objects.
JS_PROTOTYPE_KEYS = frozenset((
    "__proto__", "constructor", "prototype", "hasOwnProperty", "isPrototypeOf",
    "propertyIsEnumerable", "toLocaleString", "toString", "valueOf", "__defineGetter__",
    "__defineSetter__", "__lookupGetter__", "__lookupSetter__",
))

_WORD_SPLIT = re.compile(r"[^0-9A-Za-z]+")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


# Letters NFKD does not decompose into ASCII, spelled the way their languages transliterate.
_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe",
                          "Œ": "OE", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ı": "i",
                          "þ": "th"})


def ascii_fold(name: str) -> str:
    """Fold accents away (é -> e) and spell other non-ASCII letters as `u<hex>`."""
    out = []
    for ch in unicodedata.normalize("NFKD", name.translate(_LETTERS)):
        if ch.isascii():
            out.append(ch)
        elif unicodedata.combining(ch):
            continue
        elif ch.isalnum():
            out.append(f"_u{ord(ch):x}_")
        else:
            out.append("_")
    return "".join(out)


def words(name: str) -> list[str]:
    """Split any spelling (camelCase, snake_case, 'with spaces', kebab-case) into words."""
    return list(_words(name))


# Specs repeat the same names (id, name, created_at) in every table: cache the splitting.
@lru_cache(maxsize=4096)
def _words(name: str) -> tuple[str, ...]:
    folded = ascii_fold(name)
    parts: list[str] = []
    for chunk in _WORD_SPLIT.split(folded):
        parts.extend(p for p in _CAMEL_BOUNDARY.split(chunk) if p)
    return tuple(p.lower() for p in parts)


@lru_cache(maxsize=4096)
def snake(name: str) -> str:
    return "_".join(_words(name))


def kebab(name: str) -> str:
    return "-".join(words(name))


def camel(name: str) -> str:
    ws = words(name)
    return ws[0] + "".join(w.capitalize() for w in ws[1:]) if ws else ""


def pascal(name: str) -> str:
    return "".join(w.capitalize() for w in words(name))


def _truncate_bytes(name: str, limit: int) -> str:
    if len(name.encode()) <= limit:
        return name
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    return f"{name[: limit - 9].rstrip('_')}_{digest}"


@lru_cache(maxsize=4096)
def sql_identifier(name: str) -> str:
    """A snake_case ASCII identifier of at most 63 bytes.

    Generated SQL always double-quotes identifiers, so reserved words such as
    `user`, `order` or `select` stay as they are instead of being renamed.
    """
    ident = snake(name) or "x"
    if ident[0].isdigit():
        ident = f"t_{ident}"
    return _truncate_bytes(ident, SQL_MAX_BYTES)


@lru_cache(maxsize=4096)
def js_identifier(name: str, *, style: str = "keep") -> str:
    """A valid, non-reserved JavaScript identifier.

    style="keep" leaves a name that is already a safe identifier untouched
    (API property names keep the user's spelling); "camel" converts to camelCase.
    """
    if style == "keep" and re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$]*", name):
        ident = name
    else:
        ident = camel(name) or "x"
    if ident[0].isdigit():
        ident = f"_{ident}"
    if ident in JS_RESERVED or ident in JS_PROTOTYPE_KEYS:
        ident = f"{ident.strip('_')}Value" if ident.strip("_") else "value"
    return ident


def url_segment(name: str) -> str:
    """A kebab-case URL path segment."""
    return kebab(name) or "x"


_IRREGULAR = {
    "people": "person", "children": "child", "men": "man", "women": "woman", "data": "datum",
    "media": "medium", "indices": "index", "criteria": "criterion", "movies": "movie",
    "cookies": "cookie", "calories": "calorie", "zombies": "zombie", "ties": "tie", "pies": "pie",
    "lies": "lie", "selfies": "selfie", "rookies": "rookie", "hoodies": "hoodie", "leaves": "leaf",
    "wives": "wife", "knives": "knife", "lives": "life", "shelves": "shelf", "halves": "half",
    "wolves": "wolf", "caches": "cache", "niches": "niche",
}
_UNCOUNTABLE = frozenset(("news", "series", "species", "status", "sheep", "fish", "information",
                          "equipment"))


@lru_cache(maxsize=4096)
def singular(word: str) -> str:
    """English singular of the last word of a snake/camel name; unchanged when unsure."""
    ws = words(word)
    if not ws:
        return word
    return "_".join([*ws[:-1], _singular_word(ws[-1])])


def _singular_word(last: str) -> str:
    if last in _UNCOUNTABLE:
        return last
    if last in _IRREGULAR:
        return _IRREGULAR[last]
    if last.endswith("ies") and len(last) > 4:
        return last[:-3] + "y"
    if re.search(r"(ou|au)ses$", last):  # houses, causes: the e belongs to the word
        return last[:-1]
    if last.endswith("zzes"):  # quizzes
        return last[:-3]
    if re.search(r"(ss|sh|ch|x|us)es$", last):  # classes, boxes, statuses
        return last[:-2]
    if last.endswith("s") and not last.endswith(("ss", "us", "is")):
        return last[:-1]
    return last
