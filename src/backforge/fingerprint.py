"""The fingerprint of a spec file as loaded: its text and the load arguments.

Its own module, importing nothing of backforge, because two sides compute it: the spec
loader records it in `LoadedSpec.fingerprint` (from the very text it parsed), and the
command line's no-op answer (output/fastpath.py) recomputes it from the file without
loading the spec package (pydantic and the models are most of a no-op run's start-up).
Loading is a pure function of these inputs and of backforge's version, so a folder whose
last run recorded this fingerprint was generated from exactly this spec.
"""

from __future__ import annotations

import hashlib
import json

__all__ = ["spec_fingerprint"]


def spec_fingerprint(text: str, suffix: str, fmt: str | None, stack: str | None) -> str:
    """sha256 over the load arguments (the suffix picks the loader unless `fmt` does;
    `stack` is --stack) and the decoded text."""
    head = json.dumps([suffix.lower(), fmt, stack], separators=(",", ":"))
    return hashlib.sha256(f"{head}\0{text}".encode()).hexdigest()
