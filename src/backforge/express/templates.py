"""Where an Express stack's templates are: the folders whose every template is one output
file (docker, terraform). Light on purpose: a stack's module table lists these files
without loading the renderer (jinja2) on start-up."""

from __future__ import annotations

from pathlib import Path


def extra_templates(templates: Path, folder: str) -> tuple[str, ...]:
    """Template paths (relative to templates/<folder>, minus .j2) found on disk, sorted."""
    root = templates / folder
    if not root.is_dir():
        return ()
    return tuple(sorted(p.relative_to(root).as_posix()[:-3]
                        for p in root.rglob("*.j2") if p.is_file()))


def extra_output_path(folder: str, rel: str) -> str:
    return f"terraform/{rel}" if folder == "terraform" else rel
