"""Django routes joined across modules: `urls.py` chains down to the views they name.

`routes.django` records each module's url lists, DRF router registrations, views and settings;
`DjangoIndex` walks the url lists from the roots (the module `ROOT_URLCONF` names, else every
url module nobody includes) through `include("shop.urls")`, `include(api_patterns)` and
`include(router.urls)`, joining the path segments as Django does (plain concatenation), down to
each view the repository defines. A function view gives one route with the methods a decorator
restricts it to (none known: `methods_known` False, and the lesson judges it by what it does);
a class view one route per HTTP method it serves: the verbs and ViewSet actions it (or a base
class in the repository) defines, the methods its generic bases bring (`CreateAPIView`: POST,
`ModelViewSet`: every action), `@action` methods under their own path. A DRF router gives a
list route (`orders/`) and a detail route (`orders/<pk>/`).

Each route carries a `DjangoGuard`: the permission classes in force (the view's, else the
`DEFAULT_PERMISSION_CLASSES` of the settings, for DRF views), its base classes (mixins such as
`LoginRequiredMixin`), the settings' middleware, and whether the view is DRF's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from pydantic import Field

from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.python.imports import MODULE, ImportIndex
from pytest_lessons.lang.python.routes import Route, RouteFacts
from pytest_lessons.lang.python.routes.django import (
    DjangoAction,
    DjangoFacts,
    DjangoPattern,
    DjangoSettings,
    DjangoView,
    regex_params,
)
from pytest_lessons.lang.python.routes.facts import path_params

__all__ = ["DjangoGuard", "DjangoIndex", "DjangoRoute"]

_MAX_DEPTH = 12
_ACTION_METHODS = {
    "list": "GET",
    "retrieve": "GET",
    "create": "POST",
    "update": "PUT",
    "partial_update": "PATCH",
    "destroy": "DELETE",
    "get": "GET",
    "post": "POST",
    "put": "PUT",
    "patch": "PATCH",
    "delete": "DELETE",
    "form_valid": "POST",
}
_DETAIL_ACTIONS = frozenset({"retrieve", "update", "partial_update", "destroy"})
_GENERIC_ACTIONS: dict[str, tuple[str, ...]] = {
    "ModelViewSet": ("list", "create", "retrieve", "update", "partial_update", "destroy"),
    "ReadOnlyModelViewSet": ("list", "retrieve"),
    "CreateModelMixin": ("create",),
    "ListModelMixin": ("list",),
    "RetrieveModelMixin": ("retrieve",),
    "UpdateModelMixin": ("update", "partial_update"),
    "DestroyModelMixin": ("destroy",),
    "CreateAPIView": ("post",),
    "ListAPIView": ("get",),
    "RetrieveAPIView": ("get",),
    "DestroyAPIView": ("delete",),
    "UpdateAPIView": ("put", "patch"),
    "ListCreateAPIView": ("get", "post"),
    "RetrieveUpdateAPIView": ("get", "put", "patch"),
    "RetrieveDestroyAPIView": ("get", "delete"),
    "RetrieveUpdateDestroyAPIView": ("get", "put", "patch", "delete"),
    "CreateView": ("get", "post"),
    "UpdateView": ("get", "post"),
    "DeleteView": ("get", "post", "delete"),
    "FormView": ("get", "post"),
    "BaseCreateView": ("get", "post"),
    "BaseUpdateView": ("get", "post"),
    "BaseDeleteView": ("get", "post", "delete"),
    "ProcessFormView": ("get", "post"),
    "RedirectView": ("get", "post", "put", "patch", "delete"),
    "TemplateView": ("get",),
    "ListView": ("get",),
    "DetailView": ("get",),
}
"""What a package's generic base class serves (by class name)."""
_DRF_BASE = re.compile(r"APIView$|ViewSet$|ViewSetMixin$")


class DjangoGuard(Record):
    """What may guard a Django route besides its decorators (see the module docstring)."""

    permission_classes: list[str] | None = None
    """In force for a DRF view (the view's own, else the settings' default); None: none set."""
    authentication_classes: list[str] | None = None
    bases: list[str] = Field(default_factory=list)
    """Every base class name up the repository's chain, outermost last."""
    classes: list[tuple[str, str]] = Field(default_factory=list)
    """The view class and its bases defined in the repository, as (file, class name), nearest
    first: a `self.method()` in an inherited handler runs the nearest definition."""
    middleware: list[str] = Field(default_factory=list)
    drf: bool = False
    effects_decide: bool = False
    """The methods are not known (a function view without a method decorator): the route is
    state-changing when its handler does something that changes state."""


class DjangoRoute(Record):
    """A Django route: the handler's file, the route (at the handler's `def`), its full path."""

    rel: str
    route: Route
    display_path: str
    url_rel: str
    guard: DjangoGuard


class DjangoIndex:
    def __init__(self, facts: Mapping[str, RouteFacts], imports: ImportIndex) -> None:
        self.facts = {rel: f.django for rel, f in facts.items() if _has(f.django)}
        self.imports = imports
        middleware: list[str] = []
        defaults: list[str] | None = None
        roots: list[str] = []
        for rel, django in sorted(self.facts.items()):
            if django.settings is not None:
                middleware.extend(django.settings.middleware)
                if django.settings.default_permission_classes is not None:
                    defaults = django.settings.default_permission_classes
                if django.settings.root_urlconf:
                    root = imports.find_module(django.settings.root_urlconf, near=rel)
                    if root is not None and root not in roots:
                        roots.append(root)
        self.settings = DjangoSettings(middleware=middleware, default_permission_classes=defaults)
        self.roots = roots or self._unincluded()

    # -- the url tree -----------------------------------------------------------------------------

    def _unincluded(self) -> list[str]:
        urls = [
            rel
            for rel, django in sorted(self.facts.items())
            if any(p.list_name == "urlpatterns" for p in django.patterns)
            or "urlpatterns" in {n for names in django.router_lists.values() for n in names}
        ]
        included: set[str] = set()
        for rel in urls:
            for pattern in self.facts[rel].patterns:
                if pattern.include_module is not None:
                    found = self.imports.find_module(pattern.include_module, near=rel)
                    if found is not None and found != rel:
                        included.add(found)
                elif pattern.include_name is not None:
                    name = pattern.include_name.removesuffix(".urls")
                    target = self.imports.resolve(rel, name)
                    if target is not None and target[0] != rel:
                        included.add(target[0])
        return [rel for rel in urls if rel not in included]

    def routes(self) -> list[DjangoRoute]:
        found: list[DjangoRoute] = []
        seen: set[tuple[str, str]] = set()
        for root in self.roots:
            found.extend(self._walk(root, "urlpatterns", "", 0, seen))
        return found

    def _walk(
        self, rel: str, list_name: str, prefix: str, depth: int, seen: set[tuple[str, str]]
    ) -> Iterator[DjangoRoute]:
        key = (rel, f"{list_name}@{prefix}")
        if depth > _MAX_DEPTH or key in seen or rel not in self.facts:
            return
        seen.add(key)
        django = self.facts[rel]
        for pattern in django.patterns:
            if pattern.list_name != list_name:
                continue
            path = prefix + _segment(pattern)
            if pattern.include_module is not None:
                target = self.imports.find_module(pattern.include_module, near=rel)
                if target is not None:
                    yield from self._walk(target, "urlpatterns", path, depth + 1, seen)
            elif pattern.include_name is not None:
                yield from self._include_name(rel, pattern.include_name, path, depth, seen)
            elif pattern.view is not None:
                yield from self._view_routes(rel, pattern, path)
        for router, lists in django.router_lists.items():
            if list_name in lists:
                yield from self._router(rel, router, prefix)

    def _include_name(
        self, rel: str, name: str, path: str, depth: int, seen: set[tuple[str, str]]
    ) -> Iterator[DjangoRoute]:
        if name.endswith(".urls"):
            router = name.removesuffix(".urls")
            owner = self._router_owner(rel, router)
            if owner is not None:
                yield from self._router(owner[0], owner[1], path)
                return
            found = self.imports.resolve(rel, router)
            if found is not None and found[1] == MODULE:
                yield from self._walk(found[0], "urlpatterns", path, depth + 1, seen)
            return
        if any(p.list_name == name for p in self.facts[rel].patterns):
            yield from self._walk(rel, name, path, depth + 1, seen)
            return
        found = self.imports.resolve(rel, name)
        if found is None:
            return
        target, attribute = found
        yield from self._walk(
            target, "urlpatterns" if attribute == MODULE else attribute, path, depth + 1, seen
        )

    def _router_owner(self, rel: str, router: str) -> tuple[str, str] | None:
        if any(r.router == router for r in self.facts[rel].registrations):
            return (rel, router)
        found = self.imports.resolve(rel, router)
        if found is not None and found[0] in self.facts and found[1] != MODULE:
            return found
        return None

    def _router(self, rel: str, router: str, prefix: str) -> Iterator[DjangoRoute]:
        owner = self._router_owner(rel, router)
        if owner is None:
            return
        for registration in self.facts[owner[0]].registrations:
            if registration.router != owner[1]:
                continue
            base = prefix + (registration.prefix or "").strip("^$").rstrip("/") + "/"
            view = self._view(owner[0], registration.viewset)
            if view is None:
                continue
            view_rel, found = view
            yield from self._class_routes(view_rel, found, base, owner[0], router_paths=True)

    # -- views ------------------------------------------------------------------------------------

    def _view(self, rel: str, name: str) -> tuple[str, DjangoView] | None:
        found = self.imports.resolve(rel, name)
        target = found if found is not None and found[1] != MODULE else None
        if target is None:
            target = (rel, name)
        django = self.facts.get(target[0])
        if django is None:
            return None
        for view in django.views:
            if view.name == target[1]:
                return target[0], view
        return None

    def _view_routes(self, rel: str, pattern: DjangoPattern, path: str) -> Iterator[DjangoRoute]:
        assert pattern.view is not None
        found = self._view(rel, pattern.view)
        if found is None:
            return
        view_rel, view = found
        if view.kind == "function":
            yield self._function_route(view_rel, view, pattern, path, rel)
            return
        actions = pattern.actions or None
        yield from self._class_routes(view_rel, view, path, rel, actions=actions, pattern=pattern)

    def _function_route(
        self, rel: str, view: DjangoView, pattern: DjangoPattern, path: str, url_rel: str
    ) -> DjangoRoute:
        drf = any(d.rsplit(".", 1)[-1] == "api_view" for d in view.decorators)
        guard = DjangoGuard(
            permission_classes=view.permission_classes
            if view.permission_classes is not None or not drf
            else self.settings.default_permission_classes,
            authentication_classes=view.authentication_classes,
            middleware=self.settings.middleware,
            drf=drf,
            effects_decide=view.methods is None,
        )
        route = self._route(
            rel,
            view.name,
            None,
            view.methods or [],
            path,
            pattern.regex,
            (view.line, view.column, view.end_line, view.end_column),
            [*pattern.wrappers, *view.decorators],
            view.decorator_texts,
            methods_known=view.methods is not None,
            is_async=view.is_async,
        )
        return DjangoRoute(
            rel=rel,
            route=route,
            display_path=_display(path, pattern.regex),
            url_rel=url_rel,
            guard=guard,
        )

    def _ancestry(self, rel: str, view: DjangoView) -> list[tuple[str, DjangoView]]:
        """The class and its bases defined in the repository, nearest first."""
        chain: list[tuple[str, DjangoView]] = [(rel, view)]
        index = 0
        while index < len(chain) and len(chain) < _MAX_DEPTH:
            current_rel, current = chain[index]
            for base in current.bases:
                found = self._view(current_rel, base)
                if found is not None and found not in chain:
                    chain.append(found)
            index += 1
        return chain

    def _class_routes(
        self,
        rel: str,
        view: DjangoView,
        path: str,
        url_rel: str,
        *,
        actions: dict[str, str] | None = None,
        pattern: DjangoPattern | None = None,
        router_paths: bool = False,
    ) -> Iterator[DjangoRoute]:
        chain = self._ancestry(rel, view)
        bases = [b for _r, v in chain for b in v.bases]
        drf = any(_DRF_BASE.search(b.rsplit(".", 1)[-1]) for b in bases)
        permissions = next(
            (v.permission_classes for _r, v in chain if v.permission_classes is not None), None
        )
        if permissions is None and drf:
            permissions = self.settings.default_permission_classes
        authentication = next(
            (v.authentication_classes for _r, v in chain if v.authentication_classes is not None),
            None,
        )
        guard = DjangoGuard(
            permission_classes=permissions,
            authentication_classes=authentication,
            bases=bases,
            classes=[(class_rel, each.name) for class_rel, each in chain],
            middleware=self.settings.middleware,
            drf=drf,
        )
        decorators = [d for _r, v in chain for d in v.decorators]
        if pattern is not None:
            decorators = [*pattern.wrappers, *decorators]
        allowed = next((v.methods for _r, v in chain if v.methods is not None), None)
        served = self._served(chain)
        regex = pattern.regex if pattern is not None else False
        for name, (method, at, extra) in served.items():
            if actions is not None and name not in actions.values():
                continue
            if (
                actions is None
                and router_paths is False
                and name
                in _DETAIL_ACTIONS
                | {
                    "list",
                    "create",
                }
            ):
                continue  # ViewSet actions are served only through a router or an action map
            if allowed is not None and method not in allowed:
                continue
            route_path = path
            if router_paths:
                if (extra is not None and extra.url_path is not None) or (
                    extra is not None and extra.methods is not None
                ):
                    segment = (extra.url_path or extra.name) + "/"
                    route_path = path + ("<pk>/" if extra.detail else "") + segment
                elif name in _DETAIL_ACTIONS:
                    route_path = path + "<pk>/"
                elif name not in ("list", "create"):
                    continue
            if at is None:
                position = (view.line, view.column, view.end_line, view.end_column)
                handler_rel, function = rel, view.name
            else:
                handler_rel, action = at
                position = (action.line, action.column, action.end_line, action.end_column)
                function = action.name
            methods = extra.methods if extra is not None and extra.methods else [method]
            own = extra.decorators if extra is not None else []
            route = self._route(
                handler_rel,
                function,
                view.name,
                methods,
                route_path,
                regex,
                position,
                [*decorators, *own],
                [],
                methods_known=True,
                is_async=False,
                defined=at is not None,
            )
            yield DjangoRoute(
                rel=handler_rel,
                route=route,
                display_path=_display(route_path, regex),
                url_rel=url_rel,
                guard=guard,
            )

    def _served(
        self, chain: list[tuple[str, DjangoView]]
    ) -> dict[str, tuple[str, tuple[str, DjangoAction] | None, DjangoAction | None]]:
        """Handler name -> (HTTP method, where it is defined or None, the `@action`)."""
        served: dict[str, tuple[str, tuple[str, DjangoAction] | None, DjangoAction | None]] = {}
        for rel, view in chain:
            for action in view.actions:
                if action.name in served:
                    continue
                if action.methods is not None:
                    served[action.name] = (action.methods[0], (rel, action), action)
                elif action.name in _ACTION_METHODS:
                    served[action.name] = (_ACTION_METHODS[action.name], (rel, action), None)
        for _rel, view in chain:
            for base in view.bases:
                for name in _GENERIC_ACTIONS.get(base.rsplit(".", 1)[-1], ()):
                    served.setdefault(name, (_ACTION_METHODS[name], None, None))
        served.pop("form_valid", None) if "post" in served else None
        return served

    def _route(
        self,
        rel: str,
        function: str,
        class_name: str | None,
        methods: list[str],
        path: str,
        regex: bool,
        position: tuple[int, int, int, int],
        decorators: list[str],
        decorator_texts: list[str],
        *,
        methods_known: bool,
        is_async: bool,
        defined: bool = True,
    ) -> Route:
        display = _display(path, regex)
        params = regex_params(path) if regex else path_params(display)
        return Route(
            framework="django",
            methods=methods,
            methods_known=methods_known,
            path=display,
            route_path=display,
            params=params,
            function=function,
            class_name=class_name,
            endpoint_defined=defined,
            is_async=is_async,
            line=position[0],
            column=position[1],
            end_line=position[2],
            end_column=position[3],
            router=None,
            decorators=decorators,
            decorator_texts=decorator_texts,
        )


def _has(django: DjangoFacts) -> bool:
    return bool(
        django.patterns
        or django.registrations
        or django.views
        or django.settings is not None
        or django.router_lists
    )


def _segment(pattern: DjangoPattern) -> str:
    route = pattern.route or ""
    if pattern.regex:
        route = route.removeprefix("^").removesuffix("$")
    return route


def _display(path: str, regex: bool) -> str:
    if regex:
        path = re.sub(r"\(\?P<([A-Za-z_]\w*)>[^)]*\)", r"<\1>", path).replace("^", "")
        path = path.replace("$", "")
    return "/" + path.lstrip("/")
