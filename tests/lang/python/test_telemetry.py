"""The Python telemetry layer: emitters, both posthog signatures, wrappers, names, context."""

from __future__ import annotations

import pickle
import textwrap

import pytest

from pytest_lessons.lang.common.telemetry import EventRef
from pytest_lessons.lang.python.telemetry import TelemetryFacts, capture_event, telemetry_facts
from pytest_lessons.source import SourceFile


def facts_of(code: str, rel: str = "app/x.py", extras: tuple[str, ...] = ()) -> TelemetryFacts:
    return telemetry_facts(SourceFile.from_text(rel, textwrap.dedent(code)), extras)


def lit(value: str) -> EventRef:
    return EventRef(kind="literal", value=value)


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ([lit("u"), lit("old_style")], {}, ("old_style", "old")),
        ([lit("new_style")], {"distinct_id": lit("u")}, ("new_style", "new")),
        ([lit("context_id")], {}, ("context_id", "new")),
        ([lit("u")], {"event": lit("by_keyword")}, ("by_keyword", "keyword")),
        ([], {"distinct_id": lit("u")}, (None, "new")),
    ],
)
def test_capture_event_tells_the_two_posthog_signatures_apart(
    args: list[EventRef], kwargs: dict[str, EventRef], expected: tuple[str | None, str]
) -> None:
    event, style = capture_event("posthog", args, kwargs)
    assert (event.value, style) == expected


def test_segment_event_is_second_or_keyword() -> None:
    assert capture_event("segment", [lit("u"), lit("e")], {})[0].value == "e"
    assert capture_event("segment", [lit("u")], {"event": lit("k")})[0].value == "k"


def test_module_api_clients_and_segment_are_emissions() -> None:
    facts = facts_of(
        """
        import posthog
        import analytics
        from posthog import Posthog
        import segment.analytics as seg

        ph = Posthog("key")
        seg_client = seg.Client("key")

        def f(user):
            posthog.capture(user, "a")
            ph.capture("b", distinct_id=user)
            analytics.track(user, "c")
            seg_client.track(user, event="d")
            posthog.flush()
            cache.capture("not telemetry")
        """
    )
    found = [(e.line, e.emitter, e.method, e.event.value, e.capture_style) for e in facts.emissions]
    assert found == [
        (11, "posthog", "capture", "a", "old"),
        (12, "posthog", "capture", "b", "new"),
        (13, "segment", "track", "c", "segment"),
        (14, "segment", "track", "d", "segment"),
        (15, "posthog", "flush", None, "none"),
    ]
    assert facts.clients == {"ph": "posthog", "seg_client": "segment"}


def test_context_awaited_try_gather_and_deferred() -> None:
    facts = facts_of(
        """
        import asyncio, posthog
        from app.t import track

        async def handler(u, tasks):
            await asyncio.to_thread(posthog.capture, u, "thread")
            try:
                await track("narrow")
            except ValueError:
                pass
            try:
                await track("broad")
            except Exception:
                log()
            try:
                await track("reraised")
            except Exception:
                raise
            await asyncio.gather(track("g1"), save(), return_exceptions=True)
            await asyncio.gather(*[track(e) for e in ("a", "b")])
            asyncio.create_task(track("task"))
            tasks.add_task(posthog.capture, u, "later")
        """
    )
    (thread, later) = facts.emissions
    assert (thread.awaited, thread.via, thread.in_function) == (
        True,
        "asyncio.to_thread",
        "handler",
    )
    assert (later.deferred, later.event.value) == (True, "later")
    calls = {c.args[0].value: c for c in facts.calls if c.args}
    assert calls["narrow"].narrow == "except ValueError" and not calls["narrow"].caught
    assert calls["broad"].caught
    assert calls["reraised"].catch_effect == "rethrows"
    assert calls["g1"].gather == 0 and facts.gathers[0].return_exceptions
    assert calls["task"].deferred and not calls["task"].awaited
    assert [g.return_exceptions for g in facts.gathers] == [True, False]
    assert pickle.loads(pickle.dumps(facts)) == facts


def test_extra_emitters_are_dotted_names() -> None:
    facts = facts_of("metrics.send('x')\nself_metrics.send('y')\n", extras=("metrics.send",))
    assert [(e.emitter, e.event.value) for e in facts.emissions] == [("custom", "x")]
