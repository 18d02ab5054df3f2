"""telemetry-isolation: snippets with exact lines and messages, wrappers across files, options."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_lessons.catalog import BUILTIN_LESSONS_DIR
from pytest_lessons.checks.telemetry_isolation import (
    TelemetryIsolation,
)
from pytest_lessons.findings import Finding
from pytest_lessons.source import SourceFile
from pytest_lessons.testing import check_example_tree, judge_files
from pytest_lessons.testing import make_check as build_check

LESSON_ID = "telemetry-isolation"
LESSONS_DIR = BUILTIN_LESSONS_DIR
SPEC = build_check(LESSON_ID).spec
ROUTE = "app/api/reorder-events/route.ts"
HEADER = 'import { posthog } from "@/lib/posthog";\n'
LIB = {
    "tsconfig.json": '{"compilerOptions": {"baseUrl": ".", "paths": {"@/*": ["./*"]}}}',
    "lib/posthog.ts": (
        'import { PostHog } from "posthog-node";\n'
        "export const posthog = new PostHog(process.env.POSTHOG_KEY!);\n"
    ),
}


def make_check(**overrides: Any) -> TelemetryIsolation:
    check = build_check(LESSON_ID, **overrides)
    assert isinstance(check, TelemetryIsolation)
    return check


def run(
    code: str, files: dict[str, str] | None = None, *, rel: str = ROUTE, **overrides: Any
) -> list[Finding]:
    """Findings for `rel` holding HEADER + `code`, beside lib/posthog.ts and optional files."""
    sources = {**LIB, rel: HEADER + textwrap.dedent(code), **(files or {})}
    return judge_files(make_check(**overrides), sources, use_prefilter=False)


def flagged(code: str, files: dict[str, str] | None = None, **overrides: Any) -> list[int]:
    """Flagged lines of the route file, numbered within `code` (the header not counted)."""
    offset = HEADER.count("\n")
    return [f.line - offset for f in run(code, files, **overrides) if f.path == ROUTE]


INCIDENT = """\
export async function POST(req: Request) {
  const { userId, orderId } = await req.json();
  await Promise.all([
    db.insert(reorderEvents).values({ userId, orderId }),
    posthog.capture({ distinctId: userId, event: "order_placed" }),
    posthog.flush(),
  ]);
  return Response.json({ ok: true });
}
"""

NOT_CATCHING = {
    "lib/analytics.ts": (
        'import { posthog } from "./posthog";\n'
        "export async function trackOrderPlaced(userId: string) {\n"
        '  posthog.capture({ distinctId: userId, event: "order_placed" });\n'
        "  await posthog.flush();\n"
        "}\n"
    )
}
CATCHING = {
    "lib/analytics.ts": (
        'import { posthog } from "./posthog";\n'
        "export async function trackOrderPlaced(userId: string) {\n"
        "  try {\n"
        '    posthog.capture({ distinctId: userId, event: "order_placed" });\n'
        "    await posthog.flush();\n"
        "  } catch (e) {\n"
        "    console.error(e);\n"
        "  }\n"
        "}\n"
    )
}
WRAPPER_IMPORT = 'import { trackOrderPlaced } from "@/lib/analytics";\n'


# -- (a) Promise.all ----------------------------------------------------------------------------


def test_the_incident_is_flagged_on_each_telemetry_call_with_the_whole_story() -> None:
    capture, flush = run(INCIDENT)
    assert (capture.path, capture.line, capture.column) == (ROUTE, 6, 5)
    assert (flush.line, flush.column) == (7, 5)
    assert capture.message == (
        "`posthog.capture()` runs inside `Promise.all` without its own `.catch()`: a telemetry "
        "outage rejects the whole `Promise.all` and fails the request with it; use "
        "`Promise.allSettled` or add `.catch()` to the telemetry call"
    )
    assert flush.message.startswith("`posthog.flush()` runs inside `Promise.all`")


def test_a_map_inside_promise_all_is_flagged_on_the_capture() -> None:
    code = """\
    export async function POST() {
      await Promise.all(
        users.map((u) => posthog.capture({ distinctId: u.id, event: "sent" })),
      );
      return Response.json({});
    }
    """
    assert flagged(code) == [3]


def test_promise_all_in_server_helper_outside_a_handler_is_flagged() -> None:
    code = """\
    export async function notify(userId: string) {
      await Promise.all([
        sendMail(userId),
        posthog.captureImmediate({ distinctId: userId, event: "x" }),
      ]);
    }
    """
    assert [(f.path, f.line) for f in run(code, rel="lib/worker.ts")] == [("lib/worker.ts", 5)]


def test_the_postmortems_wrapper_calls_are_flagged_with_where_the_wrapper_is() -> None:
    code = WRAPPER_IMPORT + (
        "export async function POST() {\n"
        '  await Promise.all([trackOrderPlaced("a"), trackOrderPlaced("b")]);\n'
        "  return Response.json({});\n"
        "}\n"
    )
    first, second = run(code, NOT_CATCHING)
    assert (first.line, first.column, second.column) == (4, 22, 45)
    assert first.message.startswith(
        "`trackOrderPlaced()` (an emitter wrapper, lib/analytics.ts:2, that does not catch its "
        "own failures) runs inside `Promise.all` without its own `.catch()`"
    )


@pytest.mark.parametrize(
    "statement",
    [
        'await Promise.allSettled([db.save(), posthog.captureImmediate({ event: "x" })]);',
        'await Promise.all([db.save(), posthog.captureImmediate({ event: "x" }).catch(() => {})]);',
        "await Promise.all([db.save(), posthog.flush().then(ok, (e) => log(e))]);",
        "await Promise.all([db.save(), posthog.flush().catch(console.error)]);",
        "await Promise.all([db.save(), fetchUsers()]);",
        "after(() => Promise.all([posthog.flush(), posthog.shutdown()]));",
        "waitUntil(Promise.all([posthog.flush()]));",
        "try { await Promise.all([posthog.flush()]); } catch (e) { console.error(e); }",
    ],
)
def test_isolated_or_non_telemetry_promise_all_is_fine(statement: str) -> None:
    code = f"export async function POST() {{\n  {statement}\n  return Response.json({{}});\n}}\n"
    assert flagged(code) == []


def test_a_wrapper_that_catches_inside_is_fine_in_promise_all_and_awaited() -> None:
    code = WRAPPER_IMPORT + (
        "export async function POST() {\n"
        '  await Promise.all([trackOrderPlaced("a"), db.save()]);\n'
        '  await trackOrderPlaced("b");\n'
        "  return Response.json({});\n"
        "}\n"
    )
    assert run(code, CATCHING) == []


# -- (b) awaited in a handler -------------------------------------------------------------------


def test_an_awaited_shutdown_at_the_end_of_a_handler_is_flagged() -> None:
    code = """\
    export async function POST(req: Request) {
      await save(await req.json());
      await posthog.shutdown();
      return Response.json({ ok: true });
    }
    """
    [finding] = run(code)
    assert (finding.line, finding.column) == (4, 9)
    assert finding.message == (
        "`posthog.shutdown()` is awaited in the POST /api/reorder-events handler outside any "
        "try/catch: a telemetry outage would fail the request; add `.catch()`, wrap it in a "
        "try/catch that only logs, or defer it with `after()`/`waitUntil()`"
    )


def test_a_whole_handler_try_catch_answering_500_is_flagged() -> None:
    code = """\
    export async function POST(req: Request) {
      try {
        await posthog.captureImmediate({ distinctId: "u", event: "paid" });
        return Response.json({ ok: true });
      } catch (error) {
        return Response.json({ error: "failed" }, { status: 500 });
      }
    }
    """
    [finding] = run(code)
    assert finding.line == 4
    assert finding.message == (
        "`posthog.captureImmediate()` is awaited in the POST /api/reorder-events handler inside "
        "a try/catch that answers with an error status: a telemetry outage would fail the "
        "request (a webhook sender retries, a user sees an error); give the telemetry call its "
        "own `.catch()`"
    )


def test_a_try_catch_that_rethrows_is_flagged() -> None:
    code = """\
    export async function GET() {
      try {
        await posthog.flush();
      } catch (error) {
        throw error;
      }
      return Response.json({});
    }
    """
    [finding] = run(code)
    assert finding.line == 4
    assert "inside a try/catch that rethrows" in finding.message


def test_an_awaited_wrapper_defined_elsewhere_that_does_not_catch_is_flagged() -> None:
    code = WRAPPER_IMPORT + (
        'export async function POST() {\n  await trackOrderPlaced("u");\n'
        "  return Response.json({});\n}\n"
    )
    [finding] = run(code, NOT_CATCHING)
    assert finding.line == 4
    assert "is awaited in the POST /api/reorder-events handler outside any" in finding.message


@pytest.mark.parametrize(
    "statement",
    [
        'posthog.capture({ distinctId: "u", event: "x" });',  # queued, not awaited
        "await posthog.shutdown().catch(() => undefined);",
        "try { await posthog.flush(); } catch (e) { console.warn(e); }",
        "after(async () => { await posthog.shutdown(); });",
        "waitUntil(posthog.flush());",
        "ctx.waitUntil(posthog.flush());",
        "await db.save();",
    ],
)
def test_isolated_awaits_in_a_handler_are_fine(statement: str) -> None:
    code = f"export async function POST() {{\n  {statement}\n  return Response.json({{}});\n}}\n"
    assert flagged(code) == []


def test_an_awaited_capture_outside_a_handler_is_left_to_its_caller() -> None:
    code = "export async function helper() {\n  await posthog.flush();\n}\n"
    assert run(code, rel="lib/helper.ts") == []


def test_express_and_pages_api_handlers_count() -> None:
    express = (
        'import express from "express";\nconst app = express();\n'
        'app.post("/orders", async (req, res) => {\n'
        '  await analytics.track({ event: "x", userId: "u" });\n'
        "  res.send({});\n});\n"
    )
    pages = (
        "export default async function handler(req, res) {\n"
        "  await posthog.shutdown();\n  res.status(200).json({});\n}\n"
    )
    found = run("", {"server/app.ts": express, "pages/api/signup.ts": HEADER + pages})
    assert [(f.path, f.line) for f in found] == [("pages/api/signup.ts", 3), ("server/app.ts", 4)]
    assert "in the /api/signup handler" in found[0].message
    assert "in the POST /orders handler" in found[1].message


def test_a_handler_re_exported_from_another_module_is_followed() -> None:
    impl = HEADER + "export async function POST() {\n  await posthog.flush();\n}\n"
    found = run("export { POST } from '@/lib/impl';\n", {"lib/impl.ts": impl})
    assert [(f.path, f.line) for f in found] == [("lib/impl.ts", 3)]
    assert "in the POST /api/reorder-events handler" in found[0].message


# -- scope and options --------------------------------------------------------------------------


def test_client_code_is_out_of_scope() -> None:
    code = (
        '"use client";\nimport posthog from "posthog-js";\n'
        "export function Button() {\n"
        '  const go = async () => { await Promise.all([posthog.capture("x"), save()]); };\n'
        "  return null;\n}\n"
    )
    assert run("", {"components/Button.tsx": code}) == []


def test_extra_emitters_are_telemetry() -> None:
    code = """\
    export async function POST() {
      await Promise.all([db.save(), metrics.send("order_placed")]);
      return Response.json({});
    }
    """
    assert flagged(code) == []
    assert flagged(code, extra_emitters=["metrics.send"]) == [2]


def test_only_files_with_telemetry_in_server_code_are_subjects() -> None:
    check = make_check()
    route = check.extract(SourceFile.from_text(ROUTE, HEADER + INCIDENT))
    plain = check.extract(SourceFile.from_text("lib/util.ts", "export const x = 1;\n"))
    client_code = '"use client";\nimport posthog from "posthog-js";\nposthog.capture("x");\n'
    client = check.extract(SourceFile.from_text("components/B.tsx", client_code))
    assert [check.is_subject(f) for f in (route, plain, client)] == [True, False, False]


def test_facts_round_trip_through_json() -> None:
    check = make_check()
    facts = check.extract(SourceFile.from_text(ROUTE, HEADER + INCIDENT))
    assert TelemetryIsolation.facts_model.model_validate_json(facts.model_dump_json()) == facts


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="awit{}()[];.,=>\n posthogcaptureflushPromise.all", max_size=200))
def test_never_raises_on_arbitrary_source(text: str) -> None:
    run(text)


def test_examples() -> None:
    for verdict in ("bad", "good"):
        check_example_tree(LESSONS_DIR / LESSON_ID / verdict, LESSON_ID)


def test_telemetry_after_the_response_is_sent_is_fine() -> None:
    pages = (
        "export default async function handler(req, res) {\n"
        '  if (!req.body) return res.status(400).json({ error: "empty" });\n'
        '  await posthog.captureImmediate({ distinctId: "u", event: "before" });\n'
        "  res.status(200).json({ ok: true });\n"
        '  await posthog.captureImmediate({ distinctId: "u", event: "after" });\n'
        "  await posthog.shutdown();\n"
        "}\n"
    )
    found = run("", {"pages/api/search.ts": HEADER + pages})
    assert [(f.path, f.line) for f in found] == [("pages/api/search.ts", 4)]


def test_a_business_function_that_only_queues_events_is_not_a_telemetry_risk() -> None:
    mutations = (
        'import { posthog } from "./posthog";\n'
        "async function onPaid(id: string) {\n"
        "  await db.save(id);\n"
        '  posthog.capture({ distinctId: id, event: "paid" });\n'
        "}\n"
        "export async function handleEvent(id: string) {\n  await onPaid(id);\n}\n"
    )
    code = (
        'import { handleEvent } from "@/lib/mutations";\n'
        "export async function POST() {\n"
        "  try {\n    await handleEvent('x');\n  } catch (e) {\n"
        "    return Response.json({}, { status: 400 });\n  }\n"
        "  return Response.json({});\n}\n"
    )
    assert run(code, {"lib/mutations.ts": mutations}) == []


def test_an_awaited_flush_helper_counts_as_a_wrapper() -> None:
    helper = (
        'import { posthog } from "./posthog";\n'
        "export async function flushPostHog() {\n  await posthog.flush();\n}\n"
    )
    code = (
        'import { flushPostHog } from "@/lib/flush";\n'
        "export async function GET() {\n  await flushPostHog();\n  return Response.json({});\n}\n"
    )
    [finding] = run(code, {"lib/flush.ts": helper})
    assert (finding.line, finding.column) == (4, 9)
    assert finding.message.startswith("`flushPostHog()` (an emitter wrapper, lib/flush.ts:2,")
