"""single-emission-source: snippets with exact lines and messages, options, and a property.

The incident: `order_placed` captured by posthog-node in `app/api/reorder-events/route.ts` and by
posthog-js in the reorder page's `useEffect`, doubling the North Star metric.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from pytest_lessons.catalog import BUILTIN_LESSONS_DIR
from pytest_lessons.checks.single_emission_source import (
    SingleEmissionSource,
    SingleEmissionSourceOptions,
)
from pytest_lessons.findings import Finding
from pytest_lessons.source import SourceFile
from pytest_lessons.testing import check_example_tree, judge_files
from pytest_lessons.testing import make_check as build_check

LESSON_ID = "single-emission-source"
LESSONS_DIR = BUILTIN_LESSONS_DIR
SPEC = build_check(LESSON_ID).spec


def make_check(**overrides: Any) -> SingleEmissionSource:
    check = build_check(LESSON_ID, **overrides)
    assert isinstance(check, SingleEmissionSource)
    return check


def run(files: dict[str, str], **overrides: Any) -> list[Finding]:
    return judge_files(make_check(**overrides), files, use_prefilter=False)


def flagged(files: dict[str, str], **overrides: Any) -> list[tuple[str, int]]:
    return sorted((f.path or "", f.line) for f in run(files, **overrides))


ROUTE = """\
import { NextResponse } from "next/server";
import { PostHog } from "posthog-node";

const posthog = new PostHog(process.env.POSTHOG_KEY!);

export async function POST(request: Request) {
  const { userId } = await request.json();
  posthog.capture({ distinctId: userId, event: EVENT });
  return NextResponse.json({ ok: true });
}
"""
PAGE = """\
"use client";
import { useEffect } from "react";
import posthog from "posthog-js";

export default function ReorderPage() {
  useEffect(() => {
    posthog.capture(EVENT);
  }, []);
  return <main />;
}
"""
ROUTE_REL = "app/api/reorder-events/route.ts"
PAGE_REL = "app/reorder/[orderId]/page.tsx"


def incident(
    server_event: str = '"order_placed"', client_event: str = '"order_placed"'
) -> dict[str, str]:
    return {
        ROUTE_REL: ROUTE.replace("EVENT", server_event),
        PAGE_REL: PAGE.replace("EVENT", client_event),
    }


# -- what is flagged ----------------------------------------------------------------------------


def test_the_incident_is_flagged_on_both_sides_with_the_other_side_named() -> None:
    route, page = sorted(run(incident()), key=lambda f: f.path or "")
    assert (route.path, route.line, route.column) == (ROUTE_REL, 8, 3)
    assert route.message == (
        "'order_placed' is sent from server code here (App Router route handler (app/**/route)) "
        "and from client code at app/reorder/[orderId]/page.tsx:7: every occurrence is counted "
        "twice; keep one emission source (or list the event in `allow-both-sides` with a reason)"
    )
    assert (page.path, page.line, page.column) == (PAGE_REL, 7, 5)
    assert page.message == (
        "'order_placed' is sent from client code here ('use client' directive) and from server "
        "code at app/api/reorder-events/route.ts:8: every occurrence is counted twice; keep one "
        "emission source (or list the event in `allow-both-sides` with a reason)"
    )


def test_event_names_held_in_an_as_const_map_and_an_enum_are_resolved() -> None:
    files = incident("EVENTS.ORDER_PLACED", "Events.OrderPlaced")
    files[ROUTE_REL] = 'import { EVENTS } from "@/lib/events";\n' + files[ROUTE_REL]
    files[PAGE_REL] = files[PAGE_REL].replace(
        '"use client";\n', '"use client";\nimport { Events } from "../../../lib/enums";\n'
    )
    files["lib/events.ts"] = 'export const EVENTS = { ORDER_PLACED: "order_placed" } as const;\n'
    files["lib/enums.ts"] = 'export enum Events { OrderPlaced = "order_placed" }\n'
    files["tsconfig.json"] = '{"compilerOptions": {"baseUrl": ".", "paths": {"@/*": ["./*"]}}}'
    assert flagged(files) == [(ROUTE_REL, 9), (PAGE_REL, 8)]


def test_different_event_names_are_not_flagged() -> None:
    assert flagged(incident('"order_placed"', '"order_viewed"')) == []


def test_a_fixed_event_wrapper_is_flagged_at_its_capture_naming_its_callers() -> None:
    files = incident()
    files[PAGE_REL] = """\
    "use client";
    import { trackOrderPlaced } from "../../../lib/analytics";

    export default function ReorderPage() {
      return <button onClick={() => trackOrderPlaced()}>Reorder</button>;
    }
    """
    files["lib/analytics.ts"] = """\
    import posthog from "posthog-js";

    export function trackOrderPlaced() {
      posthog.capture("order_placed");
    }
    """
    findings = {f.path: f for f in run(files)}
    assert sorted(findings) == [ROUTE_REL, "lib/analytics.ts"]
    assert findings["lib/analytics.ts"].line == 4
    assert findings["lib/analytics.ts"].message.startswith(
        "'order_placed' is sent from client code here (imports \"posthog-js\", "
        "trackOrderPlaced() is called at app/reorder/[orderId]/page.tsx:5) and from server code "
        "at app/api/reorder-events/route.ts:8"
    )


def test_a_generic_wrapper_is_flagged_where_the_event_is_named() -> None:
    files = incident()
    files[PAGE_REL] = """\
    "use client";
    import { track } from "../../../lib/track";

    export default function ReorderPage() {
      return <button onClick={() => track("order_placed", { a: 1 })}>Reorder</button>;
    }
    """
    files["lib/track.ts"] = """\
    export function track(event: string, properties?: object) {
      window.analytics.track(event, properties);
    }
    """
    assert flagged(files) == [(ROUTE_REL, 8), (PAGE_REL, 5)]


def test_a_helper_without_a_side_called_from_both_sides_is_one_finding() -> None:
    helper = """\
    import posthog from "./client";

    export function trackStarted() {
      posthog.capture("reorder_started");
    }
    """
    files = {
        "lib/client.ts": "export default {} as any;\n",
        "lib/started.ts": helper,
        "app/api/start/route.ts": 'import { trackStarted } from "../../../lib/started";\n'
        "export async function POST() {\n  trackStarted();\n}\n",
        "components/Start.tsx": '"use client";\nimport { trackStarted } from "../lib/started";\n'
        "export function Start() {\n  trackStarted();\n  return null;\n}\n",
    }
    [finding] = run(files)
    assert (finding.path, finding.line) == ("lib/started.ts", 4)
    assert finding.message == (
        "'reorder_started' is sent from both client and server code here (trackStarted() is "
        "called from client code at components/Start.tsx:4; trackStarted() is called from server "
        "code at app/api/start/route.ts:3): every occurrence is counted twice; keep one emission "
        "source (or list the event in `allow-both-sides` with a reason)"
    )


def test_an_unknown_module_imported_only_by_client_files_is_client() -> None:
    files = incident()
    files[PAGE_REL] = (
        '"use client";\nimport { Tracker } from "../../../components/Tracker";\n'
        "export default function Page() {\n  return <Tracker />;\n}\n"
    )
    files["components/Tracker.tsx"] = """\
    import { analytics } from "../lib/segment";

    export function Tracker() {
      analytics.track("order_placed");
      return null;
    }
    """
    files["lib/segment.ts"] = "export const analytics: any = {};\n"
    assert flagged(files) == [(ROUTE_REL, 8), ("components/Tracker.tsx", 4)]


def test_a_site_of_unknown_side_never_makes_an_event_both_sides() -> None:
    files = {
        ROUTE_REL: ROUTE.replace("EVENT", '"order_placed"'),
        "lib/orphan.ts": 'export function f() {\n  analytics.track("order_placed");\n}\n',
    }
    assert flagged(files) == []


def test_pages_router_pages_are_client_but_their_data_functions_are_server() -> None:
    page = """\
    import posthog from "posthog-js";
    import { useEffect } from "react";

    export async function getServerSideProps() {
      serverAnalytics.track("order_placed");
      return { props: {} };
    }

    export default function Page() {
      useEffect(() => { posthog.capture("order_placed"); }, []);
      return null;
    }
    """
    assert flagged({"pages/reorder/[orderId].tsx": page}) == [
        ("pages/reorder/[orderId].tsx", 5),
        ("pages/reorder/[orderId].tsx", 10),
    ]


def test_pages_api_and_server_only_imports_are_server() -> None:
    files = {
        "pages/api/order.ts": "export default function handler(req, res) {\n"
        '  analytics.track("order_placed");\n}\n',
        "lib/server-events.ts": 'import "server-only";\n'
        'export function f() {\n  analytics.track("order_paid");\n}\n',
        "components/Client.tsx": '"use client";\nexport function C() {\n'
        '  analytics.track("order_placed");\n  analytics.track("order_paid");\n  return null;\n}\n',
    }
    assert flagged(files) == [
        ("components/Client.tsx", 3),
        ("components/Client.tsx", 4),
        ("lib/server-events.ts", 3),
        ("pages/api/order.ts", 2),
    ]


# -- what is not flagged --------------------------------------------------------------------------


def test_a_client_component_calling_a_server_action_is_not_a_client_site() -> None:
    files = {
        "app/actions.ts": """\
        "use server";
        import { PostHog } from "posthog-node";
        const posthog = new PostHog("k");
        export async function placeOrder() {
          posthog.capture({ distinctId: "u", event: "order_placed" });
        }
        export async function logEvent(name: string) {
          posthog.capture({ distinctId: "u", event: name });
        }
        """,
        "components/Form.tsx": """\
        "use client";
        import { placeOrder, logEvent } from "../app/actions";
        export function Form() {
          const submit = async () => {
            await placeOrder();
            await logEvent("order_paid");
          };
          return <form action={submit} />;
        }
        """,
        ROUTE_REL: ROUTE.replace("EVENT", '"order_paid"'),
    }
    assert flagged(files) == []


def test_dynamic_names_and_names_that_are_not_emitted_are_ignored() -> None:
    files = incident("name", "`order_${kind}`")
    files[PAGE_REL] = files[PAGE_REL].replace(
        "return <main />;",
        'console.log("order_placed");\n'
        '  return <main title="order_placed">{LABELS["order_placed"]}</main>;',
    )
    files["components/Client.tsx"] = (
        '"use client";\nexport const STATUS = { order_placed: "Order placed" };\n'
        'export function C() {\n  toast("order_placed");\n  router.push("order_placed");\n'
        "  return null;\n}\n"
    )
    assert flagged(files) == []


def test_server_only_and_client_only_events_are_not_flagged() -> None:
    files = incident('"order_placed"', '"page_viewed"')
    files["app/api/other/route.ts"] = ROUTE.replace("EVENT", '"order_placed"')
    assert flagged(files) == []


# -- options --------------------------------------------------------------------------------------


def test_allow_both_sides_silences_the_event() -> None:
    assert flagged(incident(), allow_both_sides={"order_placed": "counted per side"}) == []
    assert len(flagged(incident(), allow_both_sides={"other": "reason"})) == 2


def test_a_north_star_event_needs_exactly_one_site_even_on_one_side() -> None:
    files = {
        ROUTE_REL: ROUTE.replace("EVENT", '"order_placed"'),
        "app/api/other/route.ts": ROUTE.replace("EVENT", '"order_placed"'),
    }
    findings = run(files, north_star=["order_placed"])
    assert sorted((f.path, f.line) for f in findings) == [
        ("app/api/other/route.ts", 8),
        (ROUTE_REL, 8),
    ]
    message = next(f.message for f in findings if f.path == ROUTE_REL)
    assert message == (
        "'order_placed' is sent from server code here (App Router route handler (app/**/route)); "
        "it is a north-star event, which must have exactly one emission site, but it is also sent "
        "at app/api/other/route.ts:8: the metric is over-counted; keep exactly one emission site"
    )
    assert flagged({ROUTE_REL: files[ROUTE_REL]}, north_star=["order_placed"]) == []


def test_north_star_wins_over_allow_both_sides() -> None:
    findings = run(
        incident(), north_star=["order_placed"], allow_both_sides={"order_placed": "reason"}
    )
    assert len(findings) == 2
    assert all("from both server and client code" in f.message for f in findings)


def test_options_are_validated() -> None:
    with pytest.raises(ValidationError):
        make_check(allow_both_sides=["order_placed"])
    with pytest.raises(ValidationError):
        SingleEmissionSourceOptions.model_validate({**SPEC.options, "north-stars": []})


def test_extra_emitters_count_as_emissions() -> None:
    files = incident('"x"', '"x"')
    files[PAGE_REL] = files[PAGE_REL].replace('posthog.capture("x")', 'sendEvent("order_placed")')
    files[ROUTE_REL] = files[ROUTE_REL].replace('"x"', '"order_placed"')
    assert flagged(files) == []
    assert flagged(files, extra_emitters=["sendEvent"]) == [(ROUTE_REL, 8), (PAGE_REL, 7)]


# -- items ----------------------------------------------------------------------------------------


def test_only_files_with_emissions_are_subjects() -> None:
    check = make_check()
    files = {**incident(), "lib/x.ts": "export const A = 1;\n", "tsconfig.json": "{}"}
    facts = {rel: check.extract(SourceFile.from_text(rel, text)) for rel, text in files.items()}
    assert {rel for rel, f in facts.items() if check.is_subject(f)} == {ROUTE_REL, PAGE_REL}


@pytest.mark.parametrize("verdict", ["bad", "good"])
def test_examples(verdict: str) -> None:
    check_example_tree(LESSONS_DIR / LESSON_ID / verdict, LESSON_ID)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list('"use client;posthog.capture()({})=>\n`${}x'))))
def test_never_raises_on_arbitrary_source(text: str) -> None:
    run({PAGE_REL: text, ROUTE_REL: ROUTE.replace("EVENT", '"x"')})


def test_a_type_only_import_does_not_make_a_module_client_code() -> None:
    files = {
        ROUTE_REL: ROUTE.replace("EVENT", '"tool_called"'),
        "lib/tools.ts": "export type Out = { ok: boolean };\nexport const tools = {\n"
        '  run: async () => {\n    analytics.track("tool_called");\n  },\n};\n',
        "components/Card.tsx": '"use client";\nimport type { Out } from "../lib/tools";\n'
        "export function Card(props: { out: Out }) {\n  return null;\n}\n",
    }
    assert flagged(files) == []
    files["components/Card.tsx"] = files["components/Card.tsx"].replace("import type", "import")
    assert flagged(files) == [(ROUTE_REL, 8), ("lib/tools.ts", 4)]


def test_posthog_survey_responses_are_allowed_on_both_sides_by_default() -> None:
    assert flagged(incident('"survey sent"', '"survey sent"')) == []
    assert len(flagged(incident('"survey sent"', '"survey sent"'), allow_both_sides={})) == 2


def test_an_event_name_held_in_a_function_local_const_is_resolved() -> None:
    files = incident()
    files[ROUTE_REL] = files[ROUTE_REL].replace(
        'posthog.capture({ distinctId: userId, event: "order_placed" });',
        'const EVENT_NAME = "order_placed";\n'
        "  posthog.capture({ distinctId: userId, event: EVENT_NAME });",
    )
    assert flagged(files) == [(ROUTE_REL, 9), (PAGE_REL, 7)]
