"""The shared node index: one search for the common kinds, the same answers as a search per kind."""

from __future__ import annotations

import pytest
from ast_grep_py import SgNode

from pytest_lessons.lang.typescript.nodes import COMMON_KINDS, file_nodes
from pytest_lessons.lang.typescript.syntax import root_of
from pytest_lessons.source import SourceFile

CODE = """
import { track } from "@/lib/analytics";
const client = new PostHog("k");
let a = 1, b = track("x");
class Orders {
  posthog = getClient();
  async place(order) {
    this.total = order.total;
    return await track("order_placed", { id: order.id });
  }
}
export async function POST(req) {
  const handler = async () => {
    return client.capture({ event: "inner" });
  };
  await Promise.all([handler(), track("outer")]);
  return Response.json({ ok: true });
}
"""


def _key(node: SgNode) -> tuple[int, int, str]:
    where = node.range()
    return where.start.index, where.end.index, node.kind()


@pytest.mark.parametrize("kind", [*COMMON_KINDS, "identifier", "arrow_function"])
def test_each_kind_is_what_a_search_of_its_own_finds_in_document_order(kind: str) -> None:
    file = SourceFile.from_text("app/api/orders/route.ts", CODE)
    nodes = file_nodes(file)
    expected = [_key(n) for n in root_of(file).find_all(kind=kind)]
    assert [_key(n) for n in nodes.of(kind)] == expected
    assert expected or kind == "public_field_definition"


def test_the_index_is_built_once_per_file_and_shared() -> None:
    file = SourceFile.from_text("lib/x.ts", CODE)
    assert file_nodes(file) is file_nodes(file)
    first = file_nodes(file).of("call_expression")
    assert file_nodes(file).of("call_expression") is first


def test_callees_and_own_returns() -> None:
    nodes = file_nodes(SourceFile.from_text("lib/x.ts", CODE))
    callees = [nodes.callee(call) for call in nodes.of("call_expression")]
    assert callees == [
        "track",
        "getClient",
        "track",
        "client.capture",
        "Promise.all",
        "handler",
        "track",
        "Response.json",
    ]
    returns = nodes.of("return_statement")
    owners = [nodes.enclosing_function(r) for r in returns]
    assert [o.kind() if o is not None else None for o in owners] == [
        "method_definition",
        "arrow_function",
        "function_declaration",
    ]
    post = owners[2]
    assert post is not None
    # the arrow function's return belongs to the arrow, not to POST
    assert [r.text() for r in nodes.returns_of(post)] == ["return Response.json({ ok: true });"]
