from __future__ import annotations

from pathlib import Path

import pytest

from pytest_lessons.catalog import Lesson, load_catalog, replace_spec
from pytest_lessons.docs import example_pairs, explain, lesson_examples, render_readme
from pytest_lessons.lesson_spec import ExamplePair

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
        assert "why:" in text and "fix:" in text
        for _fence, bad, good in example_pairs(lesson):
            assert bad.strip().splitlines()[0] in text
            assert good.strip().splitlines()[0] in text


def test_readme_shows_a_bad_and_good_pair_per_lesson() -> None:
    text = README.read_text(encoding="utf-8")
    for lesson in load_catalog():
        section = text.split(f"### `{lesson.id}`", 1)
        assert len(section) == 2, f"README has no section for {lesson.id}"
        body = section[1].split("### ", 1)[0]
        assert "Bad" in body and "Good" in body
        for _fence, bad, good in example_pairs(lesson):
            assert bad.strip() in body
            assert good.strip() in body


def _with_python_pair(lesson: Lesson) -> Lesson:
    pair = ExamplePair(language="python", bad="def bad(): ...\n", good="def good(): ...\n")
    examples = lesson.spec.examples.model_copy(update={"language": "ts", "also": [pair]})
    spec = lesson.spec.model_copy(update={"examples": examples})
    return replace_spec(lesson, spec)


def test_a_lesson_with_pairs_in_two_languages_shows_both_labelled() -> None:
    lesson = _with_python_pair(load_catalog()["worker-route-auth"])
    rendered = lesson_examples([lesson])  # type: ignore[arg-type]
    assert "Bad (TypeScript):\n\n```ts\n" in rendered
    assert "Bad (Python):\n\n```python\ndef bad(): ...\n```" in rendered
    assert "Good (Python):\n\n```python\ndef good(): ...\n```" in rendered
    assert rendered.index("(TypeScript)") < rendered.index("(Python)")
    explained = explain(lesson)
    assert "bad (Python):\n  def bad(): ..." in explained
    assert "good (TypeScript):" in explained


def test_a_single_pair_is_not_labelled() -> None:
    lesson = load_catalog()["alembic-percent-escape"]
    rendered = lesson_examples([lesson])  # type: ignore[arg-type]
    assert "Bad:\n\n```" in rendered and "Bad (" not in rendered


@pytest.mark.parametrize("language", ["Python", "py thon", ""])
def test_an_example_language_must_be_a_fence_word(language: str) -> None:
    with pytest.raises(ValueError, match="language"):
        ExamplePair(language=language, bad="x", good="y")


def test_explain_shows_each_option_with_type_default_and_description() -> None:
    catalog = load_catalog()
    text = explain(catalog["worker-route-auth"])
    assert '  secret-name-patterns = ["*SECRET*", "*TOKEN*", "*KEY*"]' in text
    assert "      a list of strings; `extend-secret-name-patterns` adds to it" in text
    assert "      Environment variable names (fnmatch, case-insensitive)" in text
    assert "a list of {glob, reason} tables or a table of strings" in text
    assert "  version-table-width = 32\n      an integer\n" in explain(
        catalog["alembic-revision-id-length"]
    )
    for lesson in catalog:  # every built-in option documents itself
        for info in lesson.check_class.options_model.model_fields.values():
            assert info.description, f"{lesson.id}: option {info.alias} has no docstring"
