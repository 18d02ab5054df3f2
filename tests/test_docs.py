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


def test_readme_shows_a_bad_and_good_pair_per_lesson() -> None:
    text = README.read_text(encoding="utf-8")
    for lesson in load_catalog():
        section = text.split(f"### `{lesson.id}`", 1)
        assert len(section) == 2, f"README has no section for {lesson.id}"
        body = section[1].split("### ", 1)[0]
        assert "Bad:" in body and "Good:" in body
        assert lesson.spec.examples.bad.strip() in body
        assert lesson.spec.examples.good.strip() in body
