"""single-emission-source across languages: Python backend sites join TypeScript client sites."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_lessons.catalog import BUILTIN_LESSONS_DIR
from pytest_lessons.findings import Finding
from pytest_lessons.source import SourceFile
from pytest_lessons.testing import check_example_tree, judge_files
from pytest_lessons.testing import make_check as build_check

LESSON_ID = "single-emission-source"
LESSONS_DIR = BUILTIN_LESSONS_DIR
SPEC = build_check(LESSON_ID).spec


def run(files: dict[str, str], **overrides: Any) -> list[Finding]:
    return judge_files(build_check(LESSON_ID, **overrides), files, use_prefilter=False)


def flagged(files: dict[str, str], **overrides: Any) -> list[tuple[str, int]]:
    return [(f.path or "", f.line) for f in run(files, **overrides)]


CLIENT = """\
"use client";
import posthog from "posthog-js";
export function Button() {
  return <button onClick={() => posthog.capture("order_placed")}>Order</button>;
}
"""


def backend(line: str) -> dict[str, str]:
    return {
        "api/__init__.py": "",
        "api/events.py": 'ORDER_PLACED = "order_placed"\n',
        "api/analytics.py": (
            "import posthog\n\n\ndef track(event, user_id, **props):\n"
            "    posthog.capture(user_id, event, properties=props)\n"
        ),
        "api/routes.py": (
            "import posthog\nfrom api.analytics import track\nfrom api.events import ORDER_PLACED\n"
            f"\n\ndef place(user_id):\n    {line}\n"
        ),
        "web/components/Button.tsx": CLIENT,
    }


@pytest.mark.parametrize(
    "line",
    [
        'posthog.capture(user_id, "order_placed")',  # old signature
        'posthog.capture("order_placed", distinct_id=user_id)',  # posthog-python 6+
        "posthog.capture(ORDER_PLACED, distinct_id=user_id)",  # imported constant
        "track(ORDER_PLACED, user_id)",  # wrapper in another module
    ],
)
def test_python_server_and_ts_client_sending_the_same_event(line: str) -> None:
    findings = run(backend(line))
    assert [(f.path, f.line) for f in findings] == [
        ("api/routes.py", 7),
        ("web/components/Button.tsx", 4),
    ]
    assert findings[0].message.startswith(
        "'order_placed' is sent from server code here (Python backend code, "
    )
    assert "and from client code at web/components/Button.tsx:4" in findings[0].message
    assert "and from server code at api/routes.py:7" in findings[1].message


def test_event_on_the_python_side_only_is_fine() -> None:
    files = backend('posthog.capture(user_id, "order_placed")')
    files["web/components/Button.tsx"] = CLIENT.replace("order_placed", "order_button_seen")
    assert flagged(files) == []


def test_allow_both_sides_and_north_star_apply_across_languages() -> None:
    files = backend('posthog.capture(user_id, "order_placed")')
    assert flagged(files, allow_both_sides={"order_placed": "distinct occurrences"}) == []
    only_python = backend('posthog.capture(user_id, "order_placed")\n    track("order_placed", 1)')
    only_python["web/components/Button.tsx"] = CLIENT.replace("order_placed", "other")
    north = run(only_python, north_star=["order_placed"])
    assert [(f.path, f.line) for f in north] == [("api/routes.py", 7), ("api/routes.py", 8)]
    assert "it is also sent at api/routes.py:8" in north[0].message


def test_python_files_with_a_direct_emission_are_the_only_python_subjects() -> None:
    check = build_check(LESSON_ID)
    files = backend("track(ORDER_PLACED, user_id)")
    subjects = {
        rel
        for rel, text in files.items()
        if rel.endswith(".py") and check.is_subject(check.extract(SourceFile.from_text(rel, text)))
    }
    assert subjects == {"api/analytics.py"}


@pytest.mark.parametrize("verdict", ["bad", "good"])
def test_example_trees(verdict: str) -> None:
    check_example_tree(LESSONS_DIR / LESSON_ID / verdict, LESSON_ID)
