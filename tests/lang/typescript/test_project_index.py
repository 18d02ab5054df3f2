from __future__ import annotations

from pytest_lessons.judging_together import together
from pytest_lessons.lang.typescript.project_index import JsProject, is_context_file, js_context
from pytest_lessons.lang.typescript.resolver import Symbol
from pytest_lessons.source import SourceFile

TSCONFIG = '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"] } } }'


def context_of(files: dict[str, str]) -> JsProject:
    sources = [SourceFile.from_text(rel, text) for rel, text in files.items()]
    return JsProject.build({s.rel: js_context(s) for s in sources if is_context_file(s)})


def test_project_resolves_aliases_constants_and_crons() -> None:
    project = context_of(
        {
            "tsconfig.json": TSCONFIG,
            "src/lib/events.ts": 'export const EVENTS = { ORDER_PLACED: "order_placed" } as const;',
            "src/app/api/x/route.ts": 'import { EVENTS } from "@/lib/events";\n',
            "vercel.json": '{ "crons": [{ "path": "/api/cron/reminders?x=1" }] }',
            "README.json": "{}",
        }
    )
    assert project.resolver.resolve("src/app/api/x/route.ts", "@/lib/events") == "src/lib/events.ts"
    assert (
        project.symbols.constant("src/app/api/x/route.ts", "EVENTS.ORDER_PLACED") == "order_placed"
    )
    assert project.cron_paths == frozenset({"/api/cron/reminders"})
    assert "README.json" not in project.modules


def test_context_files() -> None:
    assert is_context_file(SourceFile.from_text("packages/ui/package.json", "{}"))
    assert is_context_file(SourceFile.from_text("a/b.tsx", ""))
    assert not is_context_file(SourceFile.from_text("data/fixtures.json", "{}"))


def test_lessons_judging_together_share_one_project_over_the_same_contexts() -> None:
    sources = [
        SourceFile.from_text("tsconfig.json", TSCONFIG),
        SourceFile.from_text("src/a.ts", 'import { b } from "@/b";\n'),
        SourceFile.from_text("src/b.ts", "export const b = 1;\n"),
    ]
    contexts = {s.rel: js_context(s) for s in sources}
    assert JsProject.build(contexts) is not JsProject.build(contexts)  # outside: built afresh
    with together():
        first = JsProject.build(contexts)
        assert JsProject.build(dict(contexts)) is first  # the same objects, another mapping
        others = {rel: context.model_copy() for rel, context in contexts.items()}
        assert JsProject.build(others) is not first  # equal, but other objects
        assert JsProject.build(dict(reversed(contexts.items()))) is not first
    assert JsProject.build(contexts) is not first
    assert first.symbols.resolve_local("src/a.ts", "b") == Symbol("src/b.ts", "b")


def test_a_files_context_is_one_object_whichever_lessons_ask() -> None:
    source = SourceFile.from_text("src/a.ts", "export const a = 1;\n")
    assert js_context(source) is js_context(source)
