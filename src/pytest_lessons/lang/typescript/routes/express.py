"""Express-style registrations: Express, Hono, Fastify and koa-router routes and mounts.

- `app.use(path?, ...)` / fastify `addHook` are recorded as `mounts`, not handlers: the same shape
  serves middleware, sub-routers and terminal handlers, and the lesson decides coverage. The one
  exception is an inline function that cannot call `next` (fewer than three parameters, none named
  `next`), which is a terminal handler for every method (`"ANY"`).
- Receivers are names bound in this file to `express()`, `express.Router()`, `Router()`,
  `new Hono()`, `new Router()` (koa-router), `fastify()`... or, when the construction is not
  visible, names like `app`/`router`/`api`/`server`/`routes`/`fooRouter`. The name heuristic is
  held back in `'use client'` files and files importing an HTTP client, and it demands a
  handler-shaped last argument (a function, a function binding, an import, `controller.method`), so
  `api.post("/orders", payload)` through axios is not a route.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ast_grep_py import SgNode

from pytest_lessons.lang.typescript.routes.bindings import (
    FUNCTION_KINDS,
    ModuleScope,
    ref_span,
    resolve_handler,
    unwrap,
)
from pytest_lessons.lang.typescript.routes.facts import (
    SAFE_METHODS,
    Framework,
    HandlerRef,
    Mount,
    RouteHandler,
)
from pytest_lessons.lang.typescript.routes.next_paths import route_params
from pytest_lessons.lang.typescript.syntax import (
    call_arguments,
    callee_name,
    directives,
    dotted_name,
    object_properties,
    span,
    string_value,
)
from pytest_lessons.source import SourceFile

_REGISTRATION_METHODS = {
    "get": "GET",
    "post": "POST",
    "put": "PUT",
    "patch": "PATCH",
    "delete": "DELETE",
    "del": "DELETE",
    "head": "HEAD",
    "options": "OPTIONS",
    "all": "ANY",
}
_RECEIVER_CALLS = {
    "express": "express",
    "express.Router": "express",
    "Router": "express",
    "fastify": "fastify",
    "Fastify": "fastify",
    "createRouter": "express",
}
_RECEIVER_CLASSES = {
    "Hono": "hono",
    "OpenAPIHono": "hono",
    "Router": "express",
    "KoaRouter": "express",
    "Elysia": "express",
}
_RECEIVER_NAME = re.compile(r"^(app|router|api|server|routes|fastify)$|[a-z](Router|Routes)$")
_AUTH_HOOKS = frozenset({"onRequest", "preHandler", "preValidation", "preParsing"})


class _Receiver:
    def __init__(self, framework: str, base: str, visible: bool) -> None:
        self.framework = framework
        self.base = base
        self.visible = visible


def _construction(node: SgNode | None, known: dict[str, _Receiver]) -> _Receiver | None:
    """The receiver a value creates: `express()`, `new Hono().basePath("/api")`, ..."""
    node = unwrap(node)
    if node is None:
        return None
    kind = node.kind()
    if kind == "new_expression":
        constructor = dotted_name(node.field("constructor"))
        framework = _RECEIVER_CLASSES.get((constructor or "").rsplit(".", 1)[-1])
        if framework is None:
            return None
        base = ""
        for argument in call_arguments(node):
            if argument.kind() == "object":
                for key, value in object_properties(argument):
                    if key == "prefix":
                        base = string_value(value) or ""
        return _Receiver(framework, base, True)
    if kind == "call_expression":
        callee = callee_name(node)
        if callee in _RECEIVER_CALLS:
            return _Receiver(_RECEIVER_CALLS[callee], "", True)
        function = node.field("function")
        if function is not None and function.kind() == "member_expression":
            prop = function.field("property")
            if prop is not None and (
                prop.text() in _REGISTRATION_METHODS or prop.text() in ("use", "on", "route")
            ):
                # Hono's registrations return the app: `const app = new Hono().get(...)`.
                return _construction(function.field("object"), known)
            if prop is not None and prop.text() == "basePath":
                inner = function.field("object")
                parent = _construction(inner, known)
                if parent is None:
                    inner_name = dotted_name(inner)
                    parent = known.get(inner_name) if inner_name is not None else None
                arguments = call_arguments(node)
                extra = string_value(arguments[0]) if arguments else None
                if parent is not None:
                    return _Receiver(parent.framework, _join(parent.base, extra or ""), True)
    if kind == "identifier" and node.text() in known:
        return known[node.text()]
    return None


def _join(base: str, path: str) -> str:
    """Prefix a route path with a base path (`basePath("/api")`, koa-router `prefix`)."""
    if not base:
        return path
    if path in ("", "/"):
        return base
    return base.rstrip("/") + "/" + path.lstrip("/")


def _receivers(root: SgNode) -> tuple[dict[str, _Receiver], set[str]]:
    """Names bound to a server/router construction, and names visibly bound to anything else."""
    known: dict[str, _Receiver] = {}
    others: set[str] = set()
    for declarator in root.find_all(kind="variable_declarator"):
        name = declarator.field("name")
        if name is None or name.kind() != "identifier":
            continue
        receiver = _construction(declarator.field("value"), known)
        if receiver is not None:
            known[name.text()] = receiver
        elif declarator.field("value") is not None:
            others.add(name.text())
    return known, others - set(known)


def _names(node: SgNode) -> list[str]:
    """Middleware names of an argument: `auth`, `passport.authenticate`, `verify(...)`, arrays,
    and the array spread into the call (`app.use(...protectedMiddleware)`), by its name."""
    node = unwrap(node) or node
    kind = node.kind()
    if kind == "spread_element":
        inner = [child for child in node.children() if child.is_named()]
        return _names(inner[0]) if len(inner) == 1 else []
    if kind == "array":
        return [name for child in node.children() if child.is_named() for name in _names(child)]
    if kind == "call_expression":
        callee = callee_name(node)
        return [callee] if callee is not None else []
    if kind in FUNCTION_KINDS:
        return ["<inline>"]
    name = dotted_name(node)
    return [name] if name is not None else []


def _handler_like(node: SgNode, scope: ModuleScope) -> bool:
    """Could this argument be a request handler? Used only for guessed receivers."""
    node = unwrap(node) or node
    kind = node.kind()
    if kind in FUNCTION_KINDS:
        return True
    if kind == "identifier":
        name = node.text()
        if name in scope.functions or name in scope.imports:
            return True
        value = unwrap(scope.values.get(name))
        return value is not None and value.kind() in (*FUNCTION_KINDS, "call_expression")
    if kind == "member_expression":
        base = dotted_name(node.field("object"))
        return base is not None and base.split(".")[0] in scope.imports
    return kind == "call_expression"


def express_registrations(
    root: SgNode, scope: ModuleScope, file: SourceFile
) -> tuple[list[RouteHandler], list[Mount]]:
    if not file.contains_any(
        (
            b".get",
            b".post",
            b".put",
            b".patch",
            b".delete",
            b".all",
            b".use",
            b".route",
            b".on",
            b".del",
            b".addHook",
            b".head",
            b".options",
        )
    ):
        return [], []
    known, others = _receivers(root)
    guess_allowed = "use client" not in directives(root) and not scope.http_client
    handlers: list[RouteHandler] = []
    mounts: list[Mount] = []
    rule = {
        "field": "function",
        "kind": "member_expression",
        "has": {
            "field": "property",
            "regex": "^(get|post|put|patch|delete|del|head|options|all|use|route|on|addHook)$",
        },
    }
    for call in root.find_all(kind="call_expression", has=rule):
        function = call.field("function")
        prop = function.field("property") if function is not None else None
        target = function.field("object") if function is not None else None
        if prop is None or target is None:
            continue
        located = _locate_receiver(target, known, others, guess_allowed)
        if located is None:
            continue
        receiver_name, receiver, route_path = located
        method_name = prop.text()
        arguments = call_arguments(call)
        where = ref_span(call)
        chained = unwrap(target)
        if chained is not None and chained.kind() in ("call_expression", "new_expression"):
            # A chained `.post(...)` spans from the chain's start; point at its own `.post`.
            where = {**where, "line": span(prop).line, "column": span(prop).column}
        framework = receiver.framework
        if method_name == "use" or method_name == "addHook":
            mount = _mount(receiver_name, receiver, method_name, arguments, where)
            if mount is not None:
                mounts.append(mount)
            terminal = _terminal_use(arguments)
            if terminal is not None and method_name == "use":
                use_path, use_handler = terminal
                _, ref, _ = resolve_handler(use_handler, scope)
                handlers.append(
                    _registration(
                        framework,
                        "ANY",
                        _join(receiver.base, use_path),
                        ref,
                        [],
                        where,
                        receiver_name,
                    )
                )
            continue
        if method_name == "route":
            if len(arguments) == 1 and arguments[0].kind() == "object":
                handlers.extend(_fastify_route(arguments[0], scope, receiver_name, receiver, where))
            elif len(arguments) == 2 and framework == "hono":
                sub_path = string_value(unwrap(arguments[0]))
                sub_app = dotted_name(unwrap(arguments[1]) or arguments[1])
                if sub_path is not None and sub_app is not None:
                    mounts.append(
                        Mount(
                            receiver=receiver_name,
                            path=_join(receiver.base, sub_path),
                            middlewares=[],
                            sub_app=sub_app,
                            **where,
                        )
                    )
            continue
        methods: list[str]
        if method_name == "on":
            if len(arguments) < 3:
                continue
            first = unwrap(arguments[0])
            if first is not None and first.kind() == "array":
                values = [string_value(c) for c in first.children() if c.is_named()]
            else:
                values = [string_value(first)]
            methods = [v.upper() for v in values if v is not None]
            arguments = arguments[1:]
        else:
            methods = [_REGISTRATION_METHODS[method_name]]
        if route_path is not None:
            path: str | None = route_path
            rest = arguments
        else:
            if len(arguments) < 2:
                continue
            path = string_value(unwrap(arguments[0]))
            rest = arguments[1:]
            if path is None and not receiver.visible:
                continue
        if not rest:
            continue
        middlewares: list[str] = []
        handler_node: SgNode | None = rest[-1]
        for middle in rest[:-1]:
            inner = unwrap(middle)
            if inner is not None and inner.kind() == "object":
                middlewares.extend(_hook_names(inner))
            elif inner is not None:
                middlewares.extend(_names(inner))
        last = unwrap(rest[-1])
        if last is not None and last.kind() == "object":
            options = dict(object_properties(last))
            handler_node = options.get("handler")
            middlewares.extend(_hook_names(last))
            if handler_node is None:
                continue
        if handler_node is None:
            continue
        if not receiver.visible and (
            not _handler_like(handler_node, scope)
            or path is None
            or not path.startswith(("/", "*"))
        ):
            continue
        wrappers, ref, _ = resolve_handler(handler_node, scope)
        full = _join(receiver.base, path) if path is not None else None
        for method in methods:
            handlers.append(
                _registration(
                    framework, method, full, ref, middlewares, where, receiver_name, wrappers
                )
            )
    _prefix_sub_apps(handlers, mounts, known)
    handlers.sort(key=lambda h: (h.line, h.column))
    return handlers, mounts


def _prefix_sub_apps(
    handlers: list[RouteHandler], mounts: list[Mount], known: dict[str, _Receiver]
) -> None:
    """Give a Hono sub-app of this file (`app.route("/x", sub)`) its mount prefix, in place."""
    for mount in [m for m in mounts if m.sub_app in known and m.sub_app != m.receiver]:
        prefix = mount.path or ""
        for i, handler in enumerate(handlers):
            if handler.receiver == mount.sub_app and handler.path is not None:
                full = _join(prefix, handler.path)
                handlers[i] = handler.model_copy(
                    update={"path": full, "params": route_params(full)}
                )
        for i, other in enumerate(mounts):
            if other.receiver == mount.sub_app and other.sub_app is None:
                mounts[i] = other.model_copy(update={"path": _join(prefix, other.path or "/*")})


def _registration(
    framework: str,
    method: str,
    path: str | None,
    ref: HandlerRef,
    middlewares: list[str],
    where: dict[str, int],
    receiver: str,
    wrappers: list[str] | None = None,
) -> RouteHandler:
    name: Framework = (
        "hono" if framework == "hono" else ("fastify" if framework == "fastify" else "express")
    )
    return RouteHandler(
        framework=name,
        method=method,
        path=path,
        params=route_params(path),
        handler=ref,
        wrappers=wrappers or [],
        middlewares=middlewares,
        safe_methods_only=method in SAFE_METHODS,
        receiver=receiver,
        **where,
    )


def _locate_receiver(
    target: SgNode, known: dict[str, _Receiver], others: set[str], guess_allowed: bool
) -> tuple[str, _Receiver, str | None] | None:
    """(receiver name, receiver, path set by `.route("/x")`) for the object a method is called on.

    Follows chains: `app.get(...).post(...)` (Hono), `router.route("/x").get(h).post(h)`.
    """
    node = unwrap(target)
    if node is None:
        return None
    if node.kind() == "call_expression":
        function = node.field("function")
        if function is None or function.kind() != "member_expression":
            construction = _construction(node, known)
            return ("<anonymous>", construction, None) if construction is not None else None
        prop = function.field("property")
        inner = _locate_receiver(function.field("object") or function, known, others, guess_allowed)
        if inner is None:
            construction = _construction(node, known)
            return ("<anonymous>", construction, None) if construction is not None else None
        name, receiver, route_path = inner
        prop_text = prop.text() if prop is not None else ""
        arguments = call_arguments(node)
        if prop_text == "route" and len(arguments) == 1:
            value = string_value(unwrap(arguments[0]))
            return (name, receiver, _join(receiver.base, value) if value is not None else None)
        if prop_text == "basePath" and arguments:
            value = string_value(unwrap(arguments[0])) or ""
            return (
                name,
                _Receiver(receiver.framework, _join(receiver.base, value), True),
                route_path,
            )
        if prop_text in _REGISTRATION_METHODS or prop_text in ("use", "on"):
            return name, receiver, route_path
        return None
    if node.kind() == "new_expression":
        construction = _construction(node, known)
        return ("<anonymous>", construction, None) if construction is not None else None
    dotted = dotted_name(node)
    if dotted is None:
        return None
    name = dotted
    if name in known:
        return name, known[name], None
    if not guess_allowed or name in others:
        return None
    last = name.rsplit(".", 1)[-1]
    if name.count(".") > 1 or (name.count(".") == 1 and not name.startswith("this.")):
        return None
    if _RECEIVER_NAME.search(last):
        framework = "fastify" if last == "fastify" else "express"
        return name, _Receiver(framework, "", False), None
    return None


def _hook_names(options: SgNode) -> list[str]:
    names: list[str] = []
    for key, value in object_properties(options):
        if key in _AUTH_HOOKS:
            names.extend(_names(value))
    return names


def _mount(
    receiver_name: str,
    receiver: _Receiver,
    method_name: str,
    arguments: list[SgNode],
    where: dict[str, int],
) -> Mount | None:
    if not arguments:
        return None
    if method_name == "addHook":
        hook = string_value(arguments[0])
        if hook not in _AUTH_HOOKS or len(arguments) < 2:
            return None
        return Mount(receiver=receiver_name, path=None, middlewares=_names(arguments[1]), **where)
    path = string_value(unwrap(arguments[0]))
    rest = arguments[1:] if path is not None else arguments
    names = [name for argument in rest for name in _names(argument)]
    full = _join(receiver.base, path) if path is not None else (receiver.base or None)
    return Mount(receiver=receiver_name, path=full, middlewares=names, **where)


def _terminal_use(arguments: list[SgNode]) -> tuple[str, SgNode] | None:
    """`app.use("/x", (req, res) => ...)`: an inline function that cannot call `next`."""
    if len(arguments) != 2:
        return None
    path = string_value(unwrap(arguments[0]))
    handler = unwrap(arguments[1])
    if path is None or handler is None or handler.kind() not in FUNCTION_KINDS:
        return None
    parameters = handler.field("parameters")
    single = handler.field("parameter")
    if parameters is not None:
        names = [p.text() for p in parameters.children() if p.is_named()]
    else:
        names = [single.text()] if single is not None else []
    if len(names) >= 3 or any(re.match(r"next\b", n) for n in names):
        return None
    return path, handler


def _fastify_route(
    options: SgNode,
    scope: ModuleScope,
    receiver_name: str,
    receiver: _Receiver,
    where: dict[str, int],
) -> Iterator[RouteHandler]:
    """`fastify.route({ method, url, preHandler, handler })`."""
    properties = dict(object_properties(options))
    method_node = unwrap(properties.get("method"))
    url = string_value(unwrap(properties.get("url") or properties.get("path")))
    handler_node = properties.get("handler")
    if method_node is None or handler_node is None:
        return
    if method_node.kind() == "array":
        values = [string_value(c) for c in method_node.children() if c.is_named()]
    else:
        values = [string_value(method_node)]
    wrappers, ref, _ = resolve_handler(handler_node, scope)
    middlewares = _hook_names(options)
    full = _join(receiver.base, url) if url is not None else None
    for value in values:
        if value is None:
            continue
        method = value.upper()
        yield _registration(
            "fastify",
            "ANY" if method == "ALL" else method,
            full,
            ref,
            middlewares,
            where,
            receiver_name,
            wrappers,
        )
