"""worker-failure-event, Python half: FastAPI cron routes, background jobs, sentry-sdk, options."""

from __future__ import annotations

import textwrap
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_lessons.errors import AnalysisError
from pytest_lessons.findings import Finding
from pytest_lessons.source import SourceFile
from pytest_lessons.testing import judge_files, make_check

LESSON_ID = "worker-failure-event"
REL = "app/cron.py"

ROUTE = """\
import logging
from fastapi import APIRouter

logger = logging.getLogger(__name__)
router = APIRouter(prefix="PREFIX")


@router.post("/sync")
async def sync() -> None:
    for user in await due_users():
        try:
            await sync_user(user)
        except Exception:
            HANDLER
"""


def run(files: dict[str, str], **overrides: Any) -> list[Finding]:
    check = make_check(LESSON_ID, **overrides)
    return judge_files(
        check, {k: textwrap.dedent(v) for k, v in files.items()}, use_prefilter=False
    )


def lines(files: dict[str, str], **overrides: Any) -> list[tuple[str, int]]:
    return [(f.path or "", f.line) for f in run(files, **overrides)]


def route(handler: str, prefix: str = "/internal/cron") -> str:
    return ROUTE.replace("PREFIX", prefix).replace("HANDLER", handler)


def test_a_logging_except_in_a_cron_route_loop_is_flagged() -> None:
    [finding] = run({REL: route('logger.warning("sync failed")')})
    assert (finding.line, finding.column) == (13, 9)
    assert "the POST /internal/cron/sync handler" in finding.message
    assert "only logs it (`logger.warning`)" in finding.message
    assert "`raise`" in finding.message


def test_pass_continue_and_bare_return_swallow_too() -> None:
    for handler in ("pass", "continue", "return", "traceback.print_exc()"):
        assert lines({REL: route(handler)}) == [(REL, 13)], handler


def test_reporting_or_reraising_excepts_are_quiet() -> None:
    for handler in (
        "raise",
        "sentry_sdk.capture_exception()",
        'posthog.capture("sync_failed", distinct_id=user.id)',
        "failed.append(user.id)",
        "await mark_failed(user)",
    ):
        assert lines({REL: route(handler)}) == [], handler


def test_an_item_already_gone_is_no_failure() -> None:
    """`except Order.DoesNotExist: return` in a job: the row was deleted meanwhile and there
    is nothing left to do. A catch that also takes another error still swallows it."""
    for caught in (
        "User.DoesNotExist",
        "ObjectDoesNotExist",
        "(User.DoesNotExist, NoResultFound)",
        "orm.exc.NoResultFound",
        "Http404",
        "NotFoundError",
    ):
        text = route("return").replace("except Exception:", f"except {caught}:")
        assert lines({REL: text}) == [], caught
    for caught in ("(User.DoesNotExist, ValueError)", "LookupError", "Exception"):
        text = route("continue").replace("except Exception:", f"except {caught}:")
        assert lines({REL: text}) == [(REL, 13)], caught


def test_non_worker_routes_are_quiet() -> None:
    assert lines({REL: route("pass", prefix="/users")}) == []
    assert lines({REL: route("pass", prefix="/jobs")}, worker_paths=["/jobs/*"]) == [(REL, 13)]


def test_sentry_sdk_turns_error_records_into_events_but_not_warnings() -> None:
    init = {"app/main.py": "import sentry_sdk\nsentry_sdk.init(dsn='x')\n"}
    assert lines({REL: route('logger.error("sync failed")'), **init}) == []
    assert lines({REL: route('logger.exception("sync failed")'), **init}) == []
    assert lines({REL: route('logger.warning("sync failed")'), **init}) == [(REL, 13)]
    assert lines({REL: route('logger.error("sync failed")')}) == [(REL, 13)]


def test_options_name_failure_events_and_log_calls() -> None:
    assert lines({REL: route("report(user)")}) == []
    assert lines({REL: route("report(user)")}, log_calls=["report"]) == [(REL, 13)]
    assert lines({REL: route('logger.warning("x")')}, failure_events=["logger.*"]) == []


JOB = """\
import logging
from celery import shared_task
from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger(__name__)
scheduler = AsyncIOScheduler()


def one(user_id):
    try:
        refresh(user_id)
    except Exception:
        log.exception("refresh failed")


@shared_task
def refresh_all():
    for user_id in due():
        one(user_id)


def nightly():
    for user_id in due():
        try:
            refresh(user_id)
        except KeyError:
            pass


def not_a_job():
    for user_id in due():
        try:
            refresh(user_id)
        except KeyError:
            pass


scheduler.add_job(nightly, "cron", hour=3)
"""


def test_background_jobs_and_their_helpers_are_workers() -> None:
    assert lines({"app/jobs.py": JOB}) == [("app/jobs.py", 12), ("app/jobs.py", 26)]


def test_worker_decorators_option_replaces_the_defaults() -> None:
    assert lines({"app/jobs.py": JOB}, worker_decorators=["my_task"]) == [("app/jobs.py", 26)]


def test_a_dropped_gather_with_return_exceptions_is_flagged_a_read_one_is_not() -> None:
    code = """\
    import asyncio
    from fastapi import APIRouter

    router = APIRouter()


    @router.post("/cron/sync")
    async def sync() -> dict[str, int]:
        users = await due_users()
        await asyncio.gather(*(sync_user(u) for u in users), return_exceptions=True)
        results = await asyncio.gather(*(sync_user(u) for u in users), return_exceptions=True)
        await asyncio.gather(*(sync_user(u) for u in users))
        return {"failed": sum(isinstance(r, Exception) for r in results)}
    """
    [finding] = run({REL: code})
    assert finding.line == 10
    assert "asyncio.gather(..., return_exceptions=True)" in finding.message


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_never_raises_on_arbitrary_source(text: str) -> None:
    check = make_check(LESSON_ID)
    source = SourceFile.from_text(REL, route(text))
    try:
        facts = check.extract(source)
    except AnalysisError:
        return  # unparsable text is a reported problem of the file, never a crash
    check.judge({REL: facts})
