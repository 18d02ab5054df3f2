"""Per-function auth evidence in a JS/TS module, for `worker-route-auth`.

A route is protected when something between the caller and the code says no to a stranger. That
something is usually one hop away (a wrapper, a helper, a module constant), so extraction records,
for every top-level binding of a module and for every inline handler, two things the judge can
join across files: the evidence kinds its own text shows, and the names it calls.

Evidence kinds:

- `secret`: a secret read from the environment (`process.env.CRON_SECRET`, `env.API_KEY`,
  `c.env.TOKEN`, or a name bound to one in the function or at module level) compared with
  something that is not a literal (`===`, `!==`, `==`, `!=`, `timingSafeEqual`, `safeCompare`...);
- `signature`: a signature check (`verifySignature*`, `constructEvent`, svix/jwt `.verify`, an
  HMAC computed with `createHmac` and compared, a signed payload verified with jose's
  `jwtVerify` or Apple's `verifyAndDecodeNotification`);
- `secret` also: a constant-time comparison (`timingSafeEqual`), which exists for credentials
  only (a link token's hash compared with the stored one);
- `token-lookup`: a record looked up by a token (`where: { token }`), a signed link's check;
- `answers-only`: the body does nothing but build a response or throw: a health check
  answering 200 (`res.status(200).end()`), an explicit 405 "method not allowed". It changes
  nothing, whoever calls it; a body that calls anything else (`revalidatePath("/")`, a helper)
  or awaits is judged as usual;
- `reject`: the body answers 401/403 (`{ status: 401 }`, `res.status(403)`, `c.json(x, 401)`,
  `UNAUTHORIZED`, Next's `unauthorized()`);
- `forwards-caller`: the body passes the caller's own credentials on to another service
  (`fetch(url, { headers: { Authorization: req.headers.get("authorization") } })`, a name bound
  to that read, or the request's headers whole) and no secret of its own: a proxy in front of an
  API that checks the caller itself (a Next.js route streaming a backend's answer), which changes
  nothing here. A proxy that adds a secret of the server's (`Bearer ${process.env.API_TOKEN}`)
  lends the server's rights to whoever calls it, and is no evidence.

Only the success path counts: a `catch`/`finally` clause or a `.catch(...)` callback runs after
the work has started (a wrapper's catch that looks the caller up to log an email, an error mapper
answering 401 for an auth error thrown elsewhere), so nothing in it is evidence and its calls are
not followed; but a catch whose `try` runs the check (`try { jwtVerify(t) } catch { 401 }`) is
that check's "no" and stays (`evidence.CHECK_IN_TRY`). Nor does what runs after the work: from
the end of the first call that does it (`effects.work_call`: a record written, a job started or
enqueued, another service called), by source position, nothing is evidence and no call is
followed, so a helper that checks the caller counts where it is called. A check before the
work, an early-return guard, a wrapper (`withAuth(handler)`) or a middleware keep counting. A guard
an unset variable lets through (`if (body.state !== env.X) return 403`) is recorded twice: the
unit's evidence with it and without it (`Evidence.if_unset`), and the judge picks by whether the
variable may be unset. A
signature check whose result cannot
stop the request is no evidence either: a promise that is tested without `await`
(`if (!receiver.verify(...))` is always truthy), or a boolean verdict that is dropped
(`verifySignature(req, body);` as a statement); those calls are kept in `idle_verifies` for
the message.

Session helpers (`getServerSession()`, `auth()`) are calls: the judge matches them by name, so
the configured helper names apply without re-extraction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from ast_grep_py import Rule, SgNode
from pydantic import Field

from pytest_lessons.checks.worker_route_auth.evidence import CHECK_IN_TRY, Evidence
from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.common.secrets import SecretEvidence, is_secret_name
from pytest_lessons.lang.typescript.effects import work_call
from pytest_lessons.lang.typescript.project_index import JsContext
from pytest_lessons.lang.typescript.routes import RouteFileFacts
from pytest_lessons.lang.typescript.syntax import (
    call_arguments,
    callee_name,
    dotted_name,
    span,
    string_value,
)

__all__ = [
    "TypeScriptFacts",
    "inline_mount_units",
    "module_units",
    "optional_env_names",
    "secret_bindings",
    "unit_evidence",
]

_ENV_READ = re.compile(
    r"\benv\s*(?:\?\.|\.)\s*([A-Za-z_][A-Za-z0-9_]*)|\benv\s*\[\s*[\"'`]([A-Za-z_][A-Za-z0-9_]*)"
)
_DESTRUCTURED_ENV = re.compile(r"\{([^{}]*)\}\s*=\s*(?:process\.|import\.meta\.)?env\b")
_IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_REJECT = re.compile(
    r"status\s*:\s*40[13]\b|\.status\(\s*40[13]\b|sendStatus\(\s*40[13]\b|,\s*40[13]\s*\)"
    r"|\b(?:UNAUTHORIZED|FORBIDDEN|Unauthorized|Forbidden|Unauthorised)\b"
    r"|\bunauthorized\(\s*\)|\bforbidden\(\s*\)|[\"'`](?:unauthorized|forbidden)[\"'`]"
)
_REJECT_WORDS = ("401", "403", "nauthori", "NAUTHORI", "orbidden", "ORBIDDEN")
"""Every match of `_REJECT` holds one of these: a text without them is not searched (the
pattern's optional parts cost a try at every position)."""


def _may_reject(text: str) -> bool:
    return any(word in text for word in _REJECT_WORDS)


_REFUSAL = re.compile(r"\b40[05]\b|Method Not Allowed", re.IGNORECASE)
_RESPONSE_CALLS = frozenset(
    {
        "json",
        "Response",
        "NextResponse",
        "status",
        "end",
        "send",
        "setHeader",
        "text",
        "error",
        "Error",
    }
)
"""What building a response calls: a handler that calls nothing else (`POST() { return 405 }`,
a health check's `res.status(200).end()`) or throws serves nothing."""
_THROWS_FIRST = re.compile(r"[^{]*\{\s*(?://[^\n]*\n\s*)*throw\b")
_EQUALITY = frozenset({"===", "!==", "==", "!="})
_COMPARE_CALLS = frozenset(
    {
        "timingSafeEqual",
        "safeCompare",
        "safeEqual",
        "secureCompare",
        "timingSafeCompare",
        "constantTimeEqual",
        "constantTimeCompare",
        "compare",
    }
)
_CONSTANT_TIME = frozenset(
    {
        "timingSafeEqual",
        "secureCompare",
        "timingSafeCompare",
        "constantTimeEqual",
        "constantTimeCompare",
    }
)
"""Constant-time comparisons exist for credentials only: a stored token hash compared with the
one a link carries (`timingSafeEqual(hash(token), booking.cancelTokenHash)`) is a check of the
caller even when no environment secret is involved."""
_SIGNATURE_CALLS = frozenset(
    {
        "constructEvent",
        "constructEventAsync",
        "verify",
        "verifyWebhook",
        "verifyWebhookSignature",
        "verifyRequest",
        "validateRequest",
        "verifyKey",
        "unwrap",  # standardwebhooks / stripe thin events
        "parseThinEvent",
        "parseEventNotification",
    }
)
_SIGNED_PAYLOAD = re.compile(
    r"^(?:jwtVerify|compactVerify|flattenedVerify|generalVerify|verifyAndDecode\w*"
    r"|verify(?:JWS|Jws|JWT|Jwt|SignedPayload|Payload|Notification|Message|Token)\w*)$"
)
"""Checks of a signed payload, which throw (or reject) on a bad signature: jose's
`jwtVerify`/`compactVerify`, Apple's `SignedDataVerifier.verifyAndDecodeNotification`, a
`verifyJWS(...)` helper. A webhook whose body is a signed JWS is authenticated by it."""
_WEBHOOK_TABLE = re.compile(r"(?:\b([A-Za-z_$][\w$]*)\s*)?\.webhooks\s*(?:\[|\?\.|\.)")
"""`bot.webhooks.slack(request, ...)`, `bot.webhooks[platform]`: a chat-platform SDK's webhook
handler (the judge checks that the project depends on one; see `typescript_guards`). Every match
holds `.webhooks`, which is looked for first: the optional owner costs a try at every position."""
_TOKEN_LOOKUP = re.compile(
    r"\bwhere\s*:\s*\{(?:[^{}]*,)?\s*(\w*token)\s*[,:}]|\beq\(\s*[\w.]+\.(\w*token)\s*,",
    re.IGNORECASE,
)
_SESSION_TOKENS = re.compile(r"^(?:session|access|refresh|id|push|device|fcm|api)_?token$", re.I)
"""A session's own tokens: looking them up is what a session helper does, and it stops
nothing unless its result is tested, which the lesson judges elsewhere."""
"""A record looked up by a token the request carries (`findUnique({ where: { token } })`,
`eq(emailTokens.token, token)`): the unguessable token is the credential of a signed link
(unsubscribe, invitation, magic link)."""
_DIRECTORY_SYNC = re.compile(r"(?:^|\.)requests\.handle$")
"""`directorySyncController.requests.handle(request, onEvent)`: SAML Jackson's SCIM endpoint,
which checks the directory's bearer token (`apiSecret`) before it acts on the request (the
judge checks that the controller comes from the package; see `typescript_guards`)."""
_KEYED_BY_TOKEN = re.compile(r"\bwhere\s*:\s*\{[^{}]*\b\w*token\b", re.IGNORECASE)
"""A write keyed by a token the request carries (`delete({ where: { id: csrfToken } })`, a
challenge or a link token consumed): the request proves itself by it, so it is not the work a
later check would come too late for."""
_BOOLEAN_VERIFY = re.compile(r"^(?:verifySignature\w*|validateRequest|verifyKey|isValid\w*)$")
"""Verifiers that answer true/false rather than throwing: dropping the answer checks nothing."""
_TESTED_BY = frozenset(
    {
        "unary_expression",
        "variable_declarator",
        "if_statement",
        "ternary_expression",
        "binary_expression",
    }
)
_TRANSPARENT = frozenset(
    {"parenthesized_expression", "non_null_expression", "as_expression", "await_expression"}
)
_BUILDER_KINDS = ("call_expression", "await_expression")
_LITERAL_KINDS = frozenset({"string", "number", "null", "undefined", "true", "false"})
_FUNCTION_KINDS = ("arrow_function", "function_expression", "function_declaration")


def _passed_functions(call: SgNode) -> Iterable[str]:
    """Names handed to a call as handlers: `withAuth(handler)`, `withMiddlewares({ POST: h })`.
    They run on the request like a callee does, so the judge follows them too."""
    for argument in call_arguments(call):
        kind = argument.kind()
        if kind == "identifier":
            yield argument.text()
        elif kind == "object":
            for child in argument.children():
                if child.kind() == "shorthand_property_identifier":
                    yield child.text()
                elif child.kind() == "pair":
                    value = child.field("value")
                    if value is not None and value.kind() == "identifier":
                        yield value.text()


def _env_secrets(text: str, patterns: Sequence[str]) -> bool:
    if "env" not in text:  # both patterns read `env`: most texts are ruled out without them
        return False
    for match in _ENV_READ.finditer(text):
        name = match.group(1) or match.group(2) or ""
        if is_secret_name(name, patterns):
            return True
    for match in _DESTRUCTURED_ENV.finditer(text):
        if any(is_secret_name(name, patterns) for name in _IDENT.findall(match.group(1))):
            return True
    return False


_SECRETS = SecretEvidence(_env_secrets, _IDENT)


def secret_bindings(node: SgNode, patterns: Sequence[str]) -> set[str]:
    """Names bound (anywhere under `node`) to a value that reads a secret from the environment."""
    return _bindings(node.find_all(kind="variable_declarator"), set(), patterns)


def _bindings(declarators: Iterable[SgNode], known: set[str], patterns: Sequence[str]) -> set[str]:
    """Names bound to a secret, directly or through other such names (`const expected =
    createHash(...).update(SECRET + body)`), to a fixed point."""
    pending: list[tuple[str, str]] = []
    names: set[str] = set()
    for declarator in declarators:
        name = declarator.field("name")
        value = declarator.field("value")
        if name is None or value is None:
            continue
        text = value.text()
        if name.kind() == "identifier":
            pending.append((name.text(), text))
        elif name.kind() == "object_pattern" and re.search(r"\benv\s*$", text):
            names.update(
                ident for ident in _IDENT.findall(name.text()) if is_secret_name(ident, patterns)
            )
    return names | _SECRETS.bound_names(pending, known | names, patterns)


def _is_literal(node: SgNode | None) -> bool:
    if node is None:
        return True
    if node.kind() in _LITERAL_KINDS:
        return True
    if node.kind() == "identifier" and node.text() == "undefined":
        return True
    return string_value(node) is not None


def _guards_a_check(catch: SgNode) -> bool:
    statement = catch.parent()
    body = statement.field("body") if statement is not None else None
    return body is not None and bool(CHECK_IN_TRY.search(body.text()))


_UNIT_KINDS = (
    "variable_declarator",
    "catch_clause",
    "finally_clause",
    "call_expression",
    "new_expression",
    "binary_expression",
    "if_statement",
)
_ANY_UNIT_KIND: list[Rule] = [{"kind": kind} for kind in _UNIT_KINDS]


class _Under:
    """The nodes of each kind `unit_evidence` asks about under one unit (the unit included), in
    source order, from one search of its tree: a search per kind and question cost about ten a
    unit, each a walk of the whole unit."""

    def __init__(self, node: SgNode) -> None:
        self._by_kind: dict[str, list[SgNode]] = {kind: [] for kind in _UNIT_KINDS}
        for found in node.find_all(any=_ANY_UNIT_KIND):
            self._by_kind[found.kind()].append(found)

    def __call__(self, kind: str) -> list[SgNode]:
        return self._by_kind[kind]


def _error_paths(under: _Under) -> list[SgNode]:
    """The `catch`/`finally` clauses and `.catch(...)` callbacks under the unit, but a catch
    whose `try` runs a check (see `evidence.CHECK_IN_TRY`)."""
    found = [c for c in under("catch_clause") if not _guards_a_check(c)]
    found.extend(under("finally_clause"))
    for call in under("call_expression"):
        function = call.field("function")
        prop = function.field("property") if function is not None else None
        member = function is not None and function.kind() == "member_expression"
        if member and prop is not None and prop.text() == "catch":
            found.extend(a for a in call_arguments(call) if a.kind() in _FUNCTION_KINDS)
    return found


def _checks_only_when_set(
    under: _Under, secrets: set[str], patterns: Sequence[str]
) -> list[SgNode]:
    """The parts of `if` statements that check the caller only when the secret is configured:
    `if (env.SECRET && token !== env.SECRET) return 403` (its test and its body) and the body
    of `if (env.SECRET) { ... }` that falls through to the work. With the secret unset, nothing
    there can say no, so none of it is evidence; `if (!env.SECRET || token !== env.SECRET)`
    refuses instead and counts, as does `if (env.SECRET) return check(); return refuse()`."""
    found: list[SgNode] = []
    for statement in under("if_statement"):
        condition = _unwrapped(statement.field("condition"))
        body = statement.field("consequence")
        if condition is None or body is None:
            continue
        if _tests_secret_set(condition, secrets, patterns):
            if not _always_leaves(body):  # `if (SECRET) return check(...)`: the rest decides
                found.append(body)
            continue
        operands = _and_operands(condition)
        if len(operands) > 1 and any(
            _tests_secret_set(o, secrets, patterns) for o in operands[:-1]
        ):
            found.extend([condition, body])
    return found


_DIRECT_ENV = re.compile(
    r"^(?:process\.env|import\.meta\.env|([A-Za-z_$][\w$]*))\.([A-Z][A-Z0-9_]*)$"
)


def _passable_when_unset(
    node: SgNode, under: _Under, patterns: Sequence[str]
) -> tuple[list[SgNode], list[str]]:
    """Guards that an unset secret lets through without any `if (env.SECRET && ...)`:
    `if (body.clientState !== env.WEBHOOK_SECRET) return 403`, where a request that omits the
    field compares `undefined !== undefined` (with `!=`, a missing header's `null` too). Only a
    secret read in place (`env.X`, `process.env.X`) compared with a property of the request, in
    a unit that never tests the secret itself (`if (!env.X)`, `env.X ?? ...`). Returns the `if`
    statements and the reads (`process.env.X`, `env.X`), for the judge to decide whether the
    variable may be unset (see `typescript_guards`)."""
    whole = node.text()
    guards: list[SgNode] = []
    reads: list[str] = []
    for statement in under("if_statement"):
        condition = _unwrapped(statement.field("condition"))
        body = statement.field("consequence")
        if condition is None or body is None or condition.kind() != "binary_expression":
            continue
        operator = condition.field("operator")
        if operator is None or operator.text() not in ("!==", "!="):
            continue
        left, right = _unwrapped(condition.field("left")), _unwrapped(condition.field("right"))
        for secret, other in ((left, right), (right, left)):
            if secret is None or other is None:
                continue
            read = _DIRECT_ENV.match(secret.text())
            if read is None:  # any variable guarding so acts as the secret, whatever its name
                continue
            missing = other.kind() in ("member_expression", "subscript_expression")
            if operator.text() == "!=":
                missing = missing or other.kind() == "call_expression"
            if not missing:
                continue
            start = body.range().start.index - node.range().start.index
            outside = whole[:start] + whole[start + len(body.text()) :]
            if _tests_itself(outside, secret.text()):  # the guard's own log line tests nothing
                continue
            guards.append(statement)
            reads.append(secret.text())
    return guards, list(dict.fromkeys(reads))


def _tests_itself(text: str, read: str) -> bool:
    """`!env.X`, `env.X &&`, `env.X ?`, `env.X ??`, `env.X ||`, `typeof env.X`: the unit looks at
    whether the secret is set."""
    escaped = re.escape(read)
    return bool(
        re.search(rf"!\s*{escaped}\b|{escaped}\s*(?:&&|\?|\|\|)|typeof\s+{escaped}\b", text)
    )


def _always_leaves(body: SgNode) -> bool:
    """The block ends by returning or throwing, so an unset secret takes the code after it."""
    statements = [child for child in body.children() if child.is_named()]
    last = statements[-1] if body.kind() == "statement_block" and statements else body
    return last.kind() in ("return_statement", "throw_statement")


def _unwrapped(node: SgNode | None) -> SgNode | None:
    while node is not None and node.kind() == "parenthesized_expression":
        inner = [child for child in node.children() if child.is_named()]
        node = inner[0] if len(inner) == 1 else None
    return node


def _and_operands(node: SgNode) -> list[SgNode]:
    operator = node.field("operator") if node.kind() == "binary_expression" else None
    if operator is None or operator.text() != "&&":
        return [node]
    left, right = _unwrapped(node.field("left")), _unwrapped(node.field("right"))
    if left is None or right is None:
        return [node]
    return [*_and_operands(left), *_and_operands(right)]


def _tests_secret_set(node: SgNode, secrets: set[str], patterns: Sequence[str]) -> bool:
    """`env.SECRET`, `SECRET`, `!!SECRET`: a truthiness test of a secret, nothing else."""
    if node.kind() == "unary_expression" and node.text().startswith("!!"):
        for _negation in range(2):
            inner = [child for child in node.children() if child.is_named()]
            if len(inner) != 1:
                return False
            node = inner[0]
    if node.kind() not in ("identifier", "member_expression", "subscript_expression"):
        return False
    return _SECRETS.mentions(node.text(), secrets, patterns)


def _first_work(node: SgNode, under: _Under, excluded: Sequence[tuple[int, int]]) -> SgNode | None:
    """The first call on `node`'s success path that does the work (`effects.work_call`), by
    source position. A function defined in the body and bound to a name runs only when called,
    so its calls are not placed where it is written; a callback handed to a call
    (`after(() => ...)`, `items.map(...)`) is."""
    first: SgNode | None = None
    for call, _name in _work_calls(node, under, excluded):
        if _KEYED_BY_TOKEN.search(" ".join(a.text() for a in call_arguments(call))):
            continue  # consuming the one-time token the request carries is the check itself
        if first is None or call.range().start.index < first.range().start.index:
            first = call
    return first


def _deferred(call: SgNode, unit: SgNode) -> bool:
    """`call` sits in a function declared in `unit` (`const run = async () => ...`), not one
    handed to a call."""
    parent = call.parent()
    while parent is not None and parent != unit:
        if parent.kind() == "function_declaration":
            return True
        if parent.kind() in _FUNCTION_KINDS:
            holder = parent.parent()
            if holder is not None and holder.kind() in ("variable_declarator", "pair"):
                return True
        parent = parent.parent()
    return False


def _blanked(text: str, base: int, ranges: Sequence[tuple[int, int]]) -> str:
    """`text` (starting at offset `base`) with each range replaced by spaces, so that what is
    left keeps its position."""
    chars = list(text)
    for start, end in ranges:
        low, high = max(start - base, 0), min(end - base, len(chars))
        chars[low:high] = " " * max(high - low, 0)
    return "".join(chars)


_FETCHERS = frozenset({"fetch", "got", "ky", "ofetch", "$fetch", "undici.request"})
_CREDENTIAL_READ = re.compile(
    r"\b\w+\.headers(?:\.get\(\s*[\"'`](?:authorization|cookie)[\"'`]\s*\)"
    r"|\.(?:authorization|cookie)\b|\[\s*[\"'`](?:authorization|cookie)[\"'`]\s*\])",
    re.IGNORECASE,
)
"""The caller's credentials as a handler reads them: `req.headers.get("authorization")`,
`req.headers.authorization`, `request.headers["cookie"]`."""
_WHOLE_HEADERS = re.compile(r"(?:\bheaders\s*:\s*|\bnew\s+Headers\(\s*)(?:req|request)\.headers\b")
"""The incoming request's headers handed on whole (`headers: req.headers`)."""


def _is_fetch(name: str) -> bool:
    """A call that sends a request to another service: `fetch`, got, ky, ofetch, axios."""
    return name in _FETCHERS or name.split(".", 1)[0] == "axios"


def _credential_bindings(declarators: Iterable[SgNode]) -> set[str]:
    """Names bound to the caller's credentials (`const auth = req.headers.get("authorization")`)."""
    names: set[str] = set()
    for declarator in declarators:
        value, name = declarator.field("value"), declarator.field("name")
        if value is None or name is None or name.kind() != "identifier":
            continue
        if _CREDENTIAL_READ.search(value.text()):
            names.add(name.text())
    return names


def _forwards_credentials(arguments: str, credentials: set[str]) -> bool:
    """Whether a request's arguments carry the caller's credentials (`forwards-caller`)."""
    if _CREDENTIAL_READ.search(arguments) or _WHOLE_HEADERS.search(arguments):
        return True
    return any(re.search(rf"(?<![\w$.]){re.escape(name)}\b", arguments) for name in credentials)


def _only_forwarding(
    node: SgNode, under: _Under, error_paths: Sequence[tuple[int, int]], credentials: set[str]
) -> bool:
    """Whether every call of the success path that does work (`effects.work_call`) is a request
    carrying the caller's credentials: a proxy that also writes a record (say, the backend's
    answer) would write it whatever the backend said of the caller."""
    for call, name in _work_calls(node, under, error_paths):
        arguments = " ".join(argument.text() for argument in call_arguments(call))
        if not (_is_fetch(name) and _forwards_credentials(arguments, credentials)):
            return False
    return True


def _work_calls(
    node: SgNode, under: _Under, excluded: Sequence[tuple[int, int]]
) -> Iterator[tuple[SgNode, str]]:
    """The calls outside `excluded` that do work (`effects.work_call`), with their callees; not
    those of a function defined in the body to run later (`_deferred`)."""
    for call in under("call_expression"):
        if excluded and not _outside(call, excluded):
            continue
        name = callee_name(call)
        if name is not None and work_call(name, call) and not _deferred(call, node):
            yield call, name


def _outside(node: SgNode, excluded: Sequence[tuple[int, int]]) -> bool:
    start = node.range().start.index
    return not any(low <= start < high for low, high in excluded)


def _async_callee(call: SgNode, name: str) -> bool:
    """`name` is known to return a promise: a QStash `Receiver`'s `verify`, or a function this
    module declares `async`."""
    module = call.get_root().root().text()
    parts = name.split(".")
    if len(parts) >= 2 and parts[-1] == "verify":
        owner = re.escape(parts[-2])
        if re.search(rf"\b{owner}\s*(?::[^=]+)?=\s*new\s+Receiver\b", module):
            return True
    if parts[-1] == "verify" and "new Receiver(" in call.text():
        return True
    last = re.escape(parts[-1])
    return len(parts) == 1 and bool(
        re.search(rf"async\s+function\s+{last}\b|\b{last}\s*=\s*async\b", module)
    )


def _idle_verify(call: SgNode, name: str) -> bool:
    """A verify whose result cannot stop the request: a promise tested without `await` (always
    truthy), or a true/false verdict (or a promise) dropped as a statement."""
    node, awaited = call, False
    parent = node.parent()
    while parent is not None and parent.kind() in _TRANSPARENT:
        awaited = awaited or parent.kind() == "await_expression"
        node, parent = parent, parent.parent()
    if parent is None:
        return False
    last = name.rsplit(".", 1)[-1]
    if parent.kind() == "expression_statement":
        return bool(_BOOLEAN_VERIFY.match(last)) or (not awaited and _async_callee(call, name))
    if awaited or parent.kind() not in _TESTED_BY:
        return False
    if parent.kind() == "binary_expression":
        operator = parent.field("operator")
        if operator is None or operator.text() not in ("&&", "||", "??"):
            return False
    return _async_callee(call, name)


def _without_idle_branches(under: _Under, text: str, idle: Sequence[str]) -> str:
    """`text` without the branches an idle verify decides (`const ok = receiver.verify(...)`
    then `if (!ok) return 401`): a 401 behind a test that cannot fail is not a rejection."""
    tested = set(idle)
    for declarator in under("variable_declarator"):
        value, name = declarator.field("value"), declarator.field("name")
        if value is not None and name is not None and any(n + "(" in value.text() for n in idle):
            tested.add(name.text())
    for statement in under("if_statement"):
        condition = statement.field("condition")
        if condition is None:
            continue
        words = set(_IDENT.findall(condition.text())) | {condition.text()}
        if any(t in words or t + "(" in condition.text() for t in tested):
            text = text.replace(statement.text(), " ", 1)
    return text


def unit_evidence(
    node: SgNode,
    module_secrets: set[str],
    patterns: Sequence[str],
    passable: Sequence[SgNode] = (),
    under: _Under | None = None,
) -> Evidence:
    """The evidence kinds `node`'s success path shows and the calls it makes (callee names,
    once); see the module docs for what is left out. `passable`: guards left out as well (see
    `_passable_when_unset`); `under`: the unit's nodes by kind, when already searched."""
    under = under if under is not None else _Under(node)
    kinds: set[str] = set()
    calls: list[str] = []
    secret_calls: list[str] = []
    idle: list[str] = []
    seen: set[str] = set()
    whole = node.text()
    secrets = module_secrets | _bindings(under("variable_declarator"), module_secrets, patterns)
    errors = _error_paths(under) + _checks_only_when_set(under, secrets, patterns) + [*passable]
    excluded = [(e.range().start.index, e.range().end.index) for e in errors]
    error_paths = list(excluded)
    work = _first_work(node, under, excluded)
    if work is not None:  # what runs after the work cannot stop it
        excluded.append((work.range().end.index, node.range().end.index))
    text = _blanked(whole, node.range().start.index, excluded)
    has_secret = bool(secrets) or _env_secrets(text, patterns)
    # the caller's credentials are read through `.headers`: most units never mention it
    credentials: set[str] = set()
    if "headers" in whole:
        credentials = _credential_bindings(under("variable_declarator"))
    hmac = False
    compared = False
    directory_sync = False
    forwards = lends = False
    for call in (*under("call_expression"), *under("new_expression")):
        if excluded and not _outside(call, excluded):
            continue
        name = callee_name(call) if call.kind() == "call_expression" else None
        if name is None and call.kind() == "new_expression":
            name = dotted_name(call.field("constructor"))
        if name is None and call.kind() == "call_expression":
            function = call.field("function")  # `new Webhook(s).verify(...)`: the method name
            prop = function.field("property") if function is not None else None
            if function is not None and function.kind() == "member_expression" and prop:
                name = prop.text()
        if name is None:
            continue
        last = name.rsplit(".", 1)[-1]
        verifier = (
            last.startswith("verifySignature")
            or last in _SIGNATURE_CALLS
            or bool(_SIGNED_PAYLOAD.match(last))
        )
        if verifier and call.kind() == "call_expression" and _idle_verify(call, name):
            if name not in idle:
                idle.append(name)
            continue
        if name not in seen:
            seen.add(name)
            calls.append(name)
        if last == "createHmac":
            hmac = True
        if _DIRECTORY_SYNC.search(name):
            directory_sync = True
        if verifier:
            kinds.add("signature")
        for reference in _passed_functions(call):
            if reference not in seen:
                seen.add(reference)
                calls.append(reference)
        arguments = " ".join(argument.text() for argument in call_arguments(call))
        passes_secret = has_secret and _SECRETS.mentions(arguments, secrets, patterns)
        if _is_fetch(name):
            lends = lends or passes_secret
            forwards = forwards or _forwards_credentials(arguments, credentials)
        if last in _COMPARE_CALLS:
            compared = True
            if passes_secret or last in _CONSTANT_TIME:
                kinds.add("secret")
        elif passes_secret and name not in secret_calls:
            secret_calls.append(name)
    for binary in under("binary_expression"):
        if excluded and not _outside(binary, excluded):
            continue
        operator = binary.field("operator")
        if operator is None or operator.text() not in _EQUALITY:
            continue
        left, right = binary.field("left"), binary.field("right")
        if _is_literal(left) or _is_literal(right):
            continue
        compared = True
        if has_secret and any(
            side is not None and _SECRETS.mentions(side.text(), secrets, patterns)
            for side in (left, right)
        ):
            kinds.add("secret")
    if hmac and compared:
        kinds.add("signature")
    if forwards and not lends and _only_forwarding(node, under, error_paths, credentials):
        kinds.add("forwards-caller")
    if node.kind() == "array":  # `const protectedMiddleware = [withDb, withAuth]`: each runs
        for element in node.children():
            if element.kind() == "identifier" and element.text() not in seen:
                seen.add(element.text())
                calls.append(element.text())
    lookups = _TOKEN_LOOKUP.finditer(text) if "token" in text.lower() else ()
    for match in lookups:
        if not _SESSION_TOKENS.match(match.group(1) or match.group(2) or ""):
            kinds.add("token-lookup")
    if idle:
        text = _without_idle_branches(under, text, idle)
    if _may_reject(text) and _REJECT.search(text):
        kinds.add("reject")
    if (
        "await" not in whole
        and all(call.rsplit(".", 1)[-1] in _RESPONSE_CALLS for call in calls)
        and (bool(calls) or _REFUSAL.search(whole) or _THROWS_FIRST.match(whole))
    ):
        kinds.add("answers-only")
    webhooks = list(_WEBHOOK_TABLE.finditer(text)) if ".webhooks" in text else []
    if_unset: Evidence | None = None
    unset_reads: list[str] = []
    if not passable:
        guards, unset_reads = _passable_when_unset(node, under, patterns)
        if guards:
            if_unset = unit_evidence(node, module_secrets, patterns, guards, under)
    return Evidence(
        if_unset=if_unset,
        unset_reads=unset_reads,
        kinds=sorted(kinds),
        calls=calls,
        secret_calls=secret_calls,
        compares=compared,
        platform_webhook=bool(webhooks),
        directory_sync=directory_sync,
        webhook_owners=sorted({m.group(1) for m in webhooks if m.group(1)}),
        idle_verifies=[name for name in idle if name not in seen],
    )


def _declarations(statement: SgNode) -> Iterable[tuple[str, SgNode]]:
    kind = statement.kind()
    if kind == "export_statement":
        declaration = statement.field("declaration")
        if declaration is not None:
            yield from _declarations(declaration)
            return
        value = statement.field("value")
        if value is not None:  # export default <expression>
            yield "default", value
        for child in statement.children():
            if child.kind() in _FUNCTION_KINDS:
                yield "default", child
        return
    if kind in ("function_declaration", "generator_function_declaration"):
        name = statement.field("name")
        if name is not None:
            yield name.text(), statement
    elif kind in ("lexical_declaration", "variable_declaration"):
        for declarator in statement.children():
            if declarator.kind() != "variable_declarator":
                continue
            name = declarator.field("name")
            value = declarator.field("value")
            if name is None or value is None:
                continue
            if name.kind() == "identifier":
                yield name.text(), value
            elif name.kind() == "object_pattern" and value.kind() in _BUILDER_KINDS:
                # `const { handler } = OAuthIntegration({...})`, `const { POST } =
                # toNextJsHandler(auth)`: each name is judged by the call that built it
                for element in name.children():
                    if element.kind() == "shorthand_property_identifier_pattern":
                        yield element.text(), value
                    elif element.kind() == "pair_pattern":
                        bound = element.field("value")
                        if bound is not None and bound.kind() == "identifier":
                            yield bound.text(), value
    elif kind == "expression_statement":  # module.exports = ..., exports.x = ...
        for assignment in statement.children():
            if assignment.kind() != "assignment_expression":
                continue
            target = dotted_name(assignment.field("left"))
            value = assignment.field("right")
            if target is None or value is None:
                continue
            if target == "module.exports":
                yield "default", value
            elif target.startswith(("exports.", "module.exports.")):
                yield target.rsplit(".", 1)[-1], value


def module_units(
    root: SgNode, spans: Iterable[tuple[int, int]], patterns: Sequence[str]
) -> tuple[dict[str, Evidence], dict[str, Evidence]]:
    """(evidence per top-level binding, evidence per inline function starting at `spans`)."""
    module_secrets: set[str] = set()
    declarations: list[tuple[str, SgNode]] = []
    for statement in root.children():
        for name, node in _declarations(statement):
            declarations.append((name, node))
            if node.kind() not in _FUNCTION_KINDS and _env_secrets(node.text(), patterns):
                module_secrets.add(name)
    units = {name: unit_evidence(node, module_secrets, patterns) for name, node in declarations}
    wanted = set(spans)
    inline: dict[str, Evidence] = {}
    if wanted:
        for kind in _FUNCTION_KINDS:
            for node in root.find_all(kind=kind):
                where = span(node)
                if (where.line, where.column) in wanted:
                    key = f"{where.line}:{where.column}"
                    inline[key] = unit_evidence(node, module_secrets, patterns)
    return units, inline


def inline_mount_units(
    root: SgNode, starts: Iterable[tuple[int, int]], patterns: Sequence[str]
) -> dict[str, list[Evidence]]:
    """Evidence of the inline functions of each `app.use(...)` call starting at `starts`
    (`app.use("/*", async (c, next) => { ... 401 ... })`), keyed by `line:column`."""
    wanted = set(starts)
    found: dict[str, list[Evidence]] = {}
    if not wanted:
        return found
    for call in root.find_all(kind="call_expression"):
        where = span(call)
        if (where.line, where.column) not in wanted:
            continue
        found[f"{where.line}:{where.column}"] = [
            unit_evidence(argument, set(), patterns)
            for argument in call_arguments(call)
            if argument.kind() in _FUNCTION_KINDS
        ]
    return found


class TypeScriptFacts(Record):
    """A JS/TS or JSON file's share of the lesson: its project context, routes and evidence."""

    context: JsContext = Field(default_factory=JsContext)
    routes: RouteFileFacts | None = None
    units: dict[str, Evidence] = Field(default_factory=dict)
    """Evidence of each top-level binding, by name (`default` for the default export)."""
    inline: dict[str, Evidence] = Field(default_factory=dict)
    """Evidence of each inline handler or middleware function, by `line:column` of its start."""
    optional_env: list[str] = Field(default_factory=list)
    """Variables an env schema here declares optional (`createEnv({ server: { X:
    z.string().optional() } })`): read through it, they may be unset."""
    mount_inline: dict[str, list[Evidence]] = Field(default_factory=dict)
    """Evidence of the inline middlewares of each `app.use(...)`, by the mount's `line:column`."""


_SCHEMA_ENTRY = re.compile(r"^\s*([A-Z][A-Z0-9_]*)\s*:", re.MULTILINE)


def optional_env_names(text: str) -> list[str]:
    """The variables a t3-env style schema (`createEnv({ ... })`) in `text` declares optional:
    an entry `NAME: z...` whose chain, up to the next entry, calls `.optional()`."""
    if "createEnv(" not in text:
        return []
    entries = list(_SCHEMA_ENTRY.finditer(text))
    found: list[str] = []
    for index, entry in enumerate(entries):
        end = entries[index + 1].start() if index + 1 < len(entries) else len(text)
        chain = text[entry.end() : end]
        if re.match(r"\s*z\b", chain) and ".optional()" in chain:
            found.append(entry.group(1))
    return found
