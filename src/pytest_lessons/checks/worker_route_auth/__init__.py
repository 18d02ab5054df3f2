"""`worker-route-auth`: a mutating (or cron) HTTP handler that nothing authenticates.

The postmortem's `/api/reorder-worker` was "internal": only the cron trigger was supposed to call
it, so nobody checked who did, and anyone who found the URL could POST reorders. Being unlisted is
not an auth mechanism. This lesson asks, of every handler that changes state (POST, PUT, PATCH,
DELETE, a Pages API handler that does not restrict itself to safe methods) and of every cron route
(listed in `vercel.json` or under a `/cron` segment, whatever its method), whether anything between
the caller and the code can say no.

What counts, looked for in this order:

1. the handler's own body, a helper it calls, or a wrapper around it (`withAuth(handler)`,
   `withError(withQstashOrInternal(...))`) shows evidence (see `typescript_evidence`): a secret from
   the environment compared with the request, a session helper call, a signature check, a
   401/403 answer. Helpers and wrappers are followed across files (and workspace packages)
   through `JsProject.symbols`, several levels deep; a wrapper or session helper that is not in the
   repository counts by its name;
2. an Express/Hono middleware argument (`app.post(p, requireAuth, h)`) whose definition shows
   evidence or whose name says auth, or an earlier `app.use(...)` on the same receiver (or a mount
   of this file's router behind such a middleware, in another file);
3. a Next.js `middleware.ts`/`proxy.ts` of the same project whose matcher covers the route and that
   rejects (401/403), or shows evidence without merely redirecting (a redirect to /login protects
   no API), or is wrapped by an auth wrapper (`clerkMiddleware`, `withAuth`, `auth`).

Routes listed in the `public-routes` option (a glob on the route path, with the reason) are not
flagged. Server actions are out of scope: their auth story is the page's.

Python web apps (FastAPI, Starlette, Flask) are judged by `python` with the same options and
the same strictness: routes from the shared routes layer, dependencies, decorators, hooks and
middlewares followed into their definitions across modules.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pytest_lessons.checks.base import Check
from pytest_lessons.checks.worker_route_auth.python_evidence import PyAuthFacts, py_auth_facts
from pytest_lessons.checks.worker_route_auth.python_guards import PyAuthJudge, PyVerdict
from pytest_lessons.checks.worker_route_auth.typescript_evidence import (
    UnitEvidence,
    inline_mount_units,
    module_units,
)
from pytest_lessons.findings import Finding
from pytest_lessons.lang.python.markers import WEB_FRAMEWORKS
from pytest_lessons.lang.typescript.matcher import covers_route
from pytest_lessons.lang.typescript.project_index import (
    JsContext,
    JsProject,
    is_context_file,
    js_context,
)
from pytest_lessons.lang.typescript.resolver import External, Symbol
from pytest_lessons.lang.typescript.routes import (
    HandlerRef,
    RouteFileFacts,
    RouteHandler,
    route_facts,
)
from pytest_lessons.lang.typescript.syntax import root_of
from pytest_lessons.options import LessonOptions
from pytest_lessons.source import FileKind, SourceFile

__all__ = [
    "PublicRoute",
    "WorkerRouteAuth",
    "WorkerRouteAuthFacts",
    "WorkerRouteAuthOptions",
]

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
JUDGED_FRAMEWORKS = frozenset({"next-app", "next-pages-api", "express", "hono", "fastify"})
MAX_DEPTH = 4
_TEST_FILE = re.compile(r"(^|/)(__tests__|__mocks__)/|\.(test|spec)\.[cm]?[jt]sx?$")
"""Route registrations in tests exercise the framework; they are not deployed."""
_CALLEE_HEAD = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")

SESSION_HELPERS = frozenset(
    {
        "getServerSession",
        "getServerAuthSession",
        "auth",
        "getToken",
        "currentUser",
        "getUser",
        "getSession",
        "getAuth",
        "verifyToken",
        "requireAuth",
        "requireUser",
        "requireSession",
        "getKindeServerSession",
        "getCurrentUser",
        "validateRequest",
        "withApiAuthRequired",
        "getAccessToken",
        "protect",
    }
)
"""Called bare (`auth()`) or as a member of an `auth` object (`supabase.auth.getUser()`,
`auth.api.getSession()`, `auth.protect()`)."""

_AUTH_NAME = re.compile(
    r"auth(?!or)|verif|protect|session|signature|jwt|guard|logged_?in|api_?key|qstash|secret",
    re.IGNORECASE,
)
_VERIFYING_EXTERNALS = (
    ("@upstash/qstash", "verifySignature*"),
    ("@upstash/qstash", "Receiver"),
    ("@upstash/workflow", "serve"),
    ("@upstash/workflow", "createWorkflow"),
    ("@vercel/queue", "handleCallback"),
    ("svix", "Webhook"),
    ("standardwebhooks", "Webhook"),
    ("next-auth", "*"),
    ("@auth/*", "*"),
    ("@clerk/*", "auth"),
    ("@clerk/*", "currentUser"),
    ("@clerk/*", "clerkMiddleware"),
    ("@clerk/*", "authMiddleware"),
    ("@kinde-oss/*", "*"),
    ("@auth0/*", "withApiAuthRequired"),
    # API frameworks a catch-all route dispatches to: each procedure carries its own auth
    ("@trpc/server", "*"),
    ("@ts-rest/*", "*"),
    ("@orpc/*", "*"),
    ("graphql-yoga", "*"),
    ("@apollo/server", "*"),
    ("@as-integrations/*", "*"),
)
"""(package, export) pairs that authenticate what they wrap or are called in: QStash / Upstash
Workflow and Vercel Queues verify that the request comes from the queue; svix verifies webhooks;
the auth libraries' exports read the session."""

_AUTH_CALL = re.compile(
    r"^(?:verify|check|require|ensure|assert|validate|handle|authenticate|authorize|is|has)"
    r"\w*(?:auth|session|token|signature|secret|api_?key|admin|permission|access)",
    re.IGNORECASE,
)
"""A call not in the repository (a class method, a package) whose name says it checks the caller:
`AdminApiAuthService.handleAdminAuth(req)`, `checkApiKey(req)`, `ensureAdmin()`."""

"""What an Express middleware, or a wrapper that is not in the repository, is called when it
authenticates (`requireAuth`, `passport.authenticate`, `verifySignatureAppRouter`, `bearerAuth`)."""


class PublicRoute(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    glob: str
    reason: str

    @field_validator("reason")
    @classmethod
    def _has_reason(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a public route needs a reason")
        return value


class WorkerRouteAuthOptions(LessonOptions):
    auth_helpers: tuple[str, ...] = ()
    """Extra names of session helpers, wrappers and middlewares that authenticate."""
    public_routes: tuple[PublicRoute, ...] | dict[str, str] = ()
    """Route path globs that are public on purpose, each with the reason."""
    auth_flow_routes: tuple[str, ...] = ()
    """Route path globs of the authentication flow itself (sign-in, sign-up, OAuth callbacks):
    reached before the caller has any credential, so not flagged."""
    secret_name_patterns: tuple[str, ...] = ("*SECRET*", "*TOKEN*", "*KEY*")
    """Environment variable names (fnmatch, case-insensitive) that hold a shared secret."""

    def public(self) -> list[PublicRoute]:
        if isinstance(self.public_routes, dict):
            return [PublicRoute(glob=g, reason=r) for g, r in self.public_routes.items()]
        return list(self.public_routes)


class WorkerRouteAuthFacts(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    context: JsContext = Field(default_factory=JsContext)
    routes: RouteFileFacts | None = None
    units: dict[str, UnitEvidence] = Field(default_factory=dict)
    """Evidence of each top-level binding, by name (`default` for the default export)."""
    inline: dict[str, UnitEvidence] = Field(default_factory=dict)
    """Evidence of each inline handler or middleware function, by `line:column` of its start."""
    mount_inline: dict[str, list[UnitEvidence]] = Field(default_factory=dict)
    """Evidence of the inline middlewares of each `app.use(...)`, by the mount's `line:column`."""
    python: PyAuthFacts | None = None
    """A Python file's routes, import surface and per-function evidence."""


def _inline_key(ref: HandlerRef) -> str | None:
    if ref.line is None or ref.column is None:
        return None
    return f"{ref.line}:{ref.column}"


class WorkerRouteAuth(Check[WorkerRouteAuthOptions, WorkerRouteAuthFacts]):
    options_model = WorkerRouteAuthOptions
    facts_model = WorkerRouteAuthFacts
    file_kinds = frozenset({FileKind.TYPESCRIPT, FileKind.JSON, FileKind.PYTHON})
    prefilter = ()
    version = 2

    def project_prefilter(self) -> Mapping[FileKind, tuple[bytes, ...]]:
        """The Python side needs a web framework named somewhere: without one, no routes."""
        return {FileKind.PYTHON: WEB_FRAMEWORKS}

    def applies_to(self, file: SourceFile, *, use_prefilter: bool = True) -> bool:
        if not super().applies_to(file, use_prefilter=use_prefilter):
            return False
        return file.kind is FileKind.PYTHON or is_context_file(file)

    def extract(self, file: SourceFile) -> WorkerRouteAuthFacts:
        if file.kind is FileKind.PYTHON:
            # every module is read: a dependency in `deps.py` decides a route in `routes/x.py`
            return WorkerRouteAuthFacts(
                python=py_auth_facts(file, self.options.secret_name_patterns)
            )
        context = js_context(file)
        if file.kind is not FileKind.TYPESCRIPT:
            return WorkerRouteAuthFacts(context=context)
        routes = route_facts(file)
        spans = [
            (ref.line, ref.column)
            for ref in _refs(routes)
            if ref.kind == "inline" and ref.line is not None and ref.column is not None
        ]
        patterns = self.options.secret_name_patterns
        root = root_of(file)
        units, inline = module_units(root, spans, patterns)
        mounts = inline_mount_units(
            root,
            [(m.line, m.column) for m in routes.mounts if "<inline>" in m.middlewares],
            patterns,
        )
        keep = routes if (routes.handlers or routes.middleware or routes.mounts) else None
        return WorkerRouteAuthFacts(
            context=context, routes=keep, units=units, inline=inline, mount_inline=mounts
        )

    def is_subject(self, facts: WorkerRouteAuthFacts) -> bool:
        if facts.python is not None:
            routes = facts.python.routes
            return routes is not None and bool(routes.routes)
        return facts.routes is not None and bool(facts.routes.handlers or facts.routes.middleware)

    def judge(self, facts: Mapping[str, WorkerRouteAuthFacts]) -> Iterable[Finding]:
        python = {rel: f.python for rel, f in facts.items() if f.python is not None}
        if python:
            yield from self._judge_python(python, facts.keys())
        facts = {rel: f for rel, f in facts.items() if f.python is None}
        project = JsProject.build({rel: f.context for rel, f in facts.items()})
        judge = _Judge(facts, project, self.options)
        public = self.options.public()
        for rel, file_facts in sorted(facts.items()):
            routes = file_facts.routes
            if routes is None or _TEST_FILE.search(rel):
                continue
            for handler in routes.handlers:
                if handler.framework not in JUDGED_FRAMEWORKS or _dispatcher(handler):
                    continue
                shown = judge.mounted_path(rel, handler)
                cron = judge.is_cron(shown.path)
                if not cron and not _mutating(handler):
                    continue
                path = shown.path or ""
                if shown.path is not None and (
                    any(fnmatch.fnmatchcase(path, route.glob) for route in public)
                    or any(fnmatch.fnmatchcase(path, g) for g in self.options.auth_flow_routes)
                ):
                    continue
                if judge.protected(rel, routes, handler):
                    continue
                yield self.finding(
                    rel,
                    handler.line,
                    handler.column,
                    finding_message(shown, cron=cron),
                    end_line=handler.end_line,
                    end_column=handler.end_column,
                )

    def _judge_python(
        self, facts: Mapping[str, PyAuthFacts], files: Iterable[str]
    ) -> Iterable[Finding]:
        judge = PyAuthJudge(facts, self.options.auth_helpers, files)
        globs = [route.glob for route in self.options.public()]
        globs.extend(self.options.auth_flow_routes)
        for verdict in judge.unguarded(globs):
            route = verdict.resolved.route
            yield self.finding(
                verdict.rel,
                route.line,
                route.column,
                python_message(verdict),
                end_line=route.line,
                end_column=route.column,
            )


def python_message(verdict: PyVerdict) -> str:
    """What is unguarded and what would count, in the Python frameworks' terms."""
    route = verdict.resolved.route
    path = verdict.resolved.display_path
    if route.methods_known:
        what = f"{'/'.join(route.methods)} {path}"
    else:
        what = f"{path} (methods= is not a literal list, so POST may be among them)"
    if verdict.cron:
        return (
            f"cron route {what} runs without any auth check, so anyone can trigger the job: "
            "compare a secret from the environment or settings with a request header "
            "(hmac.compare_digest), or require an auth dependency, decorator or middleware"
        )
    return (
        f"{what} changes state without any auth check (being 'internal' is not auth): "
        "nothing in the handler, its Depends/Security dependencies (route, router, include or "
        "app level), its decorators, a before_request hook or a middleware above it compares a "
        "secret from the environment or settings with the request, verifies a token or "
        "password, or answers 401/403; add one (a security scheme alone accepts any value), or "
        "list the route in `public-routes` with a reason"
    )


def _refs(routes: RouteFileFacts) -> Iterable[HandlerRef]:
    for handler in routes.handlers:
        yield handler.handler
    if routes.middleware is not None:
        yield routes.middleware.handler


def _dispatcher(handler: RouteHandler) -> bool:
    """`app.use("/api/v2/*", (c) => trpcHandler(c))`: a catch-all handing every request to another
    router (tRPC, ts-rest), whose own procedures carry the auth; judged where they are defined."""
    return (
        handler.framework in ("express", "hono", "fastify")
        and handler.method == "ANY"
        and handler.path is not None
        and handler.path.endswith("*")
    )


def _mutating(handler: RouteHandler) -> bool:
    if handler.method in MUTATING:
        return True
    return handler.method == "ANY" and not handler.safe_methods_only


def finding_message(handler: RouteHandler, *, cron: bool) -> str:
    path = handler.path or "<dynamic path>"
    if handler.method == "ANY":
        what = f"{path} (a handler serving any method, POST included)"
    else:
        what = f"{handler.method} {path}"
    if cron:
        return (
            f"cron route {what} runs without any auth check, so anyone can trigger the job: "
            "compare process.env.CRON_SECRET with the Authorization header (Vercel sends "
            "`Bearer $CRON_SECRET`), verify a QStash signature, or guard it in a wrapper or a "
            "middleware.ts whose matcher covers it"
        )
    return (
        f"{what} changes state without any auth check (being 'internal' is not auth): "
        "nothing in the handler, a helper it calls, its wrappers, its middlewares or a "
        "middleware.ts covering it compares a secret with the request, calls a session helper "
        "(getServerSession, auth(), ...), verifies a signature (QStash, Stripe constructEvent, "
        "svix) or answers 401/403; add one, or list the route in `public-routes` with a reason"
    )


@dataclass
class _Judge:
    facts: Mapping[str, WorkerRouteAuthFacts]
    project: JsProject
    options: WorkerRouteAuthOptions
    _memo: dict[tuple[str, str], bool] = field(default_factory=dict)
    _mounted: set[tuple[str, str]] | None = None
    _prefixes: dict[tuple[str, str], str] | None = None

    # -- names ------------------------------------------------------------------------------

    def _extra(self, name: str) -> bool:
        last = name.rsplit(".", 1)[-1]
        return any(helper in (name, last) for helper in self.options.auth_helpers)

    def session_call(self, name: str) -> bool:
        if self._extra(name):
            return True
        parts = name.split(".")
        if len(parts) == 1:
            return name in SESSION_HELPERS
        return parts[-1] in SESSION_HELPERS and "auth" in (p.lower() for p in parts[:-1])

    def auth_name(self, name: str) -> bool:
        return self._extra(name) or self.session_call(name) or bool(_AUTH_NAME.search(name))

    # -- following names across files --------------------------------------------------------

    def verifying_external(self, rel: str, name: str) -> bool:
        """`name` (seen from `rel`) is imported from a package known to authenticate."""
        origin = self.project.symbols.origin(rel, name.split(".", 1)[0])
        if not isinstance(origin, External):
            return False
        exported = origin.name if "." not in name else name.rsplit(".", 1)[-1]
        return any(
            (
                origin.specifier == package
                or fnmatch.fnmatchcase(origin.specifier, package)
                or origin.specifier.startswith(package + "/")
            )
            and fnmatch.fnmatchcase(exported, export)
            for package, export in _VERIFYING_EXTERNALS
        )

    def _symbol(self, rel: str, name: str) -> Symbol | None:
        symbols = self.project.symbols
        found = (
            symbols.resolve_dotted(rel, name) if "." in name else symbols.resolve_local(rel, name)
        )
        if found is None or found.name == "*":
            return None
        return found

    def unit_ok(self, rel: str, name: str, depth: int) -> bool:
        key = (rel, name)
        if key in self._memo:
            return self._memo[key]
        self._memo[key] = False  # cycle guard
        file_facts = self.facts.get(rel)
        unit = file_facts.units.get(name) if file_facts is not None else None
        result = unit is not None and self.evidence_ok(rel, unit, depth)
        self._memo[key] = result
        return result

    def evidence_ok(self, rel: str, unit: UnitEvidence, depth: int) -> bool:
        if unit.kinds:
            return True
        if any(self._compares(rel, call) for call in unit.secret_calls):
            return True
        return any(self.call_ok(rel, call, depth + 1) for call in unit.calls)

    def _compares(self, rel: str, name: str) -> bool:
        """Whether the function `name` (seen from `rel`) compares values: handed a secret, it
        checks the request against it."""
        symbol = self._symbol(rel, name)
        if symbol is None:
            return False
        file_facts = self.facts.get(symbol.rel)
        unit = file_facts.units.get(symbol.name) if file_facts is not None else None
        return unit is not None and unit.compares

    def call_ok(self, rel: str, name: str, depth: int) -> bool:
        if self.session_call(name) or self.verifying_external(rel, name):
            return True
        symbol = self._symbol(rel, name)
        if symbol is None:
            return bool(_AUTH_CALL.match(name.rsplit(".", 1)[-1]))
        if depth > MAX_DEPTH:
            return False
        return self.unit_ok(symbol.rel, symbol.name, depth)

    def named_ok(self, rel: str, name: str, *, by_name: bool) -> bool:
        """A wrapper or middleware: its definition shows evidence, or (`by_name`, or it is not in
        the repository) its name says auth."""
        symbol = self._symbol(rel, name)
        if symbol is not None and self.unit_ok(symbol.rel, symbol.name, 1):
            return True
        if self.session_call(name) or self._extra(name) or self.verifying_external(rel, name):
            return True
        if by_name or symbol is None:
            return bool(_AUTH_NAME.search(name))
        return False

    def ref_ok(self, rel: str, ref: HandlerRef) -> bool:
        file_facts = self.facts.get(rel)
        if file_facts is None:
            return False
        if ref.kind == "inline":
            key = _inline_key(ref)
            unit = file_facts.inline.get(key) if key is not None else None
            return unit is not None and self.evidence_ok(rel, unit, 0)
        if ref.kind == "local" and ref.name is not None:
            return self.unit_ok(rel, ref.name, 0)
        if ref.kind == "import" and ref.name is not None:
            symbol = self._symbol(rel, ref.name)
            if symbol is None and ref.module is not None:
                target = self.project.symbols.target(rel, ref.module)
                if target is not None:
                    symbol = self.project.symbols.resolve_export(target, ref.imported or ref.name)
            if symbol is not None and symbol.name != "*":
                return self.unit_ok(symbol.rel, symbol.name, 0)
        if ref.kind == "unknown" and ref.name is not None:
            # `export const { POST } = serve(...)`: judge the call that builds the handler
            head = _CALLEE_HEAD.match(ref.name)
            if head is not None and "(" in ref.name:
                return self.named_ok(rel, head.group(0), by_name=False)
        return False

    # -- the verdict ---------------------------------------------------------------------------

    def is_cron(self, path: str | None) -> bool:
        if path is None:
            return False
        crons = {cron.split("?", 1)[0].rstrip("/") for cron in self.project.cron_paths}
        if path.rstrip("/") in crons:
            return True
        return any(segment in ("cron", "crons") for segment in path.split("/"))

    def protected(self, rel: str, routes: RouteFileFacts, handler: RouteHandler) -> bool:
        if self.ref_ok(rel, handler.handler):
            return True
        # the whole exported expression: `export default withMiddlewares({ POST: authed(...) })`
        exported = handler.exported_as
        if exported is not None and handler.framework in ("next-app", "next-pages-api"):
            file_facts = self.facts.get(rel)
            unit = file_facts.units.get(exported) if file_facts is not None else None
            if unit is not None and self.evidence_ok(rel, unit, 0):
                return True
        if any(self.named_ok(rel, wrapper, by_name=False) for wrapper in handler.wrappers):
            return True
        if any(self.named_ok(rel, mw, by_name=True) for mw in handler.middlewares):
            return True
        if handler.framework in ("express", "hono", "fastify"):
            return self._mount_protects(rel, routes, handler)
        return self._middleware_protects(routes, handler)

    def _guarded_before(
        self, rel: str, routes: RouteFileFacts, receiver: str | None, line: int, path: str | None
    ) -> bool:
        """Some `receiver.use(...)` before `line`, covering `path`, shows auth evidence."""
        for mount in routes.mounts:
            if mount.receiver != receiver or mount.line > line or mount.sub_app is not None:
                continue
            if not _prefix_covers(mount.path, path):
                continue
            if any(self.named_ok(rel, mw, by_name=True) for mw in mount.middlewares):
                return True
            inline = self.facts[rel].mount_inline.get(f"{mount.line}:{mount.column}", [])
            if any(self.evidence_ok(rel, unit, 0) for unit in inline):
                return True
        return False

    def _mount_protects(self, rel: str, routes: RouteFileFacts, handler: RouteHandler) -> bool:
        receiver = handler.receiver
        if self._guarded_before(rel, routes, receiver, handler.line, handler.path):
            return True
        if receiver is None:
            return False
        if any(  # a Hono sub-app of this file, mounted behind the parent's middlewares
            mount.sub_app == receiver
            and self._guarded_before(rel, routes, mount.receiver, mount.line, handler.path)
            for mount in routes.mounts
        ):
            return True
        mounted = self._mounted_behind_auth()
        if (rel, receiver) in mounted:
            return True
        module = self.project.modules.get(rel)
        if module is None:
            return False
        return any(
            export.local == receiver and (rel, export.exported) in mounted
            for export in module.exports
        )

    def mounted_path(self, rel: str, handler: RouteHandler) -> RouteHandler:
        """The handler with the prefix of a Hono `app.route("/x", sub)` in another file."""
        if self._prefixes is None:
            self._prefixes = {}
            for mount_rel, file_facts in self.facts.items():
                for mount in file_facts.routes.mounts if file_facts.routes else []:
                    symbol = self._symbol(mount_rel, mount.sub_app) if mount.sub_app else None
                    if symbol is not None and symbol.rel != mount_rel and mount.path:
                        self._prefixes[(symbol.rel, symbol.name)] = mount.path
        receiver = handler.receiver
        if handler.framework != "hono" or receiver is None or handler.path is None:
            return handler
        module = self.project.modules.get(rel)
        names = (
            [receiver] + [e.exported for e in module.exports if e.local == receiver]
            if module
            else [receiver]
        )
        prefix = next((self._prefixes[(rel, n)] for n in names if (rel, n) in self._prefixes), None)
        if prefix is None:
            return handler
        joined = prefix.rstrip("/") + "/" + handler.path.lstrip("/")
        return handler.model_copy(update={"path": joined.rstrip("/") or "/"})

    def _mounted_behind_auth(self) -> set[tuple[str, str]]:
        """(module, exported name) of routers that some file mounts after an auth middleware."""
        if self._mounted is not None:
            return self._mounted
        found: set[tuple[str, str]] = set()
        for rel, file_facts in self.facts.items():
            if file_facts.routes is None:
                continue
            for mount in file_facts.routes.mounts:
                if mount.sub_app is not None:  # Hono `app.route("/x", sub)`
                    routes = file_facts.routes
                    if self._guarded_before(rel, routes, mount.receiver, mount.line, mount.path):
                        symbol = self._symbol(rel, mount.sub_app)
                        if symbol is not None:
                            found.add((symbol.rel, symbol.name))
                    continue
                guarded = False
                for name in mount.middlewares:
                    if guarded:
                        symbol = self._symbol(rel, name)
                        if symbol is not None:
                            found.add((symbol.rel, symbol.name))
                    elif self.named_ok(rel, name, by_name=True):
                        guarded = True
        self._mounted = found
        return found

    def _middleware_protects(self, routes: RouteFileFacts, handler: RouteHandler) -> bool:
        if handler.path is None:
            return False
        root = routes.project_root or ""
        for rel, file_facts in self.facts.items():
            middleware = file_facts.routes.middleware if file_facts.routes else None
            if middleware is None or middleware.project_root != root:
                continue
            if not middleware.matcher_dynamic and not covers_route(
                middleware.matchers, handler.path
            ):
                continue
            if middleware.rejects:
                return True
            if any(self.named_ok(rel, w, by_name=True) for w in middleware.wrapped_by):
                return True
            if middleware.redirects:
                continue  # an API caller gets a 3xx; protection only by accident
            if self.ref_ok(rel, middleware.handler) or any(
                self.call_ok(rel, call, 1) for call in middleware.calls
            ):
                return True
        return False


def _prefix_covers(mount_path: str | None, route_path: str | None) -> bool:
    if mount_path is None:
        return True
    prefix = mount_path.rstrip("*").rstrip("/")
    if not prefix:
        return True
    if route_path is None:
        return False
    return route_path == prefix or route_path.startswith(prefix + "/")
