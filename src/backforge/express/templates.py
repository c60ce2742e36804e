"""Where an Express stack's templates are: its own folder first, then the shared one
(`express/templates/`: Terraform, the same for every Express stack); and the folders whose
every template is one output file (docker, terraform). Light on purpose: a stack's module
table lists these files without loading the renderer (jinja2) on start-up."""

from __future__ import annotations

from pathlib import Path

SHARED_TEMPLATES = Path(__file__).parent / "templates"


def template_roots(templates: Path) -> tuple[Path, Path]:
    """Where a stack's templates are looked up, in order."""
    return templates, SHARED_TEMPLATES


def extra_templates(templates: Path, folder: str) -> tuple[str, ...]:
    """Template paths (relative to <root>/<folder>, minus .j2) found on disk, sorted; a
    folder the stack has itself hides the shared one."""
    for base in template_roots(templates):
        root = base / folder
        if root.is_dir():
            return tuple(sorted(p.relative_to(root).as_posix()[:-3]
                                for p in root.rglob("*.j2") if p.is_file()))
    return ()


def extra_output_path(folder: str, rel: str) -> str:
    return f"terraform/{rel}" if folder == "terraform" else rel
