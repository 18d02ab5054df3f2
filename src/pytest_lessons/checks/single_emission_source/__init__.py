"""`single-emission-source`: one analytics event sent from both server and client code.

The reorder experiment's North Star metric was doubled because `order_placed` was captured by
posthog-node in `app/api/reorder-events/route.ts` and again by posthog-js in the reorder page's
`useEffect`: every reorder was counted twice. This lesson joins the emission sites of the whole
project (`lang.typescript.emitter_index.EmitterIndex`, which follows wrappers across files and
resolves event names held in constants, `as const` maps and enums) and gives every site a side.

Sites and sides:

* A site is where the event NAME is fixed: a capture with a literal or constant name
  (`posthog.capture("order_placed")`, `client.capture({ event: EVENTS.ORDER_PLACED })`), or a call
  of a generic wrapper that passes the name (`track("order_placed")`). A wrapper with its event
  fixed inside (`trackOrderPlaced()`) is reported at its capture, which is the line to change; its
  call sites are not sites of their own. Reporting every transitive caller instead floods real
  code (formbricks: one server-side `subscription_updated` capture reached through billing
  getters gave 600+ findings), and the SDK at the capture, not the caller, decides where it runs.
* A site's side is its file's (`lang.typescript.runtime.runtime_of`), with three per-site
  overrides: a posthog-node capture is server code (the Node SDK cannot run in a browser), a
  capture inside a Pages Router `getServerSideProps`/`getStaticProps` runs on the server
  although the page is client code, and a call of a server action (a function of a
  `'use server'` file, see `EmitterIndex.server_action`) runs on the server although a client
  component makes it.
* A file with no signal ("unknown") takes the side all its runtime importers agree on (a
  `components/` module only client files import is client code; iterated along chains; `import
  type` loads nothing and does not count). A site still unknown then takes the sides of the
  callers of its function (through fixed-event wrapper calls, any depth): a helper without a side
  called from a route and from a client component is one site on both sides. A site with no side
  at all counts for `north-star`, but never makes an event "both sides".
* Calls that reach an event only through a server action are not sites: the action's capture is.

Rules: an event with a client site and a server site (and not listed in `allow-both-sides`) is a
finding at every client and server site, each naming the other side's sites. A `north-star`
event must have exactly one site anywhere: with two or more, every site is a finding naming the
others (this wins over `allow-both-sides`). Dynamic event names are ignored.

Python: a Python module is backend code, so every Python site is a server site
(`lang.python.emitter_index`: posthog-python `capture` in both the old `capture(distinct_id,
event)` and the new `capture(event, distinct_id=...)` signatures, Segment analytics-python
`track`, extra emitters, and wrappers defined in the project that pass the event on, followed
across modules, with names from module constants and `Enum`/`StrEnum` members). Python sites join
the JS/TS sites by event name: `order_placed` captured by a FastAPI route and again by a React
component is the incident across two languages, and `allow-both-sides` and `north-star` apply to
the joined sites.

Facts: every JS/TS file keeps its `JsContext` (to resolve imports and constants), its
`TelemetryFacts` and its side; every Python file its module surface (to follow imports) and its
`TelemetryFacts`. Only files with a direct emission are subjects (get an item). A finding at a
generic wrapper's call site in another file is reported by the lesson's status item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pytest_lessons.checks.base import ByHalf, Check, FactsByHalf
from pytest_lessons.checks.single_emission_source import python, typescript
from pytest_lessons.checks.single_emission_source.options import SingleEmissionSourceOptions
from pytest_lessons.checks.single_emission_source.python import PythonHalf
from pytest_lessons.checks.single_emission_source.sites import Site
from pytest_lessons.checks.single_emission_source.typescript import TypeScriptHalf
from pytest_lessons.findings import Finding

__all__ = ["SingleEmissionSource", "SingleEmissionSourceOptions"]


class SingleEmissionSource(Check[SingleEmissionSourceOptions, ByHalf]):
    options_model = SingleEmissionSourceOptions
    halves = (PythonHalf, TypeScriptHalf)
    shares_facts = "telemetry"

    def judge_halves(self, facts: FactsByHalf) -> Iterable[Finding]:
        """The sites of both halves, joined by event name."""
        by_event: dict[str, dict[tuple[str, int, int], Site]] = defaultdict(dict)
        joined = [
            *typescript.sites(facts.of(TypeScriptHalf)),
            *python.sites(facts.of(PythonHalf)),
        ]
        for site_event, site in joined:
            by_event[site_event].setdefault((site.rel, site.line, site.column), site)
        for event in sorted(by_event):
            yield from self._judge_event(event, sorted(by_event[event].values(), key=_order))

    def _judge_event(self, event: str, sites: list[Site]) -> Iterable[Finding]:
        north_star = event in self.options.north_star
        client = [s for s in sites if "client" in s.sides]
        server = [s for s in sites if "server" in s.sides]
        both = bool(client) and bool(server)
        if north_star and len(sites) > 1:
            for site in sites:
                yield self._finding(site, _north_star_message(event, site, sites, both))
            return
        if not both or event in self.options.allow_both_sides:
            return
        for site in sites:
            if not site.sides:
                continue
            others = [
                other
                for other in sites
                if other is not site and other.sides and (other.sides - site.sides or site.shared)
            ]
            yield self._finding(site, _both_sides_message(event, site, others))

    def _finding(self, site: Site, message: str) -> Finding:
        return self.finding(
            site.rel,
            site.line,
            site.column,
            message,
            end_line=site.end_line,
            end_column=site.end_column,
        )


def _order(site: Site) -> tuple[str, int, int]:
    return site.rel, site.line, site.column


def _side_text(site: Site) -> str:
    if not site.sides:
        return "code of unknown side"
    if site.shared:
        return "both client and server code"
    return f"{next(iter(site.sides))} code"


def _here(event: str, site: Site) -> str:
    why = f" ({site.why})" if site.why else ""
    return f"'{event}' is sent from {_side_text(site)} here{why}"


def _list(sites: Iterable[Site]) -> str:
    return ", ".join(f"{site.rel}:{site.line}" for site in sites)


def _both_sides_message(event: str, site: Site, others: list[Site]) -> str:
    if site.shared:
        elsewhere = f" and also at {_list(others)}" if others else ""
    else:
        other = "server" if "client" in site.sides else "client"
        elsewhere = f" and from {other} code at {_list(others)}"
    return (
        f"{_here(event, site)}{elsewhere}: every occurrence is counted twice; keep one "
        "emission source (or list the event in `allow-both-sides` with a reason)"
    )


def _north_star_message(event: str, site: Site, sites: list[Site], both: bool) -> str:
    others = [s for s in sites if s is not site]
    twice = ", from both server and client code" if both else ""
    return (
        f"{_here(event, site)}; it is a north-star event, which must have exactly one emission "
        f"site, but it is also sent at {_list(others)}{twice}: the metric is over-counted; keep "
        "exactly one emission site"
    )
