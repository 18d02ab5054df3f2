"""Per-function auth evidence in a Python module, for `worker-route-auth`.

The Python twin of `typescript_evidence` (read that first): extraction records, for every function
and class of a module, what its own text shows and whom it hands control to, so the judge can
follow a `Depends(get_current_user)` into `app/api/deps.py` and on into `core/security.py`.

Evidence kinds (`UnitEvidence.kinds`):

- `secret`: a secret from the environment or settings (`os.environ["WORKER_SECRET"]`,
  `os.getenv(...)`, `settings.WORKER_SECRET`, `current_app.config["API_TOKEN"]`, or a name bound
  to one in the function or at module level; names matched by `secret-name-patterns`) compared
  with something that is not a literal: `==`, `!=`, `in`, `hmac.compare_digest`,
  `secrets.compare_digest`;
- `reject`: the function answers 401, or 403 when the caller is what decides it. A 401
  (`HTTPException(status_code=401)`, `abort(401)`, `HTTP_401_UNAUTHORIZED`, `NotAuthenticated`)
  counts wherever it appears; a 403 counts outside any `if`, or under an `if` whose test is about
  the caller (`user`, `role`, `token`, `permission`, `scope`, `admin`...), so a feature gate
  (`if not flags.enabled(name): raise HTTPException(403)`) is not auth. Neither counts under a
  test that only asks whether a raw input is present (`if not x_api_key: raise ...`): any value
  passes that test, so an API key that is read but never compared is not auth.
  A raised exception class of the project (`raise SignedOut()`) is kept by name with the same
  conditions (`raises_401`/`raises_403`); the judge counts it when the class answers that status
  (`status`: `default_code = 401` in its body, or an `__init__` passing 403).
- `dispatch`: the function runs an action looked up by name (`get_action("member_create")(...)`);
  the action carries its own check, out of static reach, like the TypeScript side's catch-all
  routes that hand every request to tRPC.

Two more kinds are kept apart, in `keys`, because they protect only the work keyed by them:

- `token-lookup`: a record looked up by a secret the request carries, the credential of a
  link, a checkout or a licence (`select(Invite).where(Invite.token == token)`,
  `filter_by(client_secret=...)`, `Invite.objects.get(token=...)`, `links.get_by_token(...)`,
  `license_keys.get_or_raise_by_key(...)`): a field named as a token or secret (not a
  session's own token, which its helper is judged for), or a bare `key` on a licence or API key;
  a public id, a slug or an email is no credential;
- `caller-scoped`: records looked up by the signed-in caller (`filter(owner=request.user)`),
  which a stranger's anonymous user never matches.

Only the success path is read: an `except` clause counts only when its `try` runs a check
(`try: jwt.decode(...) except JWTError: raise HTTPException(401)`; `evidence.CHECK_IN_TRY`), and a
`finally` clause never does, so a decorator that looks the caller up in its `except` to log them,
or maps an error raised elsewhere to 403, is not auth. On that path, evidence counts only when
it can stop the work (`_Counts`): it is not later than the function's first effect (a check after
`job.delay()` comes too late), and it does not run only when a secret is configured
(`if settings.CRON_SECRET and token != settings.CRON_SECRET:`, or inside `if SECRET:` when that
block falls through to the work): with the secret unset, nothing there says no. The readers keep
each event's `Site` (its line, its function, the one-value tests it runs under), and which of
those tests name a secret is decided here, like every other secret rule.

Calls (`calls`), the callees handed a secret (`secret_calls`), and the dependencies of the
function's own parameters (`depends`, including those of nested functions: a dependency factory
returns its checker; for a class, its cbv-style attributes) are kept as names; the judge resolves
them across modules and decides by definition, or by name when the name leaves the repository.

Extraction is one traversal per module, with the stdlib `ast` (`evidence_ast`; libcst's
`evidence_cst` for syntax the running interpreter rejects, with the same events): every event
(a call, a comparison, a 401) is credited to each enclosing function and class, and the
evidence is worked out from plain text afterwards, since the secret names a comparison
mentions are only known once the whole unit has been read.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence

from pydantic import Field

from pytest_lessons.checks.worker_route_auth.evidence import Evidence
from pytest_lessons.checks.worker_route_auth.evidence_ast import ast_scan
from pytest_lessons.checks.worker_route_auth.evidence_scan import COMPARE_CALLS, Scan, Site, Test
from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.common.secrets import SecretEvidence, is_secret_name
from pytest_lessons.lang.python.ast_source import ast_module
from pytest_lessons.lang.python.imports import module_surface
from pytest_lessons.lang.python.markers import FRAMEWORK_USE
from pytest_lessons.lang.python.routes import (
    Dependency,
    RouteFacts,
    route_facts,
)
from pytest_lessons.lang.python.routes.ast_syntax import last_part
from pytest_lessons.lang.python.routes.path_rules import PathRules, module_path_rules
from pytest_lessons.lang.python.surface import ModuleSurface
from pytest_lessons.source import SourceFile

__all__ = ["SECURITY_SCHEMES", "PythonFacts", "UnitEvidence", "python_facts", "scheme_call"]

SECURITY_SCHEMES = frozenset(
    {
        "OAuth2PasswordBearer",
        "OAuth2AuthorizationCodeBearer",
        "OAuth2",
        "OpenIdConnect",
        "HTTPBearer",
        "HTTPBasic",
        "HTTPDigest",
        "APIKeyHeader",
        "APIKeyQuery",
        "APIKeyCookie",
    }
)
"""FastAPI's security scheme classes: they read a credential (and reject a missing one) but
accept any value; only what is done with the value afterwards authenticates."""

_RAW_INPUTS = frozenset({"Header", "Cookie", "Query", "Body", "Form"}) | SECURITY_SCHEMES
_REQUEST_READ = re.compile(
    r"\b(?:request|req)\.(?:headers|cookies|args|query_params|form|values)\b"
)
_ENV_NAME = re.compile(
    r"\b(?:environ(?:\.get)?\s*[\[(]|getenv\s*\()\s*[rRuU]?[\"']([A-Za-z_][A-Za-z0-9_]*)[\"']"
)
_CONFIG_ATTRS = re.compile(
    r"\b(?:\w*settings|\w*config|conf|cfg|env)\b(?:\(\))?((?:\.[A-Za-z_]\w*)+)", re.IGNORECASE
)
_CONFIG_KEY = re.compile(
    r"\b\w*config(?:\.get\s*\(|\s*\[)\s*[\"']([A-Za-z_][A-Za-z0-9_]*)[\"']", re.IGNORECASE
)
_SECRET_PLACES = re.compile(r"env|conf|cfg|settings", re.IGNORECASE)
"""What each of the three patterns above needs somewhere in a text to match at all."""
_IDENT = re.compile(r"[A-Za-z_]\w*")
_CALL_RESULT = re.compile(r"\s*([A-Za-z_][\w.]*)\s*\([^()]*\)\s*")
"""A comparison side that is one call's result: `channel.make_token()`."""
_EFFECT_CALLS = frozenset(
    {
        "save",
        "delete",
        "bulk_create",
        "bulk_update",
        "update_or_create",
        "commit",
        "delay",
        "apply_async",
        "enqueue",
        "enqueue_call",
        "send_task",
        "add_task",
        "add_job",
        "call_command",
        "run_job",
        "run_jobs",
        "trigger_job",
    }
)
"""Calls that write or start work, by their last name; `create` only on a manager
(`Order.objects.create`), `update`/`delete` only on a queryset chain, since a dict has an
`update` and many clients a `delete`."""
_MANAGER_WRITE = re.compile(r"\.objects\.(?:\w+\.)*(?:create|update|delete)$")


def _is_effect(name: str) -> bool:
    if name == "call_command" or _MANAGER_WRITE.search(name):
        return True
    return "." in name and name.rsplit(".", 1)[-1] in _EFFECT_CALLS


_LOOKUP_FIELD = re.compile(
    r"^(?:\w+_)?(?:token|secret)(?:_?hash)?$|^(?:(?:licen[cs]e|api|secret|private)_)?key(?:_?hash)?$",
    re.IGNORECASE,
)
"""A token, a secret, a licence or API key: not an `identifier_key`, a `cache_key` or an
`idempotency_key`, which name a record without proving anything."""
_SESSION_TOKENS = re.compile(r"^(?:session|access|refresh|id|push|device|fcm|api)_?token$", re.I)
"""A session's own tokens: looking one up is what a session helper does (as in the TypeScript
half), judged as that helper, not as a link's token."""
_SECRET_KEY_OWNER = re.compile(r"licen[cs]e|api_?key|secret", re.IGNORECASE)
"""A bare `key` is a secret only on a record that says so (`LicenseKey.key`,
`license_key_service.get_by_key`): a settings row or a cache entry has a public key."""
_BY_FIELD = re.compile(r"(?:^|_)by_(\w+)$")
"""`get_by_token`, `get_or_raise_by_key`, `get_by_client_secret`: a repository lookup by the
field its name ends with."""
_CLIENT_AUTH_ENDPOINTS = re.compile(r"revo[ck]|introspect", re.IGNORECASE)
"""authlib's endpoints that authenticate the client before answering (RFC 7009, RFC 7662)."""


def _oauth2_endpoint(calls: list[tuple[str, list[str]]]) -> bool:
    for name, arguments in calls:
        last = name.rsplit(".", 1)[-1]
        if last == "create_token_response":
            return True
        endpoint = arguments[0] if arguments else ""
        if last == "create_endpoint_response" and _CLIENT_AUTH_ENDPOINTS.search(endpoint):
            return True
    return False


_MODEL_FIELD = re.compile(r"^([A-Z]\w*)\.(\w+)$")
"""`Invitation.token` in `select(Invitation).where(Invitation.token == token)`: a model's
column, compared with a value in a query."""


_SESSION_OWNER = re.compile(r"session|refresh|access_?token|login", re.IGNORECASE)
"""A record that is a session (`SessionToken.token`, `login_session_repository.get_by_token`,
`RefreshToken.token`): a cookie's lookup, which lets a stranger through unless its result is
refused, and a refusal is what the judge looks for instead."""


def _secret_field(field: str, owner: str) -> bool:
    """A field whose value the caller can only know if given it: a token, a secret, a licence
    or API key (not a session's own token, not a public id, slug or name)."""
    if not _LOOKUP_FIELD.match(field) or _SESSION_TOKENS.match(field):
        return False
    if _SESSION_OWNER.search(owner):
        return False
    bare_key = re.sub(r"_?hash$", "", field.lower()) == "key"
    return not bare_key or bool(_SECRET_KEY_OWNER.search(owner))


def _token_lookup(
    calls: list[tuple[str, list[str]]],
    comparisons: list[tuple[str, str]],
    scan: Scan,
    counts: _Counts,
) -> bool:
    """A record looked up by a token the request carries (see the module docs)."""
    for name, _arguments in calls:
        last = name.rsplit(".", 1)[-1]
        found = _BY_FIELD.search(last)
        if found is not None and _secret_field(found.group(1), name):
            return True
    for left, right in comparisons:
        for side in (left, right):
            column = _MODEL_FIELD.match(side)
            if column is not None and _secret_field(column.group(2), column.group(1)):
                return True
    return any(
        _secret_field(field, f"{function} {field}") and counts(site)
        for field, _value, function, site in scan.lookups
    )


_CALLER = re.compile(r"(?:self\.)?request\.user")


def _caller_scoped(scan: Scan, counts: _Counts) -> bool:
    """Records looked up by the caller's own user (`Project.objects.filter(owner=request.user)`):
    a stranger's anonymous user matches no owner (Django refuses to compare it with a key), so
    the work reaches only what the signed-in caller owns. `request.user.id` is not it: an
    anonymous user's id is None, which matches every record without an owner."""
    return any(_CALLER.fullmatch(value) and counts(site) for _f, value, _c, site in scan.lookups)


_ABOUT_CALLER = re.compile(
    r"user|role|perm|scope|token|auth|admin|superuser|staff|owner|member|secret|key|session"
    r"|credential|login|signature|password|principal|claims|identity|account|grant|allow|access",
    re.IGNORECASE,
)
"""Words of a test that decides by who is calling (a 403 under it is an auth answer)."""


class UnitEvidence(Evidence):
    """What one function or class shows by itself, whom it hands control to, and what it
    declares that the judge follows: its dependencies, annotations and bases."""

    depends: list[Dependency] = Field(default_factory=list)
    """`Depends`/`Security` of the parameters (and class attributes) inside the unit."""
    annotations: list[str] = Field(default_factory=list)
    """Dotted parameter annotations, which may be `Annotated` aliases defined elsewhere."""
    bases: list[str] = Field(default_factory=list)
    """Base classes by dotted name (classes only): a cbv inherits their dependencies."""
    opaque_calls: list[str] = Field(default_factory=list)
    """Methods called on a computed value (`Order.objects.filter(...).delete()`), which
    `calls` cannot name: read only to tell that a handler writes nothing."""
    derived_compares: list[str] = Field(default_factory=list)
    """Callees whose result is compared with a non-literal (`channel.make_token() == token`):
    evidence when the callee derives its value from a secret (a signed link's expected token)."""
    derives_secret: bool = False
    """The unit builds a value from a secret of the environment or settings
    (`sha256(str(self.code) + settings.SECRET_KEY)`), without comparing it itself."""
    keys: list[str] = Field(default_factory=list)
    """`token-lookup`, `caller-scoped`: the unit looks records up by a secret the request carries
    or by the signed-in caller. Evidence only for the work of the handler that does it (or a
    helper it calls), never through a dependency: a dependency that loads a record by a cookie's
    token and returns None for a stranger refuses nobody (see `python_guards`)."""
    oauth2_endpoint: bool = False
    """The body answers through an OAuth2 server's endpoint that authenticates the client
    itself: `server.create_token_response(request)` (a grant's client authentication), or
    `create_endpoint_response(...)` of the revocation or introspection endpoint. Evidence when
    the project builds its server on authlib's `AuthorizationServer` (see `python_guards`)."""
    raises_401: list[str] = Field(default_factory=list)
    """Exceptions raised (by dotted name) where a 401 would count as a refusal (see `reject`);
    the judge looks up what a project exception class answers (its `status`)."""
    raises_403: list[str] = Field(default_factory=list)
    """The same where a 403 would count (under no test, or a test about the caller)."""
    status: int | None = None
    """401 or 403 when the unit answers that one status whatever happens: an exception class
    with `default_code = 401` or an `__init__` passing `status_code=403`, or named so."""
    path_rules: PathRules | None = None
    """The request paths the function lets through unchecked or is keyed on (see
    `routes.path_rules`): how a middleware, or a helper it calls, narrows what it guards."""
    effects: list[str] = Field(default_factory=list)
    """Calls that change state or start work (`order.save()`, `task.delay()`,
    `session.commit()`, `call_command(...)`): what makes a route state-changing whatever its
    method (a cron service calls GET)."""


class PythonFacts(Record):
    """A Python file's share of the lesson: its routes, its surface and its units."""

    routes: RouteFacts | None = None
    surface: ModuleSurface
    units: dict[str, UnitEvidence] = Field(default_factory=dict)
    """By qualified name: `get_user`, `RoleChecker`, `RoleChecker.__call__`, `create_app.hook`."""
    lines: dict[int, str] = Field(default_factory=dict)
    """Qualified name of the function whose `def` is on each line (the routes layer's anchor)."""


def scheme_call(text: str) -> str | None:
    """The callee of an assignment's value text (`OAuth2PasswordBearer(tokenUrl="t")`), if any."""
    match = re.match(r"\s*([A-Za-z_][\w.]*)\s*\(", text)
    return match.group(1) if match else None


def reads_secret(text: str, patterns: Sequence[str]) -> bool:
    """`text` reads a secret from the environment or from settings/config."""
    return _reads_secret(text, tuple(patterns))


@functools.lru_cache(maxsize=16384)
def _reads_secret(text: str, patterns: tuple[str, ...]) -> bool:
    """`reads_secret`, once per text: every event is credited to each enclosing unit (a
    method's calls are its class's too), and each unit asks of every text it holds."""
    if not _SECRET_PLACES.search(text):
        return False  # most texts name no environment, settings or config at all
    for match in _ENV_NAME.finditer(text):
        if is_secret_name(match.group(1), patterns):
            return True
    for match in _CONFIG_KEY.finditer(text):
        if is_secret_name(match.group(1), patterns):
            return True
    for match in _CONFIG_ATTRS.finditer(text):
        if any(is_secret_name(part, patterns) for part in match.group(1).split(".") if part):
            return True
    return False


_SECRETS = SecretEvidence(reads_secret, _IDENT)


def _raw_inputs(scan: Scan, scheme_names: set[str]) -> set[str]:
    """Names that hold a credential exactly as the caller sent it: `Header(...)` parameters,
    values of a security scheme, reads of `request.headers`. Their mere presence proves nothing."""
    raw: set[str] = set()
    for name, texts in scan.params:
        for text in texts:
            callees = set(re.findall(r"([A-Za-z_][\w.]*)\s*\(", text))
            shorts = {c.rsplit(".", 1)[-1] for c in callees}
            marker = re.search(r"\b(?:Depends|Security)\s*\(\s*([A-Za-z_][\w.]*)\s*\)", text)
            if shorts & _RAW_INPUTS or (marker is not None and marker.group(1) in scheme_names):
                raw.add(name)
    for name, value in scan.assignments:
        if _REQUEST_READ.search(value) or name in raw:
            raw.add(name)
    return raw


def _counts(code: int, tests: list[Test], raw: set[str]) -> bool:
    """A 401 anywhere, a 403 decided by the caller; never under a presence test of raw input."""
    if any(names is not None and names <= raw for names, _text in tests):
        return False  # `if not x_api_key: raise 401`: any key passes
    return code == 401 or not tests or any(_ABOUT_CALLER.search(text) for _n, text in tests)


def _rejects(scan: Scan, raw: set[str], counts: _Counts) -> bool:
    return any(counts(site) and _counts(code, tests, raw) for code, tests, site in scan.rejects)


def _raised(scan: Scan, raw: set[str], counts: _Counts, code: int) -> list[str]:
    """Exceptions raised where a `code` would count as a refusal (before the work too)."""
    found = (n for n, tests, site in scan.raises if counts(site) and _counts(code, tests, raw))
    return list(dict.fromkeys(found))


def _status(scan: Scan) -> int | None:
    """The one status a unit answers unconditionally (`default_code = 401`, `super().__init__(
    status_code=403)`, a class named `Unauthorized`), if any: for an exception class, the answer
    raising it gives."""
    codes = {code for code, tests, _site in scan.rejects if not tests}
    return codes.pop() if len(codes) == 1 else None


class _Counts:
    """Whether an event at a `Site` can stop the work: it comes no later than the first line
    that does the work (a function's own effects; a class's methods are judged each by itself),
    and it does not run only when a secret is configured."""

    def __init__(
        self, scan: Scan, secrets: set[str], patterns: Sequence[str], first_effect: int | None
    ) -> None:
        self.secrets = secrets
        self.patterns = patterns
        self.first_effect = None if scan.is_class else first_effect

    def __call__(self, site: Site) -> bool:
        if self.first_effect is not None and site.line > self.first_effect:
            return False
        return not any(_SECRETS.mentions(text, self.secrets, self.patterns) for text in site.when)


def _unit(
    name: str,
    scan: Scan,
    module_secrets: set[str],
    scheme_names: set[str],
    patterns: Sequence[str],
    def_line: int | None,
) -> UnitEvidence:
    secrets = module_secrets | _SECRETS.bound_names(scan.assignments, module_secrets, patterns)
    body = def_line or 0  # a decorator above the `def` (`@router.delete(...)`) does no work
    effect_lines = [
        site.line
        for callee, _args, site in scan.calls
        if site.unit == name and site.line >= body and _is_effect(callee)
    ]
    counts = _Counts(scan, secrets, patterns, min(effect_lines, default=None))
    comparisons = [(left, right) for left, right, site in scan.comparisons if counts(site)]
    calls = [(name, arguments) for name, arguments, site in scan.calls if counts(site)]
    kinds: set[str] = {"dispatch"} if scan.dispatches else set()
    raw = _raw_inputs(scan, scheme_names)
    if _rejects(scan, raw, counts):
        kinds.add("reject")
    if any(
        _SECRETS.mentions(left, secrets, patterns) or _SECRETS.mentions(right, secrets, patterns)
        for left, right in comparisons
    ):
        kinds.add("secret")
    keys = ["token-lookup"] if _token_lookup(calls, comparisons, scan, counts) else []
    if _caller_scoped(scan, counts):
        keys.append("caller-scoped")
    if scan.is_class:
        keys = []  # a class holds every method's lookups; calling it runs none of them
    names: list[str] = []
    secret_calls: list[str] = []
    for name, arguments in calls:
        if name not in names:
            names.append(name)
        passes_secret = any(_SECRETS.mentions(text, secrets, patterns) for text in arguments)
        if not passes_secret:
            continue
        if last_part(name) in COMPARE_CALLS:
            kinds.add("secret")
        elif name not in secret_calls:
            secret_calls.append(name)
    effects = [name for name, _args, _site in scan.calls if _is_effect(name)]
    derived = [
        match.group(1)
        for pair in comparisons
        for side in pair
        if (match := _CALL_RESULT.fullmatch(side)) is not None
    ]
    derives = bool(_SECRETS.bound_names(scan.assignments, set(), patterns)) or any(
        reads_secret(text, patterns) for _name, arguments, _site in scan.calls for text in arguments
    )
    compares = bool(comparisons) or any(last_part(name) in COMPARE_CALLS for name, _a in calls)
    return UnitEvidence(
        oauth2_endpoint=_oauth2_endpoint(calls),
        keys=keys,
        effects=list(dict.fromkeys(effects)),
        derived_compares=list(dict.fromkeys(derived)),
        opaque_calls=list(dict.fromkeys(scan.opaque_calls)),
        derives_secret=derives,
        kinds=sorted(kinds),
        calls=names,
        secret_calls=secret_calls,
        compares=compares,
        depends=scan.depends,
        annotations=scan.annotations,
        bases=scan.bases,
        raises_401=_raised(scan, raw, counts, 401),
        raises_403=_raised(scan, raw, counts, 403),
        status=_status(scan),
    )


def _spellings(*parts: tuple[bytes, ...]) -> tuple[bytes, ...]:
    return tuple(b"".join(chosen) for chosen in itertools.product(*parts))


_EVIDENCE_WORDS: tuple[bytes, ...] = (
    b"401",
    b"403",
    *_spellings((b"U", b"u"), (b"nauthori",), (b"s", b"z"), (b"ed",)),
    b"UNAUTHORI",
    b"Forbidden",
    b"forbidden",
    b"FORBIDDEN",
    *_spellings((b"N", b"n"), (b"ot",), (b"_", b""), (b"A", b"a"), (b"uthenticated",)),
    b"compare_digest",
    b"jwt",
    b"JWT",
    b"verify",
    b"decode",
    b"Signature",
    b"signature",
    b"Password",
    b"password",
    b"login_required",
    b"get_action",
    b"api_key",
    b"apikey",
    b"before_request",
    b"before_app_request",
    b"add_middleware",
    b".middleware",
    b"call_next",
    *FRAMEWORK_USE,
)
"""Plain words, each spelling listed (`Unauthorised`, `not_authenticated`): looking for each
with `in` is several times faster than one pattern of alternatives over every module."""


def may_show_evidence(file: SourceFile, patterns: Sequence[str]) -> bool:
    """Whether any unit of the file could show evidence, or hand a request on to one that does.

    The per-unit scan needs a libcst parse with positions, tens of milliseconds a module, and
    most modules of a web app (models, schemas, services) hold no auth at all. A unit that
    rejects, compares a secret, verifies or delegates as a dependency names one of these words
    (or an upper-case secret name such as `WORKER_SECRET`, or a lower-case one of five letters
    or more such as `token`, from `secret-name-patterns`), so a module without any keeps its
    surface and routes but no units. An HTTP middleware function (`call_next`) is always read:
    it may refuse by raising a project exception class, which names none of them. The words
    are matched on bytes, comments included: the
    test can only let too much through. What it misses is a plain-Python forwarder that calls
    a checker in another module without naming any of them.
    """
    return file.contains_any(_evidence_words(tuple(patterns)))


@functools.lru_cache(maxsize=16)
def _evidence_words(patterns: tuple[str, ...]) -> tuple[bytes, ...]:
    words = sorted({re.sub(r"[*?\[\]!]", "", pattern) for pattern in patterns})
    extra = [word.upper() for word in words if word]
    extra += [word.lower() for word in words if len(word) >= 5]
    return (*_EVIDENCE_WORDS, *(word.encode() for word in extra))


def module_scans(file: SourceFile) -> tuple[dict[str, Scan], dict[int, str]]:
    """Each unit's scan and the `def` lines, read with `ast` (libcst for what `ast` rejects)."""
    try:
        fast = ast_scan(ast_module(file))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        # libcst (a tenth of a second to import) only for a module `ast` cannot read
        from pytest_lessons.checks.worker_route_auth.evidence_cst import ModuleScan

        slow = ModuleScan()
        file.python_metadata().visit(slow)
        return slow.scans, slow.lines
    return fast.scans, fast.lines


def _path_rules(file: SourceFile, units: dict[str, UnitEvidence]) -> dict[str, PathRules]:
    """Path rules of the units that have any, from the run's shared `ast` tree. A module the
    running interpreter cannot parse keeps none (its middlewares are then taken to guard every
    path, as they were before path rules were read)."""
    if not units or b"path" not in file.data.lower():
        return {}
    try:
        tree = ast_module(file).tree
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    return {name: rules for name, rules in module_path_rules(tree).items() if name in units}


def python_facts(file: SourceFile, patterns: Sequence[str]) -> PythonFacts:
    """The routes, import surface and per-unit evidence of one Python file."""
    surface = module_surface(file)
    routes = route_facts(file)
    module_secrets = _SECRETS.bound_names(list(surface.assignments.items()), set(), patterns)
    scheme_names = {
        name
        for name, text in surface.assignments.items()
        if last_part(scheme_call(text)) in SECURITY_SCHEMES
    }
    scans: dict[str, Scan] = {}
    lines: dict[int, str] = {}
    if may_show_evidence(file, patterns):
        scans, lines = module_scans(file)
    def_lines = {name: line for line, name in lines.items()}
    units = {
        name: _unit(name, unit_scan, module_secrets, scheme_names, patterns, def_lines.get(name))
        for name, unit_scan in scans.items()
    }
    for name, rules in _path_rules(file, units).items():
        units[name] = units[name].model_copy(update={"path_rules": rules})
    django = routes.django
    has_routes = bool(
        routes.routes
        or routes.routers
        or routes.includes
        or django.patterns
        or django.views
        or django.registrations
        or django.settings is not None
    )
    has_hooks = bool(routes.middlewares or routes.before_requests or routes.dependency_aliases)
    return PythonFacts(
        routes=routes if has_routes or has_hooks else None,
        surface=surface,
        units=units,
        lines=lines,
    )
