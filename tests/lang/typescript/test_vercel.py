"""vercel.json crons: the paths Vercel calls on a schedule (with GET)."""

from __future__ import annotations

import pytest

from pytest_lessons.findings import ProblemKind
from pytest_lessons.lang.typescript.vercel import cron_paths
from pytest_lessons.source import AnalysisError, SourceFile


def crons(text: str) -> list[str]:
    return cron_paths(SourceFile.from_text("apps/web/vercel.json", text))


def test_cron_paths_strip_queries_and_duplicates() -> None:
    text = """{
      "crons": [
        { "path": "/api/cron/reorder?source=vercel", "schedule": "0 9 * * *" },
        { "path": "/api/cron/digest/", "schedule": "0 * * * *" },
        { "path": "/api/cron/reorder", "schedule": "0 10 * * *" },
        { "schedule": "0 0 * * *" },
        { "path": 42 },
        "junk"
      ],
      "functions": {}
    }"""
    assert crons(text) == ["/api/cron/reorder", "/api/cron/digest"]


@pytest.mark.parametrize("text", ["{}", '{"crons": {}}', "[]", '{"rewrites": []}'])
def test_no_crons(text: str) -> None:
    assert crons(text) == []


def test_malformed_json_is_a_located_parse_error() -> None:
    with pytest.raises(AnalysisError) as raised:
        crons('{\n  "crons": [\n    { "path": "/api/cron", }\n  ]\n}')
    assert raised.value.kind is ProblemKind.PARSE
    assert raised.value.line == 3
    assert "vercel.json" in raised.value.message
