"""Team lessons nothing shows to work: no finding in this run, and no bad example.

A pattern with a typo in a node kind matches nothing, silently; the example test catches that
when the lesson has a `bad/` tree. A lesson that has none and also found nothing in the
repository is indistinguishable from a broken one, so the run says so.
"""

from __future__ import annotations

from pytest_lessons.catalog import Catalog
from pytest_lessons.outcome import Outcome


def has_bad_examples(catalog: Catalog, lesson_id: str) -> bool:
    bad = catalog[lesson_id].examples_dir / "bad"
    return bad.is_dir() and any(path.is_file() for path in bad.rglob("*"))


def unproven_lessons(catalog: Catalog, outcome: Outcome) -> list[str]:
    """Ids of the team lessons that ran, found nothing (not even suppressed) and have no
    bad examples."""
    found = {finding.lesson for finding in outcome.findings}
    return [
        lesson_id
        for lesson_id in outcome.lessons
        if lesson_id in catalog
        and not catalog[lesson_id].builtin
        and lesson_id not in found
        and not has_bad_examples(catalog, lesson_id)
    ]


def unproven_warnings(catalog: Catalog, outcome: Outcome) -> list[str]:
    return [
        f"warning: {lesson_id} ({catalog[lesson_id].origin}) matched nothing in this repository "
        f"and has no bad/ examples, so nothing shows it can match at all; add a bad/ example "
        f"marked with `lessons: expect[{lesson_id}]` and test it (pytest_lessons.testing)"
        for lesson_id in unproven_lessons(catalog, outcome)
    ]
