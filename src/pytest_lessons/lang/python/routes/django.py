"""Django and Django REST framework entry points, read per file with stdlib `ast`.

Django declares a route in one module and its handler in another: `urls.py` maps a path to a
view (`path("orders/<int:pk>/", views.order_detail)`), includes other url modules
(`include("shop.urls")`, `include(router.urls)`), and the view module says what the handler
accepts and what guards it. So a file yields three kinds of records, joined across modules by
`django_index.DjangoIndex` at judge time:

- url patterns (`DjangoPattern`): every `path()`/`re_path()`/`url()` in a module-level list
  (`urlpatterns = [...]`, `urlpatterns += [...]`, or any list an `include(name)` may name), with
  the view as a dotted name (`views.order_detail`, `OrderView` for `OrderView.as_view()`), the
  wrappers applied in `urls.py` (`login_required(...)`, `csrf_exempt(...)`), the ViewSet action
  map of `as_view({"post": "create"})`, or the included module or list; and DRF router
  registrations (`router.register(r"orders", OrderViewSet)`);
- views (`DjangoView`): module-level functions that take `request` (or carry `@api_view`), with
  their decorators, the methods they accept when a decorator restricts them (`require_POST`,
  `require_http_methods([...])`, `api_view([...])`) and the permission classes a
  `@permission_classes([...])` gives; and classes, with their bases, the handler methods they
  define (HTTP verbs, ViewSet actions, `@action` methods), `permission_classes` /
  `authentication_classes` attributes and `method_decorator(...)` decorators;
- settings (`DjangoSettings`): `MIDDLEWARE`, `ROOT_URLCONF` and the `REST_FRAMEWORK` dict's
  `DEFAULT_PERMISSION_CLASSES`.

Positions follow the routes layer: a handler's `def` line, its 1-based column.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from typing import Any

from pydantic import Field

from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.python.routes.ast_syntax import ast_dotted, call_arguments

__all__ = [
    "DjangoAction",
    "DjangoFacts",
    "DjangoPattern",
    "DjangoRegistration",
    "DjangoSettings",
    "DjangoView",
    "django_facts",
    "regex_params",
]

_MARKERS = re.compile(rb"django|rest_framework|urlpatterns")
_PATH_CALLS = frozenset({"path", "re_path", "url"})
_METHOD_DECORATORS = {
    "require_POST": ["POST"],
    "require_GET": ["GET"],
    "require_safe": ["GET", "HEAD"],
}
_HANDLER_NAMES = frozenset(
    {
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "head",
        "options",
        "list",
        "create",
        "retrieve",
        "update",
        "partial_update",
        "destroy",
        "form_valid",
    }
)
_REGEX_PARAM = re.compile(r"\(\?P<([A-Za-z_]\w*)>")


class DjangoPattern(Record):
    """One `path()`/`re_path()`/`url()` of a url list (`list_name`), or an `include` of one."""

    list_name: str
    route: str | None
    regex: bool = False
    view: str | None = None
    as_view: bool = False
    actions: dict[str, str] = Field(default_factory=dict)
    wrappers: list[str] = Field(default_factory=list)
    include_module: str | None = None
    include_name: str | None = None
    line: int
    column: int


class DjangoRegistration(Record):
    """`router.register(r"orders", OrderViewSet)` of a DRF router."""

    router: str
    prefix: str | None
    viewset: str
    line: int
    column: int


class DjangoAction(Record):
    """A handler method of a class view: an HTTP verb, a ViewSet action or an `@action`."""

    name: str
    line: int
    column: int
    end_line: int
    end_column: int
    decorators: list[str] = Field(default_factory=list)
    methods: list[str] | None = None
    """`@action(methods=["post"])`'s methods (upper-case); None for a plain method."""
    detail: bool | None = None
    url_path: str | None = None
    params: list[str] = Field(default_factory=list)


class DjangoView(Record):
    """A function view or a class that may be a view (judged when a url names it)."""

    name: str
    kind: str  # "function" | "class"
    line: int
    column: int
    end_line: int
    end_column: int
    decorators: list[str] = Field(default_factory=list)
    decorator_texts: list[str] = Field(default_factory=list)
    methods: list[str] | None = None
    permission_classes: list[str] | None = None
    authentication_classes: list[str] | None = None
    bases: list[str] = Field(default_factory=list)
    actions: list[DjangoAction] = Field(default_factory=list)
    params: list[str] = Field(default_factory=list)
    is_async: bool = False


class DjangoSettings(Record):
    middleware: list[str] = Field(default_factory=list)
    root_urlconf: str | None = None
    default_permission_classes: list[str] | None = None


class DjangoFacts(Record):
    patterns: list[DjangoPattern] = Field(default_factory=list)
    registrations: list[DjangoRegistration] = Field(default_factory=list)
    router_lists: dict[str, list[str]] = Field(default_factory=dict)
    """`urlpatterns += router.urls`: the url lists that take a router's routes, by router."""
    views: list[DjangoView] = Field(default_factory=list)
    settings: DjangoSettings | None = None


def regex_params(route: str | None) -> list[str]:
    """The named groups of a `re_path` pattern: `(?P<pk>[0-9]+)` gives `pk`."""
    return [] if route is None else _REGEX_PARAM.findall(route)


def django_facts(
    data: bytes, text: str, parse: Callable[[], ast.Module] | None = None
) -> DjangoFacts:
    """The Django records of one module; empty for a module that names no Django at all, or
    that `ast` cannot parse (the other layers report unparsable files). `parse` gives the
    module's shared tree (`ast_source.ast_module`) instead of parsing `text` again."""
    if not _MARKERS.search(data):
        return DjangoFacts()
    try:
        tree = ast.parse(text) if parse is None else parse()
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return DjangoFacts()
    reader = _Reader(text)
    reader.read(tree)
    return reader.facts


def _string(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _strings(node: ast.AST | None) -> list[str] | None:
    if not isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return None
    values = [_string(element) for element in node.elts]
    return None if any(v is None for v in values) else [v for v in values if v is not None]


def _names(node: ast.AST | None) -> list[str] | None:
    """`[IsAuthenticated, perms.IsOwner]` (dotted names; calls by their callee), else None."""
    if not isinstance(node, (ast.List, ast.Tuple)):
        return None
    found: list[str] = []
    for element in node.elts:
        name = ast_dotted(element.func if isinstance(element, ast.Call) else element)
        if name is None:
            return None
        found.append(name)
    return found


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _decorator_name(node: ast.expr) -> str:
    return ast_dotted(node.func if isinstance(node, ast.Call) else node) or "?"


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.facts = DjangoFacts()

    def read(self, tree: ast.Module) -> None:
        settings: dict[str, Any] = {"middleware": []}
        has_settings = False
        for statement in tree.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._function(statement)
            elif isinstance(statement, ast.ClassDef):
                self._class(statement)
            elif isinstance(statement, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                has_settings |= self._assignment(statement, settings)
            elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
                self._registration(statement.value)
        if has_settings:
            self.facts = self.facts.model_copy(update={"settings": DjangoSettings(**settings)})

    # -- urls -------------------------------------------------------------------------------------

    def _assignment(
        self, node: ast.Assign | ast.AugAssign | ast.AnnAssign, settings: dict[str, Any]
    ) -> bool:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        if not names or value is None:
            return False
        name = names[0]
        if name == "MIDDLEWARE" or name == "MIDDLEWARE_CLASSES":
            found = _strings(value) or []
            settings["middleware"].extend(found)
            return True
        if name == "ROOT_URLCONF":
            settings["root_urlconf"] = _string(value)
            return True
        if name == "REST_FRAMEWORK" and isinstance(value, ast.Dict):
            for key, item in zip(value.keys, value.values, strict=True):
                if _string(key) == "DEFAULT_PERMISSION_CLASSES":
                    settings["default_permission_classes"] = _strings(item) or [
                        n for n in (_names(item) or []) if n
                    ]
            return True
        self._url_list(name, value)
        return False

    def _url_list(self, name: str, value: ast.expr) -> None:
        """`urlpatterns = [path(...), ...]`, `+= router.urls`, `= [...] + router.urls`."""
        if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
            self._url_list(name, value.left)
            self._url_list(name, value.right)
            return
        if isinstance(value, ast.Attribute) and value.attr == "urls":
            router = ast_dotted(value.value)
            if router is not None:
                self.facts.router_lists.setdefault(router, []).append(name)
            return
        if isinstance(value, ast.Call) and ast_dotted(value.func) in (
            "format_suffix_patterns",
            "i18n_patterns",
        ):
            if value.args:
                self._url_list(name, value.args[0])
            return
        if not isinstance(value, (ast.List, ast.Tuple)):
            return
        for element in value.elts:
            if isinstance(element, ast.Call):
                pattern = self._pattern(name, element)
                if pattern is not None:
                    self.facts.patterns.append(pattern)

    def _pattern(self, list_name: str, call: ast.Call) -> DjangoPattern | None:
        callee = ast_dotted(call.func)
        short = callee.rsplit(".", 1)[-1] if callee else None
        if short not in _PATH_CALLS:
            return None
        arguments = [value for keyword, star, value in call_arguments(call) if not star]
        positional = [v for (k, s, v) in call_arguments(call) if k is None and not s]
        route = _string(positional[0]) if positional else _string(_keyword(call, "route"))
        view = positional[1] if len(positional) > 1 else _keyword(call, "view")
        if view is None and arguments:
            return None
        fields: dict[str, Any] = {"wrappers": [], "actions": {}}
        self._view(fields, view)
        return DjangoPattern(
            list_name=list_name,
            route=route,
            regex=short != "path",
            line=call.lineno,
            column=call.col_offset + 1,
            **fields,
        )

    def _view(self, pattern: dict[str, Any], view: ast.expr | None) -> None:
        """Unwrap `login_required(csrf_exempt(V.as_view()))` into wrappers and a view name."""
        while isinstance(view, ast.Call):
            callee = ast_dotted(view.func)
            if callee is not None and callee.rsplit(".", 1)[-1] == "include":
                target = view.args[0] if view.args else None
                if isinstance(target, ast.Tuple) and target.elts:
                    target = target.elts[0]  # include((patterns, "app_name"))
                pattern["include_module"] = _string(target)
                if pattern["include_module"] is None:
                    if isinstance(target, ast.Attribute) and target.attr == "urls":
                        pattern["include_name"] = ast_dotted(target)
                    else:
                        pattern["include_name"] = ast_dotted(target)
                return
            if isinstance(view.func, ast.Attribute) and view.func.attr == "as_view":
                pattern["as_view"] = True
                pattern["view"] = ast_dotted(view.func.value)
                if view.args and isinstance(view.args[0], ast.Dict):
                    for key, value in zip(view.args[0].keys, view.args[0].values, strict=True):
                        method, action = _string(key), _string(value)
                        if method is not None and action is not None:
                            pattern["actions"][method.upper()] = action
                return
            if callee is None or not view.args:
                return
            pattern["wrappers"].append(callee)
            view = view.args[0]
        pattern["view"] = ast_dotted(view)

    def _registration(self, call: ast.Call) -> None:
        if not (isinstance(call.func, ast.Attribute) and call.func.attr == "register"):
            return
        router = ast_dotted(call.func.value)
        positional = [v for (k, s, v) in call_arguments(call) if k is None and not s]
        prefix = _string(positional[0]) if positional else _string(_keyword(call, "prefix"))
        viewset_node = positional[1] if len(positional) > 1 else _keyword(call, "viewset")
        viewset = ast_dotted(viewset_node)
        if router is None or viewset is None:
            return
        self.facts.registrations.append(
            DjangoRegistration(
                router=router,
                prefix=prefix,
                viewset=viewset,
                line=call.lineno,
                column=call.col_offset + 1,
            )
        )

    # -- views ------------------------------------------------------------------------------------

    def _text(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.text, node) or ""

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        params = [a.arg for a in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]]
        decorators = [_decorator_name(d) for d in node.decorator_list]
        shorts = {d.rsplit(".", 1)[-1] for d in decorators}
        if not (params[:1] == ["request"] or "api_view" in shorts):
            return
        fields: dict[str, Any] = {
            "name": node.name,
            "kind": "function",
            "line": node.lineno,
            "column": node.col_offset + 1,
            "end_line": node.end_lineno or node.lineno,
            "end_column": (node.end_col_offset or 0) + 1,
            "decorators": decorators,
            "decorator_texts": [self._text(d) for d in node.decorator_list],
            "params": params[1:],
            "is_async": isinstance(node, ast.AsyncFunctionDef),
        }
        for decorator in node.decorator_list:
            self._function_decorator(fields, decorator)
        self.facts.views.append(DjangoView(**fields))

    def _function_decorator(self, view: dict[str, Any], decorator: ast.expr) -> None:
        short = _decorator_name(decorator).rsplit(".", 1)[-1]
        if short in _METHOD_DECORATORS:
            view["methods"] = list(_METHOD_DECORATORS[short])
        elif short in ("require_http_methods", "api_view") and isinstance(decorator, ast.Call):
            found = _strings(decorator.args[0]) if decorator.args else None
            if found is None and short == "api_view" and not decorator.args:
                found = _strings(_keyword(decorator, "http_method_names")) or ["GET"]
            if found is not None:
                view["methods"] = sorted({m.upper() for m in found}, key=_method_order)
        elif short == "api_view":
            view["methods"] = ["GET"]  # `@api_view` without arguments serves GET only
        elif short == "permission_classes" and isinstance(decorator, ast.Call):
            view["permission_classes"] = _names(decorator.args[0]) if decorator.args else None
        elif short == "authentication_classes" and isinstance(decorator, ast.Call):
            view["authentication_classes"] = _names(decorator.args[0]) if decorator.args else None

    def _class(self, node: ast.ClassDef) -> None:
        bases = [name for name in (ast_dotted(b) for b in node.bases) if name]
        if not bases:
            return
        view: dict[str, Any] = {
            "name": node.name,
            "kind": "class",
            "line": node.lineno,
            "column": node.col_offset + 1,
            "end_line": node.end_lineno or node.lineno,
            "end_column": (node.end_col_offset or 0) + 1,
            "bases": bases,
            "decorators": [],
            "actions": [],
        }
        for decorator in node.decorator_list:
            view["decorators"].extend(self._method_decorator(decorator, class_level=True))
        for statement in node.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._method(view, statement)
            elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
                targets = (
                    statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                )
                for target in targets:
                    if not isinstance(target, ast.Name):
                        continue
                    if target.id == "permission_classes":
                        view["permission_classes"] = _names(statement.value) or (
                            [] if _names(statement.value) == [] else None
                        )
                    elif target.id == "authentication_classes":
                        view["authentication_classes"] = _names(statement.value)
                    elif target.id == "http_method_names":
                        found = _strings(statement.value)
                        if found is not None:
                            view["methods"] = sorted({m.upper() for m in found}, key=_method_order)
        self.facts.views.append(DjangoView(**view))

    def _method_decorator(self, decorator: ast.expr, *, class_level: bool) -> list[str]:
        """`@method_decorator(login_required, name="dispatch")` gives `login_required`;
        `method_decorator([a, b])` both."""
        name = _decorator_name(decorator)
        if name.rsplit(".", 1)[-1] != "method_decorator" or not isinstance(decorator, ast.Call):
            return [] if class_level else [name]
        if class_level:
            target = _string(_keyword(decorator, "name"))
            if target not in ("dispatch", None) and target not in _HANDLER_NAMES:
                return []
        inner = decorator.args[0] if decorator.args else None
        items = inner.elts if isinstance(inner, (ast.List, ast.Tuple)) else [inner]
        return [_decorator_name(item) for item in items if item is not None]

    def _method(self, view: dict[str, Any], node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        decorators: list[str] = []
        action: ast.Call | None = None
        for decorator in node.decorator_list:
            decorators.extend(self._method_decorator(decorator, class_level=False))
            if _decorator_name(decorator).rsplit(".", 1)[-1] in (
                "action",
                "detail_route",
                "list_route",
            ):
                action = decorator if isinstance(decorator, ast.Call) else None
                if action is None:
                    action = ast.Call(func=decorator, args=[], keywords=[])
        if node.name == "dispatch":
            view["decorators"].extend(d for d in decorators if d != "?")
            return
        if node.name not in _HANDLER_NAMES and action is None:
            return
        entry: dict[str, Any] = {
            "name": node.name,
            "line": node.lineno,
            "column": node.col_offset + 1,
            "end_line": node.end_lineno or node.lineno,
            "end_column": (node.end_col_offset or 0) + 1,
            "decorators": [d for d in decorators if d.rsplit(".", 1)[-1] != "action"],
            "params": [a.arg for a in node.args.args[1:] if a.arg != "request"]
            + [a.arg for a in node.args.kwonlyargs],
        }
        if action is not None:
            methods = _strings(_keyword(action, "methods"))
            entry["methods"] = sorted({m.upper() for m in methods or ["get"]}, key=_method_order)
            detail = _keyword(action, "detail")
            if isinstance(detail, ast.Constant) and isinstance(detail.value, bool):
                entry["detail"] = detail.value
            entry["url_path"] = _string(_keyword(action, "url_path"))
        view["actions"].append(DjangoAction(**entry))


_ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE")


def _method_order(method: str) -> int:
    return _ORDER.index(method) if method in _ORDER else len(_ORDER)
