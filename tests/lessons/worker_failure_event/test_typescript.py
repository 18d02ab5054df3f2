"""worker-failure-event, TypeScript half: which routes are workers, what a catch may do, options."""

from __future__ import annotations

import textwrap
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_lessons.findings import Finding
from pytest_lessons.source import SourceFile
from pytest_lessons.testing import judge_files, make_check

LESSON_ID = "worker-failure-event"
CRON = "app/api/cron/sync/route.ts"

LOGGING_LOOP = """\
export async function GET() {
  for (const user of await dueUsers()) {
    try {
      await syncUser(user);
    } catch (error) {
      HANDLER
    }
  }
  return Response.json({ ok: true });
}
"""


def run(files: dict[str, str], **overrides: Any) -> list[Finding]:
    check = make_check(LESSON_ID, **overrides)
    return judge_files(
        check, {k: textwrap.dedent(v) for k, v in files.items()}, use_prefilter=False
    )


def lines(files: dict[str, str], **overrides: Any) -> list[tuple[str, int]]:
    return [(f.path or "", f.line) for f in run(files, **overrides)]


def catching(handler: str, rel: str = CRON, **overrides: Any) -> list[tuple[str, int]]:
    return lines({rel: LOGGING_LOOP.replace("HANDLER", handler)}, **overrides)


def test_a_logging_catch_in_a_cron_loop_is_flagged_with_what_it_logs() -> None:
    [finding] = run({CRON: LOGGING_LOOP.replace("HANDLER", 'logger.error("sync failed", error);')})
    assert (finding.line, finding.column) == (5, 7)
    assert "the GET /api/cron/sync handler" in finding.message
    assert "only logs it (`logger.error`)" in finding.message
    assert "`throw`" in finding.message


def test_an_empty_catch_drops_the_failure_silently() -> None:
    [finding] = run({CRON: LOGGING_LOOP.replace("HANDLER", "// ignore")})
    assert "drops it silently" in finding.message


def test_catches_that_report_or_rethrow_are_quiet() -> None:
    for handler in (
        "throw error;",
        "Sentry.captureException(error);",
        'posthog.capture({ distinctId: user.id, event: "sync_failed" });',
        "failures.push(user.id);",
        "await markFailed(user.id);",
        "return { failed: user.id };",
    ):
        assert catching(handler) == [], handler


def test_only_worker_paths_count() -> None:
    handler = "console.error(error);"
    assert catching(handler, "app/api/orders/route.ts") == []
    assert catching(handler, "app/api/reorder-worker/route.ts") == [
        ("app/api/reorder-worker/route.ts", 5)
    ]
    assert catching(handler, "app/api/crons/nightly/route.ts") == [
        ("app/api/crons/nightly/route.ts", 5)
    ]


def test_worker_paths_option_and_vercel_crons_make_a_route_a_worker() -> None:
    rel = "app/api/jobs/digest/route.ts"
    handler = "console.error(error);"
    assert catching(handler, rel) == []
    assert catching(handler, rel, worker_paths=["/api/jobs/*"]) == [(rel, 5)]
    vercel = '{"crons": [{"path": "/api/jobs/digest", "schedule": "0 * * * *"}]}'
    files = {rel: LOGGING_LOOP.replace("HANDLER", handler), "vercel.json": vercel}
    assert lines(files) == [(rel, 5)]


def test_failure_events_and_log_calls_options() -> None:
    assert catching("reportError(error);") == []
    assert catching("reportError(error);", log_calls=["reportError"]) == [(CRON, 5)]
    assert catching("logger.error(error);", failure_events=["logger.error"]) == []


def test_a_catch_outside_any_loop_is_not_per_item() -> None:
    code = """\
    export async function GET() {
      try {
        await syncAll();
      } catch (error) {
        console.error(error);
      }
      return Response.json({ ok: true });
    }
    """
    assert lines({CRON: code}) == []


def test_a_helper_reached_per_item_counts_but_not_one_called_once() -> None:
    code = """\
    async function syncOne(id: string) {
      try {
        await syncUser(id);
      } catch (error) {
        console.error(error);
      }
    }
    async function prepare() {
      try {
        await warmUp();
      } catch (error) {
        console.error(error);
      }
    }
    export async function GET() {
      await prepare();
      const ids = await dueIds();
      await Promise.all(ids.map((id) => syncOne(id)));
      return Response.json({ ok: true });
    }
    """
    assert lines({CRON: code}) == [(CRON, 4)]


def test_allsettled_results_read_later_or_returned_are_looked_at() -> None:
    dropped = """\
    export async function GET() {
      const ids = await dueIds();
      const results = await Promise.allSettled(ids.map((id) => syncUser(id)));
      return Response.json({ ok: true });
    }
    """
    returned = """\
    export async function GET() {
      const ids = await dueIds();
      const results = await Promise.allSettled(ids.map((id) => syncUser(id)));
      return Response.json({ results });
    }
    """
    assert lines({CRON: dropped}) == [(CRON, 3)]
    assert lines({CRON: returned}) == []


def test_a_catch_around_telemetry_only_is_telemetry_isolation_not_a_lost_item() -> None:
    files = {
        "lib/posthog.ts": (
            'import { PostHog } from "posthog-node";\n'
            "export const posthog = new PostHog(process.env.POSTHOG_KEY!);\n"
        ),
        CRON: (
            'import { posthog } from "../../../../lib/posthog";\n'
            "export async function GET() {\n"
            "  for (const user of await dueUsers()) {\n"
            '    posthog.captureImmediate({ distinctId: user.id, event: "x" }).catch(() => {});\n'
            "    await syncUser(user).catch(() => {});\n"
            "  }\n"
            "  return Response.json({ ok: true });\n"
            "}\n"
        ),
    }
    assert lines(files) == [(CRON, 5)]


def test_client_components_are_not_workers() -> None:
    code = '"use client";\n' + LOGGING_LOOP.replace("HANDLER", "console.error(error);")
    assert lines({CRON: code}) == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_never_raises_on_arbitrary_source(text: str) -> None:
    check = make_check(LESSON_ID)
    source = SourceFile.from_text(CRON, LOGGING_LOOP.replace("HANDLER", text))
    check.judge({CRON: check.extract(source)})


def test_a_batch_of_cache_deletions_is_cleanup_but_mixed_with_work_it_is_not() -> None:
    cleanup = """\
    export async function POST() {
      await Promise.allSettled([redis.del("a"), redis.del("b"), cache.expire("c", 1)]);
      return Response.json({ ok: true });
    }
    """
    mixed = cleanup.replace('cache.expire("c", 1)', "updateShortLinks(links)")
    assert lines({CRON: cleanup}) == []
    assert lines({CRON: mixed}) == [(CRON, 2)]
