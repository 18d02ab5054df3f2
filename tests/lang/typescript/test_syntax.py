from __future__ import annotations

import pytest
from ast_grep_py import SgNode, SgRoot

from pytest_lessons.lang.typescript.syntax import (
    call_arguments,
    callee_name,
    directives,
    dotted_name,
    export_specifiers,
    object_properties,
    span,
    string_value,
)


def parse(code: str) -> SgNode:
    return SgRoot(code, "tsx").root()


def first_expression(code: str) -> SgNode:
    statement = parse(code).find(kind="expression_statement")
    assert statement is not None
    return next(child for child in statement.children() if child.is_named())


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ('"order_placed";', "order_placed"),
        ("'order_placed';", "order_placed"),
        ("`order_placed`;", "order_placed"),
        ("'it\\'s';", "it's"),
        ('"a\\nb";', "a\nb"),
        ('"\\u00e9";', "\u00e9"),
        ("`order_${kind}`;", None),
        ('("order" as const);', "order"),
        ("order;", None),
    ],
)
def test_string_value(code: str, value: str | None) -> None:
    assert string_value(first_expression(code)) == value


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("posthog;", "posthog"),
        ("analytics.track;", "analytics.track"),
        ("this.client.capture;", "this.client.capture"),
        ('EVENTS["ORDER_PLACED"];', "EVENTS.ORDER_PLACED"),
        ("EVENTS[key];", None),
        ("(client!).capture;", "client.capture"),
        ("f().capture;", None),
    ],
)
def test_dotted_name(code: str, name: str | None) -> None:
    assert dotted_name(first_expression(code)) == name


def test_calls_and_spans() -> None:
    call = first_expression('\n  app.post("/orders/:id", /* auth */ requireAuth, handler);')
    assert callee_name(call) == "app.post"
    arguments = call_arguments(call)
    assert [string_value(arguments[0]), arguments[1].text()] == ["/orders/:id", "requireAuth"]
    where = span(call)
    assert (where.line, where.column, where.end_line) == (2, 3, 2)


def test_directive_prologue() -> None:
    assert directives(parse('// c\n"use client";\nimport x from "y";\n')) == {"use client"}
    assert directives(parse("'use server'\n'use strict'\nexport {}\n")) == {
        "use server",
        "use strict",
    }
    assert directives(parse('import x from "y";\n"use client";\n')) == set()


def test_object_properties() -> None:
    node = parse("const E = { ORDER: 'order_placed', 'with-dash': `x`, short, 1: 'one' };").find(
        kind="object"
    )
    assert node is not None
    found = {key: string_value(value) for key, value in object_properties(node)}
    assert found == {"ORDER": "order_placed", "with-dash": "x", "short": None, "1": "one"}


def test_export_specifiers() -> None:
    statement = parse('export { handler as POST, GET, "odd-name" as odd } from "./impl";').find(
        kind="export_statement"
    )
    assert statement is not None
    found = [(exported, local) for exported, local, _ in export_specifiers(statement)]
    assert found == [("POST", "handler"), ("GET", "GET"), ("odd", "odd-name")]
    plain = parse("export const x = 1;").find(kind="export_statement")
    assert plain is not None
    assert list(export_specifiers(plain)) == []
