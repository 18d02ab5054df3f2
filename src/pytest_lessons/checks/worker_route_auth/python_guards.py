"""Which Python routes nothing guards, for `worker-route-auth`: evidence followed across modules.

Routes come from the shared routes layer (`pytest_lessons.lang.python.routes`), joined across
modules by `RouteIndex`: every route arrives with the router, include and app dependencies above
it, the middlewares of the routers and app it hangs under, and the Flask `before_request` hooks of
its blueprint and app. A mutating route (POST, PUT, PATCH, DELETE, or `methods=` that is not a
literal list) or a cron route (a `/cron` segment, whatever its method) is protected when one of
these shows evidence (see `python_evidence`), looked for in this order:

1. the handler's own body (a header compared with `settings.WORKER_SECRET`, a 401, a call to a
   helper that verifies), helpers followed through `ImportIndex` up to `MAX_DEPTH` calls
   (`self._prepare(id)` to the method of the view class); a handler that runs an action looked up
   by name (`get_action("package_update")(...)`) leaves the check to that action;
2. a dependency: the handler's `Depends`/`Security` parameters, `Annotated` aliases (imported
   ones too), the decorator's, router's, include's and app's `dependencies=[...]`, and a cbv
   class's attributes, its base classes' in other modules included. A dependency defined in the
   repository is judged by its definition (its body, what it calls, its own sub-dependencies; a
   class by its `__call__`/`__init__`; a module-level instance `require_admin = RoleChecker(...)`
   by its class); one from a package by its name (`get_current_user`, `verify_token`), never a
   rate limiter or a feature gate;
3. a decorator: one defined in the repository by its definition, a package's by its name
   (flask_login's `login_required`, `jwt_required`, `auth.login_required`, `requires`, names in
   `auth-helpers`);
4. a Flask `before_request` hook of the route's blueprint or app (or `before_app_request`) that
   shows evidence, or aborts with 401/403;
5. a middleware of the route's app or router: a package's auth middleware by name
   (`AuthenticationMiddleware`; not SuperTokens' `get_middleware()`, which refuses nothing),
   one defined here by its definition; an `@app.middleware("http")` function (or one applied by
   hand, `app.middleware("http")(auth_middleware)`, found through the imports) that shows
   evidence itself or through the repository's helpers it calls, for the route's path: a path
   it or that helper lets through (`if request.url.path.startswith(PUBLIC): return`) is not
   checked by it, nor a path outside the area it is keyed on (`routes.path_rules`).

A `raise AuthError()` of a project exception class counts as the 401/403 its class (or a base
class in the repository) answers (`default_code = 401`, an `__init__` passing 403), under the
same conditions as a 401/403 written in place.

A security scheme used directly (`Depends(oauth2_scheme)`, `Security(APIKeyHeader(...))`) is
not evidence: it refuses a request without the header but accepts any value in it, exactly like
a TypeScript handler that reads a header and never compares it. The dependency that verifies
the scheme's value (`jwt.decode(token, ...)`) is.

Findings point at the handler's `def` line (for a Starlette `Route(...)` or `add_url_rule`
whose endpoint lives in another file, at the registering call), where the route decorators end
and where an IDE user lands on the function; one finding per handler, naming the first mount
that nothing guards.

A helper defined in the repository is judged by what it does, never by its name (an
`auth_required` decorator that just calls the view is not auth); names decide only for what
leaves the repository, and `auth-helpers` names count wherever they are defined.
"""

from __future__ import annotations

import fnmatch
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from pytest_lessons.checks.worker_route_auth.python_evidence import (
    SECURITY_SCHEMES,
    PythonFacts,
    UnitEvidence,
    scheme_call,
)
from pytest_lessons.lang.common.test_files import is_python_test_file
from pytest_lessons.lang.python.imports import MODULE, ImportIndex
from pytest_lessons.lang.python.route_index import Located, ResolvedRoute, RouteIndex
from pytest_lessons.lang.python.routes import MUTATING_METHODS, Dependency, RouteFacts
from pytest_lessons.lang.python.routes.path_rules import covers

__all__ = ["Guards", "Unguarded"]

MAX_DEPTH = 4
_GATE_METHODS = ("__init__", "__call__", "dispatch")
_AUTH_NAME = re.compile(
    r"auth(?!or)|login_required|logged_?in|jwt|permission|roles?_(?:required|accepted)"
    r"|admin|superuser|staff_member|verif|api_?key|token|current_?(?:active_?)?user|signature"
    r"|secret|guard|protect|require_?(?:user|login|scope|role|session)s?"
    r"|has_(?:role|scope|permission)",
    re.IGNORECASE,
)
"""What a dependency, decorator or middleware from a package is called when it authenticates."""
_NOT_AUTH_NAME = re.compile(
    r"rate_?limit|limiter|throttl|csrf|feature|cors|cache|permission_classes"
    r"|authentication_classes|api_view|require_(?:POST|GET|safe|http_methods)",
    re.IGNORECASE,
)
"""Names that never authenticate, whatever their definition shows: a rate limiter keyed on the
caller's API key or answering 403 for too many requests still lets anyone through, once a
minute (DRF's `permission_classes` decorator is judged by the classes it names)."""
_AUTH_DECORATORS = frozenset({"requires", "user_passes_test"})
"""Package decorators whose names do not say auth: Starlette's `requires("authenticated")`."""
_VERIFY_CALL = re.compile(
    r"^(?:verify|check|require|ensure|assert|validate|authenticate|authori[sz]e|decode)_?\w*"
    r"(?:auth|session|token|signature|secret|api_?key|admin|permission|access|password|jwt"
    r"|credential|login|scope|role|user)"
    r"|^(?:verify|verify_password|check_password|check_password_hash|verify_jwt_in_request"
    r"|authenticate|authenticate_user|login_required|unsign|unsign_object)$",
    re.IGNORECASE,
)
"""A call leaving the repository that checks the caller: `verify_id_token`, `pwd_context.verify`,
`check_password_hash`, `authenticate_user`, Django's `signer.unsign` (a signed link)."""
_SIGNED_LOADS = frozenset({"loads", "unsign"})
"""itsdangerous' checking readers (`Serializer.loads`, `Signer.unsign`; not `loads_unsafe`)."""
_JWT_DECODE = re.compile(r"(?:^|\.)(?:jwt|jws|jose|jwk)\.\w*(?:decode|verify)\w*$", re.IGNORECASE)
_CREDENTIAL = re.compile(r"signature|secret|token|api_?key|password|hmac|digest", re.I)
"""What a compared value must be named after for a checker's name to vouch for its compare."""
_WEBHOOK_VERIFY = re.compile(
    r"(?:^|\.)(?:Webhook\.construct_event|WebhookSignature\.verify_header)$"
)
"""Stripe's webhook helpers: they check the `Stripe-Signature` header against the endpoint's
secret and raise before the event is handed back, so the call itself is the check."""


_RENDER_CALLS = frozenset(
    {"render", "render_template", "render_to_response", "TemplateResponse", "render_to_string"}
)
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_WRITE_NAMES = """
save create update delete remove insert add set send post put patch enqueue delay publish emit
trigger run execute process commit write charge pay refund cancel sync ingest import store
push notify mark reset flush invalidate schedule start stop register apply handle perform
dispatch submit approve merge upload purge clear increment decrement mail email login logout
activate deactivate revoke grant assign move archive restore destroy drop persist upsert
replace append extend pop transfer invite subscribe unsubscribe confirm task job call request
fetch
"""
_WRITE_WORDS = frozenset(_WRITE_NAMES.split())
"""Words of a call's name that may change state somewhere (`orders.mark_paid`, `sendMail`):
one of them, and the handler is not known to write nothing."""

_OPEN_PERMISSIONS = frozenset({"AllowAny"})
_AUTH_MIXIN = re.compile(
    r"LoginRequired|PermissionRequired|UserPassesTest|StaffRequired|SuperuserRequired"
    r"|AccessMixin|Authenticated",
)
"""Django's auth mixins (and django-braces'), by class name."""
_SESSION_MIDDLEWARE = re.compile(r"supertokens|(?:^|\.)get_middleware\b", re.IGNORECASE)
"""SuperTokens' middleware (`get_middleware()` of its framework module, often imported as
`get_supertokens_middleware`) serves the recipe's own `/auth` API and refreshes sessions; it
refuses no other request, whatever the `token` in its name suggests (its `verify_session()`
dependency does)."""
_LOGIN_MIDDLEWARE = re.compile(r"LoginRequired|RequireLogin", re.IGNORECASE)
"""Django 5.1's `LoginRequiredMiddleware` and its third-party forerunners refuse every view
not marked `login_not_required`; `AuthenticationMiddleware` only says who is calling."""


def _last(name: str) -> str:
    return name.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Unguarded:
    """An unguarded route: where to report it and what to say."""

    rel: str
    resolved: ResolvedRoute
    cron: bool
    effects: tuple[str, ...] = ()
    """The handler's calls that change state or start work."""
    work_on_get: bool = False
    """The route's methods do not change state (GET), but its handler does: work on GET."""
    any_method: bool = False
    """A Django function view that serves every method (no method decorator)."""
    dev_only: bool = False
    """Every way up to the app passes an include made only under a development-only condition
    (`if settings.ENVIRONMENT == "local":`): a note, not a failure."""


@dataclass
class Guards:
    facts: Mapping[str, PythonFacts]
    auth_helpers: tuple[str, ...]
    files: Iterable[str] = ()
    _memo: dict[tuple[str, str], bool] = field(default_factory=dict)
    _nested: dict[str, dict[str, str]] = field(default_factory=dict)
    _methods: dict[str, list[UnitEvidence]] | None = None
    _authlib: bool | None = None
    imports: ImportIndex = field(init=False)
    index: RouteIndex = field(init=False)

    def __post_init__(self) -> None:
        self.imports = ImportIndex(
            {rel: f.surface for rel, f in self.facts.items()}, files=self.files
        )
        routes = {rel: f.routes for rel, f in self.facts.items() if f.routes is not None}
        self.index = RouteIndex(routes, self.imports)

    # -- the verdicts ----------------------------------------------------------------------------

    def unguarded(self, public: Iterable[str]) -> Iterator[Unguarded]:
        """Judged routes nothing guards, once per handler (the first unguarded mount)."""
        globs = list(public)
        seen: set[tuple[str, int, str]] = set()
        every = self.index.resolved_routes()
        routes_of_handler: dict[tuple[str, int, str], list[ResolvedRoute]] = {}
        for each in every:
            methods = "" if each.django is not None else ",".join(each.route.methods)
            routes_of_handler.setdefault((each.rel, each.route.line, methods), []).append(each)
        for resolved in sorted(
            every,
            key=lambda r: (r.rel, r.route.line, r.route.column, r.display_path),
        ):
            route = resolved.route
            methods = "" if resolved.django is not None else ",".join(route.methods)
            key = (resolved.rel, route.line, methods)  # a Django class: once, not per method
            if key in seen or is_python_test_file(resolved.rel):
                continue
            cron = any(s in ("cron", "crons") for s in resolved.display_path.split("/"))
            effects = self.effects(resolved)
            if resolved.django is not None and resolved.django.effects_decide:
                mutating = bool(effects)  # a function view serving every method
                cron = cron and mutating  # a page about cron (`/docs/cron/`) starts nothing
            else:
                mutating = not route.methods_known or bool(MUTATING_METHODS & set(route.methods))
            if not (cron or mutating or effects):
                continue
            if mutating and not cron and not effects and self._renders_a_page_only(resolved):
                continue
            if _listed(resolved.display_path, globs):
                continue
            if self.protected(resolved):
                continue
            seen.add(key)
            dev_only = self._dev_only(resolved, routes_of_handler[key])
            yield Unguarded(
                rel=resolved.rel,
                resolved=resolved,
                cron=cron,
                effects=tuple(effects),
                work_on_get=not mutating and not cron and bool(effects),
                any_method=resolved.django is not None and resolved.django.effects_decide,
                dev_only=dev_only,
            )

    def _renders_a_page_only(self, resolved: ResolvedRoute) -> bool:
        """A handler that renders a template and calls nothing that could write (a cron
        expression previewed from a posted form): POST alone does not make it state-changing,
        as GET alone does not make a job runner safe. Helpers of the repository it calls are
        read too; a JSON or worker endpoint stays judged by its method."""
        route = resolved.route
        handler = self._handler_unit(
            resolved.rel, route.function, route.line, route.endpoint_defined
        )
        if handler is None or not any(_last(c) in _RENDER_CALLS for c in handler[1].calls):
            return False
        return self._writes_nothing(handler[0], handler[1], 0)

    def _writes_nothing(self, rel: str, unit: UnitEvidence, depth: int) -> bool:
        if unit.effects or depth > 2:
            return False  # too deep to tell: not known to write nothing
        for method in unit.opaque_calls:
            if {w.lower() for w in _WORD.findall(method)} & _WRITE_WORDS:
                return False
        for call in unit.calls:
            words = {w.lower() for w in _WORD.findall(_last(call))}
            if words & _WRITE_WORDS and not _last(call)[:1].isupper():
                return False  # a constructor (`ScheduleForm(...)`) builds, it does not write
            found = self.resolve(rel, call)
            callee = None if found is None else self._unit(*found)
            if found is None or callee is None:
                continue
            if not self._writes_nothing(found[0], callee, depth + 1):
                return False
        return True

    def _dev_only(self, first: ResolvedRoute, mounts: Iterable[ResolvedRoute]) -> bool:
        """Every unguarded complete mount of the handler passes a development-only include (a
        mount that reaches no app at all does not decide)."""
        chains = [r.chain for r in mounts if r.complete and not self.protected(r)]
        return all(self._chain_dev_only(chain) for chain in chains or [first.chain])

    def _chain_dev_only(self, chain: list[str]) -> bool:
        nodes = [tuple(entry.split("::", 1)) for entry in chain]
        for child, parent in itertools.pairwise(nodes):
            edges = [
                include
                for up, _rel, include in self.index.parents.get((child[0], child[1]), [])
                if up == (parent[0], parent[1])
            ]  # the same router included twice: dev-only only if every include is
            if edges and all(include.dev_only for include in edges):
                return True
        return False

    def effects(self, resolved: ResolvedRoute) -> list[str]:
        """What the handler (or a helper of its own class) calls that changes state."""
        route = resolved.route
        handler = self._handler_unit(
            resolved.rel, route.function, route.line, route.endpoint_defined
        )
        return [] if handler is None else list(handler[1].effects)

    def _django_ok(self, resolved: ResolvedRoute) -> bool:
        """DRF permission classes in force (other than `AllowAny`), an auth mixin among the
        view's bases, or a login-required middleware the view does not opt out of."""
        guard = resolved.django
        if guard is None:
            return False
        permissions = guard.permission_classes or []
        if any(_last(p) not in _OPEN_PERMISSIONS for p in permissions):
            return True
        if any(_AUTH_MIXIN.search(_last(base)) for base in guard.bases):
            return True
        if any(self.extra(base) for base in guard.bases):
            return True
        opted_out = any(_last(d) == "login_not_required" for d in resolved.route.decorators)
        return not opted_out and any(
            _LOGIN_MIDDLEWARE.search(_last(m)) or self.extra(m) for m in guard.middleware
        )

    def protected(self, resolved: ResolvedRoute) -> bool:
        rel, route = resolved.rel, resolved.route
        if self._django_ok(resolved):
            return True
        handler = self._handler_unit(rel, route.function, route.line, route.endpoint_defined)
        if handler is not None and self.evidence_ok(handler[0], handler[1], 0):
            return True
        if handler is not None and self._overrides_ok(resolved, handler[0], handler[1]):
            return True
        if handler is not None and self._keyed(handler[0], handler[1], 0, set()):
            return True
        if any(self.dependency_ok(d.rel, d.dependency, 0) for d in resolved.dependencies):
            return True
        if route.class_name is not None and self._class_ok(rel, route.class_name):
            return True
        if any(self.decorator_ok(rel, name) for name in route.decorators):
            return True
        if any(self._hook_ok(hook) for hook in resolved.before_requests):
            return True
        return any(self._middleware_ok(m, resolved.display_path) for m in resolved.middlewares)

    def _overrides_ok(self, resolved: ResolvedRoute, rel: str, unit: UnitEvidence) -> bool:
        """An inherited handler's `self.hook()` runs the view class's own definition of it: a
        shared webhook base whose `create` calls `self._validate_signature(...)`, left abstract
        in the base and written by each provider's subclass, is checked by the subclass's."""
        guard = resolved.django
        facts = self.facts.get(rel)
        if guard is None or len(guard.classes) < 2 or facts is None:
            return False
        owner = facts.lines.get(resolved.route.line, "").rpartition(".")[0]
        if not owner or (rel, owner) == guard.classes[0]:
            return False  # the handler is the view class's own: judged already
        for call in unit.calls:
            called_on, _, method = call.rpartition(".")
            if called_on != owner:
                continue
            for class_rel, name in guard.classes:
                if (class_rel, name) == (rel, owner):
                    break  # reached the handler's own class: nothing overrides it
                override = self._unit(class_rel, f"{name}.{method}")
                if override is None:
                    continue
                checks = self.evidence_ok(class_rel, override, 1)
                if checks or self._named_compare(method, override):
                    return True
                break
        return False

    def _named_compare(self, name: str, unit: UnitEvidence) -> bool:
        """A helper named as a credential check (`_validate_signature`, `verify_token`) whose body
        compares two values: a per-record secret (a project's webhook key) compared with the
        request, which the settings-secret rule cannot see."""
        return unit.compares and self.verify_call(name) and bool(_CREDENTIAL.search(name))

    # -- names ---------------------------------------------------------------------------------

    def extra(self, name: str) -> bool:
        last = name.rsplit(".", 1)[-1]
        return any(helper in (name, last) for helper in self.auth_helpers)

    @staticmethod
    def auth_name(name: str) -> bool:
        """A package's dependency, decorator or middleware whose name says it authenticates."""
        last = name.rsplit(".", 1)[-1]
        if last in SECURITY_SCHEMES or _NOT_AUTH_NAME.search(name):
            return False
        return last in _AUTH_DECORATORS or bool(_AUTH_NAME.search(name))

    @staticmethod
    def verify_call(name: str) -> bool:
        last = name.rsplit(".", 1)[-1].lstrip("_")  # `self._validate_signature(...)` too
        return bool(
            _VERIFY_CALL.match(last) or _JWT_DECODE.search(name) or _WEBHOOK_VERIFY.search(name)
        )

    def resolve(self, rel: str, name: str) -> tuple[str, str] | None:
        """Where `name` (seen from `rel`) is defined in the repository, or None."""
        if name.split(".", 1)[0] in ("self", "cls"):
            return None
        found = self.imports.resolve(rel, name)
        if found is not None and found[1] != MODULE:
            return found
        facts = self.facts.get(rel)
        if found is None and facts is not None and name in facts.units:
            return (rel, name)  # a nested function or a method by qualified name
        if found is None and "." not in name:
            nested = self._nested_definitions(rel).get(name)
            if nested is not None:
                return (rel, nested)
        return None

    def _nested_definitions(self, rel: str) -> dict[str, str]:
        """Classes and functions defined inside a module's functions, by their own name when
        only one has it: a factory that returns an instance of a class it defines inside itself
        (`class _Documented(_Checker): ...; return _Documented(...)`) calls it by that name."""
        if rel in self._nested:
            return self._nested[rel]
        facts = self.facts.get(rel)
        classes = facts.surface.classes if facts is not None else {}
        found: dict[str, str | None] = {}
        for qualified in facts.units if facts is not None else ():
            outer, _, own = qualified.rpartition(".")
            if outer and outer.split(".", 1)[0] not in classes:
                found[own] = None if own in found else qualified
        nested = {own: qualified for own, qualified in found.items() if qualified is not None}
        self._nested[rel] = nested
        return nested

    # -- units ---------------------------------------------------------------------------------

    def _unit(self, rel: str, name: str) -> UnitEvidence | None:
        facts = self.facts.get(rel)
        return None if facts is None else facts.units.get(name)

    def _handler_unit(
        self, rel: str, function: str, line: int, defined: bool
    ) -> tuple[str, UnitEvidence] | None:
        facts = self.facts.get(rel)
        if facts is None:
            return None
        if defined and line in facts.lines:
            unit = facts.units.get(facts.lines[line])
            return None if unit is None else (rel, unit)
        found = self.resolve(rel, function)
        unit = None if found is None else self._unit(*found)
        return None if found is None or unit is None else (found[0], unit)

    def named_ok(self, rel: str, name: str, depth: int) -> bool:
        """Whether the function, class or instance `name` (seen from `rel`) authenticates, by its
        definition; None-valued for names the repository does not define (decided by callers)."""
        found = self.resolve(rel, name)
        if found is None:
            return False
        key = found
        if key in self._memo:
            return self._memo[key]
        self._memo[key] = False  # cycle guard
        result = self._definition_ok(found[0], found[1], depth)
        self._memo[key] = result
        return result

    def _definition_ok(self, rel: str, name: str, depth: int) -> bool:
        facts = self.facts.get(rel)
        if facts is not None and self._is_class(facts, name):
            return self._class_evidence(rel, name, depth)
        unit = self._unit(rel, name)
        if unit is not None:
            return self.evidence_ok(rel, unit, depth)
        text = facts.surface.assignments.get(name) if facts is not None else None
        callee = scheme_call(text) if text is not None else None
        if callee is None or depth > MAX_DEPTH:
            return False
        # `require_admin = RoleChecker(["admin"])`: the instance checks what its class checks
        return self.call_ok(rel, callee, depth + 1, by_name=True)

    @staticmethod
    def _is_class(facts: PythonFacts, name: str) -> bool:
        """A module-level class, or a unit with bases or gate methods (a class nested in a
        factory function, which the module surface does not list)."""
        if name in facts.surface.classes:
            return True
        unit = facts.units.get(name)
        return unit is not None and (
            bool(unit.bases) or any(f"{name}.{method}" in facts.units for method in _GATE_METHODS)
        )

    def _class_evidence(self, rel: str, name: str, depth: int) -> bool:
        """A class used as a dependency or middleware runs `__init__` and `__call__` (or
        `dispatch`) on each request; its other methods are a service's business, not a gate."""
        unit = self._unit(rel, name)
        if unit is None or depth > MAX_DEPTH:
            return False
        for method in _GATE_METHODS:
            method_unit = self._unit(rel, f"{name}.{method}")
            if method_unit is not None and self.evidence_ok(rel, method_unit, depth):
                return True
        if any(self.dependency_ok(rel, d, depth + 1) for d in unit.depends):
            return True
        return any(self.call_ok(rel, base, depth + 1) for base in unit.bases)

    def call_ok(self, rel: str, name: str, depth: int, *, by_name: bool = False) -> bool:
        """A call (or dependency) of `name`: followed when defined here, else judged by name."""
        if self.extra(name):
            return True
        if name.rsplit(".", 1)[-1] in SECURITY_SCHEMES:
            return False
        if self.resolve(rel, name) is None:
            return (
                self.verify_call(name)
                or self._signed_load(rel, name)
                or (by_name and self.auth_name(name))
            )
        if depth > MAX_DEPTH:
            return False
        if self.named_ok(rel, name, depth):
            return True
        found = self.resolve(rel, name)
        unit = None if found is None else self._unit(*found)
        return unit is not None and self._named_compare(name, unit)

    def evidence_ok(self, rel: str, unit: UnitEvidence, depth: int) -> bool:
        if unit.kinds:
            return True
        if unit.oauth2_endpoint and self._authlib_server():
            return True
        if any(self._raised_status(rel, name, depth) == 401 for name in unit.raises_401) or any(
            self._raised_status(rel, name, depth) == 403 for name in unit.raises_403
        ):
            return True
        if any(self._derives_secret(rel, call) for call in unit.derived_compares):
            return True
        if any(self._compares(rel, call) for call in unit.secret_calls):
            return True
        if depth > MAX_DEPTH:
            return False
        if any(self.call_ok(rel, call, depth + 1) for call in unit.calls):
            return True
        if any(self.dependency_ok(rel, d, depth + 1) for d in unit.depends):
            return True
        if any(
            self.dependency_ok(alias_rel, d, depth + 1)
            for name in unit.annotations
            for alias_rel, d in self._alias(rel, name)
        ):
            return True
        return any(self._class_ok(rel, base, depth + 1) for base in unit.bases)

    def _keyed(self, rel: str, unit: UnitEvidence, depth: int, seen: set[tuple[str, str]]) -> bool:
        """The handler's work is keyed by a secret the request carries or by the signed-in
        caller (`UnitEvidence.keys`), in its own body or a helper of the repository it calls;
        dependencies are not followed, since what they load is not the work."""
        if unit.keys:
            return True
        if depth >= MAX_DEPTH:
            return False
        for call in unit.calls:
            found = self.resolve(rel, call)
            if found is None or found in seen:
                continue
            seen.add(found)
            callee = self._unit(*found)
            if callee is not None and self._keyed(found[0], callee, depth + 1, seen):
                return True
        return False

    def _signed_load(self, rel: str, name: str) -> bool:
        """`serializer.loads(token, max_age=...)` or `signer.unsign(value)` in a module that
        imports itsdangerous: the signature is checked and a forged or expired link raises
        `BadSignature`, so the caller holds a link only the server could have signed (the
        method names alone are too common: `json.loads`)."""
        if "." not in name or name.rsplit(".", 1)[-1] not in _SIGNED_LOADS:
            return False
        facts = self.facts.get(rel)
        return facts is not None and any(
            binding.module.split(".", 1)[0] == "itsdangerous" for binding in facts.surface.imports
        )

    def _authlib_server(self) -> bool:
        """The project builds an OAuth2 server on authlib's `AuthorizationServer` (`from
        authlib.oauth2 import AuthorizationServer`, or a framework integration's): its token,
        revocation and introspection endpoints authenticate the client before they answer."""
        if self._authlib is None:
            self._authlib = any(
                binding.module.split(".", 1)[0] == "authlib"
                and binding.name == "AuthorizationServer"
                for facts in self.facts.values()
                for binding in facts.surface.imports
            )
        return self._authlib

    def _derives_secret(self, rel: str, name: str) -> bool:
        """`name` builds its value from a secret: its definition, or, for a method called on an
        object the judge cannot type (`channel.make_token()`), every method of that name in the
        repository (at least one)."""
        found = self.resolve(rel, name)
        if found is not None:
            unit = self._unit(*found)
            return unit is not None and unit.derives_secret
        if "." not in name or name.split(".", 1)[0] in ("self", "cls"):
            return False
        methods = self._methods_named().get(name.rsplit(".", 1)[-1], [])
        return bool(methods) and all(method.derives_secret for method in methods)

    def _methods_named(self) -> dict[str, list[UnitEvidence]]:
        """Every method of a module-level class in the repository, by its own name."""
        if self._methods is None:
            self._methods = {}
            for facts in self.facts.values():
                for qualified, unit in facts.units.items():
                    owner, _, own = qualified.rpartition(".")
                    if owner in facts.surface.classes:
                        self._methods.setdefault(own, []).append(unit)
        return self._methods

    def _compares(self, rel: str, name: str) -> bool:
        found = self.resolve(rel, name)
        unit = None if found is None else self._unit(*found)
        return unit is not None and unit.compares

    def _alias(self, rel: str, name: str) -> Iterator[tuple[str, Dependency]]:
        """The dependencies of an `Annotated` alias used as an annotation, here or imported."""
        facts = self.facts.get(rel)
        own = facts.routes if facts is not None else None
        if own is not None and name in own.dependency_aliases:
            for dependency in own.dependency_aliases[name]:
                yield rel, dependency
            return
        found = self.resolve(rel, name)
        if found is None or found[0] == rel:
            return
        target = self.facts.get(found[0])
        routes = target.routes if target is not None else None
        for dependency in (routes or RouteFacts()).dependency_aliases.get(found[1], []):
            yield found[0], dependency

    def dependency_ok(self, rel: str, dependency: Dependency, depth: int) -> bool:
        if _NOT_AUTH_NAME.search(dependency.call) and not self.extra(dependency.call):
            return False  # a limiter or a feature gate is not auth, whatever it does inside
        return self.call_ok(rel, dependency.call, depth, by_name=True)

    def _class_ok(self, rel: str, name: str, depth: int = 0) -> bool:
        """A cbv class's dependencies (its bases' in other modules too) authenticate."""
        found = self.resolve(rel, name)
        if found is None or depth > MAX_DEPTH:
            return False
        unit = self._unit(*found)
        if unit is None:
            return False
        if any(self.dependency_ok(found[0], d, depth + 1) for d in unit.depends):
            return True
        return any(self._class_ok(found[0], base, depth + 1) for base in unit.bases)

    def decorator_ok(self, rel: str, name: str) -> bool:
        if self.extra(name):
            return True
        if _NOT_AUTH_NAME.search(name):
            return False
        if self.resolve(rel, name) is not None:
            return self.named_ok(rel, name, 1)
        return self.auth_name(name)

    def _hook_ok(self, located: Located) -> bool:
        hook = located.before_request
        if hook is None:
            return False
        if self.extra(hook.function):
            return True
        return self._function_ok(located.rel, hook.function, hook.line, fallback=hook.aborts)

    def _function_definition(self, rel: str, name: str, line: int) -> tuple[str, str] | None:
        """Where a hook or middleware function is defined: by its `def` line (nested in an app
        factory), else by name, through the imports (`app.middleware("http")(auth_middleware)`
        with `auth_middleware` imported from a middlewares module)."""
        facts = self.facts.get(rel)
        qualified = facts.lines.get(line) if facts is not None else None
        if qualified is not None and qualified.rsplit(".", 1)[-1] == name:
            return (rel, qualified)
        return self.resolve(rel, name)

    def _checks_path(self, rel: str, name: str, unit: UnitEvidence, path: str, depth: int) -> bool:
        """Whether a middleware function (or a helper it calls) checks the caller of a request
        for `path`. Its own path tests come first: a path it lets through (a tuple of public
        prefixes) or does not test (keyed on `/admin`) is not checked by it. Then the helpers of
        the repository it calls, each with its own path tests: one that checks `path` is
        enough; when one that checks the caller skips `path`, the function's own 401 (in the
        `except` around that helper) is that helper's answer relayed and does not count for it.
        Otherwise the function's evidence, as for any dependency."""
        rules = unit.path_rules
        if rules is not None and (
            covers(rules.skips, path) or (rules.gates and not covers(rules.gates, path))
        ):
            return False
        skipped = False
        if depth <= 2:
            for found, callee in self._checking_helpers(rel, name, unit, depth):
                if self._checks_path(*found, callee, path, depth + 1):
                    return True
                skipped = True
        return not skipped and self.named_ok(rel, name, depth)

    def _checking_helpers(
        self, rel: str, name: str, unit: UnitEvidence, depth: int
    ) -> Iterator[tuple[tuple[str, str], UnitEvidence]]:
        """The functions of the repository `unit` calls that check the caller themselves."""
        for call in unit.calls:
            found = self.resolve(rel, call)
            if found is None or found == (rel, name):
                continue
            callee = self._unit(*found)
            facts = self.facts.get(found[0])
            if callee is None or facts is None or self._is_class(facts, found[1]):
                continue
            if self.named_ok(found[0], found[1], depth + 1):
                yield found, callee

    def _raised_status(self, rel: str, name: str, depth: int) -> int | None:
        """The status a project exception class raised by name answers: its own (`default_code =
        401`, `status_code = 403`, an `__init__` passing one, its name), else its bases'."""
        found = self.resolve(rel, name)
        facts = None if found is None else self.facts.get(found[0])
        if found is None or facts is None or not self._is_class(facts, found[1]):
            return None
        unit = self._unit(*found)
        if unit is None:
            return None
        if unit.status is not None:
            return unit.status
        init = self._unit(found[0], f"{found[1]}.__init__")
        if init is not None and init.status is not None:
            return init.status
        if depth >= MAX_DEPTH:
            return None
        for base in unit.bases:
            status = self._raised_status(found[0], base, depth + 1)
            if status is not None:
                return status
        return None

    def _function_ok(self, rel: str, name: str, line: int, *, fallback: bool) -> bool:
        """A hook or middleware function: its definition (found by its `def` line when it is
        nested in an app factory), else what the routes layer saw (`fallback`)."""
        facts = self.facts.get(rel)
        qualified = facts.lines.get(line) if facts is not None else None
        if qualified is not None and qualified.rsplit(".", 1)[-1] == name:
            return self.named_ok(rel, qualified, 1)
        if self.resolve(rel, name) is not None:
            return self.named_ok(rel, name, 1)
        return fallback

    def _middleware_ok(self, located: Located, path: str) -> bool:
        middleware = located.middleware
        if middleware is None:
            return False
        if middleware.kind == "decorator" and middleware.function is not None:
            found = self._function_definition(located.rel, middleware.function, middleware.line)
            unit = None if found is None else self._unit(*found)
            if found is None or unit is None:
                prefixes = middleware.path_prefixes  # what the routes layer saw, if anything
                if prefixes and not any(path.startswith(p) for p in prefixes):
                    return False
                return self._function_ok(
                    located.rel, middleware.function, middleware.line, fallback=middleware.rejects
                )
            return self._checks_path(*found, unit, path, 1)
        name = middleware.cls
        if self.extra(name):
            return True
        if self.resolve(located.rel, name) is not None:
            return self.named_ok(located.rel, name, 1)
        return self.auth_name(name) and not _SESSION_MIDDLEWARE.search(name)


_LITERAL_TAIL = re.compile(
    r"""\[(?:[A-Za-z_][\w.]*\(\s*(['"])(?P<call>/[^'"]*)\1\s*\)"""
    r"""|f(['"])[^'"]*\}(?P<fstring>/[^'"{}]*)\3)\]$"""
)
"""A path whose end is computed around a literal: `org_scoped_rule("/ldap/login")` (a helper
putting a prefix before the path it is given) or `f"{PREFIX}/login"`."""


def _listed(display_path: str, globs: Iterable[str]) -> bool:
    """Whether a route's path is in `public-routes` or `auth-flow-routes`.

    A path whose prefix is computed (`[org_scoped_rule("/ldap/login")]`) is matched by its
    literal tail, against the globs that start with `*` only: those allow any prefix, while
    `/health` names one path exactly and cannot be told to match."""
    paths = {display_path, display_path.rstrip("/") or "/"}
    tails: set[str] = set()
    found = _LITERAL_TAIL.search(display_path)
    if found is not None:
        tail = found.group("call") or found.group("fstring") or ""
        tails = {tail, tail.rstrip("/") or "/"}
    for glob in globs:
        if any(fnmatch.fnmatchcase(path, glob) for path in paths):
            return True
        if glob.startswith("*") and any(fnmatch.fnmatchcase(tail, glob) for tail in tails):
            return True
    return False
