"""What the routes tests share: facts of a snippet, and short views of them."""

from __future__ import annotations

from pathlib import Path

from pytest_lessons.lang.typescript.routes import RouteFileFacts, RouteHandler, route_facts
from pytest_lessons.source import SourceFile

FIXTURES = Path(__file__).parents[1] / "fixtures" / "routes"


def facts(rel: str, code: str) -> RouteFileFacts:
    return route_facts(SourceFile.from_text(rel, code))


def methods(result: RouteFileFacts) -> list[tuple[str, str | None]]:
    return [(h.method, h.path) for h in result.handlers]


def only(result: RouteFileFacts) -> RouteHandler:
    assert len(result.handlers) == 1, result.handlers
    return result.handlers[0]
