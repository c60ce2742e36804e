"""`backforge doctor`: is this machine ready to generate, verify and regenerate?

Each check says what it found and, when something is missing, the fix. Generating
needs nothing outside Python; `verify` needs Node/npm and the PostgreSQL server
binaries, regeneration merges need git. Those are *required*: the doctor exits 1
without them. shellcheck (the test suite lints generated shell scripts) and
terraform (formatting checks of generated Terraform) are optional.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from backforge.providers.llm.cache import default_path as llm_cache_path
from backforge.verify.postgres import find_bin
from backforge.verify.process import modules_cache_dir

__all__ = ["Check", "Diagnosis", "diagnose"]

MIN_NODE = 22  # the generated projects' engines (>=22), Dockerfile and CI workflow
MIN_POSTGRES = 13  # gen_random_uuid() is built in from 13; the project is tested on 15
_PG_FIX = ("install the PostgreSQL server (Debian/Ubuntu: `apt-get install postgresql-15`; "
           "macOS: `brew install postgresql@15`); Debian keeps its binaries in "
           "/usr/lib/postgresql/<version>/bin: put that on PATH "
           "(`export PATH=/usr/lib/postgresql/15/bin:$PATH`), or give verify --database-url")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    required: bool
    found: str  # a path and version, or what is wrong
    purpose: str
    fix: str | None = None  # only when not ok


@dataclass(frozen=True)
class Diagnosis:
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        """Everything required is there (optional tools may be missing)."""
        return all(c.ok for c in self.checks if c.required)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def to_dict(self) -> dict:
        return {"ok": self.ok, "checks": [asdict(c) for c in self.checks]}


def diagnose(env: Mapping[str, str] | None = None) -> Diagnosis:
    """Run every check against this machine (`env` defaults to os.environ)."""
    env = os.environ if env is None else env
    path = env.get("PATH", "")
    checks = [
        Check("python", sys.version_info >= (3, 11), True,
              f"{sys.executable} {sys.version.split()[0]}", "runs backforge",
              None if sys.version_info >= (3, 11) else "use Python 3.11 or newer"),
        _node(path),
        _tool("npm", path, "verify: installs the generated project's packages", True,
              "npm comes with Node.js: install Node.js 22+ (it brings npm)"),
        *(_postgres(name, path) for name in ("initdb", "pg_ctl", "postgres", "createdb")),
        _tool("git", path, "regeneration: three-way merges of files you edited", True,
              "install git (Debian/Ubuntu: `apt-get install git`; macOS: `xcode-select "
              "--install`)"),
        _tool("shellcheck", path, "the test suite: lints the generated shell scripts "
              "(optional)", False,
              "install shellcheck (`apt-get install shellcheck`, `brew install shellcheck`); "
              "without it those tests skip"),
        _tool("redis-server", path, "the test suite: the generated rate-limit store and the "
              "service's workers on a real Redis (optional)", False,
              "install Redis (`apt-get install redis-server`, `brew install redis`)"),
        _tool("chromium", path, "the test suite: the service's web UI in a headless browser "
              "(optional)", False, "install Chromium (`apt-get install chromium`)"),
        _tool("chromedriver", path, "the test suite: drives that browser (optional)", False,
              "install its driver (`apt-get install chromium-driver`)"),
        _tool("terraform", path, "deploying the generated terraform/ folder (optional)", False,
              "install Terraform 1.5+ from https://developer.hashicorp.com/terraform/install "
              "if you deploy with the generated terraform/ folder"),
        _folder("LLM response cache", llm_cache_path(env).parent,
                "LLM providers: answers reused by unchanged units",
                "set BACKFORGE_CACHE_DIR (or XDG_CACHE_HOME) to a writable folder"),
        _folder("node_modules cache", modules_cache_dir(), "verify: reuses an identical "
                "earlier npm install by hard link", "set XDG_CACHE_HOME to a writable folder"),
    ]
    return Diagnosis(tuple(checks))


def _version(exe: str) -> str:
    try:
        proc = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=20,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"(no version: {exc})"
    lines = (proc.stdout or proc.stderr).strip().splitlines()
    # the first line that carries a version (shellcheck starts with a banner)
    return next((line for line in lines if re.search(r"\d+\.\d+", line)), "")


def _major(text: str) -> int | None:
    match = re.search(r"(\d+)(?:\.\d+)*", text)
    return int(match[1]) if match else None


def _tool(name: str, path: str, purpose: str, required: bool, fix: str) -> Check:
    exe = shutil.which(name, path=path)
    if exe is None:
        return Check(name, False, required, "not found on PATH", purpose, fix)
    return Check(name, True, required, f"{exe} {_version(exe)}".strip(), purpose)


def _node(path: str) -> Check:
    purpose = "verify: runs the generated project, its lint and its tests"
    fix = (f"install Node.js {MIN_NODE} or newer (https://nodejs.org/en/download; "
           "Debian/Ubuntu: NodeSource packages; or `npm install -g node@22`)")
    check = _tool("node", path, purpose, True, fix)
    if check.ok:
        major = _major(check.found.rsplit(" ", 1)[-1])
        if major is None or major < MIN_NODE:
            return Check("node", False, True, f"{check.found} (need {MIN_NODE}+)", purpose, fix)
    return check


def _postgres(name: str, path: str) -> Check:
    purpose = "verify: a temporary PostgreSQL server for the generated project"
    exe = shutil.which(name, path=path)
    where = ""
    if exe is None:  # Debian installs the server outside PATH
        debian = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                        key=lambda p: _major(p.parts[-3]) or 0, reverse=True)
        if not debian:
            return Check(name, False, True, "not found on PATH or in /usr/lib/postgresql/*/bin",
                         purpose, _PG_FIX)
        exe = str(debian[0])
        if find_bin(name) != exe:  # verify's own search would not find this one
            return Check(name, False, True, f"{exe} is not on PATH", purpose,
                         f"export PATH={debian[0].parent}:$PATH")
        where = " (not on PATH; verify finds it in the Debian folder)"
    version = _version(exe)
    major = _major(version.rsplit(")", 1)[-1]) if ")" in version else _major(version)
    if major is not None and major < MIN_POSTGRES:
        return Check(name, False, True, f"{exe} {version} (need {MIN_POSTGRES}+)", purpose,
                     _PG_FIX)
    return Check(name, True, True, f"{exe} {version}{where}", purpose)


def _folder(name: str, folder: Path, purpose: str, fix: str) -> Check:
    """Writable (a probe file), or creatable (a probe folder in its nearest existing
    ancestor); the probes are removed at once. os.access would say yes to root anywhere."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        if probe == folder:
            with tempfile.TemporaryFile(dir=folder):
                pass
            return Check(name, True, True, f"{folder} (writable)", purpose)
        os.rmdir(tempfile.mkdtemp(dir=probe, prefix=".backforge-doctor-"))
        return Check(name, True, True, f"{folder} (will be created)", purpose)
    except OSError as exc:
        return Check(name, False, True, f"{folder} (not writable: {exc.strerror or exc})",
                     purpose, fix)
