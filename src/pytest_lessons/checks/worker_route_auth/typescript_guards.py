"""Which JS/TS routes nothing guards, for `worker-route-auth`: evidence followed across files.

A handler is protected when, in this order: its own body, a helper it calls or a wrapper around
it shows evidence (`typescript_evidence`), followed across files and workspace packages through
`JsProject.symbols` up to `MAX_DEPTH` calls (a wrapper or session helper that is not in the
repository counts by its name, or by the package it comes from); an Express/Hono middleware
argument or an earlier `app.use(...)` on the same receiver (or a mount of this file's router
behind such a middleware, in another file) does; or a Next.js `middleware.ts`/`proxy.ts` of the
same project whose matcher covers the route rejects (401/403), shows evidence without merely
redirecting, or is wrapped by an auth wrapper, and whose own branching on the pathname
(`routes.middleware_paths`: public-path lists, `startsWith` tests, Clerk's `createRouteMatcher`)
does not let the route's path through before that check.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from pytest_lessons.checks.worker_route_auth.evidence import Evidence
from pytest_lessons.checks.worker_route_auth.options import WorkerRouteAuthOptions
from pytest_lessons.checks.worker_route_auth.typescript_evidence import TypeScriptFacts
from pytest_lessons.lang.typescript.matcher import covers_route
from pytest_lessons.lang.typescript.project_index import JsProject
from pytest_lessons.lang.typescript.resolver import External, Symbol
from pytest_lessons.lang.typescript.routes import HandlerRef, RouteFileFacts, RouteHandler
from pytest_lessons.lang.typescript.routes.middleware_paths import gates_reach
from pytest_lessons.lang.typescript.routes.mounting import MAX_MOUNT_DEPTH, MountIndex

__all__ = ["SESSION_HELPERS", "Guards"]

MAX_DEPTH = 4
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
"""What an Express middleware, or a wrapper that is not in the repository, is called when it
authenticates (`requireAuth`, `passport.authenticate`, `verifySignatureAppRouter`, `bearerAuth`)."""
_VERIFYING_EXTERNALS = (
    ("@upstash/qstash", "verifySignature*"),
    ("@upstash/qstash", "Receiver"),
    ("@upstash/workflow", "serve"),
    ("@upstash/workflow", "createWorkflow"),
    ("@vercel/queue", "handleCallback"),
    ("svix", "Webhook"),
    ("standardwebhooks", "Webhook"),
    ("next-auth", "*"),
    ("better-auth", "*"),
    ("better-auth/*", "*"),
    ("hono/bearer-auth", "bearerAuth"),
    ("hono/basic-auth", "basicAuth"),
    ("hono/jwt", "jwt"),
    ("hono/jwk", "jwk"),
    ("hono/jwt", "verify"),
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
the auth libraries' exports read the session (and their catch-all handlers, `toNextJsHandler(auth)`
under `[...all]`, are the sign-in flow itself); Hono's `bearerAuth`/`basicAuth`/`jwt` middlewares
reject a request without the credential."""

_DIRECTORY_SYNC_PACKAGES = ("@boxyhq/saml-jackson",)
"""SAML Jackson: its directory-sync controller answers a SCIM request only after comparing the
bearer token with the directory's secret."""

_CHAT_SDKS = ("chat", "@chat-adapter/*")
"""Chat-platform SDKs whose webhook table (`bot.webhooks.teams(request)`) verifies the platform
(Slack's signing secret, Telegram's secret token, Teams' Bot Framework JWT) before a handler
runs."""

_AUTH_CALL = re.compile(
    r"^(?:verify|check|require|ensure|assert|validate|handle|authenticate|authorize|is|has)"
    r"\w*(?:auth|session|token|signature|secret|api_?key|admin|permission|access)",
    re.IGNORECASE,
)
"""A call not in the repository (a class method, a package) whose name says it checks the caller:
`AdminApiAuthService.handleAdminAuth(req)`, `checkApiKey(req)`, `ensureAdmin()`."""


def _inline_key(ref: HandlerRef) -> str | None:
    if ref.line is None or ref.column is None:
        return None
    return f"{ref.line}:{ref.column}"


@dataclass
class Guards:
    """Whether something between the caller and a JS/TS handler can say no (module docs)."""

    facts: Mapping[str, TypeScriptFacts]
    project: JsProject
    options: WorkerRouteAuthOptions
    _memo: dict[tuple[str, str], bool] = field(default_factory=dict)
    _mounted: set[tuple[str, str]] | None = None
    _mounts: MountIndex | None = None
    _dependencies: dict[str, frozenset[str]] | None = None

    @property
    def mounts(self) -> MountIndex:
        if self._mounts is None:
            routes = {rel: f.routes for rel, f in self.facts.items() if f.routes is not None}
            self._mounts = MountIndex(routes, self.project)
        return self._mounts

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

    def depends_on(self, rel: str, packages: tuple[str, ...]) -> bool:
        """A package.json at or above `rel` lists one of `packages` (fnmatch) as a dependency."""
        if self._dependencies is None:
            self._dependencies = {}
            for path, file_facts in self.facts.items():
                project = file_facts.context.project
                if project is None or project.package is None:
                    continue
                directory = path.rsplit("/", 1)[0] if "/" in path else ""
                self._dependencies[directory] = frozenset(project.package.dependencies)
        directory = rel.rsplit("/", 1)[0] if "/" in rel else ""
        while True:
            names = self._dependencies.get(directory, frozenset())
            if any(fnmatch.fnmatchcase(n, p) for n in names for p in packages):
                return True
            if not directory:
                return False
            directory = directory.rsplit("/", 1)[0] if "/" in directory else ""

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

    def evidence_ok(self, rel: str, unit: Evidence, depth: int) -> bool:
        if unit.if_unset is not None and any(self._may_be_unset(rel, r) for r in unit.unset_reads):
            unit = unit.if_unset
        if unit.kinds:
            return True
        if unit.platform_webhook and self._chat_sdk_behind(rel, unit.webhook_owners):
            return True
        if unit.directory_sync and self._from_package(rel, unit.calls, _DIRECTORY_SYNC_PACKAGES):
            return True
        if any(self._compares(rel, call) for call in unit.secret_calls):
            return True
        return any(self.call_ok(rel, call, depth + 1) for call in unit.calls)

    def _may_be_unset(self, rel: str, read: str) -> bool:
        """`process.env.X` may always be unset; `env.X` when the schema `env` comes from
        declares X optional."""
        owner, _, name = read.rpartition(".")
        if owner in ("process.env", "import.meta.env"):
            return True
        symbol = self._symbol(rel, owner)
        schema = self.facts.get(symbol.rel) if symbol is not None else None
        return schema is not None and name in schema.optional_env

    def _chat_sdk_behind(self, rel: str, owners: list[str]) -> bool:
        """The project of `rel`, or of the module a webhook table's owner is defined in (a
        workspace package's `bot`), depends on a chat SDK."""
        if self.depends_on(rel, _CHAT_SDKS):
            return True
        for owner in owners:
            symbol = self._symbol(rel, owner)
            if symbol is not None and symbol.rel != rel and self.depends_on(symbol.rel, _CHAT_SDKS):
                return True
        return False

    def _from_package(self, rel: str, calls: list[str], packages: tuple[str, ...]) -> bool:
        """`rel` imports one of `packages`, or a function it calls is defined in a module that
        does (`const { directorySyncController } = await jackson()`, where `jackson` builds the
        controllers from the package)."""
        modules = [rel]
        for call in calls:
            symbol = self._symbol(rel, call)
            if symbol is not None:
                modules.append(symbol.rel)
        for module_rel in dict.fromkeys(modules):
            module = self.project.modules.get(module_rel)
            if module is not None and any(
                fnmatch.fnmatchcase(binding.source, package)
                for binding in module.imports
                for package in packages
            ):
                return True
        return False

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
        if ref.kind == "unknown" and ref.name in file_facts.units:
            # `const { handler } = OAuthIntegration({...})`: the call that built the binding
            return self.unit_ok(rel, ref.name, 0)
        if ref.kind == "unknown" and ref.name is not None:
            # `export const { POST } = serve(...)`: judge the call that builds the handler
            head = _CALLEE_HEAD.match(ref.name)
            if head is not None and "(" in ref.name:
                return self.named_ok(rel, head.group(0), by_name=False)
        return False

    def idle_verifies(self, rel: str, handler: RouteHandler) -> list[str]:
        """Signature checks in the handler (or the helpers it calls) whose result cannot stop
        the request, for the message."""
        units: list[tuple[str, Evidence]] = []
        file_facts = self.facts.get(rel)
        ref = handler.handler
        if file_facts is not None:
            key = _inline_key(ref) if ref.kind == "inline" else None
            unit = file_facts.inline.get(key) if key is not None else None
            if unit is None and ref.name is not None:
                symbol = self._symbol(rel, ref.name)
                if symbol is not None and symbol.rel in self.facts:
                    unit = self.facts[symbol.rel].units.get(symbol.name)
                    rel = symbol.rel
            if unit is not None:
                units.append((rel, unit))
        found: list[str] = []
        for unit_rel, unit in units:
            found.extend(unit.idle_verifies)
            for call in unit.calls:
                symbol = self._symbol(unit_rel, call)
                callee = self.facts.get(symbol.rel) if symbol is not None else None
                if symbol is not None and callee is not None and symbol.name in callee.units:
                    found.extend(callee.units[symbol.name].idle_verifies)
        return list(dict.fromkeys(found))

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
        if self._sub_app_guarded(rel, receiver, 0):
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

    def _sub_app_guarded(self, rel: str, receiver: str, depth: int) -> bool:
        """A Hono app mounted (`parent.route("/x", sub)`, here or in another file) behind the
        parent's auth middlewares, or inside a parent mounted so in turn."""
        if depth >= MAX_MOUNT_DEPTH:
            return False
        for parent, mount in self.mounts.mounts_of(rel, receiver):
            routes = self.facts[parent].routes
            if routes is None:
                continue
            if self._guarded_before(parent, routes, mount.receiver, mount.line, mount.path):
                return True
            if (parent, mount.receiver) != (rel, receiver) and self._sub_app_guarded(
                parent, mount.receiver, depth + 1
            ):
                return True
        return False

    def mounted_path(self, rel: str, handler: RouteHandler) -> RouteHandler:
        """The handler with the prefix of the Hono `app.route("/x", sub)` mounts above it in
        other files."""
        receiver = handler.receiver
        if handler.framework != "hono" or receiver is None or handler.path is None:
            return handler
        prefix = self.mounts.prefix(rel, receiver)
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
                if mount.sub_app is not None:  # Hono `app.route("/x", sub)`: `_sub_app_guarded`
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
            if gates_reach(middleware.path_gates, handler.path) is False:
                continue  # its own branching lets this path through before the check
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
