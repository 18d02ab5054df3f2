"""The routes layer as a whole: recovery from bad syntax, caching, a postmortem-shaped app."""

from __future__ import annotations

from pytest_lessons.findings import ProblemKind
from pytest_lessons.lang.typescript.routes import (
    route_facts,
)
from pytest_lessons.source import SourceFile
from tests.lang.typescript.routes.support import FIXTURES


def test_unparsable_code_is_read_with_recovery() -> None:
    """tree-sitter recovers; the layer reads what it can and the file carries a note."""
    file = SourceFile.from_text(
        "app/api/x/route.ts", "export async function GET() {}\nexport async function POST( {"
    )
    methods = {handler.method for handler in route_facts(file).handlers}
    assert "GET" in methods
    assert [note.kind for note in file.notes] == [ProblemKind.PARSE_RECOVERED]


def test_facts_are_cached_per_file() -> None:
    file = SourceFile.from_text("app/api/x/route.ts", "export async function POST() {}")
    assert route_facts(file) is route_facts(file)


def test_postmortem_shaped_app() -> None:
    """The fixture app: the unprotected worker, the guarded cron, a Hono catch-all, a page."""
    found: dict[str, list[tuple[str, str, str | None]]] = {}
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix not in (".ts", ".tsx"):
            continue
        rel = path.relative_to(FIXTURES).as_posix()
        result = route_facts(
            SourceFile(path, rel, SourceFile.from_text(rel, "").kind, path.read_bytes())
        )
        entries = [(h.framework, h.method, h.path) for h in result.handlers]
        entries += [(p.framework, ",".join(p.uses), p.path) for p in result.pages]
        if result.middleware is not None:
            entries.append(("middleware", str(result.middleware.rejects), None))
        if entries:
            found[rel] = entries
    assert found == {
        "src/app/api/reorder-worker/route.ts": [("next-app", "POST", "/api/reorder-worker")],
        "src/app/api/cron/reorder/route.ts": [("next-app", "GET", "/api/cron/reorder")],
        "src/app/api/[[...route]]/route.ts": [("hono", "POST", "/api/orders")],
        "src/app/(shop)/reorder/[orderId]/page.tsx": [
            ("next-app-page", "props,await-params", "/reorder/[orderId]")
        ],
        "src/middleware.ts": [("middleware", "False", None)],
    }
