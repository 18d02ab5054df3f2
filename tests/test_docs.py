from __future__ import annotations

from pathlib import Path

from pytest_lessons.catalog import load_catalog
from pytest_lessons.docs import explain, render_readme

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_lesson_table_is_generated_from_the_catalog() -> None:
    text = README.read_text(encoding="utf-8")
    assert render_readme(text, load_catalog()) == text, (
        "README's lesson table is stale: run `.venv/bin/python -m pytest_lessons.docs README.md`"
    )
    for lesson in load_catalog():
        assert f"`{lesson.id}`" in text


def test_explain_shows_the_lesson_text() -> None:
    for lesson in load_catalog():
        text = explain(lesson)
        assert text.startswith(f"{lesson.id}: {lesson.spec.title}")
        assert lesson.spec.marker in text
        assert "why:" in text and "fix:" in text and "bad:" in text and "good:" in text
