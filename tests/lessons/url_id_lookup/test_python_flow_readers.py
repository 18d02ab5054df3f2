"""The `ast` reader of the url-id flows must give the libcst reader's facts, exactly.

The libcst reader still reads what the running interpreter cannot parse, so a difference would
make a finding depend on the interpreter. Compared on the shapes where the two trees differ
(suites, argument wrappers, annotations, constants, character columns, source order) and on
every lesson example tree and demo; `benchmarks/python_readers.py` compares them on a checked-out
repository.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from pytest_lessons.checks.url_id_lookup.python_flow import common_facts
from pytest_lessons.checks.url_id_lookup.python_flow_ast import python_flows
from pytest_lessons.checks.url_id_lookup.python_flow_cst import function_flows
from pytest_lessons.lang.python.routes import route_facts
from pytest_lessons.source import FileKind, SourceFile
from tests.modern_syntax_samples import MODERN_SAMPLES
from tests.python_corpus import python_files

ROOT = Path(__file__).resolve().parents[3]
WANTED = re.compile(r"^(id|slug|uuid)$|[a-z0-9](Id|ID|_id|Slug|_slug|Uuid)$")

SNIPPETS = {
    "path aliases": """
        @router.get("/{id}/{key}")
        def read(
            item_id: int = Path(..., alias="id"),
            key_name: Annotated[str, Path(alias='key')] = "",
            q: str = Query(alias="search"),
        ):
            return db.get(Item, item_id)
    """,
    "verdicts": """
        from fastapi import APIRouter, Depends, HTTPException, Request
        router = APIRouter()

        @router.get("/orders/{order_id}")
        async def read(order_id: int, request: Request, db=Depends(get_db)):
            logger.info("reading %s", order_id)
            if not order_id:
                raise HTTPException(404, detail=f"no {order_id}")
            assert order_id, order_id
            flag = 5 == order_id
            other = order_id == 5
            allowed = order_id in request.state.allowed
            key = str(order_id).strip()
            rows = [r for r in db.rows if r.id == key if not order_id]
            choice = order_id if order_id else None
            orders[order_id] = 1
            obj.order = order_id
            check_access(db, order_id)
            owner = ensure_owner(db, order_id)
            return {"id": order_id, **handle(request)}
    """,
    "path params and bindings": """
        from starlette.requests import Request

        async def ticket(request: Request):
            a, *rest = request.path_params["ticket_id"], 1
            b: str = request.path_params.get("ticket_id")
            if (c := request.path_params.get(key="other_id")):
                pass
            everything = dict(request.path_params)
            request.path_params.items()
            del a
            return await load(b)
    """,
    "dependencies and nesting": """
        from typing import Annotated
        from fastapi import Depends, Security

        def valid_order(order_id: UUID, db: Annotated[Session, Depends(get_db)]) -> Order:
            return crud.order.get(db, id=order_id)

        class View:
            def get(self, project_id, user=Security(current_user, scopes=["x"]), *a, **kw):
                def inner(x: Optional[Project] = project_id) -> Project:
                    return x
                return inner(project_id)

        def create_app():
            app = Flask(__name__)
            @app.route("/invoices/<int:invoice_id>")
            def show(invoice_id):
                # request.view_args read here
                return render_template("i.html", invoice=Invoice.query.get_or_404(invoice_id))
            return app

        def stub(order_id):
            "Not yet."
            raise NotImplementedError
    """,
    "lookups and texts": """
        @router.get("/purchases/{purchase_id}")
        def get_purchase(purchase_id: int, session=Depends(get_session), user=Depends(me)):
            purchase = session.execute(
                select(Purchase).where(Purchase.user_id == user.id).order_by(
                    (Purchase.id).desc()  # newest
                )
            ).scalars().first()
            cache.get("key")
            return {"total": purchase.total, "café": "naïve"}
    """,
    "page shells": """
        @router.get("/shared/{share_slug}")
        def shell(request: Request):
            return templates.TemplateResponse(request, name="shared.html")

        @router.get("/shared/{share_slug}/print")
        def shell_with_a_context(request: Request):
            return templates.TemplateResponse("p.html", {"request": request, "n": -1, 'x': None})

        @router.get("/files/{file_id}")
        def static_file():
            "A docstring first."
            return FileResponse("static/" "embed.html")

        @router.get("/a/{a_id}")
        def not_a_shell_with_the_id(request: Request, a_id: int):
            return templates.TemplateResponse(request, name="a.html", context={"a": a_id})

        @router.get("/b/{b_id}")
        def not_a_shell_with_a_name(request: Request):
            return render_template("b.html", user=current_user)

        @router.get("/c/{c_id}")
        def not_a_shell_spread(request: Request):
            return render(request, "c.html", **defaults)

        @router.get("/d/{d_id}")
        def not_a_shell_fstring(request: Request):
            return render(request, f"{request.path_params['d_id']}.html")

        @router.get("/e/{e_id}")
        def not_a_shell_other_call(request: Request):
            return build_page(request, "e.html")
    """,
    **MODERN_SAMPLES,
}


def test_a_page_shell_loads_nothing_in_either_reader() -> None:
    """A view returning a template or file with nothing but literals and the request is a stub
    (`trivial`), in both readers; one given the id, a name, a spread or an f-string is not."""
    source = SourceFile.from_text("app/views.py", textwrap.dedent(SNIPPETS["page shells"]))
    fast, reference = _readers(source)
    for flows in (fast, reference):
        assert flows is not None
        trivial = {flow.name: flow.trivial for flow in flows}  # type: ignore[attr-defined]
        assert trivial == {
            "shell": True,
            "shell_with_a_context": True,
            "static_file": True,
            "not_a_shell_with_the_id": False,
            "not_a_shell_with_a_name": False,
            "not_a_shell_spread": False,
            "not_a_shell_fstring": False,
            "not_a_shell_other_call": False,
        }


def _readers(source: SourceFile) -> tuple[list[object] | None, list[object]]:
    handlers = {(r.line, r.column) for r in route_facts(source).routes if r.endpoint_defined}
    try:
        fast: list[object] | None = [
            common_facts(flow)
            for flow in python_flows(
                source.text, handlers, WANTED, frozenset(), reads_path_params=True
            )
        ]
    except SyntaxError:
        fast = None
    reference = function_flows(
        source.python_metadata(), handlers, WANTED, frozenset(), reads_path_params=True
    )
    return fast, list(reference)


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_the_ast_reader_gives_the_libcst_flows(name: str) -> None:
    source = SourceFile.from_text("app/views.py", textwrap.dedent(SNIPPETS[name]).lstrip())
    fast, reference = _readers(source)
    assert reference  # the snippet exercises the reader
    assert fast == reference


@pytest.mark.parametrize("folder", ["lessons", "examples"])
def test_the_readers_agree_on_every_example_tree(folder: str) -> None:
    differing: list[str] = []
    compared = 0
    for path in python_files(ROOT / folder):
        rel = path.relative_to(ROOT).as_posix()
        fast, reference = _readers(SourceFile(path, rel, FileKind.PYTHON, path.read_bytes()))
        assert fast is not None, rel
        compared += 1
        if fast != reference:
            differing.append(rel)
    assert compared >= 10
    assert differing == []
