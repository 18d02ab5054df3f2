"""Pass 2 over a module read with stdlib `ast`: the twin of `registrations` (libcst).

The same routes, includes, middlewares, hooks, app parameters and app calls, in the same order,
with the same texts and positions. What makes the two trees differ is handled here:

- the walk meets nodes as libcst's visitor does: in written order (`children_in_source_order`),
  a function entered before its decorators, parameters and body, an `if`'s test read before
  its body is counted as development-only;
- texts are `AstSource.libcst_text` at the indentation of the statement a node is in (libcst
  leaves it out of an expression's continuation lines), a function's own parts at its `def`'s;
- libcst's one `FunctionDef` is `ast`'s `FunctionDef` or `AsyncFunctionDef`, and a class body on
  its header's line has no statements for libcst (`ast_body_statements`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from typing import Literal

from pytest_lessons.lang.python.ast_source import AstSource, children_in_source_order
from pytest_lessons.lang.python.routes.ast_syntax import (
    ast_arguments_by_parameter,
    ast_callee,
    ast_dotted,
    ast_elements,
    ast_string,
    ast_string_list,
    call_arguments,
)
from pytest_lessons.lang.python.routes.declarations_ast import AstDeclarations, AstFunction
from pytest_lessons.lang.python.routes.dependencies_ast import (
    Text,
    ast_annotated_dependencies,
    ast_body_statements,
    ast_call_dependency,
    ast_dependency_list,
    ast_mentions_reject,
    ast_path_prefixes,
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

_Decorated = tuple[ast.Call, str, str]
_NO_CALLS = (
    ast.Name,
    ast.Constant,
    ast.expr_context,
    ast.operator,
    ast.unaryop,
    ast.cmpop,
    ast.boolop,
    ast.alias,
)
"""Nodes the walk need not enter: nothing under them is recorded (about half of a module's)."""


class AstRegistrations:
    def __init__(
        self,
        source: AstSource,
        declarations: AstDeclarations,
        imported: set[str],
        default_framework: Framework | None,
    ) -> None:
        self.source = source
        self.decl = declarations
        self.rules = Receivers(declarations.routers, imported, default_framework)
        self.routes: list[Route] = []
        self.includes: list[Include] = []
        self.middlewares: list[Middleware] = []
        self.before_requests: list[BeforeRequest] = []
        self.app_parameters: dict[tuple[str, str], AppParameter] = {}
        self.app_calls: list[AppCall] = []
        self._classes: list[ast.ClassDef] = []
        self._functions: list[AstFunction] = []
        self._outer: AstFunction | None = None
        self._assign_targets: list[str | None] = []
        self._dev_only = 0
        self._statement: ast.stmt | None = None

    # -- the walk -----------------------------------------------------------------------------

    def visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.stmt):
            outer = self._statement
            self._statement = node
            self._visit(node)
            self._statement = outer
        else:
            self._visit(node)

    def _visit_all(self, nodes: Iterable[ast.AST]) -> None:
        for child in nodes:
            if not isinstance(child, _NO_CALLS):
                self.visit(child)

    @property
    def _indent(self) -> str:
        """The indentation of the statement being read (texts are few: found when asked)."""
        return "" if self._statement is None else self.source.indent(self._statement)

    def _visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.Call):
            self._call(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self._function(node)
            self._visit_all(children_in_source_order(node))
            self._functions.pop()
            if not self._functions:
                self._outer = None
            return
        elif isinstance(node, ast.ClassDef):
            self._classes.append(node)
            self._visit_all(children_in_source_order(node))
            self._classes.pop()
            return
        elif isinstance(node, ast.Assign):
            self._assign(node)
            self._visit_all(children_in_source_order(node))
            self._assign_targets.pop()
            return
        elif isinstance(node, ast.If):
            self.visit(node.test)
            dev_only = dev_only_condition(node.test)
            self._dev_only += dev_only
            self._visit_all(node.body)
            self._dev_only -= dev_only
            self._visit_all(node.orelse)
            return
        self._visit_all(children_in_source_order(node))

    # -- helpers ------------------------------------------------------------------------------

    def _text(self, node: ast.AST) -> str:
        return self.source.libcst_text(node, self._indent)

    def _texts(self, indent: str) -> Text:
        return lambda node: self.source.libcst_text(node, indent)

    def _receiver(self, node: ast.expr) -> str | None:
        """The router a call or decorator is made on, `self.router` qualified by its class."""
        return self_attribute(ast_dotted(node), [c.name for c in self._classes])

    def _scope(self, receiver: str | None) -> str | None:
        """As `Registrations._scope`: the module-level function whose parameter `receiver` is."""
        found = self._parameter(receiver)
        if found is None:
            return None
        self.app_parameters.setdefault((found.function, found.name), found)
        return found.function

    def _parameter(self, name: str | None) -> AppParameter | None:
        outer = self._outer
        return app_parameter(
            name,
            None if outer is None else (outer.name, _parameter_positions(outer)),
            [_parameter_positions(inner) for inner in self._functions[1:]],
        )

    def _app_call(self, node: ast.Call, name: str) -> None:
        """As `Registrations._app_call`: an app or router handed to a function."""
        position = 0
        for keyword, star, value in call_arguments(node):
            if star:
                return
            argument = ast_dotted(value)
            if (
                argument is not None
                and self.rules.handed_over(argument)
                and self._parameter(argument) is None
            ):
                self.app_calls.append(
                    AppCall(
                        function=name,
                        argument=argument,
                        position=position if keyword is None else None,
                        keyword=keyword,
                        line=node.lineno,
                    )
                )
            if keyword is None:
                position += 1

    def _plausible(self, receiver: str, call: ast.Call) -> bool:
        path = ast_string(ast_arguments_by_parameter(call, ("path",)).get("path"))
        return self.rules.plausible(receiver, path)

    def _signature_dependencies(
        self, function: AstFunction, skip_self: bool, text: Text
    ) -> tuple[list[Dependency], list[Param]]:
        dependencies: list[Dependency] = []
        described: list[Param] = []
        for param, default in _parameters(function, skip_self):
            annotation = param.annotation
            name = param.arg
            dependency = ast_call_dependency(
                default, "param", text, annotation=annotation, param=name
            )
            if dependency is not None:
                dependencies.append(dependency)
            for found in ast_annotated_dependencies(annotation, text):
                dependencies.append(found.model_copy(update={"param": name}))
            alias = ast_dotted(annotation)
            if alias is not None and alias in self.decl.aliases:
                for found in self.decl.aliases[alias]:
                    dependencies.append(found.model_copy(update={"param": name}))
            described.append(
                Param(
                    name=name,
                    annotation=None if annotation is None else text(annotation),
                    default=None if default is None else text(default),
                )
            )
        return dependencies, described

    def _class_dependencies(
        self, cls: ast.ClassDef, seen: set[str] | None = None
    ) -> list[Dependency]:
        """cbv-style `user: User = Depends(get_user)` attributes, base classes (this file) first."""
        seen = seen if seen is not None else set()
        if cls.name in seen:
            return []
        seen.add(cls.name)
        found: list[Dependency] = []
        for base in cls.bases:
            base_name = ast_dotted(base.value if isinstance(base, ast.Starred) else base)
            if base_name in self.decl.classes:
                found.extend(self._class_dependencies(self.decl.classes[base_name], seen))
        for statement in ast_body_statements(cls, self.source):
            if isinstance(statement, ast.Assign):
                value: ast.expr | None = statement.value
                annotation: ast.expr | None = None
            elif isinstance(statement, ast.AnnAssign):
                value, annotation = statement.value, statement.annotation
            else:
                continue
            text = self._texts(self.source.indent(statement))
            dependency = ast_call_dependency(value, "class", text, annotation=annotation)
            if dependency is not None:
                found.append(dependency)
            found.extend(
                d.model_copy(update={"where": "class"})
                for d in ast_annotated_dependencies(annotation, text)
            )
        return found

    def _class_decorators(self, cls: ast.ClassDef) -> list[str]:
        """Flask `View.decorators = [login_required]` and the class's own decorators."""
        names = [ast_dotted(d) or ast_callee(d) or "?" for d in cls.decorator_list]
        for statement in ast_body_statements(cls, self.source):
            if isinstance(statement, ast.Assign) and any(
                ast_dotted(t) in ("decorators", "method_decorators") for t in statement.targets
            ):
                indent = self.source.indent(statement)
                for item in ast_elements(statement.value) or []:
                    names.append(
                        ast_dotted(item)
                        or ast_callee(item)
                        or self.source.libcst_text(item, indent)
                    )
        return names

    def _route(
        self,
        *,
        function: AstFunction | None,
        function_name: str,
        framework: Framework,
        methods: list[str],
        methods_known: bool,
        receiver: str | None,
        path: str | None,
        path_expr: str | None,
        anchor: ast.AST,
        dependencies: list[Dependency],
        decorators: list[ast.expr] | None = None,
        extra_decorators: list[str] | None = None,
        cls: ast.ClassDef | None = None,
    ) -> Route:
        full = self.rules.full_path(receiver, path)
        line, column, end_line, end_column = self.source.position(
            function if function is not None else anchor
        )
        own: list[Dependency] = []
        parameters: list[Param] = []
        if cls is not None:
            own.extend(self._class_dependencies(cls))
        text = self._texts(self.source.indent(function) if function is not None else "")
        if function is not None:
            found, parameters = self._signature_dependencies(
                function, skip_self=cls is not None, text=text
            )
            own.extend(found)
        own.extend(dependencies)
        names = list(extra_decorators or [])
        texts = list(extra_decorators or [])
        for expression in decorators or []:
            names.append(ast_dotted(expression) or ast_callee(expression) or "?")
            texts.append(text(expression))
        return Route(
            framework=framework,
            methods=methods,
            methods_known=methods_known,
            path=full,
            route_path=path,
            path_expr=path_expr,
            params=path_params(full if full is not None else path),
            function=function_name,
            class_name=None if cls is None else cls.name,
            endpoint_defined=function is not None,
            is_async=isinstance(function, ast.AsyncFunctionDef),
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            router=receiver,
            scope=self._scope(receiver),
            dependencies=own,
            decorators=names,
            decorator_texts=texts,
            parameters=parameters,
        )

    def _methods(self, node: ast.expr | None) -> tuple[list[str], bool]:
        if node is None:
            return ["GET"], True
        return request_methods(ast_string_list(node))

    # -- decorated functions ------------------------------------------------------------------

    def _function(self, node: AstFunction) -> None:
        route_decorators: list[_Decorated] = []
        others: list[ast.expr] = []
        for expression in node.decorator_list:
            target = expression.func if isinstance(expression, ast.Call) else expression
            if isinstance(target, ast.Attribute):
                receiver = self._receiver(target.value)
                attribute = target.attr
                if receiver is not None and self._hook(node, expression, receiver, attribute):
                    continue
                if (
                    receiver is not None
                    and isinstance(expression, ast.Call)
                    and (attribute.upper() in HTTP_METHODS or attribute in ("route", "api_route"))
                    and self.rules.is_receiver(receiver)
                    and (
                        expression.args
                        or expression.keywords
                        or attribute in ("route", "api_route")
                    )
                    and self._plausible(receiver, expression)
                ):
                    route_decorators.append((expression, receiver, attribute))
                    continue
            others.append(expression)
        cls = self._classes[-1] if self._classes else None
        self._routes_from_decorators(node, route_decorators, others, cls)
        if not self._functions and not self._classes:
            self._outer = node
        self._functions.append(node)

    def _routes_from_decorators(
        self,
        node: AstFunction,
        route_decorators: list[_Decorated],
        others: list[ast.expr],
        cls: ast.ClassDef | None,
    ) -> None:
        for call, receiver, attribute in route_decorators:
            arguments = ast_arguments_by_parameter(call, ("path",))
            path_node = arguments.get("path") or arguments.get("rule")
            path, path_expr = self.decl.text_of(path_node, self._indent)
            if attribute in ("route", "api_route"):
                methods, known = self._methods(arguments.get("methods"))
            else:
                methods, known = [attribute.upper()], True
            self.routes.append(
                self._route(
                    function=node,
                    function_name=node.name,
                    framework=self.rules.framework(receiver, path),
                    methods=methods,
                    methods_known=known,
                    receiver=receiver,
                    path=path,
                    path_expr=path_expr,
                    anchor=node,
                    dependencies=ast_dependency_list(
                        arguments.get("dependencies"), "decorator", self._text
                    ),
                    decorators=others,
                    cls=cls,
                )
            )

    def _hook(
        self, function: AstFunction, expression: ast.expr, receiver: str, attribute: str
    ) -> bool:
        if attribute in ("before_request", "before_app_request") and not isinstance(
            expression, ast.Call
        ):
            self.before_requests.append(
                BeforeRequest(
                    app=receiver,
                    function=function.name,
                    aborts=ast_mentions_reject(function.body, self.source),
                    app_wide=attribute == "before_app_request",
                    line=function.lineno,
                    scope=self._scope(receiver),
                )
            )
            return True
        if attribute == "middleware" and isinstance(expression, ast.Call):
            self._function_middleware(
                receiver, expression, function.name, function, function.lineno
            )
            return True
        return False

    def _function_middleware(
        self, app: str, decorator: ast.Call, name: str, function: AstFunction | None, line: int
    ) -> None:
        """An `app.middleware("http")` function; `function` None when defined elsewhere."""
        arguments = call_arguments(decorator)
        kind = ast_string(arguments[0][2]) if arguments else None
        prefixes: list[str] = []
        if function is not None:
            prefixes = ast_path_prefixes(function.body, self._texts(""))
        self.middlewares.append(
            Middleware(
                app=app,
                cls=kind or "http",
                line=line,
                kind="decorator",
                function=name,
                rejects=function is not None and ast_mentions_reject(function.body, self.source),
                path_prefixes=prefixes,
                scope=self._scope(app),
            )
        )

    def _middleware_call(self, node: ast.Call, inner: ast.Call) -> None:
        """`app.middleware("http")(auth_middleware)`: the decorator applied by hand."""
        target = inner.func
        arguments = call_arguments(node)
        if not (
            isinstance(target, ast.Attribute)
            and target.attr == "middleware"
            and len(arguments) == 1
            and arguments[0][0] is None
        ):
            return
        receiver = self._receiver(target.value)
        function_name = ast_dotted(arguments[0][2])
        if receiver is None or function_name is None:
            return
        self._function_middleware(
            receiver, inner, function_name, self.decl.functions.get(function_name), node.lineno
        )

    # -- calls --------------------------------------------------------------------------------

    def _assign(self, node: ast.Assign) -> None:
        targets = [ast_dotted(t) for t in node.targets]
        self._assign_targets.append(targets[0] if len(targets) == 1 else None)
        if ast_elements(node.value) is not None and targets[0] is not None:
            self._route_list(node.value, targets[0], "")

    def _call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Call):
            self._middleware_call(node, node.func)
            return
        name = ast_callee(node)
        if name is None:
            return
        if name.rsplit(".", 1)[-1] in APP_CONSTRUCTORS:
            self._app_constructor(node)
            return
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in REGISTERING:
            self._app_call(node, name)
        if not isinstance(func, ast.Attribute):
            return
        receiver = self._receiver(func.value)
        if receiver is None:
            return
        method = func.attr
        if method in ("include_router", "register_blueprint"):
            self._include(node, receiver, method)
        elif method == "mount":
            arguments = ast_arguments_by_parameter(node, ("path", "app"))
            child = ast_dotted(arguments.get("app"))
            if child is not None:
                prefix, prefix_expr = self.decl.text_of(arguments.get("path"), self._indent)
                self.includes.append(
                    Include(
                        app=receiver,
                        router=child,
                        prefix=prefix,
                        prefix_expr=prefix_expr,
                        kind="mount",
                        line=node.lineno,
                        scope=self._scope(receiver),
                    )
                )
        elif method == "add_middleware" and (node.args or node.keywords):
            self.middlewares.append(self._middleware_from(node, receiver))
        elif method in ("before_request", "before_app_request"):
            self._before_request_call(node, receiver, method)
        elif method in ("add_api_route", "add_route", "add_url_rule") and self.rules.is_receiver(
            receiver
        ):
            self._registered_route(node, receiver, method)

    def _app_constructor(self, node: ast.Call) -> None:
        """`Starlette(routes=[...], middleware=[...])`, in the assignment it is made in."""
        container = (self._assign_targets[-1] if self._assign_targets else None) or "app"
        arguments = ast_arguments_by_parameter(node, ())
        routes = arguments.get("routes")
        if routes is not None:
            if ast_elements(routes) is not None:
                self._route_list(routes, container, "")
            elif ast_dotted(routes) is not None:
                self.includes.append(
                    Include(
                        app=container,
                        router=ast_dotted(routes) or "",
                        kind="routes",
                        line=node.lineno,
                    )
                )
        for item in ast_elements(arguments.get("middleware")) or []:
            self._middleware_item(container, item)

    def _before_request_call(self, node: ast.Call, receiver: str, method: str) -> None:
        arguments = call_arguments(node)
        if len(arguments) != 1:
            return
        function_name = ast_dotted(arguments[0][2])
        if function_name is None:
            return
        function = self.decl.functions.get(function_name)
        self.before_requests.append(
            BeforeRequest(
                app=receiver,
                function=function_name,
                aborts=function is not None and ast_mentions_reject(function.body, self.source),
                app_wide=method == "before_app_request",
                line=node.lineno,
                scope=self._scope(receiver),
            )
        )

    def _include(self, node: ast.Call, receiver: str, method: str) -> None:
        arguments = ast_arguments_by_parameter(node, ("router",))
        child = ast_dotted(arguments.get("router") or arguments.get("blueprint"))
        if child is None:
            return
        prefix_node = (
            arguments.get("prefix") if method == "include_router" else arguments.get("url_prefix")
        )
        prefix, prefix_expr = self.decl.text_of(prefix_node, self._indent)
        self.includes.append(
            Include(
                app=receiver,
                router=child,
                prefix=prefix,
                prefix_expr=prefix_expr,
                dependencies=ast_dependency_list(
                    arguments.get("dependencies"), "include", self._text
                ),
                kind="include_router" if method == "include_router" else "register_blueprint",
                line=node.lineno,
                dev_only=self._dev_only > 0,
                scope=self._scope(receiver),
            )
        )

    def _middleware_item(self, container: str, item: ast.expr) -> None:
        if not isinstance(item, ast.Call):
            return
        callee = ast_callee(item)
        if callee is None or callee.rsplit(".", 1)[-1] != "Middleware":
            return
        if not (item.args or item.keywords):
            return
        self.middlewares.append(self._middleware_from(item, container, kind="middleware_list"))

    def _middleware_from(
        self,
        call: ast.Call,
        app: str,
        kind: Literal["add_middleware", "middleware_list", "decorator"] = "add_middleware",
    ) -> Middleware:
        """`add_middleware(Cls, **options)` and `Middleware(Cls, **options)` say the same thing."""
        (_keyword, _star, first), *rest = call_arguments(call)
        return Middleware(
            app=app,
            cls=ast_dotted(first) or self._text(first),
            args=[
                self._text(value) if keyword is None else f"{keyword}={self._text(value)}"
                for keyword, _star, value in rest
            ],
            line=call.lineno,
            kind=kind,
            scope=self._scope(app) if kind == "add_middleware" else None,
        )

    def _route_list(self, node: ast.expr, container: str, prefix: str | None) -> None:
        """Starlette `Route`/`Mount` items of a routes list; prefix None once a Mount is unknown."""
        for item in ast_elements(node) or []:
            if not isinstance(item, ast.Call):
                continue
            callee = ast_callee(item)
            short = callee.rsplit(".", 1)[-1] if callee is not None else None
            if short == "Route":
                self._starlette_route(item, container, prefix)
            elif short == "Mount":
                arguments = ast_arguments_by_parameter(item, ("path", "app"))
                mount_path, _expr = self.decl.text_of(arguments.get("path"), self._indent)
                inner_prefix = (
                    None if prefix is None or mount_path is None else join_paths(prefix, mount_path)
                )
                routes = arguments.get("routes")
                child = ast_dotted(routes) or ast_dotted(arguments.get("app"))
                if routes is not None and ast_elements(routes) is not None:
                    self._route_list(routes, container, inner_prefix)
                elif child is not None:
                    self.includes.append(
                        Include(
                            app=container,
                            router=child,
                            prefix=inner_prefix,
                            prefix_expr=None if inner_prefix is not None else self._text(item),
                            kind="mount",
                            line=item.lineno,
                        )
                    )

    def _starlette_route(self, call: ast.Call, container: str, prefix: str | None) -> None:
        arguments = ast_arguments_by_parameter(call, ("path", "endpoint"))
        path, path_expr = self.decl.text_of(arguments.get("path"), self._indent)
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
        endpoint: ast.expr | None,
        anchor: ast.AST,
        framework: Framework,
        receiver: str | None,
        path: str | None,
        path_expr: str | None,
        methods: tuple[list[str], bool] | None,
        dependencies: list[Dependency],
    ) -> None:
        """A route per endpoint: a function here, a view class here (one per method), or a name."""
        if (
            isinstance(endpoint, ast.Call)
            and isinstance(endpoint.func, ast.Attribute)
            and endpoint.func.attr == "as_view"  # Flask `MethodView.as_view("name")`
        ):
            endpoint = endpoint.func.value
        name = ast_dotted(endpoint)
        if name is None:
            return
        cls = self.decl.classes.get(name)
        if cls is not None:
            for statement in ast_body_statements(cls, self.source):
                if (
                    isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
                    and statement.name.upper() in HTTP_METHODS
                ):
                    self.routes.append(
                        self._route(
                            function=statement,
                            function_name=f"{name}.{statement.name}",
                            framework=framework,
                            methods=[statement.name.upper()],
                            methods_known=True,
                            receiver=receiver,
                            path=path,
                            path_expr=path_expr,
                            anchor=anchor,
                            dependencies=dependencies,
                            decorators=list(statement.decorator_list),
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
                decorators=list(function.decorator_list) if function is not None else None,
            )
        )

    def _registered_route(self, node: ast.Call, receiver: str, method: str) -> None:
        if method == "add_url_rule":
            arguments = ast_arguments_by_parameter(node, ("rule", "endpoint", "view_func"))
            path_node = arguments.get("rule")
            endpoint = arguments.get("view_func")
        else:
            arguments = ast_arguments_by_parameter(node, ("path", "endpoint"))
            path_node = arguments.get("path") or arguments.get("route")
            endpoint = arguments.get("endpoint")
        path, path_expr = self.decl.text_of(path_node, self._indent)
        methods_node = arguments.get("methods")
        self._endpoint_routes(
            endpoint=endpoint,
            anchor=node,
            framework=self.rules.framework(receiver, path),
            receiver=receiver,
            path=path,
            path_expr=path_expr,
            methods=self._methods(methods_node) if methods_node is not None else None,
            dependencies=ast_dependency_list(
                arguments.get("dependencies"), "decorator", self._text
            ),
        )


def dev_only_condition(test: ast.expr) -> bool:
    """As `registrations.dev_only_condition`: a condition that holds only outside production."""
    if isinstance(test, ast.BoolOp):
        # libcst nests `a and b and c` as `(a and b) and c`: any operand of `and`, every of `or`
        if isinstance(test.op, ast.And):
            return any(dev_only_condition(value) for value in test.values)
        return all(dev_only_condition(value) for value in test.values)
    if isinstance(test, (ast.Name, ast.Attribute)) or _is_name_constant(test):
        return dev_flag(ast_dotted(test))
    if not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return False
    if not isinstance(test.ops[0], (ast.Eq, ast.In)):
        return False
    comparator = test.comparators[0]
    values = ast_elements(comparator)
    candidates = values if values is not None else [comparator]
    return dev_comparison(ast_dotted(test.left), [ast_string(value) for value in candidates])


def _is_name_constant(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, bool))


def _parameters(function: AstFunction, skip_self: bool) -> list[tuple[ast.arg, ast.expr | None]]:
    """Named parameters (not `*args`/`**kwargs`) with their defaults, as written."""
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(arguments.defaults))
    defaults.extend(arguments.defaults)
    params = [
        *zip(positional, defaults, strict=True),
        *zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True),
    ]
    if skip_self and params and params[0][0].arg in ("self", "cls"):
        params = params[1:]
    return params


def _parameter_positions(function: AstFunction) -> dict[str, int | None]:
    """A function's named parameters: position for positional ones, None for keyword-only."""
    positional = [*function.args.posonlyargs, *function.args.args]
    found: dict[str, int | None] = {p.arg: i for i, p in enumerate(positional)}
    found.update({p.arg: None for p in function.args.kwonlyargs})
    return found
