"""What both halves of the hostile corpus share: the case files, their sidecars, and
one in-process `backforge generate` per case with its canary folder filled in.

A case is a spec file (`.yaml`, `.json`, `.sql`, `.dbml`) in `inert/` (must generate,
and the output must be inert) or `refused/` (must exit 2 and write nothing). A sibling
`<case>.expect.yaml` may say more:

- `message`: a substring the refusal must print (refused cases);
- `same_code`: false when the payload is a name or value, so identifiers differ
  (inert cases; default true: the JS code tokens, the shell and Dockerfile lines that
  are not comments, and the compose services equal the baseline's);
- `baseline`: `native`, `designtool` or `none` (default: by the file's suffix).

In a case file `@CANARY@` becomes a fresh folder that payloads try to write to (it
must stay empty after the generated code ran) and `@BIG@` becomes 1,000,000 characters.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from backforge.cli import main

HERE = Path(__file__).parent
SPEC_SUFFIXES = (".yaml", ".yml", ".json", ".sql", ".dbml")
BIG = "B" * 1_000_000
# Every Express stack renders the corpus: spec text must stay inert in each language.
STACKS = ("express-js", "express-ts")
DEFAULT_STACK = STACKS[0]
SOURCE_SUFFIX = {"express-js": ".js", "express-ts": ".ts"}
BASELINES = {"native": HERE / "baselines" / "native.yaml",
             "designtool": HERE / "baselines" / "designtool.json"}


def case_files(folder: str) -> list[Path]:
    return sorted(p for p in (HERE / folder).iterdir()
                  if p.suffix in SPEC_SUFFIXES and not p.name.endswith(".expect.yaml"))


INERT = case_files("inert")
REFUSED = case_files("refused")


def expectations(case: Path) -> dict:
    sidecar = case.with_name(case.name.rsplit(".", 1)[0] + ".expect.yaml")
    return yaml.safe_load(sidecar.read_text()) or {} if sidecar.exists() else {}


def baseline_of(case: Path) -> str | None:
    wanted = expectations(case).get("baseline")
    if wanted is not None:
        return None if wanted == "none" else wanted
    return {".json": "designtool", ".yaml": "native", ".yml": "native"}.get(case.suffix)


def generate(case: Path, work: Path, canary: Path,
             stack: str = DEFAULT_STACK) -> tuple[int, Path, str]:
    """Run `backforge generate --stack <stack>` (the CLI entry, in-process) on the case;
    (exit, out, text). The spec as run (canary filled in) stays at `work / case.name`."""
    spec = work / case.name
    spec.write_text(case.read_text().replace("@CANARY@", str(canary)).replace("@BIG@", BIG))
    out = work / "out"
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        code = main(["generate", str(spec), "-o", str(out), "--stack", stack])
    return code, out, buffer.getvalue()


@dataclass
class Generated:
    case: Path
    code: int
    out: Path
    log: str
    canary: Path
    expect: dict = field(default_factory=dict)
    stack: str = DEFAULT_STACK

    @property
    def spec(self) -> Path:
        """The spec file as generated from (with the canary path filled in)."""
        return self.out.parent / self.case.name


def generate_in(root: Path, case: Path, stack: str = DEFAULT_STACK) -> Generated:
    work = root / case.name
    canary = work / "canary"
    canary.mkdir(parents=True)
    code, out, log = generate(case, work, canary, stack)
    return Generated(case, code, out, log, canary, expectations(case), stack)


def generate_corpus(root: Path, stack: str = DEFAULT_STACK) -> dict[str, Generated]:
    """Every inert case and both baselines, by file name, rendered by `stack`."""
    return {case.name: generate_in(root, case, stack)
            for case in [*INERT, *BASELINES.values()]}
