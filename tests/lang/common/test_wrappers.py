"""`summarize` and `passed_event_names`: one wrapper algorithm for both language layers."""

from __future__ import annotations

from pytest_lessons.lang.common.telemetry import DYNAMIC, EventRef
from pytest_lessons.lang.common.wrappers import WrapperSummary, passed_event_names, summarize

CONSTANTS = {"EVENTS.ORDER_PLACED": "order_placed"}
PARAMS = {"event": (0, "event"), "name": (1, None)}


def literal(value: str) -> EventRef:
    return EventRef(kind="literal", value=value)


def name(value: str) -> EventRef:
    return EventRef(kind="name", value=value)


def param_of(event: EventRef) -> tuple[int, str | None] | None:
    return PARAMS.get(event.value or "") if event.kind == "name" else None


def event_name(event: EventRef) -> str | None:
    if event.kind == "literal":
        return event.value
    return CONSTANTS.get(event.value or "") if event.kind == "name" else None


def test_a_function_that_sends_nothing_is_no_wrapper() -> None:
    assert summarize([], [], param_of, event_name) is None


def test_sends_split_into_fixed_events_and_forwarded_parameters() -> None:
    sends = [
        (literal("signed_up"), True),
        (name("EVENTS.ORDER_PLACED"), True),
        (name("event"), True),
        (DYNAMIC, True),
    ]
    assert summarize(sends, [], param_of, event_name) == WrapperSummary(
        frozenset({"signed_up", "order_placed"}), frozenset({(0, "event")}), True
    )


def test_a_call_of_a_wrapper_passes_its_events_on() -> None:
    inner = WrapperSummary(frozenset({"fixed"}), frozenset({(0, None), (1, "kind")}), True)
    passed = {(0, None): literal("checkout"), (1, "kind"): name("name")}
    calls = [(inner, lambda position, key: passed[(position, key)], False)]
    summary = summarize([], calls, param_of, event_name)
    assert summary == WrapperSummary(frozenset({"fixed", "checkout"}), frozenset({(1, None)}), True)


def test_a_wrapper_swallows_only_when_every_failure_is_caught() -> None:
    caught = WrapperSummary(frozenset({"a"}), frozenset(), swallows=True)
    leaking = WrapperSummary(frozenset({"b"}), frozenset(), swallows=False)

    def argument(position: int, key: str | None) -> EventRef:
        return DYNAMIC

    assert summarize([(literal("x"), True)], [(caught, argument, False)], param_of, event_name)
    assert not summarize(
        [(literal("x"), True)], [(leaking, argument, False)], param_of, event_name
    ).swallows  # type: ignore[union-attr]
    assert summarize(
        [(literal("x"), True)], [(leaking, argument, True)], param_of, event_name
    ).swallows  # type: ignore[union-attr]
    assert not summarize([(literal("x"), False)], [], param_of, event_name).swallows  # type: ignore[union-attr]


def test_passed_event_names_leave_out_what_the_caller_forwards() -> None:
    summary = WrapperSummary(frozenset({"fixed"}), frozenset({(0, None), (1, None), (2, None)}))
    arguments = [literal("clicked"), name("event"), name("unknown_constant")]
    names = passed_event_names(
        summary,
        lambda position, key: arguments[position],
        lambda arg: param_of(arg) is not None,
        event_name,
    )
    assert names == {"clicked"}
