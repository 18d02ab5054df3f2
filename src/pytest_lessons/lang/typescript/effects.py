"""Calls that act outside the service: an HTTP request that changes something, a mail or a text,
a payment. Recognised by the client's own API (`fetch(url, { method: "POST" })`, `axios.post`,
`resend.emails.send`, `stripe.refunds.create`), so a lesson that asks "does this code do
something a retry or a stranger could repeat?" reads the same list.
"""

from __future__ import annotations

import re

from ast_grep_py import SgNode

from pytest_lessons.lang.typescript.syntax import call_arguments, object_properties, string_value

__all__ = ["outside_effect"]

_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_HTTP_VERBS = frozenset({"post", "put", "patch", "delete"})
_HTTP_CLIENTS = ("axios", "ky", "got")
_MAIL = re.compile(r"^(send(E)?mail|sendEmail|sendSms|sendSMS)$", re.IGNORECASE)
_MAIL_APIS = ("emails.send", "messages.create", "sgMail.send")
_STRIPE_SERVICES = frozenset({"refunds", "charges", "paymentIntents", "transfers", "payouts"})


def outside_effect(name: str, call: SgNode) -> bool:
    """`call` (whose callee is `name`) sends a changing request, a message or a payment."""
    parts = name.split(".")
    last = parts[-1]
    if name == "fetch":
        arguments = call_arguments(call)
        return len(arguments) >= 2 and _unsafe_method(arguments[1])
    if last in _HTTP_VERBS and parts[0] in _HTTP_CLIENTS:
        return True
    if _MAIL.match(last) or name.endswith(_MAIL_APIS):
        return True
    return len(parts) >= 2 and parts[-2] in _STRIPE_SERVICES and last == "create"


def _unsafe_method(options: SgNode) -> bool:
    if options.kind() != "object":
        return False
    for key, value in object_properties(options):
        method = string_value(value)
        if key == "method" and method is not None and method.upper() in _UNSAFE_METHODS:
            return True
    return False
