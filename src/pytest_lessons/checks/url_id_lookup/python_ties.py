"""Which values of one Python handler meet: two path ids, or a path id and a write's key.

The Python side of `typescript_ties`, judged across modules because an id may be checked by a
dependency: `/forms/{form_id}/contacts/{contact_id}` whose `Depends(valid_form)` checks the form
while the handler loads the contact by its own id, never comparing the two, shows any form's
contact to whoever may see one form.

Facts come from `python_flow_ast` (`NameFlow.meets`, `FunctionFlow.writes`); a module only
libcst parses has none, and is judged without these shapes. A path id is *present* in the
handler through its own reads, or through a handler parameter whose dependency receives it
(`form: Form = Depends(valid_form)` carries `form_id`); its meeting points are those of all of
them. Two ids are tied when they meet, transitively through any path parameter, or when one
dependency receives both and meets them itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from pytest_lessons.checks.url_id_lookup.python_flow import FunctionFlow, NameFlow, Span
from pytest_lessons.checks.url_id_lookup.python_params import JudgedRoute, RouteContext

__all__ = ["PythonUntied", "untied"]


@dataclass
class PythonUntied:
    """A finding's material (see `messages.untied_message`)."""

    judged: JudgedRoute
    shape: str
    param: str
    other: str
    call: str
    check: str | None
    where: Span


@dataclass
class _Presence:
    """How one path id shows up in a handler."""

    flows: list[NameFlow] = field(default_factory=list)
    """Its own reads (a parameter, a `path_params` read)."""
    carriers: list[str] = field(default_factory=list)
    """Handler parameters whose dependency receives it."""
    meets: set[str] = field(default_factory=set)

    @property
    def used(self) -> bool:
        return bool(self.carriers) or any(f.verdict in ("use", "permission") for f in self.flows)


def _named(flow: FunctionFlow, name: str) -> list[NameFlow]:
    return [f for f in (*flow.params, *flow.path_reads) if f.name == name]


def _presences(context: RouteContext, judged: JudgedRoute) -> dict[str, _Presence]:
    handler = judged.handler
    rel = judged.resolved.rel
    found: dict[str, _Presence] = {}
    for name in dict.fromkeys(judged.resolved.params):
        presence = found[name] = _Presence(flows=_named(handler, name))
        for own in presence.flows:
            presence.meets.update(own.meets)
    for parameter, call in handler.depends.items():
        target = context.flows.target(rel, call)
        reached = context.flows.reach([], [(rel, call)]) if target is not None else None
        receiving = reached.flows if reached is not None else []
        carried = [f for f in handler.params if f.name == parameter]
        for name, presence in found.items():
            if any(f.verdict != "unread" for flow in receiving for f in _named(flow, name)):
                presence.carriers.append(parameter)
                for flow in carried:
                    presence.meets.update(flow.meets)
    return found


def _tied(judged: JudgedRoute, presences: dict[str, _Presence], record: str) -> set[str]:
    """The path ids tied to `record`, transitively."""
    edges: set[tuple[str, str]] = set()
    names = list(presences)
    for index, first in enumerate(names):
        for second in names[index + 1 :]:
            if presences[first].meets & presences[second].meets:
                edges.add((first, second))
            for flow in judged.reached.flows:
                ones, twos = _named(flow, first), _named(flow, second)
                if any(a.meets and set(a.meets) & set(b.meets) for a in ones for b in twos):
                    edges.add((first, second))
    joined = {record}
    changed = True
    while changed:
        changed = False
        for first, second in edges:
            if (first in joined) != (second in joined):
                joined.update((first, second))
                changed = True
    return joined


def _two_ids(
    context: RouteContext,
    judged: JudgedRoute,
    presences: dict[str, _Presence],
    entity: Callable[[str], bool],
) -> Iterator[PythonUntied]:
    names = list(presences)
    record = names[-1]
    own = [f for f in presences[record].flows if f.verdict == "use" and f.use is not None]
    if len(names) < 2 or not entity(record) or not own:
        return
    joined = _tied(judged, presences, record)
    for name in names[:-1]:
        presence = presences[name]
        if name in joined or not entity(name) or not presence.used:
            continue
        checks = [f.use_text for f in presence.flows if f.use_text] or [
            f"Depends({judged.handler.depends[carrier]})" for carrier in presence.carriers
        ]
        lookup = own[0]
        assert lookup.use is not None
        yield PythonUntied(
            judged, "two-ids", name, record, lookup.use_text or record, checks[0], lookup.use
        )
        return


def _present_before(presence: _Presence, line: int) -> bool:
    """Checked by a dependency (which runs first), or read by the handler before `line`."""
    if presence.carriers:
        return True
    return any(f.first is not None and f.first.line <= line for f in presence.flows)


def _body_writes(
    judged: JudgedRoute,
    presences: dict[str, _Presence],
    entity: Callable[[str], bool],
) -> Iterator[PythonUntied]:
    used = [name for name, p in presences.items() if p.used and entity(name)]
    if not used:
        return
    carriers = {carrier for p in presences.values() for carrier in p.carriers}
    url_names = set(presences) | carriers
    bodies = set(judged.handler.bodies) - url_names
    for write in judged.handler.writes:
        before = [name for name in used if _present_before(presences[name], write.line)]
        if not before:
            continue
        where = Span(
            line=write.line,
            column=write.column,
            end_line=write.end_line,
            end_column=write.end_column,
        )
        if any(a in url_names and b in bodies for a, b in write.spreads):
            yield PythonUntied(
                judged, "body-override", before[-1], write.key, write.text, None, where
            )
            continue
        keyed = [name for name in write.key_by if name in bodies]
        if not (keyed or write.form_keyed) or set(write.reached_by) & url_names:
            continue
        checked = {m for name in keyed for m in write.key_meets.get(name, [])}
        if any(checked & presences[name].meets for name in before):
            continue  # the body's record was checked against the path id first
        yield PythonUntied(judged, "body-write", before[-1], write.key, write.text, None, where)


def untied(context: RouteContext, entity: Callable[[str], bool]) -> Iterable[PythonUntied]:
    """Findings of the two shapes over every judged route (see the module docstring)."""
    seen: set[tuple[str, int, int, str]] = set()
    for judged in context.routes:
        presences = _presences(context, judged)
        for found in (
            *_two_ids(context, judged, presences, entity),
            *_body_writes(judged, presences, entity),
        ):
            key = (judged.resolved.rel, found.where.line, found.where.column, found.shape)
            if key not in seen:
                seen.add(key)
                yield found
