"""Python routes joined across modules at judge time: each route with everything above it.

`RouteIndex` joins the per-file facts of `routes`: every route is joined to its router, the
`include_router` / `register_blueprint` / `mount` / `Mount` edges above it across modules (names
resolved with `ImportIndex`: `app.include_router(orders.router)` where `orders` is
`from .routes import orders`), to the app at the top. A router included at two places yields
two resolved routes. An app handed to a function (`extend_main(app)`, `init_app(app=app)`, here
or imported) is linked to that function's parameter: what the function includes, mounts or adds
as middleware on the parameter counts as the passed app's (one call level; a parameter no call
is found for keeps its own name, as before). Flask's `register_blueprint(bp, url_prefix=...)`
replaces the blueprint's own `url_prefix` (as Flask does); FastAPI's include prefix is prepended
to the router's.
Django's url lists are joined by `django_routes.DjangoIndex`, and its routes come out of
`resolved_routes` with the others (rel: the view's file; `django`: what else may guard them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from pydantic import Field

from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.python.django_routes import DjangoGuard, DjangoIndex
from pytest_lessons.lang.python.imports import MODULE, ImportIndex
from pytest_lessons.lang.python.routes import (
    APP_KINDS,
    AppParameter,
    BeforeRequest,
    Dependency,
    Include,
    Middleware,
    Param,
    Route,
    RouteFacts,
    RouterDecl,
    join_paths,
    path_params,
)


class ResolvedDependency(Record):
    """A dependency with the file its `call` name is written in, and where that name leads."""

    dependency: Dependency
    rel: str
    target: tuple[str, str] | None = None


class Located(Record):
    rel: str
    middleware: Middleware | None = None
    before_request: BeforeRequest | None = None


class ResolvedRoute(Record):
    """A route with everything above it.

    `path` is the full URL path, or None when a prefix or the path itself is not a literal, or the
    chain does not reach an app declaration (`complete` False: a router nobody includes, as far
    as the scanned files show). `display_path` always exists, with unknown parts as `[expr]`.
    A prefix written as a constant or a settings attribute (`settings.API_V1_STR`) is looked up
    with `ImportIndex.constant`; `from_constants` says so, since a settings default may be
    overridden by the environment. `chain` lists the routers from the route's own up to the app,
    as `rel::name`.
    """

    rel: str
    route: Route
    path: str | None
    display_path: str
    params: list[str]
    complete: bool
    from_constants: bool = False
    chain: list[str]
    app: str | None
    dependencies: list[ResolvedDependency]
    middlewares: list[Located] = Field(default_factory=list)
    before_requests: list[Located] = Field(default_factory=list)
    django: DjangoGuard | None = None
    """For a Django route: what besides its decorators may guard it (`django_routes`)."""


_Node = tuple[str, str]
_MAX_CHAINS = 16
_CONSTRUCTED = re.compile(r"\s*([A-Za-z_][\w.]*)\s*\(")
"""A module-level value that is a constructor call: `orders = OrdersRouter(service=...)`."""


class RouteIndex:
    """Joins the route facts of many files along include edges (see the module docstring)."""

    def __init__(self, facts: Mapping[str, RouteFacts], imports: ImportIndex) -> None:
        self.facts = dict(facts)
        self.imports = imports
        self.decls: dict[_Node, tuple[str, RouterDecl]] = {}
        self.parents: dict[_Node, list[tuple[_Node, str, Include]]] = {}
        self.middlewares: dict[_Node, list[Located]] = {}
        self.hooks: dict[_Node, list[Located]] = {}
        for rel, file_facts in self.facts.items():
            for decl in file_facts.routers:
                self.decls[(rel, decl.name)] = (rel, decl)
        self.passed = self._passed_apps()
        for rel, file_facts in self.facts.items():
            for include in file_facts.includes:
                child = self.node(rel, include.router)
                for parent in self.apps(rel, include.app, include.scope):
                    if parent != child:
                        self.parents.setdefault(child, []).append((parent, rel, include))
            for middleware in file_facts.middlewares:
                for app in self.apps(rel, middleware.app, middleware.scope):
                    self.middlewares.setdefault(app, []).append(
                        Located(rel=rel, middleware=middleware)
                    )
            for hook in file_facts.before_requests:
                for app in self.apps(rel, hook.app, hook.scope):
                    self.hooks.setdefault(app, []).append(Located(rel=rel, before_request=hook))

    def _passed_apps(self) -> dict[tuple[str, str, str], list[_Node]]:
        """(file, function, parameter) -> the apps its callers pass (`extend_main(app)` in
        another module, `register(app=app)` here), each as the caller's name denotes it."""
        parameters: dict[tuple[str, str], list[AppParameter]] = {}
        for rel, file_facts in self.facts.items():
            for parameter in file_facts.app_parameters:
                parameters.setdefault((rel, parameter.function), []).append(parameter)
        passed: dict[tuple[str, str, str], list[_Node]] = {}
        if not parameters:
            return passed
        for rel, file_facts in self.facts.items():
            for call in file_facts.app_calls:
                target = self._target(rel, call.function)
                if target is None:
                    continue
                for parameter in parameters.get(target, []):
                    if (call.keyword is None and call.position == parameter.position) or (
                        call.keyword == parameter.name
                    ):
                        app = self.node(rel, call.argument)
                        key = (target[0], target[1], parameter.name)
                        if app not in passed.setdefault(key, []):
                            passed[key].append(app)
        return passed

    def apps(self, rel: str, name: str, scope: str | None) -> list[_Node]:
        """The routers `name` in `rel` denotes: for a parameter of function `scope`, the apps its
        callers pass (when a call is found); else `node(rel, name)`."""
        if scope is not None:
            head, _dot, rest = name.partition(".")
            passed = self.passed.get((rel, scope, head))
            if passed:
                return [(app[0], f"{app[1]}.{rest}" if rest else app[1]) for app in passed]
        return [self.node(rel, name)]

    def node(self, rel: str, name: str) -> _Node:
        """The router a name in `rel` denotes: where it is defined, else the name in `rel`."""
        if (rel, name) in self.decls:
            return (rel, name)
        found = self.imports.resolve(rel, name)
        if found is not None and found[1] != MODULE:
            return found
        held = self._class_held(rel, name)
        return held if held is not None else (rel, name)

    def _class_held(self, rel: str, name: str) -> _Node | None:
        """`applications.router` where `applications = ApplicationsRouter(...)` (here or
        imported) and the class holds `self.router = APIRouter()`: the class's router
        (`ApplicationsRouter.router`, as the routes layer names it), wherever the class is; also
        one object further down (`sessions.streams.router`, `self.streams = StreamsRouter()`)."""
        parts = name.split(".")
        if len(parts) < 2 or len(parts) > 4:
            return None
        head, *middle, attribute = parts
        instance = self.imports.resolve(rel, head)
        if instance is None or instance[1] == MODULE:
            instance = (rel, head)
        surface = self.imports.surfaces.get(instance[0])
        text = None if surface is None else surface.assignments.get(instance[1])
        match = None if text is None else _CONSTRUCTED.match(text)
        if match is None:
            return None
        cls = self.imports.resolve(instance[0], match.group(1))
        for step in middle:
            if cls is None or cls[1] == MODULE:
                return None
            kept = self.facts.get(cls[0], RouteFacts()).held.get(f"{cls[1]}.{step}")
            cls = None if kept is None else self.imports.resolve(cls[0], kept)
        if cls is None or cls[1] == MODULE:
            return None
        held = (cls[0], f"{cls[1]}.{attribute}")
        return held if held in self.decls else None

    def chains(self, start: _Node) -> list[list[tuple[_Node, str | None, Include | None]]]:
        """Every path from `start` up to a node nobody includes: [(node, rel of edge, edge)]."""
        finished: list[list[tuple[_Node, str | None, Include | None]]] = []
        stack: list[list[tuple[_Node, str | None, Include | None]]] = [[(start, None, None)]]
        while stack and len(finished) < _MAX_CHAINS:
            chain = stack.pop()
            top = chain[-1][0]
            ups = [up for up in self.parents.get(top, []) if up[0] not in {n for n, _, _ in chain}]
            if not ups:
                finished.append(chain)
                continue
            for parent, rel, include in reversed(ups):
                stack.append([*chain, (parent, rel, include)])
        return finished

    def resolved_routes(self) -> list[ResolvedRoute]:
        results: list[ResolvedRoute] = []
        app_wide = self._app_wide_hooks()
        for rel, file_facts in self.facts.items():
            for route in file_facts.routes:
                starts = self.apps(rel, route.router, route.scope) if route.router else [(rel, "")]
                for start in starts:
                    for chain in self.chains(start):
                        results.append(self._resolve(rel, route, chain, app_wide))
        for django in DjangoIndex(self.facts, self.imports).routes():
            results.append(
                ResolvedRoute(
                    rel=django.rel,
                    route=django.route,
                    path=django.display_path,
                    display_path=django.display_path,
                    params=django.route.params,
                    complete=True,
                    chain=[django.url_rel],
                    app=None,
                    dependencies=[],
                    django=django.guard,
                )
            )
        return results

    def _app_wide_hooks(self) -> dict[_Node, list[Located]]:
        found: dict[_Node, list[Located]] = {}
        for node, hooks in self.hooks.items():
            wide = [h for h in hooks if h.before_request is not None and h.before_request.app_wide]
            if wide:
                for chain in self.chains(node):
                    found.setdefault(chain[-1][0], []).extend(wide)
        return found

    def _resolve(
        self,
        rel: str,
        route: Route,
        chain: list[tuple[_Node, str | None, Include | None]],
        app_wide: Mapping[_Node, list[Located]],
    ) -> ResolvedRoute:
        segments: list[tuple[str, str | None, str | None]] = []  # (rel, literal, expr), top down
        dependencies: list[ResolvedDependency] = []
        middlewares: list[Located] = []
        hooks: list[Located] = []
        # chain[i] = (node, rel of the edge, edge from node down to chain[i - 1]'s node)
        for index in range(len(chain) - 1, -1, -1):
            node = chain[index][0]
            decl_entry = self.decls.get(node)
            if decl_entry is not None:
                decl_rel, decl = decl_entry
                incoming = chain[index + 1][2] if index + 1 < len(chain) else None
                replaced = (
                    incoming is not None
                    and incoming.kind == "register_blueprint"
                    and (incoming.prefix is not None or incoming.prefix_expr is not None)
                )
                if not replaced and (decl.prefix is not None or decl.prefix_expr is not None):
                    segments.append((decl_rel, decl.prefix, decl.prefix_expr))
                dependencies.extend(self._resolved(decl_rel, d) for d in decl.dependencies)
            middlewares.extend(self.middlewares.get(node, []))
            hooks.extend(self.hooks.get(node, []))
            edge_rel, edge = chain[index][1], chain[index][2]
            if index > 0 and edge is not None and edge_rel is not None:
                if edge.prefix is not None or edge.prefix_expr is not None:
                    segments.append((edge_rel, edge.prefix, edge.prefix_expr))
                dependencies.extend(self._resolved(edge_rel, d) for d in edge.dependencies)
        top = chain[-1][0]
        hooks.extend(h for h in app_wide.get(top, []) if h not in hooks)
        segments.append((rel, route.route_path, route.path_expr))
        parts: list[tuple[str | None, str | None]] = []
        from_constants = False
        for segment_rel, literal, expr in segments:
            if literal is None and expr is not None and re.fullmatch(r"[A-Za-z_][\w.]*", expr):
                literal = self.imports.constant(segment_rel, expr)
                from_constants = from_constants or literal is not None
            parts.append((literal, expr))
        known = all(literal is not None for literal, _expr in parts)
        display = (
            join_paths(
                *(literal if literal is not None else f"[{expr}]" for literal, expr in parts)
            )
            or "/"
        )
        top_decl = self.decls.get(top)
        complete = top_decl is not None and top_decl[1].kind in APP_KINDS
        for param in route.parameters:
            dependencies.extend(self._imported_aliases(rel, route, param))
        dependencies.extend(
            ResolvedDependency(dependency=d, rel=rel, target=self._target(rel, d.call))
            for d in route.dependencies
        )
        path = display if known and complete else None
        return ResolvedRoute(
            rel=rel,
            route=route,
            path=path,
            display_path=display,
            params=path_params(display),
            complete=complete,
            from_constants=from_constants,
            chain=[f"{node[0]}::{node[1]}" for node, _r, _e in chain],
            app=f"{top[0]}::{top[1]}" if complete else None,
            dependencies=dependencies,
            middlewares=middlewares,
            before_requests=hooks,
        )

    def _target(self, rel: str, call: str) -> tuple[str, str] | None:
        found = self.imports.resolve(rel, call)
        if found is not None:
            return found
        surface = self.imports.surfaces.get(rel)
        if surface is not None and call in surface.functions:
            return (rel, call)
        return None

    def _resolved(self, rel: str, dependency: Dependency) -> ResolvedDependency:
        return ResolvedDependency(
            dependency=dependency, rel=rel, target=self._target(rel, dependency.call)
        )

    def _imported_aliases(
        self, rel: str, route: Route, param: Param
    ) -> Iterator[ResolvedDependency]:
        """`user: CurrentUser` where `CurrentUser = Annotated[User, Depends(f)]` is elsewhere."""
        if (
            param.annotation is None
            or param.annotation in self.facts.get(rel, RouteFacts()).dependency_aliases
        ):
            return
        if not re.fullmatch(r"[A-Za-z_][\w.]*", param.annotation):
            return
        found = self.imports.resolve(rel, param.annotation)
        if found is None or found[1] == MODULE or found[0] == rel:
            return
        alias_facts = self.facts.get(found[0])
        if alias_facts is None:
            return
        for dependency in alias_facts.dependency_aliases.get(found[1], []):
            copied = dependency.model_copy(update={"param": param.name})
            yield ResolvedDependency(
                dependency=copied, rel=found[0], target=self._target(found[0], copied.call)
            )
