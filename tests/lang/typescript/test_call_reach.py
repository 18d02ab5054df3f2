"""Calls that may lead to a wrapper, told from names: never one less than resolving them finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_lessons.checks.telemetry_isolation.options import WRAPPER_DEPTH
from pytest_lessons.checks.telemetry_isolation.typescript import _escapes, _possible_escapes
from pytest_lessons.lang.typescript.call_reach import CallIndex, Reach
from pytest_lessons.lang.typescript.emitter_index import EmitterIndex
from pytest_lessons.lang.typescript.modules import ExportBinding, ModuleFacts, module_facts
from pytest_lessons.lang.typescript.resolver import ModuleResolver, SymbolIndex
from pytest_lessons.lang.typescript.telemetry import TelemetryFacts, telemetry_facts
from pytest_lessons.source import SourceFile


class Unfiltered(EmitterIndex):
    """The index as it was: every call's summary computed, in file order."""

    def possible_wrappers(self) -> Reach | None:
        return None


def project(files: dict[str, str]) -> tuple[dict[str, TelemetryFacts], SymbolIndex]:
    sources = {rel: SourceFile.from_text(rel, text) for rel, text in files.items()}
    modules = {rel: module_facts(file) for rel, file in sources.items()}
    telemetry = {rel: telemetry_facts(file) for rel, file in sources.items()}
    return telemetry, SymbolIndex(modules, ModuleResolver(modules, {}))


def test_calls_reaching_a_wrapper_through_renames_barrels_and_defaults() -> None:
    telemetry, symbols = project(
        {
            "lib/track.ts": (
                'import posthog from "posthog-js";\n'
                "export function track(event: string) { posthog.capture(event); }\n"
                "export function unrelated() { return 1; }\n"
            ),
            "lib/index.ts": 'export * from "./track";\nexport { track as send } from "./track";\n',
            "lib/order.ts": (
                'import { send } from "./index";\n'
                'export default function placed() { send("order_placed"); }\n'
            ),
            "app/page.ts": (
                'import * as lib from "../lib/index";\n'
                'import placed from "../lib/order";\n'
                'import { track as t, unrelated } from "../lib";\n'
                "export function page() {\n"
                '  lib.track("viewed");\n'
                "  placed();\n"
                '  t("clicked");\n'
                "  unrelated();\n"
                "  lib.unrelated();\n"
                "}\n"
            ),
        }
    )
    index = EmitterIndex(telemetry, symbols)
    reach = index.possible_wrappers()
    assert reach is not None
    assert reach.functions >= {("lib/track.ts", "track"), ("lib/order.ts", "placed")}
    page = telemetry["app/page.ts"]
    assert [c.callee for c in reach.calls("app/page.ts", page)] == ["lib.track", "placed", "t"]
    assert [c.callee for c in reach.calls("lib/order.ts", telemetry["lib/order.ts"])] == ["send"]
    # the names are the ones resolving every call finds
    named = sorted((e.rel, e.event_name) for e in index.emissions_with_names())
    assert named == sorted(
        (e.rel, e.event_name) for e in Unfiltered(telemetry, symbols).emissions_with_names()
    )
    assert ("app/page.ts", "clicked") in named and ("lib/order.ts", "order_placed") in named


def test_a_default_export_named_by_the_telemetry_facts_alone() -> None:
    """`_target` reads an import of `default` as the file's `default_export`, so the function
    that is stands for `default` too, even when the module facts give that export no local."""
    telemetry, symbols = project(
        {
            "lib.ts": (
                'import posthog from "posthog-js";\n'
                'export default function handler() { posthog.capture("x"); }\n'
            ),
            "a.ts": 'import h from "./lib";\nexport function page() { h(); }\n',
        }
    )
    modules = {
        **symbols.modules,
        "lib.ts": ModuleFacts(exports=[ExportBinding(exported="default", line=2)]),
    }
    index = EmitterIndex(telemetry, SymbolIndex(modules, symbols.resolver))
    assert index.target("a.ts", "h") == ("lib.ts", "handler")
    reach = index.possible_wrappers()
    assert reach is not None
    assert [c.callee for c in reach.calls("a.ts", telemetry["a.ts"])] == ["h"]


def test_a_resolver_without_bound_as_filters_nothing() -> None:
    telemetry, _ = project({"a.ts": "export function f() { g(); }\nfunction g() {}\n"})

    class Plain:
        def resolve_local(self, rel: str, name: str) -> None:
            return None

        def constant(self, rel: str, dotted: str) -> None:
            return None

    assert CallIndex(telemetry).reach([], lambda site: True, Plain()) is None


_FILES = ["f0.ts", "f1.ts", "f2.ts", "lib/index.ts"]
_SPECIFIERS = {
    "f0.ts": ["./f1", "./f2", "./lib", "./f0", "pkg"],
    "f1.ts": ["./f0", "./f2", "./lib/index", "pkg"],
    "f2.ts": ["./f0", "./f1", "./lib", "pkg"],
    "lib/index.ts": ["../f0", "../f1", "../f2", "pkg"],
}
_FUNCTIONS = ["track", "send", "run"]


@st.composite
def projects(draw: st.DrawFn) -> dict[str, str]:
    """Small TS projects: functions that capture, call each other across files under their own
    names, renamed, through namespaces, defaults, `export *` barrels (cycles included), awaited
    or returned or not."""
    files: dict[str, str] = {}
    functions = st.sampled_from(_FUNCTIONS)
    for rel in _FILES:
        specifier = st.sampled_from(_SPECIFIERS[rel])
        lines = ['import posthog from "posthog-js";']
        callable_names = set()
        for kind, name, alias, source in draw(
            st.lists(st.tuples(st.integers(0, 2), functions, functions, specifier), max_size=3)
        ):
            local = f"{alias}_{len(lines)}"
            if kind == 0:
                lines.append(f'import {{ {name} as {local} }} from "{source}";')
            elif kind == 1:
                lines.append(f'import {local} from "{source}";')
            else:
                lines.append(f'import * as {local} from "{source}";')
                local = f"{local}.{name}"
            callable_names.add(local)
        for kind, name, alias, source in draw(
            st.lists(st.tuples(st.integers(0, 2), functions, functions, specifier), max_size=3)
        ):
            if kind == 0:
                lines.append(f'export * from "{source}";')
            elif kind == 1:
                lines.append(f'export {{ {name} as {alias} }} from "{source}";')
            else:
                lines.append(f'export {{ default as {alias} }} from "{source}";')
        declared = draw(st.lists(functions, unique=True, max_size=3))
        callable_names.update(declared)
        targets = sorted(callable_names)
        for name in declared:
            body = []
            for kind, mode in draw(
                st.lists(
                    st.tuples(st.integers(0, max(len(targets), 1)), st.integers(0, 2)), max_size=3
                )
            ):
                prefix = ["", "await ", "return "][mode]
                if kind == len(targets) or not targets:
                    event = "event" if mode != 1 else f'"{rel}_{name}"'
                    body.append(f"{prefix}posthog.capture({event});")
                else:
                    body.append(f'{prefix}{targets[kind]}(event, "{name}_{len(body)}");')
            lines.append(f"export async function {name}(event: string) {{ {' '.join(body)} }}")
        if declared and draw(st.booleans()):
            lines.append(f"export default {declared[0]};")
        files[rel] = "\n".join(lines) + "\n"
    return files


@settings(max_examples=150)
@given(files=projects())
def test_skipped_calls_are_calls_resolving_finds_nothing_at(files: dict[str, str]) -> None:
    """Property: every call whose wrapper summary is not None (`single-emission-source`), or
    whose target escapes (`telemetry-isolation`), is among the calls the reach keeps; and the
    named emissions are those of the index that resolves every call."""
    telemetry, symbols = project(files)
    index = EmitterIndex(telemetry, symbols)
    wrappers = index.possible_wrappers()
    escapes = _possible_escapes(index)
    assert wrappers is not None and escapes is not None
    fresh = Unfiltered(telemetry, SymbolIndex(symbols.modules, symbols.resolver))
    for rel, facts in telemetry.items():
        kept_for_wrappers = {id(c) for c in wrappers.calls(rel, facts)}
        kept_for_escapes = {id(c) for c in escapes.calls(rel, facts)}
        for site in facts.calls:
            kept = id(site) in kept_for_wrappers
            assert wrappers.may_call(rel, site.callee, facts) == kept, (rel, site.callee)
            if fresh.wrapper_summary(rel, site.callee) is not None:
                assert kept, (rel, site.callee)
            target = fresh.target(rel, site.callee)
            if target is not None and _escapes(fresh, target, WRAPPER_DEPTH, set()):
                assert id(site) in kept_for_escapes, (rel, site.callee)
    assert index.emissions_with_names() == fresh.emissions_with_names()
    # and the summaries asked afterwards, of any call, in file order and in reverse
    calls = [(rel, site.callee) for rel, facts in telemetry.items() for site in facts.calls]
    for rel, callee in [*calls, *reversed(calls)]:
        assert index.wrapper_summary(rel, callee) == fresh.wrapper_summary(rel, callee)
        assert index.is_wrapper(rel, callee) == fresh.is_wrapper(rel, callee)
