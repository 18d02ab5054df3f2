"""worker-route-auth, Python: routes keyed by a secret the request carries (a link's token, a
client secret, a licence key), authlib's OAuth2 endpoints that authenticate the client, and
Django views whose work is scoped to the signed-in caller."""

from __future__ import annotations

import pytest

from pytest_lessons.checks.worker_route_auth import WorkerRouteAuth
from pytest_lessons.findings import Finding
from pytest_lessons.testing import judge_files
from pytest_lessons.testing import make_check as build_check


def run(files: dict[str, str]) -> list[Finding]:
    check = build_check("worker-route-auth")
    assert isinstance(check, WorkerRouteAuth)
    return judge_files(check, files, use_prefilter=False)


ROUTE = """\
from fastapi import FastAPI
from sqlalchemy import select

from app.db import db, links, Invite, Checkout, LicenseKey, Setting, SessionToken, LoginSession

app = FastAPI()


@app.post("/links/{value}")
def use_link(value: str) -> dict[str, bool]:
%s
    db.commit()
    return {"ok": True}
"""
DB = "db = links = Invite = Checkout = LicenseKey = Setting = SessionToken = LoginSession = None\n"


def _route(body: str) -> list[Finding]:
    return run({"app/db.py": DB, "app/main.py": ROUTE % body})


@pytest.mark.parametrize(
    "body",
    [
        "    db.scalars(select(Invite).where(Invite.token == value)).one()",
        "    db.scalars(select(Invite).where(value == Invite.invitation_token)).one()",
        "    db.query(Checkout).filter_by(client_secret=value).one()",
        "    Invite.objects.get(token=value)",
        "    get_object_or_404(Invite, token=value)",
        "    links.get_by_token(db, value)",
        "    links.get_or_raise_by_client_secret(db, value)",
        "    db.scalars(select(LicenseKey).where(LicenseKey.key == value)).one()",
        "    license_keys.get_readable_by_key(db, key=value)",
        "    Invite.objects.get(token_hash=hash_token(value))",
    ],
)
def test_a_record_looked_up_by_a_secret_the_request_carries_protects(body: str) -> None:
    assert _route(body) == []


@pytest.mark.parametrize(
    "body",
    [
        "    db.scalars(select(Invite).where(Invite.public_id == value)).one()",
        "    db.query(Checkout).filter_by(slug=value).one()",
        "    links.get_by_id(db, value)",
        "    links.get_by_email(db, value)",
        "    Setting.objects.get(key=value)",
        "    db.scalars(select(Setting).where(Setting.key == value)).one()",
        "    links.get_by_session_token(db, value)",
        "    SessionToken.objects.get(token=value)",
        "    db.scalars(select(LoginSession).where(LoginSession.token == value)).one()",
        "    refresh_tokens.get_by_token(db, value)",
        "    db.scalars(select(Invite).where(Invite.identifier_key == value)).one()",
        "    Invite.objects.get(idempotency_key=value)",
        "    Invite.objects.get(token='fixed')",
        "    db.commit()\n    Invite.objects.get(token=value)",
    ],
    ids=[
        "public-id",
        "slug",
        "id",
        "email",
        "settings-key",
        "settings-key-column",
        "session-token",
        "session-model-keyword",
        "session-model-column",
        "refresh-token-repository",
        "identifier-key",
        "idempotency-key",
        "literal",
        "after-the-work",
    ],
)
def test_a_lookup_by_a_public_value_or_after_the_work_does_not_protect(body: str) -> None:
    assert [(f.path, f.line) for f in _route(body)] == [("app/main.py", 10)]


DEPENDENCY = """\
from fastapi import Cookie, Depends, FastAPI

from app.db import db, links

app = FastAPI()


def optional_link(token: str | None = Cookie(None)):
    return None if token is None else links.get_by_token(db, token)


@app.post("/profile")
def update_profile(link=Depends(optional_link)) -> dict[str, bool]:
    db.commit()
    return {"ok": True}
"""


def test_a_token_lookup_in_a_dependency_is_not_the_work_and_does_not_protect() -> None:
    # the dependency finds nothing for a stranger and returns None: nobody is refused
    files = {"app/db.py": DB, "app/main.py": DEPENDENCY}
    assert [(f.path, f.line) for f in run(files)] == [("app/main.py", 13)]
    # called by the handler, the same lookup keys the work
    called = DEPENDENCY.replace("link=Depends(optional_link)", "token: str").replace(
        "    db.commit()", "    optional_link(token)\n    db.commit()"
    )
    assert run({"app/db.py": DB, "app/main.py": called}) == []


SERVER = """\
from authlib.oauth2 import AuthorizationServer as Base


class AuthorizationServer(Base):
    pass
"""
OAUTH = """\
from fastapi import Depends, FastAPI, Request

from app.server import AuthorizationServer

app = FastAPI()


@app.post("/oauth2/endpoint")
def endpoint(request: Request, server: AuthorizationServer = Depends(AuthorizationServer)):
    return server.%s
"""


@pytest.mark.parametrize(
    "call",
    [
        "create_token_response(request)",
        'create_endpoint_response("revocation", request)',
        "create_endpoint_response(IntrospectionEndpoint.ENDPOINT_NAME, request)",
    ],
)
def test_authlib_endpoints_that_authenticate_the_client_protect(call: str) -> None:
    files = {"app/server.py": SERVER, "app/main.py": OAUTH % call}
    assert run(files) == []
    # the same call on a server that is not authlib's proves nothing
    files["app/server.py"] = "class AuthorizationServer:\n    pass\n"
    assert [f.line for f in run(files)] == [9]


def test_authlib_client_registration_is_not_client_authentication() -> None:
    call = "create_endpoint_response(ClientRegistrationEndpoint.ENDPOINT_NAME, request)"
    files = {"app/server.py": SERVER, "app/main.py": OAUTH % call}
    assert [f.line for f in run(files)] == [9]


URLS = """\
from django.urls import path

from shop import views

urlpatterns = [path("projects/delete-mine/", views.delete_mine)]
"""
VIEW = """\
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from shop.models import Project


@require_POST
def delete_mine(request):
    for project in Project.objects.filter(%s, is_private=True):
        project.delete()
    return HttpResponse(status=204)
"""


@pytest.mark.parametrize(
    ("lookup", "found"),
    [
        ("owner=request.user", []),
        ("owner=self.request.user", []),
        ("owner_id=request.user.id", [8]),
        ("owner=request.POST['owner']", [8]),
    ],
)
def test_work_scoped_to_the_signed_in_caller_protects(lookup: str, found: list[int]) -> None:
    files = {
        "shop/urls.py": URLS,
        "shop/views.py": VIEW % lookup,
        "shop/models.py": "Project = None\n",
        "shop/settings.py": 'ROOT_URLCONF = "shop.urls"\n',
    }
    assert [f.line for f in run(files)] == found


def test_a_class_whose_other_method_looks_up_a_token_does_not_key_the_work() -> None:
    service = (
        "from app.db import Invite, db\n\n\nclass Invites:\n"
        "    def by_token(self, value):\n        return Invite.objects.get(token=value)\n\n"
        "    def purge(self):\n        db.commit()\n"
    )
    body = "    Invites().purge()"
    files = {
        "app/db.py": DB,
        "app/invites.py": service,
        "app/main.py": (ROUTE % body).replace(
            "from sqlalchemy import select\n", "from app.invites import Invites\n"
        ),
    }
    assert [(f.path, f.line) for f in run(files)] == [("app/main.py", 10)]


LOGIN_APP = """\
from fastapi import Cookie, Depends, FastAPI, HTTPException, Request, status
from fastapi.responses import RedirectResponse

from app.records import sessions

app = FastAPI()


async def current_session(request: Request, sid: str | None = Cookie(None)):
    record = await sessions.find(sid)
    if record is None:
%s
    return record


@app.post("/profile")
def update_profile(session=Depends(current_session)) -> dict[str, bool]:
    return {"ok": True}
"""


@pytest.mark.parametrize(
    ("refusal", "protected"),
    [
        (
            "        raise HTTPException(status_code=status.HTTP_307_TEMPORARY_REDIRECT,"
            ' headers={"Location": str(request.url_for("auth:login"))})',
            True,
        ),
        ('        raise HTTPException(status_code=303, headers={"Location": "/sign-in"})', True),
        ('        raise HTTPException(status_code=307, headers={"Location": "/welcome"})', False),
        ('        return RedirectResponse("/login")', False),
    ],
)
def test_a_dependency_that_sends_a_stranger_to_the_login_page_protects(
    refusal: str, protected: bool
) -> None:
    found = run({"app/records.py": "sessions = None\n", "app/main.py": LOGIN_APP % refusal})
    assert (found == []) is protected
    # a presence test of the raw cookie lets any value through, redirect or not
    raw = (LOGIN_APP % refusal).replace("record is None", "sid is None")
    assert len(run({"app/records.py": "sessions = None\n", "app/main.py": raw})) == 1


SIGNED_LINK = """\
%s

from flask import Flask

app = Flask(__name__)
links = Serializer("k")


@app.post("/invites/<token>/accept")
def accept(token):
    member = links.%s(token)
    return {"member": member}
"""


@pytest.mark.parametrize(
    ("imports", "method", "protected"),
    [
        ("from itsdangerous import URLSafeTimedSerializer as Serializer", "loads", True),
        ("from itsdangerous import Signer as Serializer", "unsign", True),
        ("from itsdangerous import URLSafeSerializer as Serializer", "loads_unsafe", False),
        ("from json import JSONDecoder as Serializer", "loads", False),
    ],
)
def test_a_link_signed_with_itsdangerous_protects(
    imports: str, method: str, protected: bool
) -> None:
    found = run({"app/main.py": SIGNED_LINK % (imports, method)})
    assert (found == []) is protected


STRIPE_EVENTS = """\
import stripe
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from app.config import settings
from app.db import db

app = FastAPI()


@app.post("/stripe/events")
async def stripe_events(request: Request):
    payload = await request.body()
    event = None
    try:
%s
    except stripe.error.SignatureVerificationError:
        return JSONResponse(status_code=401, content={"error": "bad signature"})
    db.record(event)
    return {"ok": True}
"""
VERIFY = (
    'stripe.Webhook.construct_event(payload, request.headers.get("stripe-signature"),'
    " settings.STRIPE_WEBHOOK_SECRET)"
)


@pytest.mark.parametrize(
    ("body", "protected"),
    [
        (f"        event = {VERIFY}", True),
        (f"        if settings.STRIPE_WEBHOOK_SECRET:\n            event = {VERIFY}", False),
        (
            f"        if not settings.STRIPE_WEBHOOK_SECRET:\n            raise RuntimeError()\n"
            f"        event = {VERIFY}",
            True,
        ),
    ],
)
def test_a_401_for_a_check_that_runs_only_when_configured_stops_nobody(
    body: str, protected: bool
) -> None:
    files = {
        "app/config.py": "settings = None\n",
        "app/db.py": "db = None\n",
        "app/main.py": STRIPE_EVENTS % body,
    }
    assert (run(files) == []) is protected
