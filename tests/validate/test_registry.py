"""Registry: incremental adds, parse-once caching, exports with re-exports followed."""

from __future__ import annotations

from backforge.validate import JavaScriptLanguage, JsonLanguage, ParsedFile, Registry


class CountingJS(JavaScriptLanguage):
    """The real JavaScript front-end, counting how often it parses."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def parse(self, path: str, source: str) -> ParsedFile:
        self.calls.append(path)
        return super().parse(path, source)


def registry() -> tuple[Registry, CountingJS]:
    js = CountingJS()
    return Registry([js, JsonLanguage()]), js


def test_files_are_parsed_once_and_cached_by_content() -> None:
    reg, js = registry()
    reg.add("a.js", "module.exports = { a: 1 };")
    reg.add("a.js", "module.exports = { a: 1 };")  # unchanged
    reg.update({"a.js": "module.exports = { a: 1 };", "b.js": "exports.b = 2;"})
    assert js.calls == ["a.js", "b.js"]
    reg.add("copy.js", "module.exports = { a: 1 };")  # same text elsewhere: from the cache
    assert js.calls == ["a.js", "b.js"]
    assert reg.get("copy.js").path == "copy.js" and reg.get("copy.js").exports == ("a",)
    reg.add("a.js", "module.exports = { z: 1 };")  # changed: parsed again
    assert js.calls[-1] == "a.js" and reg.get("a.js").exports == ("z",)


def test_same_text_in_mjs_and_js_is_not_shared() -> None:
    reg, _ = registry()
    reg.add("a.js", "const x = 1;")
    reg.add("a.mjs", "const x = 1;")
    assert not reg.get("a.js").is_esm and reg.get("a.mjs").is_esm


def test_unparsed_files_are_known_but_have_no_parse() -> None:
    reg, _ = registry()
    reg.add("migrations/001.sql", "CREATE TABLE x ();")
    assert "migrations/001.sql" in reg and reg.get("migrations/001.sql") is None
    assert reg.exports_of("migrations/001.sql") is None


def test_sync_keeps_exactly_the_given_files_without_reparsing() -> None:
    reg, js = registry()
    files = {"a.js": "exports.a = 1;", "b.js": "exports.b = 1;"}
    reg.sync(files)
    reg.sync({**files, "c.js": "exports.c = 1;"}, likely_new=["c.js"])
    assert sorted(reg) == ["a.js", "b.js", "c.js"] and js.calls == ["a.js", "b.js", "c.js"]
    reg.sync({"a.js": files["a.js"], "c.js": "exports.c = 2;"}, likely_new=["c.js"])
    assert sorted(reg) == ["a.js", "c.js"]
    assert js.calls[-1] == "c.js" and len(js.calls) == 4
    assert reg.get("b.js") is None and reg.resolve("a.js", "./b") is None


def test_exports_follow_reexports_across_files_and_survive_cycles() -> None:
    reg, _ = registry()
    reg.update({
        "src/utils/errors.js": "module.exports = { AppError: 1, NotFound: 2 };",
        "src/utils/log.js": "exports.log = () => {};",
        "src/utils/index.js": "module.exports = { ...require('./errors'), ...require('./log'),"
                              " extra: 1 };",
        "src/esm/a.mjs": "export * from './b.mjs';\nexport const a = 1;\n",
        "src/esm/b.mjs": "export * from './a.mjs';\nexport const b = 1;\n"
                         "export default 3;\n",
    })
    ex = reg.exports_of("src/utils/index.js")
    assert ex.names == {"AppError", "NotFound", "log", "extra"} and not ex.opaque
    esm = reg.exports_of("src/esm/a.mjs")
    assert esm.names == {"a", "b"} and esm.is_esm  # `export *` does not pass on a default


def test_reexport_of_a_package_or_missing_file_is_opaque() -> None:
    reg, _ = registry()
    reg.update({"a.js": "module.exports = require('lodash');",
                "b.js": "module.exports = { ...require('./gone') };"})
    assert reg.exports_of("a.js").opaque and reg.exports_of("b.js").opaque


def test_resolve_uses_every_known_path() -> None:
    reg, _ = registry()
    reg.update({"src/app.js": "", "src/routes/index.js": "", "src/data.json": "{}"})
    assert reg.resolve("src/app.js", "./routes") == "src/routes/index.js"
    assert reg.resolve("src/app.js", "./data") == "src/data.json"
    assert reg.resolve("src/app.js", "./nope") is None


def _unit(uid: str):
    from backforge.plan.model import Unit

    return Unit(uid, uid, None, (), (), ())


def test_engine_snapshots_never_change_and_say_what_was_added() -> None:
    from backforge.engine.checks import Registry as RunFiles
    from backforge.engine.protocols import GeneratedFile, Generation

    run = RunFiles()
    run.add(_unit("u1"), Generation((GeneratedFile("a.js", "1"), GeneratedFile("b.js", "2"))))
    first = run.files
    run.add(_unit("u2"), Generation((GeneratedFile("c.js", "3"),), {"pg": "^8"}))
    second = run.files
    assert dict(first) == {"a.js": "1", "b.js": "2"} and "c.js" not in first
    assert list(second) == ["a.js", "b.js", "c.js"] and second["c.js"] == "3"
    assert second.delta(first) == (["c.js"], []) and first.delta(second) == ([], ["c.js"])
    assert dict(run.all_dependencies) == {"pg": "^8"}
    run.add(_unit("u3"), Generation((GeneratedFile("a.js", "changed"),)))  # a rewrite
    assert first["a.js"] == "1" and second["a.js"] == "1" and run.files["a.js"] == "changed"
    assert run.files.delta(second) is None  # another store: compared as mappings
    assert run.owners == {"a.js": "u3", "b.js": "u1", "c.js": "u2"}


def test_sync_unit_holds_exactly_base_and_own_files_in_any_order_of_snapshots() -> None:
    """Units validate against snapshots taken at different moments (an older context can
    come after a newer one); whatever the order, the registry holds {**base, **own} and
    parses each distinct content once."""
    import random

    from backforge.engine.checks import Registry as RunFiles
    from backforge.engine.protocols import GeneratedFile, Generation

    rng = random.Random(3)
    run = RunFiles()
    snapshots = [run.files]
    for i in range(40):
        files = tuple(GeneratedFile(f"src/u{i}/f{k}.js", f"exports.f{i}_{k} = {k};")
                      for k in range(rng.randint(1, 3)))
        run.add(_unit(f"u{i}"), Generation(files))
        snapshots.append(run.files)
    reg, js = registry()
    seen: set[str] = set()
    for step in range(60):
        base = rng.choice(snapshots)
        own = {f"src/own{rng.randint(0, 5)}.js": f"exports.o = {rng.randint(0, 2)};"}
        if rng.random() < 0.3 and len(base):  # an answer rewriting a validated file
            own[rng.choice(list(base))] = f"exports.rewritten = {step};"
        reg.sync_unit(base, own)
        assert {p: reg.content(p) for p in reg} == {**base, **own}
        assert {f.path for f in reg.parsed_files()} == set({**base, **own})
        seen |= set({**base, **own}.values())
    assert len(js.calls) == len(seen)  # each distinct content parsed once
