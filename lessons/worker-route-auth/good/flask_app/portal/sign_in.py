"""Sign-in through the company directory, under each organisation's own prefix.

`tenant_rule` puts the organisation's slug before the path it is given, so the route's path is
computed; its literal end (`/ldap/login`, `/saml/callback`) is what the auth-flow globs match."""

from flask import Blueprint, redirect, request

from portal.settings import DIRECTORY_URL

sign_in_bp = Blueprint("sign_in", __name__)


def tenant_rule(rule: str) -> str:
    return "/<tenant_slug>" + rule


@sign_in_bp.route(tenant_rule("/ldap/login"), methods=["GET", "POST"])
def directory_login(tenant_slug: str):
    # the credentials are checked by the directory itself: there is no session yet to check
    session_user = bind_to_directory(DIRECTORY_URL, request.form["email"], request.form["password"])
    remember_login(session_user)
    return redirect("/")


@sign_in_bp.route(tenant_rule("/saml/callback"), methods=["POST"])
def saml_callback(tenant_slug: str):
    assertion = read_signed_assertion(request.form["SAMLResponse"])
    remember_login(assertion.subject)
    return redirect("/")


def bind_to_directory(url: str, email: str, password: str) -> str: ...


def read_signed_assertion(response: str): ...


def remember_login(user: str) -> None: ...
