"""TypeScriptLanguage: exports incl. types, imports incl. `import type`, re-exports,
tsc's resolution of `./x` and `./x.js` to x.ts, syntax errors, and the safety gate."""

from __future__ import annotations

import json

import pytest

from backforge.plan.model import OutputPolicy
from backforge.validate import Registry, default_languages, validate_tree
from backforge.validate.checks import Scope
from backforge.validate.checks.safety import SafetyCheck
from backforge.validate.languages.typescript import TypeScriptLanguage
from backforge.validate.model import ImportKind

TS = TypeScriptLanguage()


def parse(source: str, path: str = "src/a.ts"):
    return TS.parse(path, source)


def test_type_level_and_value_exports() -> None:
    f = parse("export interface Row { id: number }\nexport type Id = number;\n"
              "export enum Color { Red }\nexport const x: number = 1;\n"
              "export function f(a: number, b?: string): void {}\n"
              "export abstract class Base {}\nexport declare const d: string;\n"
              "interface Local { a: 1 }\n")
    assert f.exports == ("Row", "Id", "Color", "x", "f", "Base", "d")
    assert f.is_esm and not f.opaque_exports and not f.syntax_errors
    assert [(fn.name, fn.params) for fn in f.functions] == [("f", ("a: number", "b?: string"))]


def test_imports_incl_type_only_inline_type_and_require_clause() -> None:
    f = parse("import type { Request } from 'express';\n"
              "import express, { Router, type Response } from 'express';\n"
              "import * as db from '../db';\nimport fs = require('fs');\n")
    got = [(i.specifier, i.names, i.default, i.kind, i.line) for i in f.imports]
    assert got == [("express", ("Request",), False, ImportKind.IMPORT, 1),
                   ("express", ("Router", "Response"), True, ImportKind.IMPORT, 2),
                   ("../db", (), False, ImportKind.IMPORT, 3),
                   ("fs", (), False, ImportKind.REQUIRE, 4)]


def test_reexports_incl_type_reexports() -> None:
    f = parse("export type { Row } from './rows';\nexport { a as b } from './a';\n"
              "export * from './all';\n")
    assert f.exports == ("Row", "b") and f.reexports == ("./all",)
    assert [(i.specifier, i.kind) for i in f.imports] == [
        ("./rows", ImportKind.REEXPORT), ("./a", ImportKind.REEXPORT),
        ("./all", ImportKind.REEXPORT)]


def test_syntax_error_has_its_own_rule_and_place() -> None:
    files = {"src/a.ts": "export const a: number = 1;\nconst b: = 2;\n"}
    issues = validate_tree(files, {"dependencies": {}})
    assert [(i.rule, i.file, i.line) for i in issues] == [("ts-syntax", "src/a.ts", 2)]


@pytest.mark.parametrize("specifier", ["./rows", "./rows.js", "./rows.ts"])
def test_resolution_follows_tsc(specifier: str) -> None:
    files = {"src/rows.ts": "export interface Row { id: number }\n",
             "src/a.ts": f"import type {{ Row }} from '{specifier}';\nexport type R = Row;\n"}
    assert validate_tree(files, {"dependencies": {}}) == []


def test_folder_index_and_names_checked_through_reexports() -> None:
    files = {"src/db/pool.ts": "export const pool = 1;\n",
             "src/db/index.ts": "export { pool } from './pool';\nexport type { Row } from './t';\n",
             "src/db/t.ts": "export interface Row { id: number }\n",
             "src/a.ts": "import { pool, type Row, query } from './db';\n"
                         "export const p: Row | number = pool;\n"}
    issues = validate_tree(files, {"dependencies": {}})
    assert [(i.rule, i.file, i.line) for i in issues] == [
        ("import-name-missing", "src/a.ts", 1)]
    assert "'query'" in issues[0].message


def test_unresolved_and_undeclared() -> None:
    files = {"src/a.ts": "import { x } from './missing';\nimport helmet from 'helmet';\n"
                         "export const y = [x, helmet];\n",
             "package.json": json.dumps({"dependencies": {}})}
    issues = validate_tree(files)
    assert {(i.rule, i.line) for i in issues} == {("import-unresolved", 1),
                                                  ("package-undeclared", 2)}


def test_import_statement_for_prompts() -> None:
    reg = Registry(default_languages())
    reg.add("src/models/tasks.ts", "export async function findTasks() {}\n"
                                   "export interface TaskRow { id: number }\n")
    reg.add("src/db/index.ts", "export const pool = 1;\n")
    assert reg.import_statement("src/services/tasks.ts", "src/models/tasks.ts") == \
        "import { TaskRow, findTasks } from '../models/tasks';"
    assert reg.import_statement("src/services/tasks.ts", "src/db/index.ts") == \
        "import { pool } from '../db';"


@pytest.mark.parametrize(("source", "rule"), [
    ("import { exec } from 'node:child_process';\nexec('ls');\n", "unsafe-child-process"),
    ("import cp = require('child_process');\n", "unsafe-child-process"),
    ("import fs = require('fs');\nfs.writeFileSync('a', 'b');\n", "unsafe-fs-write"),
    ("eval('1' as string);\n", "unsafe-eval"),
    ("const f = new Function('return 1') as () => number;\n", "unsafe-function-constructor"),
    ("const s = process.env['X'] as string;\n", "unsafe-env-read"),
    ("const e = (process.env as Record<string, string>).X;\n", "unsafe-env-read"),
    ("export async function g(): Promise<void> { await fetch('http://x'); }\n", "unsafe-network"),
    ("const m = require(name as string);\n", "unsafe-dynamic-require"),
    ("(globalThis as any).eval('1');\n", "unsafe-dynamic-access"),
])
def test_safety_gate_applies_to_typescript(source: str, rule: str) -> None:
    reg = Registry(default_languages())
    reg.add("src/services/x.ts", source)
    issues = SafetyCheck(OutputPolicy()).check(
        Scope(reg, ("src/services/x.ts",), frozenset(), None))
    assert rule in {i.rule for i in issues}, issues
    assert all(i.file == "src/services/x.ts" and i.line for i in issues)


def test_typed_code_without_hazards_passes_the_gate() -> None:
    reg = Registry(default_languages())
    reg.add("src/services/x.ts", "import type { Request } from 'express';\n"
                                 "export function id(req: Request): string {\n"
                                 "  return (req.params as Record<string, string>).id ?? '';\n}\n")
    assert SafetyCheck(OutputPolicy()).check(
        Scope(reg, ("src/services/x.ts",), frozenset(), None)) == []
