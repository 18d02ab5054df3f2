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


# --- the other analytics SDKs (issue 11, item 12) ---------------------------------------------


@pytest.mark.parametrize(
    ("code", "emitter", "receiver", "event"),
    [
        (
            "from mixpanel import Mixpanel\nmp = Mixpanel('t')\nmp.track('u1', 'signed_up', {})\n",
            "mixpanel",
            "mp",
            "signed_up",
        ),
        (
            "import mixpanel\nmp = mixpanel.Mixpanel('t')\nmp.track('u1', event_name='paid')\n",
            "mixpanel",
            "mp",
            "paid",
        ),
        (
            "from openpanel import OpenPanel\nop = OpenPanel(client_id='x')\n"
            "op.track('invite_sent', {'a': 1})\n",
            "openpanel",
            "op",
            "invite_sent",
        ),
        (
            "from logsnag import LogSnag\nls = LogSnag(token='t', project='p')\n"
            "ls.publish(channel='users', event='User Joined')\n",
            "logsnag",
            "ls",
            "User Joined",
        ),
        (
            "import rudderstack.analytics as rudder\nrudder.track('u', 'order_paid')\n",
            "rudderstack",
            "rudder",
            "order_paid",
        ),
        (
            "import june.analytics as analytics\nanalytics.track(user_id='u', event='Signed In')\n",
            "june",
            "analytics",
            "Signed In",
        ),
        (
            "class Billing:\n    def charge(self):\n        self.mixpanel.track('u', 'charged')\n",
            "mixpanel",
            "self.mixpanel",
            "charged",
        ),
    ],
)
def test_other_sdks_and_where_they_take_the_event(
    code: str, emitter: str, receiver: str, event: str
) -> None:
    (emission,) = facts_of(code).emissions
    assert (emission.emitter, emission.receiver, emission.event) == (emitter, receiver, lit(event))


def test_logsnag_takes_the_event_after_the_channel() -> None:
    (emission,) = facts_of(
        "from logsnag import LogSnag\nls = LogSnag()\nls.track('users', 'joined')\n"
    ).emissions
    assert emission.event == lit("joined")


def test_a_module_named_like_an_sdk_class_holder_is_no_client() -> None:
    # `import openpanel` holds the client class; the module itself sends nothing
    assert (
        facts_of("import openpanel\nopenpanel.OpenPanel\nx = openpanel.version()\n").emissions == []
    )
