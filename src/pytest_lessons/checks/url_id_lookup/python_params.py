"""Joining Python handlers to their path parameters and dependencies, across modules.

A FastAPI path parameter can arrive in three places: the handler's own parameter of that name,
a dependency (or a dependency of a dependency) that declares the same name, since FastAPI
resolves path parameters into dependencies too, or a `request.path_params[...]` read. And the
parameter itself may come from a router prefix declared in another module
(`APIRouter(prefix="/orders/{order_id}")` included elsewhere). `RouteIndex` gives the full path;
this module follows the dependencies (`ImportIndex` resolves their names) and gathers the
flows of one parameter from every function that receives it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from pydantic import Field

from pytest_lessons.checks.url_id_lookup.python_flow import (
    RANK,
    FunctionFlow,
    NameFlow,
    Span,
    Verdict,
)
from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.python.imports import MODULE, ImportIndex
from pytest_lessons.lang.python.route_index import ResolvedDependency, ResolvedRoute, RouteIndex
from pytest_lessons.lang.python.routes import RouteFacts
from pytest_lessons.lang.python.surface import ModuleSurface

__all__ = [
    "Flows",
    "JudgedRoute",
    "ParamVerdict",
    "PythonFacts",
    "Reached",
    "RouteContext",
    "param_verdicts",
]

_MAX_DEPTH = 6
_DEPENDS_IN_TEXT = re.compile(r"\b(?:Depends|Security)\(\s*([A-Za-z_][\w.]*)")


class PythonFacts(Record):
    """One Python file's share: what the route and import layers need, and its function flows."""

    surface: ModuleSurface
    routes: RouteFacts
    functions: list[FunctionFlow] = Field(default_factory=list)


@dataclass
class ParamVerdict:
    """One path parameter of one resolved route, and everything the lesson decides with."""

    rel: str
    route: ResolvedRoute
    name: str
    verdict: Verdict
    last: bool
    exempt_unread: bool
    uncertain: bool
    """A dependency could not be followed: it might receive the parameter."""
    where: Span
    display_calls: list[str] = field(default_factory=list)
    permission_calls: list[str] = field(default_factory=list)
    other_lookup: str | None = None


@dataclass
class Reached:
    flows: list[FunctionFlow] = field(default_factory=list)
    unresolved: bool = False


class Flows:
    def __init__(self, facts: Mapping[str, PythonFacts], imports: ImportIndex) -> None:
        self.imports = imports
        self.facts = facts
        self.by_position: dict[tuple[str, int, int], FunctionFlow] = {}
        self.by_name: dict[tuple[str, str], FunctionFlow] = {}
        self.read_elsewhere: set[str] = set()
        """Names some non-handler reads from the request (`request.view_args.get("org")`):
        a resolver like Flask's `current_org` proxy, so a handler need not read them."""
        for rel, file_facts in facts.items():
            for flow in file_facts.functions:
                self.by_position[(rel, flow.line, flow.column)] = flow
                self.by_name.setdefault((rel, flow.name), flow)
                if not flow.is_handler:
                    self.read_elsewhere.update(read.name for read in flow.path_reads)

    def target(self, rel: str, call: str) -> tuple[str, str] | None:
        found = self.imports.resolve(rel, call)
        if found is not None:
            return found
        surface = self.facts[rel].surface if rel in self.facts else None
        if surface is not None and (call in surface.functions or call in surface.classes):
            return (rel, call)
        return None

    def flows_of(self, target: tuple[str, str]) -> list[FunctionFlow] | None:
        """The flows of a dependency: a function, or a class's `__init__`/`__call__`.

        None when the name leads outside the scanned files (a library's dependency), which
        might receive the parameter; an empty list when it is known to receive nothing.
        """
        rel, name = target
        if rel not in self.facts or name == MODULE:
            return None
        # an instance assigned at module level (`oauth2_scheme = OAuth2PasswordBearer(...)`)
        # is known too: it is not followed, and taken to receive no path parameter
        found = [
            self.by_name[(rel, candidate)]
            for candidate in (name, f"{name}.__init__", f"{name}.__call__")
            if (rel, candidate) in self.by_name
        ]
        # `Depends(OrgPolicyGuard(...))`: FastAPI calls the function the factory returns
        returned = [
            self.by_name[(rel, flow.returns_function)]
            for flow in found
            if flow.returns_function is not None and (rel, flow.returns_function) in self.by_name
        ]
        return found + returned

    def class_dependencies(self, rel: str, name: str) -> Iterator[tuple[str, str]]:
        """`(rel, call)` of the `Depends(...)` class attributes of a class-based view.

        The route layer sees those of the class and of base classes in the same file; a base
        class in another module (`group: Group = Depends(get_public_group)` on a shared
        controller base) is found here through the import index.
        """
        seen: set[tuple[str, str]] = set()
        pending = [(rel, name)]
        while pending and len(seen) < _MAX_DEPTH * 4:
            current = pending.pop()
            if current in seen or current[0] not in self.facts:
                continue
            seen.add(current)
            cls = self.facts[current[0]].surface.classes.get(current[1])
            if cls is None:
                continue
            for value in cls.attributes.values():
                for call in _DEPENDS_IN_TEXT.findall(value):
                    yield current[0], call
            for base in cls.bases:
                found = self.target(current[0], base)
                if found is not None:
                    pending.append(found)

    def reach(
        self,
        dependencies: Iterable[ResolvedDependency],
        extra: Iterable[tuple[str, str]] = (),
    ) -> Reached:
        """Every function the route's dependencies lead to, dependencies of dependencies too."""
        reached = Reached()
        seen: set[tuple[str, str]] = set()
        pending: list[tuple[tuple[str, str] | None, int]] = [
            (d.target or self.target(d.rel, d.dependency.call), 0) for d in dependencies
        ]
        pending.extend((self.target(rel, call), 0) for rel, call in extra)
        while pending:
            target, depth = pending.pop()
            if target is None:
                reached.unresolved = True
                continue
            if target in seen or depth > _MAX_DEPTH:
                continue
            seen.add(target)
            flows = self.flows_of(target)
            if flows is None:
                reached.unresolved = True
                continue
            for flow in flows:
                reached.flows.append(flow)
                pending.extend(
                    (self.target(target[0], call), depth + 1) for call in flow.depends.values()
                )
        return reached


def _named(flows: Iterable[FunctionFlow], name: str) -> list[NameFlow]:
    found: list[NameFlow] = []
    for flow in flows:
        found.extend(f for f in flow.params if f.name == name)
        found.extend(f for f in flow.path_reads if f.name == name)
    return found


def _route_span(route: ResolvedRoute) -> Span:
    return Span(
        line=route.route.line,
        column=route.route.column,
        end_line=route.route.end_line,
        end_column=route.route.end_column,
    )


def _judge_param(
    resolved: ResolvedRoute,
    handler: FunctionFlow,
    reached: Reached,
    name: str,
    last: bool,
    read_elsewhere: bool,
) -> ParamVerdict:
    own = _named([handler], name)
    received = own + _named(reached.flows, name)
    verdict: Verdict = "unread"
    for flow in received:
        if RANK[flow.verdict] > RANK[verdict]:
            verdict = flow.verdict
    if handler.whole_path_params or any(f.whole_path_params for f in reached.flows):
        verdict = "use"
    declared = name in handler.param_spans
    route = resolved.route
    exempt = (
        bool(route.decorators)
        or handler.var_keyword
        or handler.hands_on_request
        or handler.trivial
        or reached.unresolved
        or read_elsewhere
        or (route.framework == "flask" and not declared)
    )
    reads = sorted((f.first for f in own if f.first is not None), key=lambda s: (s.line, s.column))
    if reads:
        where = reads[0]
    elif declared:
        where = handler.param_spans[name]
    else:
        where = _route_span(resolved)
    return ParamVerdict(
        rel=resolved.rel,
        route=resolved,
        name=name,
        verdict=verdict,
        last=last,
        exempt_unread=exempt,
        uncertain=reached.unresolved,
        where=where,
        display_calls=[c for f in received for c in f.display_calls],
        permission_calls=[c for f in received for c in f.permission_calls],
        other_lookup=handler.lookups[0] if handler.lookups else None,
    )


def _under_url_names(handler: FunctionFlow) -> FunctionFlow:
    """The handler with each parameter FastAPI binds to a path parameter of another name
    (`artifact_id: UUID = Path(alias="id")`) renamed to that path parameter, so the value of
    `/{id}` is followed and reported as `id` like any other."""
    if not handler.path_aliases:
        return handler
    url = {python: path for path, python in handler.path_aliases.items()}

    def name(value: str) -> str:
        return url.get(value, value)

    return handler.model_copy(
        update={
            "params": [f.model_copy(update={"name": name(f.name)}) for f in handler.params],
            "param_spans": {name(k): v for k, v in handler.param_spans.items()},
            "depends": {name(k): v for k, v in handler.depends.items()},
            "bodies": [name(b) for b in handler.bodies],
            "writes": [
                w.model_copy(
                    update={
                        "reached_by": [name(r) for r in w.reached_by],
                        "key_by": [name(k) for k in w.key_by],
                        "spreads": [(name(a), name(b)) for a, b in w.spreads],
                        "key_meets": {name(k): v for k, v in w.key_meets.items()},
                    }
                )
                for w in handler.writes
            ],
        }
    )


@dataclass
class JudgedRoute:
    """One route whose handler is known, and the dependency functions it reaches."""

    resolved: ResolvedRoute
    handler: FunctionFlow
    reached: Reached


class RouteContext:
    """The routes of the scanned files joined to the flows of their handlers and dependencies,
    built once per judgement for every shape of the lesson."""

    def __init__(self, facts: Mapping[str, PythonFacts]) -> None:
        imports = ImportIndex({rel: f.surface for rel, f in facts.items()}, files=facts.keys())
        index = RouteIndex({rel: f.routes for rel, f in facts.items()}, imports)
        self.flows = Flows(facts, imports)
        self.resolved_routes = index.resolved_routes()
        self.routes: list[JudgedRoute] = []
        for resolved in self.resolved_routes:
            route = resolved.route
            if not route.endpoint_defined or not resolved.params:
                continue
            if route.methods and all(m in ("OPTIONS", "HEAD") for m in route.methods):
                continue
            handler = self.flows.by_position.get((resolved.rel, route.line, route.column))
            if handler is None or handler.trivial:
                continue  # unknown, or a stub that fetches nothing at all
            handler = _under_url_names(handler)
            owner = route.class_name
            extra = self.flows.class_dependencies(resolved.rel, owner) if owner else ()
            reached = self.flows.reach(resolved.dependencies, extra)
            self.routes.append(JudgedRoute(resolved, handler, reached))


def param_verdicts(context: RouteContext) -> Iterable[ParamVerdict]:
    """A verdict per (handler, path parameter), over every resolved route of the scanned files."""
    flows = context.flows
    done: set[tuple[str, int, int, str]] = set()
    # One handler under several route decorators (`@get("/wallet")` and
    # `@get("/wallet/{wallet_id}")` serving one page shell) cannot rely on a parameter that some
    # of its paths lack: the id is for whoever reads the URL after it (a client router).
    path_sets: dict[tuple[str, int, int], list[set[str]]] = {}
    for resolved in context.resolved_routes:
        at = (resolved.rel, resolved.route.line, resolved.route.column)
        path_sets.setdefault(at, []).append(set(resolved.params))
    for judged in context.routes:
        resolved, handler, reached = judged.resolved, judged.handler, judged.reached
        route = resolved.route
        names = list(dict.fromkeys(resolved.params))
        for position, name in enumerate(names):
            key = (resolved.rel, route.line, route.column, name)
            if key in done:
                continue
            done.add(key)
            last = position == len(names) - 1
            elsewhere = name in flows.read_elsewhere or any(
                name not in params for params in path_sets[(resolved.rel, route.line, route.column)]
            )
            yield _judge_param(resolved, handler, reached, name, last, elsewhere)
