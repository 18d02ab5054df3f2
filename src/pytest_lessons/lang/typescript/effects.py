"""Calls that do the work a request is for, recognised by the client's own API so that lessons
asking "does this code change something?" read one list.

- `outside_effect`: it acts outside the service: an HTTP request that changes something, a mail
  or a text, a payment (`fetch(url, { method: "POST" })`, `axios.post`, `resend.emails.send`,
  `stripe.refunds.create`).
- `WRITE_NAME`: the name of a call that changes a stored record (`update*`, `delete*`,
  `upsert`, `save*`, ...).
- `work_call`: either of those, a row created through a database client (`prisma.job.create`,
  `db.insert(jobs)`), or a job started or enqueued (`queue.add`, `tasks.trigger`,
  `qstash.publishJSON`, `enqueue`). A string's `replace` or a header map's `delete` is not work:
  only a client's model chain (`<client>.<model>.<op>`) or a database handle writes a row.
"""

from __future__ import annotations

import re

from ast_grep_py import SgNode

from pytest_lessons.lang.typescript.syntax import call_arguments, object_properties, string_value

__all__ = ["WRITE_NAME", "outside_effect", "work_call"]

_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_HTTP_VERBS = frozenset({"post", "put", "patch", "delete"})
_HTTP_CLIENTS = ("axios", "ky", "got")
_MAIL = re.compile(r"^(send(E)?mail|sendEmail|sendSms|sendSMS)$", re.IGNORECASE)
_MAIL_APIS = ("emails.send", "messages.create", "sgMail.send")
_STRIPE_SERVICES = frozenset({"refunds", "charges", "paymentIntents", "transfers", "payouts"})
WRITE_NAME = re.compile(
    r"^(?:update|upsert|delete|remove|destroy|save|patch|archive|restore|transfer|move|assign|"
    r"replace|edit|modify|revoke|unlink|detach|disconnect)(?:[A-Z_]\w*)?$"
)
_CREATE_NAME = re.compile(r"^(?:create|insert)(?:Many\w*|One|AndReturn)?$")
_NOT_STORES = frozenset(
    {
        "headers",
        "searchParams",
        "cookies",
        "params",
        "query",
        "url",
        "cache",
        "map",
        "set",
        "Object",
        "Reflect",
        "Array",
        "String",
        "JSON",
        "Promise",
    }
)
"""Receivers whose `delete`/`set`/`create` change nothing stored: a request's header or query
map, an in-memory cache or map, the built-ins."""
_DATABASE_HANDLES = frozenset({"db", "tx", "trx", "database", "prisma", "knex", "sql", "supabase"})
"""`db.insert(jobs)`, `tx.update(users)`, `supabase.from(t).insert()`'s head: a handle on the
database itself (Drizzle, Kysely, Knex), whose write methods take the table."""
_JOB_CALLS = frozenset(
    {"enqueue", "enqueueJob", "addJob", "runJob", "triggerJob", "sendTask", "publishJSON"}
)
"""Starting or queueing work: the job starters the Python half knows (`enqueue`, `add_job`,
`run_job`, `trigger_job`, `send_task`) as JavaScript spells them, and QStash's publish."""
_JOB_OWNERS = re.compile(r"(?:^|\.)(?:\w*[qQ]ueue|tasks|inngest|jobs)$")
"""`emailQueue.add(...)` (BullMQ), `tasks.trigger(...)` (Trigger.dev), `inngest.send(...)`."""
_JOB_METHODS = frozenset({"add", "addBulk", "trigger", "batchTrigger", "send", "enqueue"})


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


def work_call(name: str, call: SgNode) -> bool:
    """`call` (whose callee is `name`) changes something: a stored record, the outside world, or
    the set of jobs to run (module docs)."""
    if outside_effect(name, call):
        return True
    parts = name.split(".")
    last, owner = parts[-1], ".".join(parts[:-1])
    if last in _JOB_CALLS or (owner and last in _JOB_METHODS and _JOB_OWNERS.search(owner)):
        return True
    if len(parts) < 2 or any(part in _NOT_STORES for part in parts[:-1]):
        return False
    if last == "replace":  # a string's, almost always
        return False
    write = bool(WRITE_NAME.match(last)) or bool(_CREATE_NAME.match(last))
    if not write:
        return False
    return len(parts) >= 3 or parts[0] in _DATABASE_HANDLES


def _unsafe_method(options: SgNode) -> bool:
    if options.kind() != "object":
        return False
    for key, value in object_properties(options):
        method = string_value(value)
        if key == "method" and method is not None and method.upper() in _UNSAFE_METHODS:
            return True
    return False
