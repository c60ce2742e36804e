"""A stack in another language plugs in its own front-end: a language object that
parses, extracts exports/imports and resolves paths is all the registry and the
checks need. Shown with a small Python front-end built on the standard `ast`
module (a FastAPI stack would ship a fuller one); nothing in the engine or in
validate/ changes for it."""

from __future__ import annotations

import ast
import posixpath
import sys
from collections.abc import Collection

from backforge.validate import (
    EnvRead,
    Function,
    Import,
    ImportKind,
    JsonLanguage,
    ParsedFile,
    Registry,
    SyntaxProblem,
    validate_tree,
)


class PythonLanguage:
    name = "python"
    suffixes = (".py",)
    syntax_rule = "py-syntax"

    def handles(self, path: str) -> bool:
        return path.endswith(self.suffixes)

    def parse(self, path: str, source: str) -> ParsedFile:
        try:
            tree = ast.parse(source)
        except SyntaxError as err:
            problem = SyntaxProblem(err.lineno or 1, err.offset or 1, f"syntax error: {err.msg}")
            return ParsedFile(path, self.name, (problem,), opaque_exports=True)
        exports, functions, imports, reads = [], [], [], []
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                exports.append(node.name)
                functions.append(Function(node.name, tuple(a.arg for a in node.args.args),
                                          isinstance(node, ast.AsyncFunctionDef), node.lineno))
            elif isinstance(node, ast.ClassDef):
                exports.append(node.name)
            elif isinstance(node, ast.Assign):
                exports.extend(t.id for t in node.targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.ImportFrom):
                spec = ("./" if node.level == 1 else "../" * (node.level - 1)) * (node.level > 0)
                spec += (node.module or "").replace(".", "/")
                imports.append(Import(spec, tuple(a.name for a in node.names), node.lineno,
                                      node.level > 0, ImportKind.IMPORT))
            elif isinstance(node, ast.Import):
                imports.extend(Import(a.name, (), node.lineno, False, ImportKind.IMPORT)
                               for a in node.names)
        for node in ast.walk(tree):  # os.environ["X"]
            if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ" \
                    and isinstance(node.slice, ast.Constant):
                reads.append(EnvRead(str(node.slice.value), node.lineno))
        return ParsedFile(path, self.name, exports=tuple(exports), functions=tuple(functions),
                          imports=tuple(imports), env_reads=tuple(reads))

    def resolve(self, from_path: str, specifier: str,
                known_paths: Collection[str]) -> str | None:
        base = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), specifier))
        for candidate in (f"{base}.py", f"{base}/__init__.py"):
            if candidate in known_paths:
                return candidate
        return None

    def is_builtin(self, specifier: str) -> bool:
        return specifier.split(".")[0] in sys.stdlib_module_names

    def package_of(self, specifier: str) -> str | None:
        return specifier.split(".")[0] or None


APP = {
    "app/models/tasks.py": "def find_task(task_id):\n    return None\n",
    "app/services/tasks.py": "import os\nimport fastapi\nfrom ..models.tasks import find_task\n"
                             "SECRET = os.environ['APP_SECRET']\n",
    ".env.example": "APP_SECRET=change-me\n",
}
LANGUAGES = [PythonLanguage(), JsonLanguage()]


def check(files: dict[str, str]) -> list[tuple[str, str | None, int | None]]:
    issues = validate_tree(files, dependencies={"fastapi": "*"}, languages=LANGUAGES)
    return [(i.rule, i.file, i.line) for i in issues]


def test_a_correct_python_project_has_no_issues() -> None:
    assert check(APP) == []


def test_python_mistakes_are_caught_by_the_same_rules() -> None:
    broken = {**APP, "app/services/tasks.py": APP["app/services/tasks.py"]
              .replace("find_task", "get_task").replace("import fastapi", "import pydantic")
              + "from .helpers import slugify\nTOKEN = os.environ['API_TOKEN']\n"}
    assert check(broken) == [
        ("package-undeclared", "app/services/tasks.py", 2),
        ("import-name-missing", "app/services/tasks.py", 3),
        ("import-unresolved", "app/services/tasks.py", 5),
        ("env-undocumented", "app/services/tasks.py", 6)]
    assert check({**APP, "app/models/tasks.py": "def find_task(:\n"}) == [
        ("py-syntax", "app/models/tasks.py", 1)]


def test_the_registry_answers_for_python_files() -> None:
    reg = Registry(LANGUAGES)
    reg.update(APP)
    assert reg.resolve("app/services/tasks.py", "../models/tasks") == "app/models/tasks.py"
    assert reg.signatures("app/models/tasks.py") == ["find_task(task_id)"]
