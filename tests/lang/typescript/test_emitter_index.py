"""The JS/TS emitter index: wrappers followed across files, event names, server actions."""

from __future__ import annotations

import posixpath

from pytest_lessons.lang.typescript.emitter_index import EmitterIndex
from pytest_lessons.lang.typescript.runtime import import_names
from pytest_lessons.lang.typescript.syntax import root_of
from pytest_lessons.lang.typescript.telemetry import (
    CallSite,
    Emission,
    telemetry_facts,
)
from pytest_lessons.source import SourceFile
from tests.lang.typescript.test_telemetry import SHOP, facts_of, shop_files

SHOP_CONSTANTS = {
    ("lib/events.ts", "EVENTS.ORDER_PLACED"): "order_placed",
    ("lib/events.ts", "EVENTS.REMINDER_SENT"): "reminder_sent",
    ("lib/events.ts", "ReminderEvent.Triggered"): "reminder_triggered",
    ("lib/events.ts", "ReminderEvent.Delivered"): "reminder_delivered",
}


class FakeResolver:
    """A stand-in for `js.resolver.SymbolIndex`: relative and `@/` imports, a constant table."""

    def __init__(self, files: dict[str, SourceFile], constants: dict[tuple[str, str], str]) -> None:
        self.files = files
        self.constants = constants

    def resolve_local(self, rel: str, name: str) -> tuple[str, str] | None:
        for imported in import_names(root_of(self.files[rel])):
            if imported.local != name or imported.imported is None:
                continue
            source = imported.source
            if source.startswith("@/"):
                base = source[2:]
            elif source.startswith("."):
                base = posixpath.normpath(posixpath.join(posixpath.dirname(rel), source))
            else:
                return None
            for suffix in (".ts", ".tsx"):
                if base + suffix in self.files:
                    return base + suffix, imported.imported
        return None

    def constant(self, rel: str, dotted: str) -> str | None:
        head, _, rest = dotted.partition(".")
        found = self.resolve_local(rel, head)
        if found is None:
            return self.constants.get((rel, dotted))
        target, name = found
        return self.constants.get((target, f"{name}.{rest}" if rest else name))


def load_shop() -> tuple[dict[str, SourceFile], EmitterIndex]:
    files = shop_files()
    facts = {rel: telemetry_facts(file) for rel, file in files.items()}
    return files, EmitterIndex(facts, FakeResolver(files, SHOP_CONSTANTS))


def describe(
    rel: str, site: Emission | CallSite, name: str | None
) -> tuple[str, int, str, str | None]:
    what = site.callee if isinstance(site, CallSite) else f"{site.receiver}.{site.method}"
    return rel, site.line, what, name


def test_emissions_with_names_follow_two_levels_of_wrappers_across_files() -> None:
    _, index = load_shop()
    found = sorted(describe(*entry) for entry in index.emissions_with_names())
    assert found == [
        ("app/api/orders/route.ts", 6, "trackOrderPlaced", "order_placed"),
        ("app/api/orders/route.ts", 7, "trackReminderDelivered", "reminder_delivered"),
        ("app/api/orders/route.ts", 7, "trackReminderTriggered", "reminder_triggered"),
        ("app/orders/actions.ts", 5, "trackOrderPlaced", "order_placed"),
        # through an `as const` map, in a 'use client' component, with optional chaining
        ("components/Checkout.tsx", 9, "ph.capture", "order_placed"),
        # a server action called from a client component: see test_server_actions_are_server
        ("components/PlaceOrderButton.tsx", 5, "placeOrderAction", "order_placed"),
        # wrappers called inside lib/: trackOrderPlaced -> track(EVENTS.ORDER_PLACED) (as const),
        # trackReminder* -> trackRaw({ event: ReminderEvent.X }) (an enum, via an object key)
        ("lib/reminders.ts", 4, "track", "order_placed"),
        ("lib/reminders.ts", 7, "trackRaw", "reminder_triggered"),
        ("lib/reminders.ts", 11, "trackRaw", "reminder_delivered"),
        ("pages/api/legacy.ts", 6, "analytics.track", "legacy_called"),
    ]
    # trackDynamic passes a template with ${}: no name, no entry; getPostHogClient() is no wrapper
    assert not any(describe(*entry)[2] == "trackDynamic" for entry in index.emissions_with_names())


def test_wrapper_context_is_kept_at_the_call_site() -> None:
    _, index = load_shop()
    route_sites = [
        entry.site
        for entry in index.emissions_with_names()
        if entry.rel == "app/api/orders/route.ts" and isinstance(entry.site, CallSite)
    ]
    in_all = {site.callee for site in route_sites if site.in_promise_all}
    assert in_all == {"trackReminderTriggered", "trackReminderDelivered"}
    # track() swallows its failures, trackRaw() does not: that is what telemetry-isolation asks
    assert index.wrapper_catches_inside("app/api/orders/route.ts", "trackOrderPlaced")
    assert not index.wrapper_catches_inside("app/api/orders/route.ts", "trackReminderTriggered")
    assert index.is_wrapper("app/api/orders/route.ts", "trackDynamic")
    assert not index.is_wrapper("lib/analytics.ts", "getPostHogClient")


def test_unresolvable_names_are_left_out() -> None:
    files = {
        "a.ts": SourceFile.from_text(
            "a.ts", 'import { E } from "pkg";\nposthog.capture(E.X);\nposthog.capture(local);\n'
        ),
    }
    index = EmitterIndex(
        {"a.ts": telemetry_facts(files["a.ts"])}, FakeResolver(files, {("a.ts", "local"): "l"})
    )
    assert [entry.event_name for entry in index.emissions_with_names()] == ["l"]


def test_recursive_wrappers_terminate() -> None:
    code = (
        'import posthog from "posthog-js";\n'
        "export function a(n) { if (n) b(n); posthog.capture(n); }\n"
        "export function b(n) { a(n); }\n"
        'b("loop");\n'
    )
    files = {"a.ts": SourceFile.from_text("a.ts", code)}
    index = EmitterIndex({"a.ts": telemetry_facts(files["a.ts"])}, FakeResolver(files, {}))
    assert [(entry.site.line, entry.event_name) for entry in index.emissions_with_names()] == [
        (4, "loop")
    ]


def test_server_actions_are_server() -> None:
    _, index = load_shop()
    assert index.server_action("components/PlaceOrderButton.tsx", "placeOrderAction") == (
        "app/orders/actions.ts",
        "placeOrderAction",
    )
    assert index.server_action("app/api/orders/route.ts", "trackOrderPlaced") is None


def test_the_real_symbol_index_satisfies_the_resolver_protocol() -> None:
    """The same shop, resolved by `js.resolver` (tsconfig `@/*` paths, enums, `as const`)."""
    from pytest_lessons.lang.typescript.modules import module_facts
    from pytest_lessons.lang.typescript.project import project_file_facts
    from pytest_lessons.lang.typescript.resolver import ModuleResolver, SymbolIndex

    files, fake_index = load_shop()
    tsconfig = SourceFile.from_text("tsconfig.json", (SHOP / "tsconfig.json").read_text())
    symbols = SymbolIndex(
        {rel: module_facts(file) for rel, file in files.items()},
        ModuleResolver(list(files), {"tsconfig.json": project_file_facts(tsconfig)}),
    )
    real_index = EmitterIndex(fake_index.facts, symbols)
    assert sorted(describe(*e) for e in real_index.emissions_with_names()) == sorted(
        describe(*e) for e in fake_index.emissions_with_names()
    )


def test_default_exported_function_is_found_by_its_export_name() -> None:
    facts = facts_of(
        'import posthog from "posthog-js";\n'
        'export default function handler() { posthog.capture("x"); }\n'
    )
    assert facts.default_export == "handler"
    files = {"a.ts": SourceFile.from_text("a.ts", "export {};")}
    index = EmitterIndex(
        {"lib.ts": facts, "a.ts": telemetry_facts(files["a.ts"])}, FakeResolver(files, {})
    )

    class DefaultResolver(FakeResolver):
        def resolve_local(self, rel: str, name: str) -> tuple[str, str] | None:
            return ("lib.ts", "default") if name == "h" else None

    index.resolver = DefaultResolver(files, {})
    assert index.target("a.ts", "h") == ("lib.ts", "handler")


def test_dotted_callees_naming_no_function_are_not_resolved() -> None:
    """`ns.f` and `obj.f` can only reach a function keyed `f`, or one whose key ends in `.f`
    (an object's method): other dotted callees (`prisma.user.findMany`) are answered None
    without asking the resolver, and the others are resolved as before."""
    lib = facts_of(
        'import posthog from "posthog-js";\n'
        "export function track(e: string) { posthog.capture(e); }\n"
        "export const analytics = { send(e: string) { posthog.capture(e); } };\n"
    )
    asked: list[str] = []

    class Counting:
        def resolve_local(self, rel: str, name: str) -> tuple[str, str] | None:
            asked.append(name)
            return {"lib": ("lib.ts", "*"), "obj": ("lib.ts", "analytics")}.get(name)

        def constant(self, rel: str, dotted: str) -> str | None:
            return None

    index = EmitterIndex({"lib.ts": lib, "a.ts": facts_of("export {};\n")}, Counting())
    assert index.target("a.ts", "lib.track") == ("lib.ts", "track")
    assert index.target("a.ts", "obj.send") == ("lib.ts", "analytics.send")
    assert index.target("a.ts", "lib.user.findMany") is None
    assert index.target("a.ts", "res.json") is None
    assert asked == ["lib", "obj"]
