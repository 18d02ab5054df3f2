"""Next.js entry points: App Router handlers, Pages Router API handlers, server actions, pages.

Pages Router API handlers yield one `RouteHandler` per method their body demonstrably serves
(`if (req.method === "POST")`, `switch (req.method)`, `if (req.method !== "POST") return 405`
guards, `[...].includes(req.method)`), plus one `"ANY"` handler when other methods fall through to
code that does more than answer 4xx/405. `safe_methods_only` is true when everything the export
serves is GET/HEAD/OPTIONS. A guard without `return`/`throw` restricts nothing: the code after it
still runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ast_grep_py import SgNode

from pytest_lessons.lang.typescript.routes.bindings import (
    FUNCTION_KINDS,
    Export,
    ModuleScope,
    pattern_keys,
    unwrap,
)
from pytest_lessons.lang.typescript.routes.facts import (
    HTTP_METHODS,
    SAFE_METHODS,
    PageRoute,
    RouteHandler,
)
from pytest_lessons.lang.typescript.routes.next_paths import route_params
from pytest_lessons.lang.typescript.syntax import (
    call_arguments,
    callee_name,
    string_value,
)


def app_route_handlers(
    exports: list[Export], scope: ModuleScope, path: str, registrations: list[RouteHandler]
) -> Iterator[RouteHandler]:
    params = route_params(path)
    hono_methods: set[str] = set()
    hono_receivers: set[str] = set()
    for export in exports:
        if export.name not in HTTP_METHODS:
            continue
        wrappers, ref, _ = export.resolve(scope)
        if (
            wrappers
            and ref.kind == "local"
            and ref.name is not None
            and any(r.receiver == ref.name for r in registrations)
        ):
            hono_methods.add(export.name)
            hono_receivers.add(ref.name)
            continue
        yield RouteHandler(
            framework="next-app",
            method=export.name,
            path=path,
            params=params,
            handler=ref,
            wrappers=wrappers,
            safe_methods_only=export.name in SAFE_METHODS,
            exported_as=export.name,
            **export.where,
        )
    if hono_receivers:
        # Registrations a mounted app never receives (no export for their method) are dropped.
        keep = [
            r
            for r in registrations
            if r.receiver not in hono_receivers or r.method in hono_methods or r.method == "ANY"
        ]
        registrations[:] = keep


def pages_api_handlers(
    exports: list[Export], scope: ModuleScope, path: str
) -> Iterator[RouteHandler]:
    params = route_params(path)
    for export in exports:
        if export.name != "default":
            continue
        wrappers, ref, function = export.resolve(scope)
        methods, restricted = _served_methods(function) if function is not None else ([], False)
        served = [*methods] if restricted else [*methods, "ANY"]
        safe = all(method in SAFE_METHODS for method in served)
        for method in served:
            yield RouteHandler(
                framework="next-pages-api",
                method=method,
                path=path,
                params=params,
                handler=ref,
                wrappers=wrappers,
                safe_methods_only=safe,
                exported_as="default",
                **export.where,
            )


def server_actions(exports: list[Export], scope: ModuleScope) -> Iterator[RouteHandler]:
    """Exports of a `'use server'` module: each is a POST endpoint Next.js exposes to any caller."""
    for export in exports:
        if export.source is not None or export.destructured_from is not None:
            continue
        wrappers, ref, function = export.resolve(scope)
        if function is None and not wrappers:
            continue
        yield RouteHandler(
            framework="next-server-action",
            method="POST",
            path=None,
            handler=ref,
            wrappers=wrappers,
            exported_as=export.name,
            **export.where,
        )


# ---------------------------------------------------------------------------------------------
# Pages Router: which methods does the body serve?


def _first_parameter(function: SgNode) -> SgNode | None:
    single = function.field("parameter")
    if single is not None:
        return single
    parameters = function.field("parameters")
    if parameters is None:
        return None
    for parameter in parameters.children():
        if parameter.is_named() and parameter.kind() != "comment":
            pattern = parameter.field("pattern")
            return pattern if pattern is not None else parameter
    return None


def _method_expressions(function: SgNode, body: SgNode) -> set[str]:
    """Texts that denote the request method: `req.method`, a `method` destructured from req."""
    first = _first_parameter(function)
    names: set[str] = set()
    if first is not None and first.kind() == "identifier":
        request = first.text()
        names.add(f"{request}.method")
        for declarator in body.find_all(kind="variable_declarator"):
            name = declarator.field("name")
            value = unwrap(declarator.field("value"))
            if name is None or value is None:
                continue
            if name.kind() == "identifier" and _normal(value.text()) == f"{request}.method":
                names.add(name.text())
            elif name.kind() == "object_pattern" and value.text() == request:
                for key, bound in pattern_keys(name):
                    if key == "method":
                        value_node = bound.field("value")
                        names.add(value_node.text() if value_node is not None else "method")
    elif first is not None and first.kind() == "object_pattern":
        for key, bound in pattern_keys(first):
            if key == "method":
                value_node = bound.field("value")
                names.add(value_node.text() if value_node is not None else "method")
    if not names:
        names.add("req.method")
    return names


def _normal(text: str) -> str:
    text = text.replace("?.", ".").replace(" ", "")
    for suffix in (".toUpperCase()", ".toLowerCase()"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text


def _method_test(node: SgNode | None, methods: set[str]) -> tuple[bool, set[str]] | None:
    """(True, M) when the condition holds exactly for methods M, (False, M) for all but M."""
    node = unwrap(node)
    if node is None:
        return None
    kind = node.kind()
    if kind == "binary_expression":
        operator = node.field("operator")
        op = operator.text() if operator is not None else ""
        left, right = node.field("left"), node.field("right")
        if op in ("===", "==", "!==", "!="):
            for a, b in ((left, right), (right, left)):
                if a is not None and _normal(a.text()) in methods:
                    value = string_value(unwrap(b))
                    if value is not None:
                        return (op in ("===", "=="), {value.upper()})
            return None
        sides = (_method_test(left, methods), _method_test(right, methods))
        if op == "||":
            if all(s is not None and s[0] for s in sides):
                return True, set().union(*(s[1] for s in sides if s is not None))
            return None
        if op == "&&":
            if all(s is not None and not s[0] for s in sides):
                return False, set().union(*(s[1] for s in sides if s is not None))
            positive = [s for s in sides if s is not None and s[0]]
            if positive:
                return True, positive[0][1]
        return None
    if kind == "unary_expression":
        operator = node.field("operator")
        inner = _method_test(node.field("argument"), methods)
        if operator is not None and operator.text() == "!" and inner is not None:
            return (not inner[0], inner[1])
        return None
    if kind == "call_expression":
        function = node.field("function")
        arguments = call_arguments(node)
        if (
            function is not None
            and function.kind() == "member_expression"
            and len(arguments) == 1
            and _normal(arguments[0].text()) in methods
        ):
            prop = function.field("property")
            array = unwrap(function.field("object"))
            if (
                prop is not None
                and prop.text() == "includes"
                and array is not None
                and array.kind() == "array"
            ):
                values = [string_value(e) for e in array.children() if e.is_named()]
                if values and all(v is not None for v in values):
                    return True, {v.upper() for v in values if v is not None}
    return None


def _statements(block: SgNode | None) -> list[SgNode]:
    """A block's statements with `try { ... }` bodies spliced in (the catch does not serve)."""
    if block is None:
        return []
    if block.kind() != "statement_block":
        return [block]
    out: list[SgNode] = []
    for child in block.children():
        if not child.is_named() or child.kind() == "comment":
            continue
        if child.kind() == "try_statement":
            out.extend(_statements(child.field("body")))
        else:
            out.append(child)
    return out


def _exits(statement: SgNode | None) -> bool:
    if statement is None:
        return False
    kind = statement.kind()
    if kind in ("return_statement", "throw_statement"):
        return True
    if kind == "statement_block":
        inner = _statements(statement)
        return bool(inner) and _exits(inner[-1])
    return False


_REJECT_TEXT = re.compile(r"\b4\d\d\b|not\s*allowed|METHOD_NOT_ALLOWED", re.IGNORECASE)


def _rejects(statements: list[SgNode]) -> bool:
    """Only answers with an error: no awaits, no declarations, a 4xx/405 or a throw."""
    if not statements:
        return True
    for statement in statements:
        if statement.kind() not in ("expression_statement", "return_statement", "throw_statement"):
            return False
        if "await" in statement.text():
            return False
    return any(s.kind() == "throw_statement" or _REJECT_TEXT.search(s.text()) for s in statements)


def _served_methods(function: SgNode) -> tuple[list[str], bool]:
    """(methods the body branches on, whether those are all it serves)."""
    body = function.field("body")
    if body is None or body.kind() != "statement_block":
        return [], False
    methods = _method_expressions(function, body)
    positives: list[str] = []

    def add(found: Iterable[str]) -> None:
        for method in sorted(found):
            if method not in positives:
                positives.append(method)

    statements = _statements(body)
    last_branch = -1
    for index, statement in enumerate(statements):
        kind = statement.kind()
        if kind == "if_statement":
            test = _method_test(statement.field("condition"), methods)
            if test is None:
                continue
            positive, found = test
            if not positive:
                if _exits(statement.field("consequence")):
                    add(found)
                    return positives, True
                continue
            add(found)
            alternative = statement.field("alternative")
            if alternative is not None:
                return _else_chain(alternative, methods, positives)
            last_branch = index
        elif kind == "switch_statement":
            value = unwrap(statement.field("value"))
            if value is None or _normal(value.text()) not in methods:
                continue
            switch_body = statement.field("body")
            default: SgNode | None = None
            for case in switch_body.children() if switch_body is not None else []:
                if case.kind() == "switch_case":
                    case_value = string_value(case.field("value"))
                    if case_value is not None:
                        add({case_value.upper()})
                elif case.kind() == "switch_default":
                    default = case
            if default is not None:
                rest = [c for c in default.children() if c.is_named() and c.kind() != "comment"]
                return positives, _rejects(rest)
            last_branch = index
    if last_branch < 0:
        return positives, False
    return positives, _rejects(statements[last_branch + 1 :])


def _else_chain(
    alternative: SgNode,
    methods: set[str],
    positives: list[str],
) -> tuple[list[str], bool]:
    """Follow `else if (req.method === ...)` to the final `else`, which must only reject."""
    node: SgNode | None = next((c for c in alternative.children() if c.is_named()), None)
    while node is not None and node.kind() == "if_statement":
        test = _method_test(node.field("condition"), methods)
        if test is None or not test[0]:
            return positives, False
        for method in sorted(test[1]):
            if method not in positives:
                positives.append(method)
        next_alternative = node.field("alternative")
        if next_alternative is None:
            return positives, True
        node = next((c for c in next_alternative.children() if c.is_named()), None)
    if node is None:
        return positives, True
    return positives, _rejects(_statements(node))


# ---------------------------------------------------------------------------------------------
# Pages


def page_route(root: SgNode, exports: list[Export], route_kind: str, path: str) -> PageRoute | None:
    uses: list[str] = []
    default = next((e for e in exports if e.name == "default"), None)
    where = (
        default.where
        if default is not None
        else {"line": 1, "column": 1, "end_line": 1, "end_column": 1}
    )
    component = unwrap(default.value) if default is not None else None
    if component is not None and component.kind() not in FUNCTION_KINDS:
        component = None
    if component is not None:
        first = _first_parameter(component)
        if first is not None and first.kind() == "object_pattern":
            if any(key == "params" for key, _ in pattern_keys(first)):
                uses.append("props")
        elif (
            first is not None
            and first.kind() == "identifier"
            and re.search(rf"\b{re.escape(first.text())}\s*\.\s*params\b", component.text())
        ):
            uses.append("props")
    for node in root.find_all(kind="await_expression"):
        if re.fullmatch(r"await\s+(\w+\s*\.\s*)?params", node.text()):
            uses.append("await-params")
            break
    for call in root.find_all(kind="call_expression"):
        callee = callee_name(call)
        arguments = call_arguments(call)
        if callee in ("use", "React.use") and arguments and arguments[0].text().endswith("params"):
            uses.append("use(params)")
        elif callee == "useParams":
            uses.append("useParams")
        elif callee == "useRouter" and route_kind == "pages-page":
            uses.append("router-query")
    names = {e.name for e in exports}
    for data in ("getServerSideProps", "getStaticProps"):
        if data in names:
            uses.append(data)
    return PageRoute(
        framework="next-app-page" if route_kind == "app-page" else "next-pages-page",
        path=path,
        params=route_params(path),
        uses=list(dict.fromkeys(uses)),
        **where,
    )
