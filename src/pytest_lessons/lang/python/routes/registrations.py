"""Pass 2 over a module: the routes, includes, middlewares and hooks it registers.

Decorators `@<receiver>.get/post/...(\"/p\")`, `.api_route`, Flask `.route`, calls
`.add_api_route/.add_route/.add_url_rule(...)`, Starlette `Route(...)` in `routes=[...]` lists,
class endpoints (one route per HTTP method the class defines), fastapi-utils `@cbv` classes,
`include_router` / `register_blueprint` / `mount` edges, `add_middleware` / `Middleware(...)` /
`@app.middleware(\"http\")`, and Flask `before_request` hooks. See the package docstring for the
rules a receiver must meet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

import libcst as cst
from libcst.metadata import CodeRange

from pytest_lessons.lang.python.routes.ast_syntax import last_part
from pytest_lessons.lang.python.routes.declarations import Declarations
from pytest_lessons.lang.python.routes.dependencies import (
    body_statements,
    dependencies_in_annotation,
    dependency_list,
    mentions_reject,
    path_prefixes,
    read_dependency,
)
from pytest_lessons.lang.python.routes.facts import (
    HTTP_METHODS,
    AppCall,
    AppParameter,
    BeforeRequest,
    Dependency,
    Framework,
    Include,
    Middleware,
    Param,
    Route,
    join_paths,
    path_params,
)
from pytest_lessons.lang.python.routes.rules import (
    APP_CONSTRUCTORS,
    REGISTERING,
    Receivers,
    app_parameter,
    dev_comparison,
    dev_flag,
    request_methods,
    self_attribute,
)
from pytest_lessons.lang.python.syntax import (
    QuickVisitor,
    arguments_by_parameter,
    callee_name,
    dotted_name,
    expression_elements,
    node_text,
    string_list,
    string_value,
)


class Registrations(QuickVisitor):
    def __init__(
        self,
        positions: Mapping[cst.CSTNode, CodeRange],
        declarations: Declarations,
        imported: set[str],
        default_framework: Framework | None,
    ) -> None:
        super().__init__()
        self.positions = positions
        self.decl = declarations
        self.rules = Receivers(declarations.routers, imported, default_framework)
        self.routes: list[Route] = []
        self.includes: list[Include] = []
        self.middlewares: list[Middleware] = []
        self.before_requests: list[BeforeRequest] = []
        self.app_parameters: dict[tuple[str, str], AppParameter] = {}
        self.app_calls: list[AppCall] = []
        self._classes: list[cst.ClassDef] = []
        self._functions: list[cst.FunctionDef] = []
        self._outer: cst.FunctionDef | None = None
        self._assign_targets: list[str | None] = []
        self._handled: set[int] = set()
        self._dev_only = 0

    # -- helpers ------------------------------------------------------------------------------

    def _receiver(self, node: cst.BaseExpression) -> str | None:
        """The router a call or decorator is made on, `self.router` qualified by its class."""
        return self_attribute(dotted_name(node), [c.name.value for c in self._classes])

    def _scope(self, receiver: str | None) -> str | None:
        """The module-level function whose parameter `receiver` is (`def register(app):
        app.include_router(...)`), recorded in `app_parameters`; None for any other name.

        Such a parameter is whatever app the callers pass (`AppCall`), not a module-level `app`
        of the same name.
        """
        found = self._parameter(receiver)
        if found is None:
            return None
        self.app_parameters.setdefault((found.function, found.name), found)
        return found.function

    def _parameter(self, name: str | None) -> AppParameter | None:
        outer = self._outer
        return app_parameter(
            name,
            None if outer is None else (outer.name.value, _parameter_positions(outer)),
            [_parameter_positions(inner) for inner in self._functions[1:]],
        )

    def _app_call(self, node: cst.Call, name: str) -> None:
        """`extend_main(app)`, `init_app(app=app)`: an app or router handed to a function, for
        `RouteIndex` to join to the function's `app_parameters`. An argument that is itself a
        parameter here is not followed (one level)."""
        position = 0
        for arg in node.args:
            if arg.star:
                return
            argument = dotted_name(arg.value)
            if (
                argument is not None
                and self.rules.handed_over(argument)
                and self._parameter(argument) is None
            ):
                self.app_calls.append(
                    AppCall(
                        function=name,
                        argument=argument,
                        position=position if arg.keyword is None else None,
                        keyword=None if arg.keyword is None else arg.keyword.value,
                        line=self._line(node),
                    )
                )
            if arg.keyword is None:
                position += 1

    def _line(self, node: cst.CSTNode) -> int:
        return self.positions[node].start.line

    def _plausible(self, receiver: str, call: cst.Call) -> bool:
        path = string_value(arguments_by_parameter(call, ("path",)).get("path"))
        return self.rules.plausible(receiver, path)

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
            dependency = read_dependency(param.default, "param", annotation=annotation, param=name)
            if dependency is not None:
                dependencies.append(dependency)
            for found in dependencies_in_annotation(annotation):
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
        for statement in body_statements(cls):
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                value = small.value if isinstance(small, (cst.Assign, cst.AnnAssign)) else None
                annotation = (
                    small.annotation.annotation if isinstance(small, cst.AnnAssign) else None
                )
                dependency = read_dependency(value, "class", annotation=annotation)
                if dependency is not None:
                    found.append(dependency)
                found.extend(
                    d.model_copy(update={"where": "class"})
                    for d in dependencies_in_annotation(annotation)
                )
        return found

    def _class_decorators(self, cls: cst.ClassDef) -> list[str]:
        """Flask `View.decorators = [login_required]` and the class's own decorators."""
        names = [
            dotted_name(d.decorator) or callee_name(d.decorator) or "?" for d in cls.decorators
        ]
        for statement in body_statements(cls):
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
        full = self.rules.full_path(receiver, path)
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
            scope=self._scope(receiver),
            dependencies=own,
            decorators=names,
            decorator_texts=texts,
            parameters=parameters,
        )

    def _methods(self, node: cst.BaseExpression | None) -> tuple[list[str], bool]:
        if node is None:
            return ["GET"], True
        return request_methods(string_list(node))

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
                receiver = self._receiver(target.value)
                attribute = target.attr.value
                if receiver is not None and self._hook(node, expression, receiver, attribute):
                    continue
                if (
                    receiver is not None
                    and isinstance(expression, cst.Call)
                    and (attribute.upper() in HTTP_METHODS or attribute in ("route", "api_route"))
                    and self.rules.is_receiver(receiver)
                    and (expression.args or attribute in ("route", "api_route"))
                    and self._plausible(receiver, expression)
                ):
                    route_decorators.append((decorator, expression, receiver, attribute))
                    continue
            others.append(decorator)
        cls = self._classes[-1] if self._classes else None
        self._routes_from_decorators(node, route_decorators, others, cls)
        if not self._functions and not self._classes:
            self._outer = node
        self._functions.append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._functions.pop()
        if not self._functions:
            self._outer = None

    def _routes_from_decorators(
        self,
        node: cst.FunctionDef,
        route_decorators: list[tuple[cst.Decorator, cst.Call, str, str]],
        others: list[cst.Decorator],
        cls: cst.ClassDef | None,
    ) -> None:
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
                    framework=self.rules.framework(receiver, path),
                    methods=methods,
                    methods_known=known,
                    receiver=receiver,
                    path=path,
                    path_expr=path_expr,
                    anchor=node,
                    dependencies=dependency_list(arguments.get("dependencies"), "decorator"),
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
                    aborts=mentions_reject(function.body),
                    app_wide=attribute == "before_app_request",
                    line=self._line(function),
                    scope=self._scope(receiver),
                )
            )
            return True
        if attribute == "middleware" and isinstance(expression, cst.Call):
            self._function_middleware(
                receiver, expression, function.name.value, function, self._line(function)
            )
            return True
        return False

    def _function_middleware(
        self,
        app: str,
        decorator: cst.Call,
        name: str,
        function: cst.FunctionDef | None,
        line: int,
    ) -> None:
        """An `app.middleware("http")` function; `function` None when defined elsewhere."""
        kind = string_value(decorator.args[0].value) if decorator.args else None
        self.middlewares.append(
            Middleware(
                app=app,
                cls=kind or "http",
                line=line,
                kind="decorator",
                function=name,
                rejects=function is not None and mentions_reject(function.body),
                path_prefixes=[] if function is None else path_prefixes(function.body),
                scope=self._scope(app),
            )
        )

    def _middleware_call(self, node: cst.Call, inner: cst.Call) -> None:
        """`app.middleware("http")(auth_middleware)`: the decorator applied by hand, often to a
        function imported from a middlewares module; recorded like the decorated function."""
        target = inner.func
        if not (
            isinstance(target, cst.Attribute)
            and target.attr.value == "middleware"
            and len(node.args) == 1
            and node.args[0].keyword is None
        ):
            return
        receiver = self._receiver(target.value)
        function_name = dotted_name(node.args[0].value)
        if receiver is None or function_name is None:
            return
        self._function_middleware(
            receiver,
            inner,
            function_name,
            self.decl.functions.get(function_name),
            self._line(node),
        )

    # -- calls ---------------------------------------------------------------------------------

    def visit_Assign(self, node: cst.Assign) -> None:
        targets = [dotted_name(t.target) for t in node.targets]
        self._assign_targets.append(targets[0] if len(targets) == 1 else None)
        elements = expression_elements(node.value)
        if elements is not None and targets[0] is not None:
            self._route_list(node.value, targets[0], "")

    def leave_Assign(self, original_node: cst.Assign) -> None:
        self._assign_targets.pop()

    def visit_If_body(self, node: cst.If) -> None:
        if dev_only_condition(node.test):
            self._dev_only += 1

    def leave_If_body(self, node: cst.If) -> None:
        if dev_only_condition(node.test):
            self._dev_only -= 1

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Call):
            self._middleware_call(node, node.func)
            return
        name = callee_name(node)
        if name is None:
            return
        short = last_part(name) or ""
        if short in APP_CONSTRUCTORS and id(node) not in self._handled:
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
        if not isinstance(node.func, cst.Attribute) or node.func.attr.value not in REGISTERING:
            self._app_call(node, name)
        if not isinstance(node.func, cst.Attribute):
            return
        receiver = self._receiver(node.func.value)
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
                        scope=self._scope(receiver),
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
                        aborts=function is not None and mentions_reject(function.body),
                        app_wide=method == "before_app_request",
                        line=self._line(node),
                        scope=self._scope(receiver),
                    )
                )
        elif method in ("add_api_route", "add_route", "add_url_rule") and self.rules.is_receiver(
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
                dependencies=dependency_list(arguments.get("dependencies"), "include"),
                kind="include_router" if method == "include_router" else "register_blueprint",
                line=self._line(node),
                dev_only=self._dev_only > 0,
                scope=self._scope(receiver),
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
            scope=self._scope(app) if kind == "add_middleware" else None,
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
            for statement in body_statements(cls):
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
        framework = self.rules.framework(receiver, path)
        self._endpoint_routes(
            endpoint=endpoint,
            anchor=node,
            framework=framework,
            receiver=receiver,
            path=path,
            path_expr=path_expr,
            methods=self._methods(methods_node) if methods_node is not None else None,
            dependencies=dependency_list(arguments.get("dependencies"), "decorator"),
        )


def dev_only_condition(test: cst.BaseExpression) -> bool:
    """`settings.ENVIRONMENT == "local"`, `ENV in ("dev", "test")`, `settings.DEBUG`,
    `app.debug and ...`: a condition that holds only outside production."""
    if isinstance(test, cst.BooleanOperation):
        if isinstance(test.operator, cst.And):
            return dev_only_condition(test.left) or dev_only_condition(test.right)
        return dev_only_condition(test.left) and dev_only_condition(test.right)
    if isinstance(test, (cst.Name, cst.Attribute)):
        return dev_flag(dotted_name(test))
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    target = test.comparisons[0]
    if not isinstance(target.operator, (cst.Equal, cst.In)):
        return False
    values = expression_elements(target.comparator)
    candidates = values if values is not None else [target.comparator]
    return dev_comparison(dotted_name(test.left), [string_value(value) for value in candidates])


def _parameter_positions(function: cst.FunctionDef) -> dict[str, int | None]:
    """A function's named parameters: position for positional ones, None for keyword-only."""
    positional = [*function.params.posonly_params, *function.params.params]
    found: dict[str, int | None] = {p.name.value: i for i, p in enumerate(positional)}
    found.update({p.name.value: None for p in function.params.kwonly_params})
    return found
