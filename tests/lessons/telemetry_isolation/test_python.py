"""telemetry-isolation on Python: gathers without return_exceptions, awaited handler telemetry."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from pytest_lessons.catalog import BUILTIN_LESSONS_DIR
from pytest_lessons.findings import Finding
from pytest_lessons.testing import check_example_tree, judge_files
from pytest_lessons.testing import make_check as build_check

LESSON_ID = "telemetry-isolation"
LESSONS_DIR = BUILTIN_LESSONS_DIR
SPEC = build_check(LESSON_ID).spec


def run(files: dict[str, str], **overrides: Any) -> list[Finding]:
    return judge_files(build_check(LESSON_ID, **overrides), files, use_prefilter=False)


def flagged(files: dict[str, str], **overrides: Any) -> list[tuple[str, int]]:
    return [(f.path or "", f.line) for f in run(files, **overrides)]


ANALYTICS = """\
import asyncio
from posthog import Posthog

client = Posthog("k")


async def track(event, user_id):
    await asyncio.to_thread(client.capture, event, distinct_id=user_id)


async def track_sync_inside(event, user_id):
    client.capture(event, distinct_id=user_id)
"""


def app(body: str) -> dict[str, str]:
    routes = (
        "import asyncio\nimport posthog\nfrom fastapi import APIRouter\n"
        "from shop.analytics import track, track_sync_inside, client\n"
        "router = APIRouter()\n\n\n@router.post('/orders')\nasync def create(u):\n"
        + textwrap.indent(textwrap.dedent(body), "    ")
    )
    return {"shop/__init__.py": "", "shop/analytics.py": ANALYTICS, "shop/routes.py": routes}


def test_gather_over_a_wrapper_from_another_module_is_flagged_on_the_call() -> None:
    findings = run(app("await asyncio.gather(save(u), track('order_placed', u))\n"))
    assert [(f.path, f.line, f.column) for f in findings] == [("shop/routes.py", 10, 35)]
    assert findings[0].message.startswith(
        "`track()` (an emitter wrapper, shop/analytics.py:7, that does not catch its own "
        "failures) runs inside `asyncio.gather(...)` without `return_exceptions=True`"
    )


def test_gather_with_return_exceptions_or_in_a_swallowing_try_is_fine() -> None:
    assert flagged(app("await asyncio.gather(track('a', u), return_exceptions=True)\n")) == []
    body = "try:\n    await asyncio.gather(track('a', u))\nexcept Exception:\n    pass\n"
    assert flagged(app(body)) == []


def test_awaited_wrapper_in_handler_and_narrow_except() -> None:
    findings = run(app("try:\n    await track('a', u)\nexcept ValueError:\n    pass\n"))
    assert [(f.path, f.line) for f in findings] == [("shop/routes.py", 11)]
    assert (
        "is awaited in the POST /orders handler outside any try/except that catches it "
        "(`except ValueError` around it cannot catch a network error)" in findings[0].message
    )


@pytest.mark.parametrize(
    "body",
    [
        "try:\n    await track('a', u)\nexcept Exception:\n    log.warning('x')\n",
        "try:\n    await track('a', u)\nexcept:\n    pass\n",
        "try:\n    await track('a', u)\nexcept (ValueError, ConnectionError):\n    pass\n",
        "asyncio.create_task(track('a', u))\n",
        "await track_sync_inside('a', u)\n",
        "posthog.capture(u, 'queued_only')\n",
        "client.capture('queued_only', distinct_id=u)\n",
    ],
)
def test_isolated_or_queue_only_telemetry_is_not_flagged(body: str) -> None:
    assert flagged(app(body)) == []


def test_reraising_and_responding_handlers_are_no_isolation() -> None:
    rethrow = run(app("try:\n    await track('a', u)\nexcept Exception:\n    raise\n"))
    assert "inside a try/except that re-raises" in rethrow[0].message
    body = "try:\n    await track('a', u)\nexcept Exception:\n    raise HTTPException(500)\n"
    assert "answers with an error status" in run(app(body))[0].message


def test_awaited_to_thread_capture_old_signature_in_handler() -> None:
    findings = run(app("await asyncio.to_thread(posthog.capture, u, 'paid')\n"))
    assert [(f.line, f.message.split(" is ")[0]) for f in findings] == [
        (10, "`asyncio.to_thread(posthog.capture, ...)`")
    ]


def test_awaited_telemetry_outside_handlers_is_left_to_the_caller() -> None:
    files = app("return {}\n")
    files["shop/jobs.py"] = (
        "from shop.analytics import track\nasync def job(u):\n    await track('a', u)\n"
    )
    assert flagged(files) == []


def test_extra_emitters_count_when_awaited_in_a_handler() -> None:
    files = app("await metrics.send('order_placed')\n")
    assert flagged(files) == []
    assert flagged(files, extra_emitters=["metrics.send"]) == [("shop/routes.py", 10)]


@pytest.mark.parametrize("verdict", ["bad", "good"])
def test_example_trees(verdict: str) -> None:
    check_example_tree(LESSONS_DIR / LESSON_ID / verdict, LESSON_ID)
