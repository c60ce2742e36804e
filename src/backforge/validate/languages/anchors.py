"""Finding anchor words in source bytes fast.

`bytes.find` runs at memory speed, while a `re` alternation (or any pattern that
starts with `\\b`) is tried at every position: on a 150-table project that was
a tenth of the whole parse. Anchors only choose where tree-sitter is asked to
look, so a hit in a comment or string costs a lookup, never a wrong answer.
"""

from __future__ import annotations

from collections.abc import Iterable

IDENTIFIER_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_$")
_SPACE = frozenset(b" \t\r\n")


def word_hits(data: bytes, words: Iterable[bytes]) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of each word that stands alone (not part of a
    longer identifier), sorted by position."""
    hits: list[tuple[int, int]] = []
    size = len(data)
    for word in words:
        n = len(word)
        i = data.find(word)
        while i != -1:
            end = i + n
            if (i == 0 or data[i - 1] not in IDENTIFIER_BYTES) and \
                    (end >= size or data[end] not in IDENTIFIER_BYTES):
                hits.append((i, end))
            i = data.find(word, end)
    hits.sort()
    return hits


def substring_hits(data: bytes, needles: Iterable[bytes]) -> list[tuple[int, int]]:
    hits: list[tuple[int, int]] = []
    for needle in needles:
        i = data.find(needle)
        while i != -1:
            hits.append((i, i + len(needle)))
            i = data.find(needle, i + len(needle))
    hits.sort()
    return hits


def after_quote(data: bytes, start: int, quotes: bytes = b"'`\"") -> bool:
    """Whether the text before `start`, spaces skipped, ends with a quote character."""
    j = start - 1
    while j >= 0 and data[j] in _SPACE:
        j -= 1
    return j >= 0 and data[j] in quotes
