"""url-id-lookup on Python: FastAPI, Starlette and Flask handlers, across modules.

Each case is a small project (a dict of files) run through extract + judge, with exact lines,
columns and messages; the traps of the lesson (keyword ids, dependencies in another module,
router prefixes from another module, permission checks) appear flagged and not flagged.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from pytest_lessons.checks.url_id_lookup import UrlIdLookup
from pytest_lessons.findings import Finding
from pytest_lessons.source import SourceFile
from pytest_lessons.testing import judge_files, run_lessons
from pytest_lessons.testing import make_check as build_check

LESSON_ID = "url-id-lookup"
SPEC = build_check(LESSON_ID).spec
REPO = Path(__file__).resolve().parents[3]


def make_check(**overrides: Any) -> UrlIdLookup:
    check = build_check(LESSON_ID, **overrides)
    assert isinstance(check, UrlIdLookup)
    return check


def run(files: dict[str, str], **overrides: Any) -> list[Finding]:
    return judge_files(make_check(**overrides), files)


def where(files: dict[str, str], **overrides: Any) -> list[tuple[str | None, int, int]]:
    return [(f.path, f.line, f.column) for f in run(files, **overrides)]


LOCAL_DEPENDENCIES = """

def get_db():
    pass


def me():
    pass
"""
"""Defined in the module, so the dependencies are known to receive no path parameter."""


def handler(body: str, signature: str = "order_id: int, db=Depends(get_db)") -> dict[str, str]:
    """One FastAPI module with `GET /orders/{order_id}` whose body is `body`."""
    code = (
        "from fastapi import APIRouter, Depends, HTTPException\n"
        "router = APIRouter()\n"
        '@router.get("/orders/{order_id}")\n'
        f"def read_order({signature}):\n"
        + textwrap.indent(textwrap.dedent(body), "    ")
        + LOCAL_DEPENDENCIES
    )
    return {"app/orders.py": code}


# -- the incident ---------------------------------------------------------------------------

INCIDENT = """\
from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import select

router = APIRouter(prefix="/purchases")


@router.get("/{purchase_id}")
def get_purchase(purchase_id: int, session=Depends(get_session), user_id=Depends(me)):
    purchase = session.execute(
        select(Purchase).where(Purchase.user_id == user_id).order_by(Purchase.id.desc())
    ).scalars().first()
    if purchase is None:
        raise HTTPException(status_code=404, detail=f"purchase {purchase_id} not found")
    return {"id": purchase.id}
"""


def test_incident_is_flagged_on_the_detail_with_the_other_lookup() -> None:
    findings = run({"api/purchases.py": INCIDENT})
    assert [(f.path, f.line, f.column) for f in findings] == [("api/purchases.py", 13, 65)]
    assert findings[0].message == (
        "URL parameter `purchase_id` of GET /purchases/{purchase_id} is only displayed, logged "
        "or echoed (`HTTPException`), never used as a lookup key; data is fetched by "
        "`.where(Purchase.user_id == user_id)` instead"
    )


def test_incident_fixed_with_session_get_is_clean() -> None:
    fixed = INCIDENT.replace(
        "session.execute(\n        select(Purchase).where(Purchase.user_id == user_id)"
        ".order_by(Purchase.id.desc())\n    ).scalars().first()",
        "session.get(Purchase, purchase_id)",
    )
    assert "session.get(Purchase, purchase_id)" in fixed
    assert run({"api/purchases.py": fixed}) == []


def test_cartsnitch_demo_finding() -> None:
    outcome = run_lessons(REPO / "examples" / "cartsnitch-api", [LESSON_ID])
    assert [(f.path, f.line, f.column, f.message) for f in outcome.findings] == [
        (
            "src/cartsnitch_api/routes/purchases.py",
            32,
            65,
            "URL parameter `purchase_id` of GET /purchases/{purchase_id} is only displayed, "
            "logged or echoed (`HTTPException`), never used as a lookup key; data is fetched "
            "by `.where(Purchase.user_id == user_id)` instead",
        )
    ]


# -- lookups that count ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "return db.get(Order, order_id)\n",
        "return db.query(Order).filter(Order.id == order_id).one()\n",
        "return db.query(Order).filter_by(id=order_id).one()\n",
        "return db.scalars(select(Order).where(Order.id == order_id)).one()\n",
        "return Order.query.get_or_404(order_id)\n",
        "return get_object_or_404(Order, pk=order_id)\n",
        "return repo.get_order(order_id)\n",
        "return crud.order.get(db, id=order_id)\n",
        "oid = order_id\nreturn repo.load(db, key=oid)\n",
        "key = UUID(str(order_id))\nreturn orders[key]\n",
        "order = repo.latest(db)\nif order.id != order_id:\n    raise HTTPException(404)\n",
        "order = ensure_order_access(db, order_id, user)\nreturn order\n",
    ],
)
def test_lookups_and_flow_through_locals_count_as_use(body: str) -> None:
    assert run(handler(body)) == []


# -- display, telemetry, permission ---------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "line", "shown"),
    [
        ('logger.info("order %s", order_id)\nreturn repo.latest(db)\n', 5, "`logger.info`"),
        ('print(f"order {order_id}")\nreturn repo.latest(db)\n', 5, "`print`"),
        (
            'posthog.capture("u", "opened", {"id": order_id})\nreturn repo.latest(db)\n',
            5,
            "`posthog.capture`",
        ),
        (
            'oid = str(order_id)\nanalytics.track("u", "open", {"id": oid})\n'
            "return repo.latest(db)\n",
            5,
            "`analytics.track`",
        ),
        (
            'msg = f"no order {order_id}"\nraise HTTPException(status_code=404, detail=msg)\n',
            5,
            "`HTTPException`",
        ),
    ],
)
def test_display_only_uses_are_flagged_on_the_first_read(body: str, line: int, shown: str) -> None:
    findings = run(handler(body))
    assert [f.line for f in findings] == [line]
    assert f"echoed ({shown}), never used as a lookup key" in findings[0].message


def test_echo_in_response_body_is_display() -> None:
    findings = run(handler('row = repo.latest(db)\nreturn {"order": order_id, "row": row}\n'))
    assert [f.line for f in findings] == [6]
    assert findings[0].message == (
        "URL parameter `order_id` of GET /orders/{order_id} is only displayed, logged or "
        "echoed, never used as a lookup key; data is fetched by `repo.latest(db)` instead"
    )


def test_permission_check_not_linked_to_the_fetched_record_is_flagged() -> None:
    body = (
        "if not can_view_order(user, order_id):\n"
        "    raise HTTPException(403)\n"
        "return db.query(Order).filter(Order.user_id == user.id).first()\n"
    )
    findings = run(handler(body, "order_id: int, db=Depends(get_db), user=Depends(me)"))
    assert [(f.line, f.column) for f in findings] == [(5, 33)]
    assert findings[0].message == (
        "URL parameter `order_id` of GET /orders/{order_id} is only used in a permission check "
        "(`can_view_order`), never as the key the record is looked up by; data is fetched by "
        "`.filter(Order.user_id == user.id)` instead"
    )


def test_membership_test_is_a_permission_check() -> None:
    body = (
        "if order_id not in user.order_ids:\n"
        "    raise HTTPException(403)\n"
        "return repo.latest_order(db, user.id)\n"
    )
    findings = run(handler(body, "order_id: int, db=Depends(get_db), user=Depends(me)"))
    assert "only used in a permission check (`in`)" in findings[0].message


def test_permission_check_and_lookup_is_clean() -> None:
    body = "check_access(user, order_id)\nreturn db.get(Order, order_id)\n"
    assert run(handler(body, "order_id: int, db=Depends(get_db), user=Depends(me)")) == []


def test_permission_check_without_any_other_lookup_is_not_judged() -> None:
    body = 'authorize(user, order_id)\nreturn {"ok": True}\n'
    assert run(handler(body, "order_id: int, user=Depends(me)")) == []


# -- never read / only checked --------------------------------------------------------------


def test_never_read_is_reported_on_the_parameter() -> None:
    findings = run(
        handler("return repo.latest(db)\n", "\n    order_id: int,\n    db=Depends(get_db),\n")
    )
    assert [(f.line, f.column) for f in findings] == [(5, 5)]
    assert findings[0].message == (
        "URL parameter `order_id` of GET /orders/{order_id} is never read; data is fetched by "
        "`repo.latest(db)` instead"
    )


def test_only_validated_is_read_but_never_used() -> None:
    findings = run(handler('if order_id == 0:\n    raise HTTPException(400)\nreturn {"ok": 1}\n'))
    assert [f.message for f in findings] == [
        "URL parameter `order_id` of GET /orders/{order_id} is read but never used"
    ]


@pytest.mark.parametrize(
    ("body", "signature"),
    [
        ("...\n", "order_id: int"),
        ("raise NotImplementedError\n", "order_id: int"),
        ("return handle(request)\n", "order_id: int, request: Request"),
        ("return repo.latest()\n", "order_id: int, **kwargs"),
    ],
)
def test_never_read_is_exempt_for_stubs_delegation_and_kwargs(body: str, signature: str) -> None:
    assert run(handler(body, signature)) == []


def test_parent_segment_never_read_is_not_reported() -> None:
    files = {
        "app.py": """\
            from fastapi import APIRouter
            router = APIRouter()
            @router.get("/shops/{shop_id}/orders/{order_id}")
            def read(order_id: int, db=Depends(get_db)):
                return db.get(Order, order_id)
        """
    }
    assert run(files) == []


def test_non_entity_and_ignored_params_are_quiet() -> None:
    files = {
        "app.py": """\
            from fastapi import APIRouter
            router = APIRouter()
            @router.get("/docs/{lang}/feed/{page}")
            def feed(lang: str, page: int):
                logger.info("feed %s %s", lang, page)
                return latest()
        """
    }
    assert run(files) == []


def test_entity_pattern_and_ignored_params_options() -> None:
    files = {
        "app.py": """\
            from fastapi import APIRouter
            router = APIRouter()
            @router.get("/orders/{order_id}")
            def read(order_id: int):
                logger.info("order %s", order_id)
                return latest()
        """
    }
    assert where(files) == [("app.py", 5, 29)]
    assert where(files, ignored_params=["order_id"]) == []
    assert where(files, entity_pattern="^code$") == []
    assert where(files, display_calls=["latest"]) == [("app.py", 5, 29)]


def test_display_calls_option_turns_a_helper_into_display() -> None:
    files = handler("audit_note(order_id)\nreturn repo.latest(db)\n")
    assert run(files) == []
    assert [f.line for f in run(files, display_calls=["audit_note"])] == [5]


# -- across modules -------------------------------------------------------------------------

DEPS = """\
from fastapi import Depends


def valid_order_id(order_id: UUID4, db=Depends(get_db)):
    order = crud.order.get(db, id=order_id)
    if order is None:
        raise HTTPException(404)
    return order


def order_of_user(order=Depends(valid_order_id), user=Depends(me)):
    return order


def log_order(order_id: int):
    logger.info("order %s", order_id)
"""


def routes_module(signature: str, extra: str = "") -> str:
    return (
        "from fastapi import APIRouter, Depends\n"
        "from app.deps import log_order, order_of_user, valid_order_id\n"
        "router = APIRouter()\n"
        f'@router.get("/orders/{{order_id}}"{extra})\n'
        f"def read_order({signature}):\n"
        "    return repo.latest(db)\n" + LOCAL_DEPENDENCIES
    )


@pytest.mark.parametrize(
    "signature",
    [
        "order=Depends(valid_order_id)",
        "order=Depends(order_of_user)",
        "order: Annotated[Order, Depends(valid_order_id)]",
    ],
)
def test_dependency_in_another_module_declaring_the_param_is_the_lookup(signature: str) -> None:
    files = {
        "app/__init__.py": "",
        "app/deps.py": DEPS,
        "app/routes.py": routes_module(signature),
    }
    assert run(files) == []


def test_dependency_that_only_logs_the_param_is_flagged_on_the_handler() -> None:
    files = {
        "app/__init__.py": "",
        "app/deps.py": DEPS,
        "app/routes.py": routes_module("db=Depends(get_db)", ", dependencies=[Depends(log_order)]"),
    }
    findings = run(files)
    assert [(f.path, f.line, f.column) for f in findings] == [("app/routes.py", 5, 1)]
    assert "echoed (`logger.info`)" in findings[0].message


def test_unresolvable_dependency_exempts_a_never_read_param() -> None:
    files = {"app/routes.py": routes_module("order=Depends(library_loader)")}
    assert run(files) == []
    assert where({"app/routes.py": routes_module("db=Depends(get_db)")}) == [
        ("app/routes.py", 5, 1)
    ]


ROUTER_PREFIX = {
    "svc/__init__.py": "",
    "svc/main.py": """\
        from fastapi import FastAPI
        from svc.routers import receipts
        app = FastAPI()
        app.include_router(receipts.router, prefix="/receipts/{receipt_id}")
    """,
    "svc/routers/__init__.py": "",
    "svc/routers/receipts.py": """\
        from fastapi import APIRouter
        router = APIRouter()
        @router.get("/lines")
        def lines(receipt_id: int, db=Depends(get_db)):
            logger.info("receipt %s", receipt_id)
            return db.query(Line).filter(Line.user_id == me()).all()
    """,
}


def test_router_prefix_from_another_module_carries_the_param() -> None:
    findings = run(ROUTER_PREFIX)
    assert [(f.path, f.line, f.column) for f in findings] == [("svc/routers/receipts.py", 5, 31)]
    assert findings[0].message.startswith(
        "URL parameter `receipt_id` of GET /receipts/{receipt_id}/lines is only displayed"
    )


def test_router_prefix_param_used_as_lookup_is_clean() -> None:
    files = dict(ROUTER_PREFIX)
    files["svc/routers/receipts.py"] = files["svc/routers/receipts.py"].replace(
        'logger.info("receipt %s", receipt_id)', "receipt = db.get(Receipt, receipt_id)"
    )
    assert run(files) == []


def test_without_the_including_module_the_param_is_a_query_param() -> None:
    files = {k: v for k, v in ROUTER_PREFIX.items() if k != "svc/main.py"}
    assert run(files) == []


# -- Flask and Starlette --------------------------------------------------------------------

FLASK = """\
from flask import Blueprint, render_template
bp = Blueprint("invoices", __name__)


@bp.route("/invoices/<int:invoice_id>")
def show(invoice_id):
    invoice = {lookup}
    return render_template("invoice.html", invoice=invoice, title=f"Invoice {{invoice_id}}")
"""


def test_flask_converter_param_only_displayed_is_flagged() -> None:
    findings = run(
        {"views.py": FLASK.format(lookup="Invoice.query.filter_by(user_id=me()).first()")}
    )
    assert [(f.line, f.column) for f in findings] == [(8, 78)]
    assert findings[0].message == (
        "URL parameter `invoice_id` of GET /invoices/<int:invoice_id> is only displayed, logged "
        "or echoed (`render_template`), never used as a lookup key; data is fetched by "
        "`Invoice.query.filter_by(user_id=me())` instead"
    )


def test_flask_get_or_404_is_a_lookup() -> None:
    assert run({"views.py": FLASK.format(lookup="Invoice.query.get_or_404(invoice_id)")}) == []


def test_flask_view_without_the_param_is_left_to_a_preprocessor() -> None:
    code = """\
        from flask import Blueprint
        bp = Blueprint("x", __name__)
        @bp.route("/<lang_id>/about")
        def about():
            return "about"
    """
    assert run({"views.py": code}) == []


STARLETTE = """\
from starlette.applications import Starlette
from starlette.routing import Route


async def ticket(request):
    ticket_id = request.path_params["ticket_id"]
    {use}
    return JSONResponse({{"ticket": ticket_id}})


app = Starlette(routes=[Route("/tickets/{{ticket_id}}", ticket)])
"""


def test_starlette_path_params_read_only_echoed_is_flagged() -> None:
    findings = run({"app.py": STARLETTE.format(use="latest = await load_latest(request.user)")})
    assert [(f.line, f.column) for f in findings] == [(6, 17)]
    assert "of GET /tickets/{ticket_id} is only displayed" in findings[0].message


@pytest.mark.parametrize(
    "use",
    [
        "found = await load_ticket(ticket_id)",
        'found = await load_ticket(request.path_params.get("ticket_id"))',
        "found = Ticket(**request.path_params)",
    ],
)
def test_starlette_path_params_lookups_are_clean(use: str) -> None:
    assert run({"app.py": STARLETTE.format(use=use)}) == []


def test_dependency_reading_path_params_in_another_module_is_a_lookup() -> None:
    files = {
        "app/__init__.py": "",
        "app/deps.py": """\
            def load_ticket(request: Request, db=Depends(get_db)):
                return db.get(Ticket, int(request.path_params["ticket_id"]))
        """,
        "app/routes.py": """\
            from fastapi import APIRouter, Depends
            from app.deps import load_ticket
            router = APIRouter()
            @router.get("/tickets/{ticket_id}")
            def read(ticket=Depends(load_ticket)):
                return ticket
        """,
    }
    assert run(files) == []


# -- shapes ---------------------------------------------------------------------------------


def test_one_handler_included_twice_is_reported_once() -> None:
    files = {
        "svc/__init__.py": "",
        "svc/orders.py": """\
            from fastapi import APIRouter
            router = APIRouter()
            @router.get("/orders/{order_id}")
            def read(order_id: int):
                logger.info("order %s", order_id)
                return latest()
        """,
        "svc/main.py": """\
            from fastapi import FastAPI
            from svc import orders
            app = FastAPI()
            app.include_router(orders.router, prefix="/v1")
            app.include_router(orders.router, prefix="/v2")
        """,
    }
    assert where(files) == [("svc/orders.py", 5, 29)]


def test_options_handlers_and_typescript_facts_are_untouched() -> None:
    code = """\
        from fastapi import APIRouter
        router = APIRouter()
        @router.options("/orders/{order_id}")
        def preflight(order_id: int):
            return {}
    """
    assert run({"app.py": code}) == []


def test_python_facts_make_route_files_subjects_only() -> None:
    check = make_check()
    route_file = SourceFile.from_text("a.py", "from fastapi import APIRouter\nr = APIRouter()\n")
    assert not check.is_subject(check.extract(route_file))
    with_route = SourceFile.from_text(
        "b.py",
        'from fastapi import APIRouter\nrouter = APIRouter()\n@router.get("/x")\n'
        "def x():\n    return 1\n",
    )
    assert check.is_subject(check.extract(with_route))


def test_class_view_dependency_on_a_base_class_in_another_module_receives_the_param() -> None:
    files = {
        "web/__init__.py": "",
        "web/base.py": """\
            from fastapi import Depends
            def public_group(group_slug: str, db=Depends(get_db)):
                return db.query(Group).filter_by(slug=group_slug).one()
            class GroupController:
                group = Depends(public_group)
        """,
        "web/cookbooks.py": """\
            from fastapi import APIRouter
            from web.base import GroupController
            router = APIRouter(prefix="/groups/{group_slug}/cookbooks")
            @controller(router)
            class Cookbooks(GroupController):
                @router.get("")
                def get_all(self):
                    return self.group.cookbooks
        """,
    }
    assert run(files) == []
    files["web/base.py"] = files["web/base.py"].replace("group = Depends(public_group)", "pass")
    assert where(files) == [("web/cookbooks.py", 7, 5)]


def test_a_param_resolved_from_the_request_elsewhere_need_not_be_read() -> None:
    view = """\
        from flask import Blueprint
        bp = Blueprint("auth", __name__)
        @bp.route("/<org_slug>/login")
        def login(org_slug):
            return redirect(current_org.url)
    """
    resolver = """\
        def current_org_slug():
            return request.view_args.get("org_slug", "default")
    """
    assert where({"views.py": view}) == [("views.py", 4, 11)]
    assert run({"views.py": view, "orgs.py": resolver}) == []


def test_a_handler_shared_by_paths_without_the_param_does_not_need_it() -> None:
    """A page served at `/wallet` and `/wallet/{wallet_id}`: the client reads the id. Served
    at the second path alone, loading a wallet by another key, it is reported."""
    page = (
        "from fastapi import APIRouter\n"
        "router = APIRouter()\n"
        '@router.get("/wallet")\n'
        '@router.get("/wallet/{wallet_id}")\n'
        "def wallet_page(request):\n"
        "    wallet = load_default_wallet()\n"
        '    return render("index.html", wallet=wallet)\n'
    )
    assert where({"app/pages.py": page}) == []
    alone = page.replace('@router.get("/wallet")\n', "")
    assert [line for _path, line, _column in where({"app/pages.py": alone})] == [4]


def test_a_page_shell_is_not_judged() -> None:
    """A view that returns a template or file with nothing but literals and the request loads
    nothing: its page's script reads the id. Given the id, it is judged as before."""
    shell = (
        "from fastapi import APIRouter\n"
        "router = APIRouter()\n"
        '@router.get("/wallet/{wallet_id}")\n'
        "def wallet_page(request):\n"
        '    return templates.TemplateResponse(request, name="index.html")\n'
    )
    assert where({"app/pages.py": shell}) == []
    loads = shell.replace("    return", "    wallet = load_default_wallet()\n    return").replace(
        'name="index.html"', 'name="index.html", context={"wallet": wallet}'
    )
    assert [line for _path, line, _column in where({"app/pages.py": loads})] == [4]


@pytest.mark.parametrize(
    "body",
    [
        'raise HTTPException(status_code=404, detail=f"order {order_id} not found")\n',
        '"""Not built yet."""\n# TODO: query the order\nraise HTTPException(status_code=501)\n',
        "raise NotImplementedError\n",
    ],
)
def test_a_handler_that_only_raises_is_a_stub(body: str) -> None:
    assert where(handler(body)) == []


def test_a_raise_after_a_lookup_by_another_key_is_still_judged() -> None:
    body = (
        "order = db.query(Order).filter(Order.user_id == 1).first()\n"
        'raise HTTPException(status_code=404, detail=f"order {order_id} not found")\n'
    )
    assert [line for _path, line, _column in where(handler(body))] == [6]


def test_a_dependency_factory_reads_the_id_in_the_function_it_returns() -> None:
    """polar's `Depends(OrgPolicyGuard(...))`: FastAPI calls what the factory returns."""
    guards = (
        textwrap.dedent(
            """\
        from typing import Annotated
        from fastapi import Depends

        def org_guard(role="member"):
            async def dependency(org_id: str, db=Depends(get_db)):
                return await load_org(db, org_id)
            return dependency

        def broken_guard(role="member"):
            async def dependency(db=Depends(get_db)):
                return await first_org(db)
            return dependency

        OrgAccess = Annotated[object, Depends(org_guard())]
        AnyOrg = Annotated[object, Depends(broken_guard())]
        """
        )
        + LOCAL_DEPENDENCIES
    )
    routes = textwrap.dedent(
        """\
        from fastapi import APIRouter
        from app.guards import AnyOrg, OrgAccess
        router = APIRouter()

        @router.get("/orgs/{org_id}/members")
        def members(org: OrgAccess):
            return org.members

        @router.get("/orgs/{org_id}/plan")
        def plan(org: AnyOrg):
            return org.plan
        """
    )
    files = {"app/guards.py": guards, "app/routes.py": routes}
    assert where(files) == [("app/routes.py", 10, 1)]


@pytest.mark.parametrize(
    "body",
    [
        # a retired endpoint: logs the call, answers 410 Gone (letta's voice-beta)
        "from fastapi import HTTPException\n"
        'logger.warning(f"retired endpoint called for order {order_id}")\n'
        'raise HTTPException(status_code=410, detail="gone")\n',
        'warnings.warn("retired")\nreturn None\n',
        '"""Kept for old clients."""\nreturn "gone"\n',
    ],
)
def test_a_handler_that_only_logs_and_raises_loads_nothing(body: str) -> None:
    assert where(handler(body)) == []


@pytest.mark.parametrize(
    ("body", "line"),
    [
        # a call inside the log line may load something: reported at the id's read
        (
            'logger.warning(f"order {order_id} of {current_order(db).id}")\n'
            "raise HTTPException(410)\n",
            5,
        ),
        # a returned call is an answer built from something: the unread id, at the parameter
        ('logger.info("asked")\nreturn db.query(Order).filter(Order.user_id == 1).first()\n', 4),
    ],
)
def test_a_handler_that_logs_and_also_loads_is_still_judged(body: str, line: int) -> None:
    assert [found for _path, found, _column in where(handler(body))] == [line]


TEST_APP = """\
from fastapi import FastAPI

app = FastAPI()


@app.get("/agents/{agent_id}/tools/{tool_id}")
async def read_tool(agent_id: str, tool_id: str):
    context = current_context()
    return {"agent_id": agent_id, "tool_id": tool_id, "context": context}
"""
"""A test's own app: the ids are only echoed while the data comes from elsewhere."""


@pytest.mark.parametrize(
    ("rel", "is_test"),
    [
        ("tests/test_logging_middleware.py", True),
        ("backend/tests/api/conftest.py", True),
        ("app/middleware_test.py", True),
        ("app/testing/fake_app.py", True),
        ("app/contest.py", False),
        ("app/routes.py", False),
    ],
)
def test_routes_declared_in_test_files_are_not_served(rel: str, is_test: bool) -> None:
    found = [(line, column) for _path, line, column in where({rel: TEST_APP})]
    assert found == ([] if is_test else [(9, 25), (9, 46)])


@pytest.mark.parametrize(
    ("signature", "flagged"),
    [
        ('oid: int = Path(..., alias="order_id"), db=Depends(get_db)', False),
        ('oid: Annotated[int, Path(alias="order_id")], db=Depends(get_db)', False),
        ('oid: int = Path(description="(the order)", alias="order_id"), db=Depends(get_db)', False),
        ('oid: int = Query(alias="order_id"), db=Depends(get_db)', True),
        ('oid: int = Path(..., alias="other"), db=Depends(get_db)', True),
    ],
)
def test_a_path_parameter_received_under_an_alias_is_followed(
    signature: str, flagged: bool
) -> None:
    files = handler("return db.get(Order, oid)\n", signature)
    files["app/orders.py"] = files["app/orders.py"].replace(
        "HTTPException\n", "HTTPException, Path, Query\nfrom typing import Annotated\n", 1
    )
    assert bool(run(files)) is flagged
    # the alias is the value followed: a handler that drops it is flagged, under the URL's name
    dropped = {
        "app/orders.py": files["app/orders.py"].replace("db.get(Order, oid)", "db.get(Order, 1)")
    }
    [finding] = run(dropped)
    assert "URL parameter `order_id` of GET /orders/{order_id} is never read" in finding.message
