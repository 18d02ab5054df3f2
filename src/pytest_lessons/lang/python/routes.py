"""HTTP entry points of Python web apps: FastAPI, Starlette and Flask routes, routers, includes.

`worker-route-auth` (what guards a mutating handler), `url-id-lookup` (which path parameters a
handler receives) and `telemetry-isolation` (which functions are request handlers) must agree on
what a route is, so it is extracted here once per file (`file.derived("py-routes-v1", ...)`) and
joined across files at judge time by `route_index.RouteIndex`.

Per file (`route_facts`):

- Routes: decorators `@<receiver>.get/post/put/patch/delete/head/options/trace("/p")`,
  `.api_route("/p", methods=[...])` (FastAPI) and `.route("/p", methods=[...])` (Flask; both
  default to GET), calls `.add_api_route/.add_route/.add_url_rule(...)`, and Starlette
  `Route("/p", endpoint, methods=[...])` inside `routes=[...]` lists of `Starlette(...)`,
  `Router(...)`, `Mount(...)` or a module-level list. Class endpoints (Starlette `HTTPEndpoint`,
  Flask `MethodView` via `add_url_rule(view_func=C.as_view(...))`) give one route per HTTP method
  the class defines; a fastapi-utils `@cbv(router)` class contributes its class-level
  `Depends(...)` attributes (and those of base classes in the same file) to every route method.
- A receiver is accepted when it is a router constructed in this file (`FastAPI()`,
  `APIRouter()`, `Flask()`, `Blueprint()`, `Starlette()`, starlette `Router()`), an imported name,
  or named like one (`app`, `router`, `api`, `bp`, `*_router`, `*_bp`, `*_blueprint`, ...), and
  the decorator must be a call: `@cache.get` is not a route. In a file that imports no web
  framework, an undeclared receiver also needs a literal path starting with `/` (Slack Bolt's
  `@app.options(ActionIds.x)` is not a route).
- `path` is the route's path with the prefix of its router when that router is declared in this
  file; `route_path` is the decorator's own path. A path that is not a literal (`f"{BASE}/x"`, a
  settings attribute) is None with its source text in `path_expr`; a module-level string constant
  is followed.
- `dependencies` come from `Depends`/`Security` parameter defaults (`Depends()` with no argument
  depends on the annotation's class), `Annotated[T, Depends(f)]` annotations and aliases of them
  defined in this file (`CurrentUser = Annotated[User, Depends(get_user)]`), the decorator's
  `dependencies=[...]` and cbv class attributes. Aliases imported from other files are resolved by
  `RouteIndex` (`dependency_aliases` holds this file's). `decorators` lists every other decorator
  (outermost first) by dotted name: `login_required`, `requires("authenticated")` is `requires`.
- `Middleware` records `app.add_middleware(C, ...)`, `Middleware(C, ...)` in a
  `middleware=[...]` list and `@app.middleware("http")` functions. `BeforeRequest` records Flask
  `@app.before_request`, `@bp.before_request`, `@bp.before_app_request` (`app_wide`) and
  `app.before_request(f)`.
- `rejects` / `aborts` heuristic: the function's body mentions 401 or 403 as an integer literal
  (`abort(401)`, `HTTPException(status_code=403)`, `JSONResponse(..., status_code=401)`,
  `return "no", 401`) or a name/attribute such as `HTTP_401_UNAUTHORIZED`, `HTTPStatus.FORBIDDEN`,
  `Unauthorized`, `Forbidden`. A body that only redirects to a login page does not reject.
  `path_prefixes` are the string literals a middleware tests the request path with
  (`request.url.path.startswith("/admin")`), so a lesson can tell a middleware keyed on a prefix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import libcst as cst
from libcst.metadata import CodeRange, PositionProvider
from pydantic import Field

from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.python.syntax import (
    arguments_by_parameter,
    callee_name,
    dotted_name,
    expression_elements,
    integer_value,
    last_part,
    node_text,
    string_list,
    string_value,
)
from pytest_lessons.source import SourceFile

FACTS_KEY = "py-routes-v1"

Framework = Literal["fastapi", "starlette", "flask"]
RouterKind = Literal[
    "fastapi-app", "apirouter", "flask-app", "blueprint", "starlette-app", "starlette-router"
]
APP_KINDS = frozenset({"fastapi-app", "flask-app", "starlette-app"})
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE")
MUTATING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_ROUTER_CONSTRUCTORS: dict[str, RouterKind] = {
    "FastAPI": "fastapi-app",
    "APIRouter": "apirouter",
    "Flask": "flask-app",
    "APIFlask": "flask-app",
    "Blueprint": "blueprint",
    "APIBlueprint": "blueprint",
    "Starlette": "starlette-app",
}
_ROUTER_FRAMEWORK: dict[str, Framework] = {
    "fastapi-app": "fastapi",
    "apirouter": "fastapi",
    "flask-app": "flask",
    "blueprint": "flask",
    "starlette-app": "starlette",
    "starlette-router": "starlette",
}
_RECEIVER_NAME = re.compile(
    r"^(app|application|api|router|routes|bp|blueprint|views?|server|\w+_(router|bp|blueprint|api|app)"
    r"|(router|bp|api|app)_\w+)$",
    re.IGNORECASE,
)
_DEPENDENCY_MARKERS = {"Depends": "depends", "Security": "security"}
_PARAM = re.compile(r"\{([A-Za-z_]\w*)(?::[^}]*)?\}|<(?:[^:<>]+:)?([A-Za-z_]\w*)>")
_REJECT_NAME = re.compile(r"HTTP_40[13]|UNAUTHORI[SZ]ED|FORBIDDEN|NOT_AUTHENTICATED", re.I)
_DECLARES = re.compile(
    rb"@\s*[\w.]+\.(?:get|post|put|patch|delete|head|options|trace|api_route|route|websocket"
    rb"|middleware|before_request|before_app_request)\b"
    rb"|\.(?:add_api_route|add_api_websocket_route|add_route|add_url_rule|include_router"
    rb"|register_blueprint|mount|add_middleware|before_request|before_app_request)\s*\("
    rb"|\b(?:FastAPI|APIRouter|Flask|APIFlask|Blueprint|APIBlueprint|Starlette|Router|Route"
    rb"|Mount|Middleware|Depends|Security|cbv|HTTPEndpoint|MethodView)\b"
)
"""A file declaring a route, router, include, hook, middleware or dependency alias has one of
these; they are matched on bytes, comments and strings included, so they can only over-match."""
_BLUEPRINT_PARAMETERS = (
    "name",
    "import_name",
    "static_folder",
    "static_url_path",
    "template_folder",
    "url_prefix",
)


class Dependency(Record):
    """A `Depends(...)`/`Security(...)`: `call` is the dotted callee (`auth.require_admin`).

    For `Depends(RoleChecker(["admin"]))` `call` is `RoleChecker` and `text` the whole
    expression. `via` names the `Annotated` alias the dependency came through, if any.
    """

    call: str
    kind: Literal["depends", "security"]
    where: Literal["param", "annotated", "decorator", "router", "include", "app", "class"]
    text: str = ""
    param: str | None = None
    via: str | None = None


class Param(Record):
    name: str
    annotation: str | None = None
    default: str | None = None
    kind: str = "normal"


class Route(Record):
    """One handler and the (methods, path) it serves, with what the file says guards it.

    Positions are the handler's `def` (1-based column; end exclusive as libcst gives it), or the
    registering call when the endpoint is not defined in this file (`endpoint_defined` False).
    `methods_known` is False when `methods=` is not a literal list (then `methods` is empty).
    """

    framework: Framework
    methods: list[str]
    methods_known: bool = True
    path: str | None
    route_path: str | None = None
    path_expr: str | None = None
    params: list[str] = Field(default_factory=list)
    function: str
    class_name: str | None = None
    endpoint_defined: bool = True
    is_async: bool = False
    line: int
    column: int
    end_line: int
    end_column: int
    router: str | None
    dependencies: list[Dependency] = Field(default_factory=list)
    decorators: list[str] = Field(default_factory=list)
    decorator_texts: list[str] = Field(default_factory=list)
    parameters: list[Param] = Field(default_factory=list)


class RouterDecl(Record):
    name: str
    kind: RouterKind
    prefix: str | None = None
    prefix_expr: str | None = None
    dependencies: list[Dependency] = Field(default_factory=list)
    line: int


class Include(Record):
    """An edge from `app` (the receiver) down to `router`, with what the edge adds."""

    app: str
    router: str
    prefix: str | None = None
    prefix_expr: str | None = None
    dependencies: list[Dependency] = Field(default_factory=list)
    kind: Literal["include_router", "register_blueprint", "mount", "routes"] = "include_router"
    line: int


class Middleware(Record):
    app: str
    cls: str
    args: list[str] = Field(default_factory=list)
    line: int
    kind: Literal["add_middleware", "middleware_list", "decorator"] = "add_middleware"
    function: str | None = None
    rejects: bool = False
    path_prefixes: list[str] = Field(default_factory=list)


class BeforeRequest(Record):
    app: str
    function: str
    aborts: bool
    app_wide: bool = False
    line: int = 0


class RouteFacts(Record):
    routes: list[Route] = Field(default_factory=list)
    routers: list[RouterDecl] = Field(default_factory=list)
    includes: list[Include] = Field(default_factory=list)
    middlewares: list[Middleware] = Field(default_factory=list)
    before_requests: list[BeforeRequest] = Field(default_factory=list)
    dependency_aliases: dict[str, list[Dependency]] = Field(default_factory=dict)


def route_facts(file: SourceFile) -> RouteFacts:
    """The file's routes, routers, includes and hooks, extracted once per run and shared.

    Most files of a web app declare none of these (models, schemas, services), and a libcst
    parse with positions costs tens of milliseconds a file, so a file whose text has none of the
    tokens every such declaration needs (`_DECLARES`) gets empty facts without a parse.
    """
    if not _DECLARES.search(file.data):
        return RouteFacts()
    return file.derived(FACTS_KEY, _extract)


def path_params(path: str | None) -> list[str]:
    """`{order_id}`, `{path:path}` (FastAPI/Starlette) and `<int:order_id>` (Flask), in order."""
    if path is None:
        return []
    return [first or second for first, second in _PARAM.findall(path)]


def join_paths(*parts: str) -> str:
    """Join URL prefixes as the frameworks do: exactly one `/` between non-empty parts."""
    joined = ""
    for part in parts:
        if not part:
            continue
        if joined.endswith("/") and part.startswith("/"):
            joined += part[1:]
        elif joined and not joined.endswith("/") and not part.startswith("/"):
            joined += "/" + part
        else:
            joined += part
    return joined


# ---------------------------------------------------------------------------------------------
# Extraction helpers


def _dependency(
    node: cst.BaseExpression | None,
    where: Literal["param", "annotated", "decorator", "router", "include", "app", "class"],
    *,
    annotation: cst.BaseExpression | None = None,
    param: str | None = None,
) -> Dependency | None:
    if not isinstance(node, cst.Call):
        return None
    kind = _DEPENDENCY_MARKERS.get(last_part(callee_name(node)) or "")
    if kind is None:
        return None
    target = arguments_by_parameter(node, ("dependency",)).get("dependency")
    call = dotted_name(target) or callee_name(target)
    if call is None and target is None and annotation is not None:
        call = dotted_name(annotation)  # `x: Service = Depends()` depends on Service itself
    if call is None:
        call = node_text(target) if target is not None else "?"
    return Dependency(
        call=call,
        kind="security" if kind == "security" else "depends",
        where=where,
        text=node_text(node),
        param=param,
    )


def _dependency_list(
    node: cst.BaseExpression | None,
    where: Literal["param", "annotated", "decorator", "router", "include", "app", "class"],
) -> list[Dependency]:
    found: list[Dependency] = []
    for item in expression_elements(node) or []:
        dependency = _dependency(item, where)
        if dependency is not None:
            found.append(dependency)
    return found


def _annotated_dependencies(annotation: cst.BaseExpression | None) -> list[Dependency]:
    """The `Depends` inside `Annotated[T, Depends(f)]` (also under `Optional[...]`/`X | None`)."""
    if isinstance(annotation, cst.BinaryOperation):
        return _annotated_dependencies(annotation.left) + _annotated_dependencies(annotation.right)
    if not isinstance(annotation, cst.Subscript):
        return []
    found: list[Dependency] = []
    is_annotated = last_part(dotted_name(annotation.value)) == "Annotated"
    for index, element in enumerate(annotation.slice):
        if not isinstance(element.slice, cst.Index):
            continue
        value = element.slice.value
        if is_annotated and index > 0:
            dependency = _dependency(
                value,
                "annotated",
                annotation=annotation.slice[0].slice.value
                if isinstance(annotation.slice[0].slice, cst.Index)
                else None,
            )
            if dependency is not None:
                found.append(dependency)
        elif not is_annotated:
            found.extend(_annotated_dependencies(value))
    return found


def call_dependency(
    node: cst.BaseExpression | None,
    where: Literal["param", "annotated", "decorator", "router", "include", "app", "class"],
    *,
    annotation: cst.BaseExpression | None = None,
    param: str | None = None,
) -> Dependency | None:
    """The `Depends(...)`/`Security(...)` that `node` is, else None (for lessons that read
    dependencies outside routes: a dependency's own parameters, a cbv's attributes)."""
    return _dependency(node, where, annotation=annotation, param=param)


def annotated_dependencies(annotation: cst.BaseExpression | None) -> list[Dependency]:
    """The dependencies an annotation carries (`Annotated[T, Depends(f)]`, also nested)."""
    return _annotated_dependencies(annotation)


def _mentions_reject(node: cst.CSTNode) -> bool:
    """The 401/403 heuristic of the module docstring."""
    found = False

    class Finder(cst.CSTVisitor):
        def visit_Integer(self, integer: cst.Integer) -> None:
            nonlocal found
            if integer_value(integer) in (401, 403):
                found = True

        def visit_Name(self, name: cst.Name) -> None:
            nonlocal found
            if _REJECT_NAME.search(name.value):
                found = True

    node.visit(Finder())
    return found


def _path_prefixes(node: cst.CSTNode) -> list[str]:
    found: list[str] = []

    class Finder(cst.CSTVisitor):
        def visit_Call(self, call: cst.Call) -> None:
            if (
                isinstance(call.func, cst.Attribute)
                and call.func.attr.value == "startswith"
                and "path" in node_text(call.func.value).lower()
                and call.args
            ):
                value = call.args[0].value
                single = string_value(value)
                found.extend([single] if single is not None else string_list(value) or [])

        def visit_Comparison(self, comparison: cst.Comparison) -> None:
            if "path" not in node_text(comparison.left).lower():
                return
            for target in comparison.comparisons:
                single = string_value(target.comparator)
                found.extend(
                    [single] if single is not None else string_list(target.comparator) or []
                )

    node.visit(Finder())
    return found


def _body_statements(node: cst.ClassDef | cst.Module | cst.FunctionDef) -> Sequence[cst.CSTNode]:
    body = node.body
    if isinstance(body, (cst.IndentedBlock, cst.Module)):
        return body.body
    return []


# ---------------------------------------------------------------------------------------------
# Pass 1: what the file declares


class _Declarations(cst.CSTVisitor):
    def __init__(self, positions: Mapping[cst.CSTNode, CodeRange], starlette: bool) -> None:
        super().__init__()
        self.positions = positions
        self.starlette = starlette
        self.functions: dict[str, cst.FunctionDef] = {}
        self.classes: dict[str, cst.ClassDef] = {}
        self.routers: dict[str, RouterDecl] = {}
        self.constants: dict[str, str] = {}
        self.aliases: dict[str, list[Dependency]] = {}
        self.constructors: dict[str, RouterKind] = dict(_ROUTER_CONSTRUCTORS)
        self._depth = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.setdefault(node.name.value, node)
        self._depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._depth -= 1

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.classes.setdefault(node.name.value, node)
        for base in node.bases:  # `class CTFdFlask(Flask)`: constructing it makes an app
            kind = self.constructors.get(last_part(dotted_name(base.value)) or "")
            if kind is not None:
                self.constructors.setdefault(node.name.value, kind)
        self._depth += 1

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._depth -= 1

    def _assigned(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        name = dotted_name(target)
        if name is None:
            return
        if self._depth == 0 and "." not in name:
            text = string_value(value)
            if text is not None:
                self.constants[name] = text
            aliases = _annotated_dependencies(value)
            if aliases:
                self.aliases[name] = [alias.model_copy(update={"via": name}) for alias in aliases]
        if not isinstance(value, cst.Call):
            return
        constructor = last_part(callee_name(value)) or ""
        kind = self.constructors.get(constructor)
        if kind is None and constructor == "Router" and self.starlette:
            kind = "starlette-router"
        if kind is None:
            return
        prefix_node: cst.BaseExpression | None = None
        if kind == "apirouter":
            prefix_node = arguments_by_parameter(value, ("prefix",)).get("prefix")
        elif kind == "blueprint":
            prefix_node = arguments_by_parameter(value, _BLUEPRINT_PARAMETERS).get("url_prefix")
        prefix, prefix_expr = self.text_of(prefix_node)
        where: Literal["router", "app"] = "app" if kind in APP_KINDS else "router"
        dependencies = _dependency_list(
            arguments_by_parameter(value, ()).get("dependencies"), where
        )
        self.routers[name] = RouterDecl(
            name=name,
            kind=kind,
            prefix=prefix,
            prefix_expr=prefix_expr,
            dependencies=dependencies,
            line=self.positions[value].start.line,
        )

    def text_of(self, node: cst.BaseExpression | None) -> tuple[str | None, str | None]:
        """(literal, None), or (None, source text) for anything else; constants are followed."""
        if node is None:
            return None, None
        value = string_value(node)
        if value is None and isinstance(node, cst.Name):
            value = self.constants.get(node.value)
        if value is not None:
            return value, None
        return None, node_text(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assigned(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assigned(node.target, node.value)

    def visit_TypeAlias(self, node: cst.TypeAlias) -> None:
        if self._depth == 0:
            aliases = _annotated_dependencies(node.value)
            if aliases:
                name = node.name.value
                self.aliases[name] = [a.model_copy(update={"via": name}) for a in aliases]


# ---------------------------------------------------------------------------------------------
# Pass 2: routes, includes, hooks


class _Routes(cst.CSTVisitor):
    def __init__(
        self,
        positions: Mapping[cst.CSTNode, CodeRange],
        declarations: _Declarations,
        imported: set[str],
        default_framework: Framework | None,
    ) -> None:
        super().__init__()
        self.positions = positions
        self.decl = declarations
        self.imported = imported
        self.default_framework = default_framework
        self.routes: list[Route] = []
        self.includes: list[Include] = []
        self.middlewares: list[Middleware] = []
        self.before_requests: list[BeforeRequest] = []
        self._classes: list[cst.ClassDef] = []
        self._assign_targets: list[str | None] = []
        self._handled: set[int] = set()

    # -- helpers ------------------------------------------------------------------------------

    def _line(self, node: cst.CSTNode) -> int:
        return self.positions[node].start.line

    def _is_receiver(self, receiver: str) -> bool:
        head = receiver.split(".", 1)[0]
        if receiver in self.decl.routers or head in self.imported:
            return True
        return bool(_RECEIVER_NAME.match(receiver.rsplit(".", 1)[-1]))

    def _plausible(self, receiver: str, call: cst.Call) -> bool:
        """In a file importing no web framework, an undeclared receiver needs a `/path` literal.

        Slack Bolt's `@app.options(ActionIds.x)` and similar event APIs look like routes by name.
        """
        if self.default_framework is not None or receiver in self.decl.routers:
            return True
        path = string_value(arguments_by_parameter(call, ("path",)).get("path"))
        return path is not None and path.startswith("/")

    def _framework(self, receiver: str | None, path: str | None) -> Framework:
        if receiver is not None and receiver in self.decl.routers:
            return _ROUTER_FRAMEWORK[self.decl.routers[receiver].kind]
        if self.default_framework is not None:
            return self.default_framework
        if path is not None and "<" in path:
            return "flask"
        return "fastapi"

    def _full_path(self, receiver: str | None, path: str | None) -> str | None:
        if path is None:
            return None
        router = self.decl.routers.get(receiver or "")
        if router is None or router.prefix is None:
            return path if router is None or router.prefix_expr is None else None
        return join_paths(router.prefix, path)

    def _parameters(self, function: cst.FunctionDef, skip_self: bool) -> list[cst.Param]:
        params = [
            *function.params.posonly_params,
            *function.params.params,
            *function.params.kwonly_params,
        ]
        if skip_self and params and params[0].name.value in ("self", "cls"):
            params = params[1:]
        return params

    def _signature_dependencies(
        self, params: Iterable[cst.Param]
    ) -> tuple[list[Dependency], list[Param]]:
        dependencies: list[Dependency] = []
        described: list[Param] = []
        for param in params:
            annotation = None if param.annotation is None else param.annotation.annotation
            name = param.name.value
            dependency = _dependency(param.default, "param", annotation=annotation, param=name)
            if dependency is not None:
                dependencies.append(dependency)
            for found in _annotated_dependencies(annotation):
                dependencies.append(found.model_copy(update={"param": name}))
            alias = dotted_name(annotation)
            if alias is not None and alias in self.decl.aliases:
                for found in self.decl.aliases[alias]:
                    dependencies.append(found.model_copy(update={"param": name}))
            described.append(
                Param(
                    name=name,
                    annotation=None if annotation is None else node_text(annotation),
                    default=None if param.default is None else node_text(param.default),
                )
            )
        return dependencies, described

    def _class_dependencies(
        self, cls: cst.ClassDef, seen: set[str] | None = None
    ) -> list[Dependency]:
        """cbv-style `user: User = Depends(get_user)` attributes, base classes (this file) first."""
        seen = seen if seen is not None else set()
        if cls.name.value in seen:
            return []
        seen.add(cls.name.value)
        found: list[Dependency] = []
        for base in cls.bases:
            base_name = dotted_name(base.value)
            if base_name in self.decl.classes:
                found.extend(self._class_dependencies(self.decl.classes[base_name], seen))
        for statement in _body_statements(cls):
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                value = small.value if isinstance(small, (cst.Assign, cst.AnnAssign)) else None
                annotation = (
                    small.annotation.annotation if isinstance(small, cst.AnnAssign) else None
                )
                dependency = _dependency(value, "class", annotation=annotation)
                if dependency is not None:
                    found.append(dependency)
                found.extend(
                    d.model_copy(update={"where": "class"})
                    for d in _annotated_dependencies(annotation)
                )
        return found

    def _class_decorators(self, cls: cst.ClassDef) -> list[str]:
        """Flask `View.decorators = [login_required]` and the class's own decorators."""
        names = [
            dotted_name(d.decorator) or callee_name(d.decorator) or "?" for d in cls.decorators
        ]
        for statement in _body_statements(cls):
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.Assign) and any(
                        dotted_name(t.target) in ("decorators", "method_decorators")
                        for t in small.targets
                    ):
                        for item in expression_elements(small.value) or []:
                            names.append(dotted_name(item) or callee_name(item) or node_text(item))
        return names

    def _route(
        self,
        *,
        function: cst.FunctionDef | None,
        function_name: str,
        framework: Framework,
        methods: list[str],
        methods_known: bool,
        receiver: str | None,
        path: str | None,
        path_expr: str | None,
        anchor: cst.CSTNode,
        dependencies: list[Dependency],
        decorators: list[cst.Decorator] | None = None,
        extra_decorators: list[str] | None = None,
        cls: cst.ClassDef | None = None,
    ) -> Route:
        full = self._full_path(receiver, path)
        position = self.positions[function if function is not None else anchor]
        own: list[Dependency] = []
        parameters: list[Param] = []
        if cls is not None:
            own.extend(self._class_dependencies(cls))
        if function is not None:
            found, parameters = self._signature_dependencies(
                self._parameters(function, skip_self=cls is not None)
            )
            own.extend(found)
        own.extend(dependencies)
        names = list(extra_decorators or [])
        texts = list(extra_decorators or [])
        for decorator in decorators or []:
            expression = decorator.decorator
            names.append(dotted_name(expression) or callee_name(expression) or "?")
            texts.append(node_text(expression))
        return Route(
            framework=framework,
            methods=methods,
            methods_known=methods_known,
            path=full,
            route_path=path,
            path_expr=path_expr,
            params=path_params(full if full is not None else path),
            function=function_name,
            class_name=None if cls is None else cls.name.value,
            endpoint_defined=function is not None,
            is_async=function is not None and function.asynchronous is not None,
            line=position.start.line,
            column=position.start.column + 1,
            end_line=position.end.line,
            end_column=position.end.column + 1,
            router=receiver,
            dependencies=own,
            decorators=names,
            decorator_texts=texts,
            parameters=parameters,
        )

    def _methods(self, node: cst.BaseExpression | None) -> tuple[list[str], bool]:
        if node is None:
            return ["GET"], True
        values = string_list(node)
        if values is None:
            return [], False
        return [value.upper() for value in values], True

    # -- decorated functions -----------------------------------------------------------------

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._classes.append(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._classes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        route_decorators: list[tuple[cst.Decorator, cst.Call, str, str]] = []
        others: list[cst.Decorator] = []
        for decorator in node.decorators:
            expression = decorator.decorator
            target = expression.func if isinstance(expression, cst.Call) else expression
            if isinstance(target, cst.Attribute):
                receiver = dotted_name(target.value)
                attribute = target.attr.value
                if receiver is not None and self._hook(node, expression, receiver, attribute):
                    continue
                if (
                    receiver is not None
                    and isinstance(expression, cst.Call)
                    and (attribute.upper() in HTTP_METHODS or attribute in ("route", "api_route"))
                    and self._is_receiver(receiver)
                    and (expression.args or attribute in ("route", "api_route"))
                    and self._plausible(receiver, expression)
                ):
                    route_decorators.append((decorator, expression, receiver, attribute))
                    continue
            others.append(decorator)
        cls = self._classes[-1] if self._classes else None
        for _decorator, call, receiver, attribute in route_decorators:
            arguments = arguments_by_parameter(call, ("path",))
            path_node = arguments.get("path") or arguments.get("rule")
            path, path_expr = self.decl.text_of(path_node)
            if attribute in ("route", "api_route"):
                methods, known = self._methods(arguments.get("methods"))
            else:
                methods, known = [attribute.upper()], True
            self.routes.append(
                self._route(
                    function=node,
                    function_name=node.name.value,
                    framework=self._framework(receiver, path),
                    methods=methods,
                    methods_known=known,
                    receiver=receiver,
                    path=path,
                    path_expr=path_expr,
                    anchor=node,
                    dependencies=_dependency_list(arguments.get("dependencies"), "decorator"),
                    decorators=others,
                    cls=cls,
                )
            )

    def _hook(
        self,
        function: cst.FunctionDef,
        expression: cst.BaseExpression,
        receiver: str,
        attribute: str,
    ) -> bool:
        if attribute in ("before_request", "before_app_request") and not isinstance(
            expression, cst.Call
        ):
            self.before_requests.append(
                BeforeRequest(
                    app=receiver,
                    function=function.name.value,
                    aborts=_mentions_reject(function.body),
                    app_wide=attribute == "before_app_request",
                    line=self._line(function),
                )
            )
            return True
        if attribute == "middleware" and isinstance(expression, cst.Call):
            kind = string_value(expression.args[0].value) if expression.args else None
            self.middlewares.append(
                Middleware(
                    app=receiver,
                    cls=kind or "http",
                    line=self._line(function),
                    kind="decorator",
                    function=function.name.value,
                    rejects=_mentions_reject(function.body),
                    path_prefixes=_path_prefixes(function.body),
                )
            )
            return True
        return False

    # -- calls ---------------------------------------------------------------------------------

    def visit_Assign(self, node: cst.Assign) -> None:
        targets = [dotted_name(t.target) for t in node.targets]
        self._assign_targets.append(targets[0] if len(targets) == 1 else None)
        elements = expression_elements(node.value)
        if elements is not None and targets[0] is not None:
            self._route_list(node.value, targets[0], "")

    def leave_Assign(self, original_node: cst.Assign) -> None:
        self._assign_targets.pop()

    def visit_Call(self, node: cst.Call) -> None:
        name = callee_name(node)
        if name is None:
            return
        short = last_part(name) or ""
        if short in ("Starlette", "FastAPI", "Router") and id(node) not in self._handled:
            self._handled.add(id(node))
            container = (self._assign_targets[-1] if self._assign_targets else None) or "app"
            arguments = arguments_by_parameter(node, ())
            routes = arguments.get("routes")
            if routes is not None:
                if expression_elements(routes) is not None:
                    self._route_list(routes, container, "")
                elif dotted_name(routes) is not None:
                    self.includes.append(
                        Include(
                            app=container,
                            router=dotted_name(routes) or "",
                            kind="routes",
                            line=self._line(node),
                        )
                    )
            for item in expression_elements(arguments.get("middleware")) or []:
                self._middleware_item(container, item)
            return
        if not isinstance(node.func, cst.Attribute):
            return
        receiver = dotted_name(node.func.value)
        if receiver is None:
            return
        method = node.func.attr.value
        if method in ("include_router", "register_blueprint"):
            self._include(node, receiver, method)
        elif method == "mount":
            arguments = arguments_by_parameter(node, ("path", "app"))
            child = dotted_name(arguments.get("app"))
            if child is not None:
                prefix, prefix_expr = self.decl.text_of(arguments.get("path"))
                self.includes.append(
                    Include(
                        app=receiver,
                        router=child,
                        prefix=prefix,
                        prefix_expr=prefix_expr,
                        kind="mount",
                        line=self._line(node),
                    )
                )
        elif method == "add_middleware" and node.args:
            self.middlewares.append(self._middleware_from(node, receiver))
        elif method in ("before_request", "before_app_request") and len(node.args) == 1:
            function_name = dotted_name(node.args[0].value)
            if function_name is not None:
                function = self.decl.functions.get(function_name)
                self.before_requests.append(
                    BeforeRequest(
                        app=receiver,
                        function=function_name,
                        aborts=function is not None and _mentions_reject(function.body),
                        app_wide=method == "before_app_request",
                        line=self._line(node),
                    )
                )
        elif method in ("add_api_route", "add_route", "add_url_rule") and self._is_receiver(
            receiver
        ):
            self._registered_route(node, receiver, method)

    def _include(self, node: cst.Call, receiver: str, method: str) -> None:
        arguments = arguments_by_parameter(node, ("router",))
        router_node = arguments.get("router") or arguments.get("blueprint")
        child = dotted_name(router_node)
        if child is None:
            return
        prefix_node = (
            arguments.get("prefix") if method == "include_router" else arguments.get("url_prefix")
        )
        prefix, prefix_expr = self.decl.text_of(prefix_node)
        self.includes.append(
            Include(
                app=receiver,
                router=child,
                prefix=prefix,
                prefix_expr=prefix_expr,
                dependencies=_dependency_list(arguments.get("dependencies"), "include"),
                kind="include_router" if method == "include_router" else "register_blueprint",
                line=self._line(node),
            )
        )

    def _middleware_item(self, container: str, item: cst.BaseExpression) -> None:
        if not isinstance(item, cst.Call) or last_part(callee_name(item)) != "Middleware":
            return
        if not item.args:
            return
        self.middlewares.append(self._middleware_from(item, container, kind="middleware_list"))

    def _middleware_from(
        self,
        call: cst.Call,
        app: str,
        kind: Literal["add_middleware", "middleware_list", "decorator"] = "add_middleware",
    ) -> Middleware:
        """`add_middleware(Cls, **options)` and `Middleware(Cls, **options)` say the same thing."""
        first, *rest = call.args
        return Middleware(
            app=app,
            cls=dotted_name(first.value) or node_text(first.value),
            args=[
                node_text(arg.value)
                if arg.keyword is None
                else f"{arg.keyword.value}={node_text(arg.value)}"
                for arg in rest
            ],
            line=self._line(call),
            kind=kind,
        )

    def _route_list(self, node: cst.BaseExpression, container: str, prefix: str | None) -> None:
        """Starlette `Route`/`Mount` items of a routes list; prefix None once a Mount is unknown."""
        for item in expression_elements(node) or []:
            if not isinstance(item, cst.Call):
                continue
            short = last_part(callee_name(item))
            if short == "Route":
                self._starlette_route(item, container, prefix)
            elif short == "Mount":
                arguments = arguments_by_parameter(item, ("path", "app"))
                mount_path, _expr = self.decl.text_of(arguments.get("path"))
                inner_prefix = (
                    None if prefix is None or mount_path is None else join_paths(prefix, mount_path)
                )
                routes = arguments.get("routes")
                child = dotted_name(routes) or dotted_name(arguments.get("app"))
                if routes is not None and expression_elements(routes) is not None:
                    self._route_list(routes, container, inner_prefix)
                elif child is not None:
                    self.includes.append(
                        Include(
                            app=container,
                            router=child,
                            prefix=inner_prefix,
                            prefix_expr=None if inner_prefix is not None else node_text(item),
                            kind="mount",
                            line=self._line(item),
                        )
                    )

    def _starlette_route(self, call: cst.Call, container: str, prefix: str | None) -> None:
        arguments = arguments_by_parameter(call, ("path", "endpoint"))
        path, path_expr = self.decl.text_of(arguments.get("path"))
        full = None if path is None or prefix is None else join_paths(prefix, path)
        methods_node = arguments.get("methods")
        self._endpoint_routes(
            endpoint=arguments.get("endpoint"),
            anchor=call,
            framework="starlette",
            receiver=container,
            path=full,
            path_expr=path_expr,
            methods=self._methods(methods_node) if methods_node is not None else None,
            dependencies=[],
        )

    def _endpoint_routes(
        self,
        *,
        endpoint: cst.BaseExpression | None,
        anchor: cst.CSTNode,
        framework: Framework,
        receiver: str | None,
        path: str | None,
        path_expr: str | None,
        methods: tuple[list[str], bool] | None,
        dependencies: list[Dependency],
    ) -> None:
        """A route per endpoint: a function here, a view class here (one per method), or a name."""
        if (
            isinstance(endpoint, cst.Call)
            and isinstance(endpoint.func, cst.Attribute)
            and endpoint.func.attr.value == "as_view"  # Flask `MethodView.as_view("name")`
        ):
            endpoint = endpoint.func.value
        name = dotted_name(endpoint)
        if name is None:
            return
        cls = self.decl.classes.get(name)
        if cls is not None:
            for statement in _body_statements(cls):
                if (
                    isinstance(statement, cst.FunctionDef)
                    and statement.name.value.upper() in HTTP_METHODS
                ):
                    self.routes.append(
                        self._route(
                            function=statement,
                            function_name=f"{name}.{statement.name.value}",
                            framework=framework,
                            methods=[statement.name.value.upper()],
                            methods_known=True,
                            receiver=receiver,
                            path=path,
                            path_expr=path_expr,
                            anchor=anchor,
                            dependencies=dependencies,
                            decorators=list(statement.decorators),
                            extra_decorators=self._class_decorators(cls),
                            cls=cls,
                        )
                    )
            return
        function = self.decl.functions.get(name)
        method_list, known = methods if methods is not None else (["GET"], True)
        self.routes.append(
            self._route(
                function=function,
                function_name=name,
                framework=framework,
                methods=method_list,
                methods_known=known,
                receiver=receiver,
                path=path,
                path_expr=path_expr,
                anchor=anchor,
                dependencies=dependencies,
                decorators=list(function.decorators) if function is not None else None,
            )
        )

    def _registered_route(self, node: cst.Call, receiver: str, method: str) -> None:
        if method == "add_url_rule":
            arguments = arguments_by_parameter(node, ("rule", "endpoint", "view_func"))
            path_node = arguments.get("rule")
            endpoint = arguments.get("view_func")
        else:
            arguments = arguments_by_parameter(node, ("path", "endpoint"))
            path_node = arguments.get("path") or arguments.get("route")
            endpoint = arguments.get("endpoint")
        path, path_expr = self.decl.text_of(path_node)
        methods_node = arguments.get("methods")
        framework = self._framework(receiver, path)
        self._endpoint_routes(
            endpoint=endpoint,
            anchor=node,
            framework=framework,
            receiver=receiver,
            path=path,
            path_expr=path_expr,
            methods=self._methods(methods_node) if methods_node is not None else None,
            dependencies=_dependency_list(arguments.get("dependencies"), "decorator"),
        )


def _imports_of(module: cst.Module) -> tuple[set[str], set[str]]:
    """(local names bound by imports anywhere, top-level module names imported)."""
    names: set[str] = set()
    modules: set[str] = set()

    class Finder(cst.CSTVisitor):
        def visit_Import(self, node: cst.Import) -> None:
            for alias in node.names:
                dotted = dotted_name(alias.name) or ""
                modules.add(dotted.split(".", 1)[0])
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    names.add(alias.asname.name.value)
                else:
                    names.add(dotted.split(".", 1)[0])

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            if node.module is not None and not node.relative:
                modules.add((dotted_name(node.module) or "").split(".", 1)[0])
            if isinstance(node.names, cst.ImportStar):
                return
            for alias in node.names:
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    names.add(alias.asname.name.value)
                elif isinstance(alias.name, cst.Name):
                    names.add(alias.name.value)

    module.visit(Finder())
    return names, modules


def _extract(file: SourceFile) -> RouteFacts:
    wrapper = file.python_metadata()
    positions = wrapper.resolve(PositionProvider)
    module = wrapper.module
    imported, modules = _imports_of(module)
    framework: Framework | None = None
    if "fastapi" in modules:
        framework = "fastapi"
    elif "flask" in modules or "apiflask" in modules:
        framework = "flask"
    elif "starlette" in modules:
        framework = "starlette"
    declarations = _Declarations(positions, starlette="starlette" in modules)
    module.visit(declarations)
    routes = _Routes(positions, declarations, imported, framework)
    module.visit(routes)
    return RouteFacts(
        routes=routes.routes,
        routers=list(declarations.routers.values()),
        includes=routes.includes,
        middlewares=routes.middlewares,
        before_requests=routes.before_requests,
        dependency_aliases=declarations.aliases,
    )
