"""Which call sites of a project may lead to a function of interest, told from names alone.

A repository's telemetry facts hold tens of thousands of call sites (dub: 35k), and a judge
asks of each whether it calls an emitter wrapper (`single-emission-source`) or a function whose
telemetry can fail its caller (`telemetry-isolation`). Very few do, but telling which meant
resolving every callee across files (`EmitterIndex.target`: imports, re-exports, barrels), most
of a judge's time. Both questions are about a least set of functions closed under "is a seed,
or has a followed call that may lead to a member": `CallIndex.reach` finds a superset of it, and
of the calls that may lead to one of its members, without resolving any callee, and the judge
resolves only those calls.

A call may lead to function `f` of file `r` (`EmitterIndex._target`) only when:

- it is in `r` and its callee is `f` (a function of its own file);
- its callee is dotted (`ns.f`, `obj.f`) and the part after the first dot is `f`, or what
  follows a dot in `f` (`_target` reads `ns.f` through a namespace as `f`, and `obj.f` as the
  function keyed `obj.f` of the module `obj` is declared in);
- its callee is a plain name of its file that the imports and re-exports of the project bind to
  `f` of `r`, or to `default` of `r` when `f` is `r`'s default export: the resolver's `bound_as`
  (`resolver.SymbolIndex.bound_as`), followed backwards from (r, f).

Every answer is a pure function of the facts, whatever order questions come in, and a superset:
a judge that skips the other calls skips only calls it would have found nothing at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Protocol, runtime_checkable

from pytest_lessons.judging_together import built_once
from pytest_lessons.lang.typescript.telemetry import CallSite, Emission, TelemetryFacts

__all__ = ["Aliasing", "CallIndex", "Reach", "emitting"]

Function = tuple[str, str]
"""A function of the facts: (file, key in its `TelemetryFacts.functions`)."""
_Sites = list[tuple[str, int]]
"""Call sites: (file, position in its `TelemetryFacts.calls`)."""


@runtime_checkable
class Aliasing(Protocol):
    """A resolver that can say which bindings read a name of a module (see the module
    docstring): `bound_as(rel, name)` lists the (module, name) bindings one import or export
    reads from `name` of `rel`. Followed backwards from a function, they must reach every
    binding `resolve_local` may follow to it."""

    def bound_as(self, rel: str, name: str) -> list[tuple[str, str]]: ...


class Reach:
    """The functions found (`functions`) and the calls that may lead to one of them."""

    def __init__(
        self,
        functions: set[Function],
        names: set[tuple[str, str]],
        tails: set[str],
        sites: dict[str, list[int]],
    ) -> None:
        self.functions = functions
        self._names = names
        self._tails = tails
        self._sites = sites

    def calls(self, rel: str, facts: TelemetryFacts) -> list[CallSite]:
        """The calls of `rel` (whose facts are `facts`) that may lead to a function found, in
        file order."""
        return [facts.calls[position] for position in self._sites.get(rel, ())]

    def may_call(self, rel: str, callee: str, facts: TelemetryFacts | None) -> bool:
        """Whether a call of `callee` written in `rel` (whose facts are `facts`) may lead to a
        function found: what `calls` tells of the calls the facts hold, for any callee."""
        if facts is not None and callee in facts.functions:
            return (rel, callee) in self.functions
        head, _, rest = callee.partition(".")
        return rest in self._tails if rest else (rel, head) in self._names


def emitting(
    facts: Mapping[str, TelemetryFacts], counts: Callable[[Emission], bool]
) -> Iterator[Function]:
    """The functions holding an emission `counts` accepts: the seeds of a `CallIndex.reach`."""
    for rel, file_facts in facts.items():
        for emission in file_facts.emissions:
            if emission.in_function is not None and counts(emission):
                yield rel, emission.in_function


class CallIndex:
    """The call sites of a project's telemetry facts, by what their callee may name.

    Built once for the lessons judging together over the same facts (`judging_together`).
    """

    def __init__(self, facts: Mapping[str, TelemetryFacts]) -> None:
        self.facts = facts
        self._by_local: dict[Function, _Sites] = {}
        self._by_tail: dict[str, _Sites] = {}
        self._by_name: dict[tuple[str, str], _Sites] = {}
        by_local, by_tail, by_name = self._by_local, self._by_tail, self._by_name
        for rel, file_facts in facts.items():
            functions = file_facts.functions
            for position, site in enumerate(file_facts.calls):
                callee = site.callee
                if callee in functions:
                    by_local.setdefault((rel, callee), []).append((rel, position))
                    continue
                head, _, rest = callee.partition(".")
                if rest:
                    by_tail.setdefault(rest, []).append((rel, position))
                else:
                    by_name.setdefault((rel, head), []).append((rel, position))

    @classmethod
    def of(cls, facts: Mapping[str, TelemetryFacts]) -> CallIndex:
        """The index of `facts`, shared by the lessons judging together over them."""
        return built_once("ts-call-index", facts, lambda: cls(facts))

    def reach(
        self,
        seeds: Iterable[Function],
        follows: Callable[[CallSite], bool],
        resolver: object,
    ) -> Reach | None:
        """A superset of the least set of functions holding `seeds` and every function with a
        call `follows` accepts that may lead to a member, and the calls (followed or not, in a
        function or not) that may lead to a member; None when `resolver` is not `Aliasing`
        (then any call may lead anywhere)."""
        if not isinstance(resolver, Aliasing):
            return None
        facts = self.facts
        functions: set[Function] = set()
        names: set[tuple[str, str]] = set()
        tails: set[str] = set()
        hit: list[_Sites] = []
        found = list(seeds)

        def reached(sites: _Sites | None) -> None:
            if not sites:
                return
            hit.append(sites)
            for rel, position in sites:
                site = facts[rel].calls[position]
                if site.in_function is not None and follows(site):
                    found.append((rel, site.in_function))

        while found:
            function = found.pop()
            if function in functions:
                continue
            functions.add(function)
            rel, key = function
            reached(self._by_local.get(function))
            tail = key
            while True:
                if tail not in tails:
                    tails.add(tail)
                    reached(self._by_tail.get(tail))
                if "." not in tail:
                    break
                tail = tail.partition(".")[2]
            file_facts = facts.get(rel)
            bound = [function]
            if file_facts is not None and file_facts.default_export == key:
                bound.append((rel, "default"))
            while bound:
                name = bound.pop()
                if name in names:
                    continue
                names.add(name)
                reached(self._by_name.get(name))
                bound.extend(resolver.bound_as(*name))
        sites: dict[str, list[int]] = {}
        for group in hit:
            for rel, position in group:
                sites.setdefault(rel, []).append(position)
        for positions in sites.values():
            positions.sort()
        return Reach(functions, names, tails, sites)
