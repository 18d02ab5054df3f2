"""`QuickVisitor` runs exactly the handlers libcst's own dispatch runs, in the same order."""

from __future__ import annotations

import libcst as cst

from pytest_lessons.lang.python.syntax import QuickVisitor

SOURCE = """\
import os

@app.post("/x")
def handler(a: int = Depends(f)) -> None:
    if settings.DEBUG:
        app.include_router(router)
    return [g(x) for x in range(3)]

class C(Base):
    y = call()
"""


def _recorder(base: type[cst.CSTVisitor]) -> type[cst.CSTVisitor]:
    class Recorder(base):  # type: ignore[misc, valid-type]
        def __init__(self) -> None:
            super().__init__()
            self.events: list[str] = []

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            self.events.append(f"visit def {node.name.value}")

        def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
            self.events.append("leave def")

        def visit_Call(self, node: cst.Call) -> None:
            self.events.append(f"call {cst.Module([]).code_for_node(node.func)}")

        def visit_ListComp(self, node: cst.ListComp) -> bool:
            self.events.append("comprehension, not entered")
            return False

        def visit_If_body(self, node: cst.If) -> None:
            self.events.append("if body")

        def leave_If_body(self, node: cst.If) -> None:
            self.events.append("left if body")

    return Recorder


def test_quick_dispatch_runs_the_handlers_libcst_runs() -> None:
    module = cst.parse_module(SOURCE)
    plain, quick = _recorder(cst.CSTVisitor)(), _recorder(QuickVisitor)()
    module.visit(plain)
    module.visit(quick)
    assert quick.events == plain.events  # type: ignore[attr-defined]
    assert quick.events == [  # type: ignore[attr-defined]
        "visit def handler",
        "call app.post",
        "call Depends",
        "if body",
        "call app.include_router",
        "left if body",
        "comprehension, not entered",
        "leave def",
        "call call",
    ]
