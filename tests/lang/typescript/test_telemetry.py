"""The telemetry layer: which calls emit which event, in which context, and through which wrapper.

Every case mirrors a shape from the reorder postmortem (server + client `order_placed`, PostHog
wrappers inside `Promise.all`) or from real Next.js apps read while building the layer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_lessons.lang.common.telemetry import EventRef
from pytest_lessons.lang.typescript.telemetry import (
    Emission,
    TelemetryFacts,
    telemetry_facts,
)
from pytest_lessons.source import SourceFile

SHOP = Path(__file__).parent / "fixtures" / "telemetry" / "shop"


def facts_of(
    code: str, rel: str = "app/api/x/route.ts", extra: tuple[str, ...] = ()
) -> TelemetryFacts:
    return telemetry_facts(SourceFile.from_text(rel, code), extra)


def only(code: str, rel: str = "app/api/x/route.ts", extra: tuple[str, ...] = ()) -> Emission:
    emissions = facts_of(code, rel, extra).emissions
    assert len(emissions) == 1, emissions
    return emissions[0]


# --- emitters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "emitter", "method", "receiver"),
    [
        (
            'import posthog from "posthog-js";\nposthog.capture("e", {});',
            "posthog-js",
            "capture",
            "posthog",
        ),
        ('import ph from "posthog-js";\nph.capture("e");', "posthog-js", "capture", "ph"),
        (
            'import { usePostHog } from "posthog-js/react";\n'
            'function C() { const client = usePostHog(); client?.capture("e"); }',
            "posthog-js",
            "capture",
            "client",
        ),
        (
            'import { PostHog } from "posthog-node";\nconst c = new PostHog("k");\n'
            'c.capture({ event: "e", distinctId: "u" });',
            "posthog-node",
            "capture",
            "c",
        ),
        (
            'import { PostHog } from "posthog-node";\n'
            'export function posthogServer() { return new PostHog("k"); }\n'
            "export async function f() {\n"
            '  const s = posthogServer(); await s.captureImmediate({ event: "e" });\n}',
            "posthog-node",
            "captureImmediate",
            "s",
        ),
        (
            'import { PostHog } from "posthog-node";\nlet client: PostHog | null = null;\n'
            'function getClient() { if (!client) client = new PostHog("k"); return client; }\n'
            'export async function f() { await getClient().capture({ event: "e" }); }',
            "posthog-node",
            "capture",
            "getClient()",
        ),
        (
            'import { PostHog } from "posthog-node";\n'
            'class Svc { private ph = new PostHog("k");\n'
            'go() { this.ph.capture({ event: "e" }); } }',
            "posthog-node",
            "capture",
            "this.ph",
        ),
        # a client imported from the app's own lib is recognised by its name
        (
            'import { posthog } from "@/lib/posthog";\nposthog.capture("e");',
            "posthog-js",
            "capture",
            "posthog",
        ),
        (
            'import { posthogClient } from "@/lib/ph";\n'
            'posthogClient.capture({ event: "e", distinctId: "u" });',
            "posthog-node",
            "capture",
            "posthogClient",
        ),
        ('window.posthog?.capture("e");', "posthog-js", "capture", "window.posthog"),
        (
            'import { getPostHogServer } from "@/lib/ph";\n'
            'getPostHogServer().captureImmediate({ event: "e" });',
            "posthog-node",
            "captureImmediate",
            "getPostHogServer()",
        ),
        ('analytics.track("e");', "segment", "track", "analytics"),
        (
            'import { Analytics } from "@segment/analytics-node";\n'
            'const seg = new Analytics({ writeKey: "k" });\n'
            'seg.track({ event: "e", userId: "u" });',
            "segment",
            "track",
            "seg",
        ),
        ('rudderanalytics.track("e");', "rudderstack", "track", "rudderanalytics"),
        (
            'import mixpanel from "mixpanel-browser";\nmixpanel.track("e");',
            "mixpanel",
            "track",
            "mixpanel",
        ),
        (
            'import Mixpanel from "mixpanel";\nconst mp = Mixpanel.init("t");\nmp.track("e", {});',
            "mixpanel",
            "track",
            "mp",
        ),
        (
            'import * as amplitude from "@amplitude/analytics-browser";\namplitude.track("e");',
            "amplitude",
            "track",
            "amplitude",
        ),
        (
            'amplitude.getInstance().logEvent("e");',
            "amplitude",
            "logEvent",
            "amplitude.getInstance()",
        ),
        (
            'import { track } from "@amplitude/analytics-browser";\ntrack("e");',
            "amplitude",
            "track",
            None,
        ),
    ],
)
def test_emitters(code: str, emitter: str, method: str, receiver: str | None) -> None:
    emission = only(code)
    assert (emission.emitter, emission.method, emission.receiver) == (emitter, method, receiver)
    assert emission.event == EventRef(kind="literal", value="e")


@pytest.mark.parametrize(
    "code",
    [
        'items.capture("e");',
        'const list = []; list.capture("e");',
        'router.push("/orders");',
        'console.log("order_placed");',
        'res.track("e");',
        'gtag("event", "e");',
        'track("e");',  # a local `track` is a wrapper candidate, not an emitter
        'posthog.identify("u");',
        'posthog.init("k", {});',
        'import { PostHog } from "posthog-node";\nconst ph = new PostHog("k");\n'
        'ph.identify({ distinctId: "u" });',
        'const re = /x/; re.exec("capture(");',
    ],
)
def test_not_emitters(code: str) -> None:
    assert facts_of(code).emissions == []


def test_lifecycle_calls_are_recorded_with_a_dynamic_event() -> None:
    facts = facts_of(
        'import { PostHog } from "posthog-node";\nconst ph = new PostHog("k");\n'
        "export async function POST() {\n"
        "  await ph.flush(); await ph.shutdown(); await ph.shutdownAsync();\n}"
    )
    assert [(e.method, e.event.kind, e.emitter) for e in facts.emissions] == [
        ("flush", "dynamic", "posthog-node"),
        ("shutdown", "dynamic", "posthog-node"),
        ("shutdownAsync", "dynamic", "posthog-node"),
    ]
    assert facts.functions["POST"].emits == []  # lifecycle calls send no event


def test_extra_emitters_are_configurable() -> None:
    code = 'telemetry.send("e", {}); other.send("e"); trackEvent({ event: "f" });'
    assert facts_of(code).emissions == []
    found = facts_of(code, extra=("telemetry.send", "trackEvent")).emissions
    assert [(e.emitter, e.method, e.receiver, e.event.value) for e in found] == [
        ("custom", "send", "telemetry", "e"),
        ("custom", "trackEvent", None, "f"),
    ]


def test_imports_are_summarised() -> None:
    facts = facts_of('import "server-only";\nimport { PostHog } from "posthog-node";\n')
    assert (facts.imports_server_only, facts.imports_posthog_node, facts.imports_posthog_js) == (
        True,
        True,
        False,
    )
    assert facts_of('import { usePostHog } from "posthog-js/react";').imports_posthog_js


# --- event names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argument", "ref"),
    [
        ('"order_placed"', EventRef(kind="literal", value="order_placed")),
        ("'order_placed'", EventRef(kind="literal", value="order_placed")),
        ("`order_placed`", EventRef(kind="literal", value="order_placed")),
        ("ORDER_PLACED", EventRef(kind="name", value="ORDER_PLACED")),
        ("EVENTS.ORDER_PLACED", EventRef(kind="name", value="EVENTS.ORDER_PLACED")),
        ('EVENTS["ORDER_PLACED"]', EventRef(kind="name", value="EVENTS.ORDER_PLACED")),
        ("Events.OrderPlaced", EventRef(kind="name", value="Events.OrderPlaced")),
        ("`order_${kind}`", EventRef(kind="dynamic")),
        ("getName()", EventRef(kind="dynamic")),
        ('"order_" + kind', EventRef(kind="dynamic")),
    ],
)
def test_event_names(argument: str, ref: EventRef) -> None:
    assert only(f"posthog.capture({argument});").event == ref
    node_style = only(f"posthogClient.capture({{ distinctId: 'u', event: {argument} }});")
    assert node_style.event == ref


def test_shorthand_event_property_is_a_name() -> None:
    assert only("posthog.capture({ distinctId, event });").event == EventRef(
        kind="name", value="event"
    )


# --- context ----------------------------------------------------------------------------

ROUTE = 'import { PostHog } from "posthog-node";\nconst ph = new PostHog("k");\n'


def test_context_of_the_postmortem_promise_all() -> None:
    facts = facts_of(
        ROUTE
        + "export async function POST() {\n"
        + '  await Promise.all([ph.captureImmediate({ event: "a" }), trackB()]);\n'
        + '  await Promise.allSettled([ph.captureImmediate({ event: "b" })]);\n'
        + "  await Promise.all(ids.map(async (id) => {\n"
        + '    await ph.captureImmediate({ event: "c" });\n'
        + "  }));\n"
        + '  await Promise.all([ph.captureImmediate({ event: "d" }).catch(() => {})]);\n'
        + "}\n"
        + "function trackB() {}\n"
    )
    by_event = {e.event.value: e for e in facts.emissions}
    assert by_event["a"].in_promise_all and not by_event["a"].awaited
    assert not by_event["b"].in_promise_all  # allSettled isolates failures
    assert by_event["c"].in_promise_all and by_event["c"].awaited  # awaited inside the callback
    assert by_event["d"].in_promise_all and by_event["d"].has_catch
    (call,) = facts.calls
    assert (call.callee, call.in_promise_all, call.in_function) == ("trackB", True, "POST")


def test_context_of_awaits_and_try() -> None:
    facts = facts_of(
        ROUTE
        + "export async function POST() {\n"
        + '  await ph.capture({ event: "bare" });\n'
        + '  try { await ph.capture({ event: "swallowed" }); } catch (e) { console.error(e); }\n'
        + '  try { await ph.capture({ event: "rethrown" }); } catch (e) { throw e; }\n'
        + '  try { await ph.capture({ event: "answered" }); }\n'
        + '  catch { return NextResponse.json({ error: "x" }, { status: 500 }); }\n'
        + '  try { await ph.capture({ event: "res" }); } catch { res.status(502).end(); }\n'
        + '  try { await ph.capture({ event: "nested" }); } finally { done(); }\n'
        + '  await ph.capture({ event: "chained" }).catch(() => undefined);\n'
        + '  try { setTimeout(() => ph.capture({ event: "callback" })); } catch {}\n'
        + '  ph.capture({ event: "fire" });\n'
        + "}\n"
    )
    by_event = {e.event.value: e for e in facts.emissions}
    assert by_event["bare"].awaited and not by_event["bare"].in_try
    assert (by_event["swallowed"].in_try, by_event["swallowed"].catch_effect) == (True, "swallows")
    assert by_event["rethrown"].catch_effect == "rethrows"
    assert by_event["answered"].catch_effect == "responds"
    assert by_event["res"].catch_effect == "responds"
    assert not by_event["nested"].in_try  # try/finally catches nothing
    assert by_event["chained"].awaited and by_event["chained"].has_catch
    assert not by_event["callback"].in_try  # the callback runs after the try has ended
    assert not by_event["fire"].awaited
    assert by_event["swallowed"].swallowed and not by_event["answered"].swallowed


def test_deferred_calls() -> None:
    facts = facts_of(
        ROUTE
        + 'import { after } from "next/server";\nimport { waitUntil } from "@vercel/functions";\n'
        + "export async function POST(req, ctx) {\n"
        + '  after(async () => { await ph.capture({ event: "a" }); await ph.shutdown(); });\n'
        + '  waitUntil(ph.captureImmediate({ event: "b" }));\n'
        + "  ctx.waitUntil(ph.flush());\n"
        + '  await ph.capture({ event: "now" });\n'
        + "}\n"
    )
    assert [(e.event.value, e.deferred) for e in facts.emissions] == [
        ("a", True),
        ("shutdown", True),
        ("b", True),
        ("flush", True),
        ("now", False),
    ]


# --- functions ---------------------------------------------------------------------------


def test_functions_and_wrappers() -> None:
    facts = facts_of(
        'import posthog from "posthog-js";\nimport { helper } from "./helper";\n'
        "export function trackOrderPlaced(id) {\n"
        '  posthog.capture("order_placed", { id }); helper(id);\n}\n'
        "export const track = async (name: string, props?: object) => {\n"
        "  try { posthog.capture(name, props); } catch {}\n"
        "};\n"
        "export const trackAll = (name) => track(name);\n"
        "export const capture = ({ event, properties }) => posthog.capture(event, properties);\n"
        "export function trackInput(input) { posthog.capture(input.event); }\n"
        "export const analytics = {\n"
        "  orderPlaced() { posthog.capture('order_placed') }, page: (p) => p };\n"
        "export class Telemetry { send(e) { posthog.capture(e) } }\n"
        "export const POST = withAuth(async () => { posthog.capture('wrapped'); });\n"
        'export const VERSION = "1";\n',
        rel="lib/analytics.ts",
    )
    functions = facts.functions
    assert functions["trackOrderPlaced"].emits == [EventRef(kind="literal", value="order_placed")]
    assert functions["trackOrderPlaced"].calls == ["helper"]
    assert functions["trackOrderPlaced"].event_param is None
    assert not functions["trackOrderPlaced"].catches_inside
    assert (functions["track"].event_param, functions["track"].catches_inside) == (0, True)
    assert functions["track"].params == ["name", "props"]
    assert functions["trackAll"].forwards == [("track", 0, 0)]
    assert (functions["capture"].event_param, functions["capture"].event_param_key) == (0, "event")
    assert (functions["trackInput"].event_param, functions["trackInput"].event_param_key) == (
        0,
        "event",
    )
    assert functions["analytics.orderPlaced"].emits == [
        EventRef(kind="literal", value="order_placed")
    ]
    assert functions["Telemetry.send"].event_param == 0
    assert functions["POST"].emits == [EventRef(kind="literal", value="wrapped")]
    assert "VERSION" not in functions


def test_a_broken_file_is_read_with_recovery() -> None:
    from pytest_lessons.findings import ProblemKind

    file = SourceFile.from_text("lib/a.ts", 'posthog.capture("ok");\nposthog.capture(\n')
    telemetry_facts(file)  # must not raise
    assert [note.kind for note in file.notes] == [ProblemKind.PARSE_RECOVERED]


# --- judge time: the emitter index --------------------------------------------------------

# What `SymbolIndex.constant` answers for the fixture's lib/events.ts (an `as const` map and an
# enum), keyed by (defining file, dotted name in that file).


def shop_files() -> dict[str, SourceFile]:
    """The files of the `shop` fixture: wrappers and constants across modules."""
    return {
        path.relative_to(SHOP).as_posix(): SourceFile.from_text(
            path.relative_to(SHOP).as_posix(), path.read_text()
        )
        for path in sorted(SHOP.rglob("*.ts*"))
    }


def test_facts_round_trip_through_json_for_the_fact_cache() -> None:
    files = shop_files()
    for file in files.values():
        facts = telemetry_facts(file)
        assert TelemetryFacts.model_validate_json(facts.model_dump_json()) == facts


def test_a_custom_analytics_hook_is_a_custom_emitter() -> None:
    """documenso: `const analytics = useAnalytics(); analytics.capture("App: User Sign Up")`."""
    emission = only(
        'import { useAnalytics } from "@/lib/use-analytics";\n'
        "export function Signup() {\n"
        "  const analytics = useAnalytics();\n"
        '  analytics.capture("App: User Sign Up", {});\n'
        "}\n"
    )
    assert (emission.emitter, emission.method, emission.event.value) == (
        "custom",
        "capture",
        "App: User Sign Up",
    )


def test_function_local_const_event_names_are_literals() -> None:
    file = SourceFile.from_text(
        "app/api/x/route.ts",
        "export async function POST() {\n"
        '  const EVENT = "order_placed";\n'
        "  posthog.capture(EVENT);\n"
        "  let later = 'not a constant';\n"
        "  posthog.capture(later);\n"
        "}\n",
    )
    events = [(e.event.kind, e.event.value) for e in telemetry_facts(file).emissions]
    assert events == [("literal", "order_placed"), ("name", "later")]


# --- the other analytics SDKs real apps use (issue 11, item 12) --------------------------------


@pytest.mark.parametrize(
    ("code", "emitter", "receiver", "event"),
    [
        (
            'import { OpenPanel } from "@openpanel/sdk";\nconst op = new OpenPanel({});\n'
            'op.track("signup", { a: 1 });',
            "openpanel",
            "op",
            "signup",
        ),
        (
            'import { useOpenPanel } from "@openpanel/nextjs";\n'
            'function C() { const op = useOpenPanel(); op.track("clicked"); }',
            "openpanel",
            "op",
            "clicked",
        ),
        (
            'import { jitsuAnalytics } from "@jitsu/js";\nconst a = jitsuAnalytics({});\n'
            'a.track("page_viewed");',
            "jitsu",
            "a",
            "page_viewed",
        ),
        (
            'import { useJitsu } from "@jitsu/jitsu-react";\n'
            'function C() { const { analytics: j } = useJitsu(); j.track("x"); }',
            "jitsu",
            "j",
            "x",
        ),
        (
            'import { Analytics } from "@june-so/analytics-node";\nconst j = new Analytics("k");\n'
            'j.track({ userId: "u", event: "Signed Up" });',
            "june",
            "j",
            "Signed Up",
        ),
        (
            'import { track as vt } from "@vercel/analytics/server";\nvt("Checkout", {});',
            "vercel",
            None,
            "Checkout",
        ),
        (
            'import { usePlausible } from "next-plausible";\n'
            'function C() { const plausible = usePlausible(); plausible("signup"); }',
            "plausible",
            None,
            "signup",
        ),
        (
            'fetch("https://plausible.io/api/event", '
            '{ method: "POST", body: JSON.stringify({ name: "signup", domain: "d" }) });',
            "plausible",
            None,
            "signup",
        ),
        (
            "fetch(PLAUSIBLE_EVENTS_URL, { body: JSON.stringify({ name: 'joined' }) });",
            "plausible",
            None,
            "joined",
        ),
        (
            'import { LogSnag } from "@logsnag/node";\nconst ls = new LogSnag({});\n'
            'ls.track({ channel: "users", event: "User Joined" });',
            "logsnag",
            "ls",
            "User Joined",
        ),
        (
            'import { LogSnag } from "logsnag";\nconst ls = new LogSnag({});\n'
            'ls.publish({ channel: "users", event: "Paid" });',
            "logsnag",
            "ls",
            "Paid",
        ),
        (
            'import { useLogSnag } from "@logsnag/react";\n'
            'function C() { const { track: send } = useLogSnag(); send({ event: "Clicked" }); }',
            "logsnag",
            None,
            "Clicked",
        ),
    ],
)
def test_other_sdks_by_their_package(
    code: str, emitter: str, receiver: str | None, event: str
) -> None:
    emission = only(code, rel="lib/x.tsx")
    assert (emission.emitter, emission.receiver) == (emitter, receiver)
    assert emission.event == EventRef(kind="literal", value=event)


@pytest.mark.parametrize(
    "code",
    [
        # an app's own `/api/event` route is not Plausible
        'fetch("/api/event", { body: JSON.stringify({ name: "x" }) });',
        # `track` of an unknown package, and a client's `fetch`/`publish` known only by name
        'import { track } from "./audit";\ntrack("x");',
        'analyticsApi.fetch("x"); analyticsBus.publish("y");',
        # a hook of an SDK whose destructured key is not a client or a send method
        'import { useOpenPanel } from "@openpanel/nextjs";\n'
        "function C() { const { ready } = useOpenPanel(); ready(); }",
    ],
)
def test_other_sdks_need_their_package(code: str) -> None:
    assert facts_of(code, rel="lib/x.tsx").emissions == []


def test_awaited_server_track_of_vercel_is_an_awaited_emission() -> None:
    emission = only(
        'import { track } from "@vercel/analytics/server";\n'
        'export async function a() { await track("Checkout"); }'
    )
    assert emission.awaited and emission.in_function == "a"


def test_a_promise_returned_by_its_top_level_function_is_marked_returned() -> None:
    facts = facts_of(
        'import { PostHog } from "posthog-node";\nconst ph = new PostHog("k");\n'
        "export const flushAll = () => ph.flush();\n"
        "export function shut() { return ph.shutdown(); }\n"
        "export function each(ids: string[]) {\n"
        "  return ids.map((id) => ph.capture({ event: id }));\n}\n"
    )
    returned = {e.method: e.returned for e in facts.emissions}
    # the callback's return is not `each`'s: its promises are dropped in an array
    assert returned == {"flush": True, "shutdown": True, "capture": False}
