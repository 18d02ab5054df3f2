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
- `dispatch`: the function runs an action looked up by name (`get_action("member_create")(...)`);
  the action carries its own check, out of static reach, like the TypeScript side's catch-all
  routes that hand every request to tRPC.

Calls (`calls`), the callees handed a secret (`secret_calls`), and the dependencies of the
function's own parameters (`depends`, including those of nested functions: a dependency factory
returns its checker; for a class, its cbv-style attributes) are kept as names; the judge resolves
them across modules and decides by definition, or by name when the name leaves the repository.

Extraction is one libcst traversal per module: every event (a call, a comparison, a 401) is
credited to each enclosing function and class, and the evidence is worked out from plain text
afterwards, since the secret names a comparison mentions are only known once the whole unit
has been read.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import PositionProvider
from pydantic import Field

from pytest_lessons.checks.worker_route_auth.evidence import Evidence
from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.common.secrets import SecretEvidence, is_secret_name
from pytest_lessons.lang.python.imports import module_surface
from pytest_lessons.lang.python.markers import FRAMEWORK_USE
from pytest_lessons.lang.python.routes import (
    Dependency,
    RouteFacts,
    annotated_dependencies,
    call_dependency,
    route_facts,
)
from pytest_lessons.lang.python.surface import ModuleSurface
from pytest_lessons.lang.python.syntax import (
    callee_name,
    dotted_name,
    integer_value,
    last_part,
    node_text,
    string_value,
)
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
_IDENT = re.compile(r"[A-Za-z_]\w*")
_COMPARE_CALLS = frozenset(
    {
        "compare_digest",
        "constant_time_compare",
        "safe_str_cmp",
        "secure_compare",
        "timing_safe_compare",
        "consteq",
    }
)
_REJECT_401 = re.compile(
    r"HTTP_401|UNAUTHORI[SZ]ED|NOT_?AUTHENTICATED|AUTHENTICATION_?(?:ERROR|FAILED|REQUIRED)"
    r"|INVALID_?(?:CREDENTIALS?|TOKEN|API_?KEY)|CREDENTIALS_?EXCEPTION",
    re.IGNORECASE,
)
_REJECT_403 = re.compile(
    r"HTTP_403|FORBIDDEN|PERMISSION_?DENIED|NOT_?AUTHORI[SZ]ED|INSUFFICIENT_?(?:PERMISSIONS?|SCOPES?)",
    re.IGNORECASE,
)
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


def _is_literal(node: cst.BaseExpression) -> bool:
    return isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.Integer, cst.Float)) or (
        isinstance(node, cst.Name) and node.value in ("None", "True", "False")
    )


_SECRETS = SecretEvidence(reads_secret, _IDENT)


def _presence_names(test: cst.BaseExpression) -> frozenset[str] | None:
    """The names a test only checks for presence (`not x`, `x is None`, `x == ""`), else None."""
    if isinstance(test, cst.Name):
        return frozenset({test.value})
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return _presence_names(test.expression)
    if isinstance(test, cst.BooleanOperation):
        left, right = _presence_names(test.left), _presence_names(test.right)
        return None if left is None or right is None else left | right
    if (
        isinstance(test, cst.Comparison)
        and isinstance(test.left, cst.Name)
        and len(test.comparisons) == 1
        and _is_literal(test.comparisons[0].comparator)
        and isinstance(test.comparisons[0].operator, (cst.Is, cst.IsNot, cst.Equal, cst.NotEqual))
    ):
        return frozenset({test.left.value})
    return None


_Test = tuple[frozenset[str] | None, str]
"""An enclosing `if` test: (the names it only checks for presence, or None; its text)."""


@dataclass
class _Scan:
    """What one pass saw inside a function or class (nested ones included), as plain text."""

    assignments: list[tuple[str, str]] = field(default_factory=list)
    params: list[tuple[str, list[str]]] = field(default_factory=list)
    comparisons: list[tuple[str, str]] = field(default_factory=list)
    calls: list[tuple[str, list[str]]] = field(default_factory=list)
    rejects: list[tuple[int, list[_Test]]] = field(default_factory=list)
    compares: bool = False
    dispatches: bool = False
    depends: list[Dependency] = field(default_factory=list)
    annotations: list[str] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)


def _raw_inputs(scan: _Scan, scheme_names: set[str]) -> set[str]:
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


def _rejects(scan: _Scan, raw: set[str]) -> bool:
    """A 401 anywhere, a 403 decided by the caller; never under a presence test of raw input."""
    for code, tests in scan.rejects:
        if any(names is not None and names <= raw for names, _text in tests):
            continue  # `if not x_api_key: raise 401`: any key passes
        if code == 401 or not tests or any(_ABOUT_CALLER.search(text) for _n, text in tests):
            return True
    return False


def _unit(
    scan: _Scan, module_secrets: set[str], scheme_names: set[str], patterns: Sequence[str]
) -> UnitEvidence:
    secrets = module_secrets | _SECRETS.bound_names(scan.assignments, module_secrets, patterns)
    kinds: set[str] = {"dispatch"} if scan.dispatches else set()
    if _rejects(scan, _raw_inputs(scan, scheme_names)):
        kinds.add("reject")
    if any(
        _SECRETS.mentions(left, secrets, patterns) or _SECRETS.mentions(right, secrets, patterns)
        for left, right in scan.comparisons
    ):
        kinds.add("secret")
    names: list[str] = []
    secret_calls: list[str] = []
    for name, arguments in scan.calls:
        if name not in names:
            names.append(name)
        passes_secret = any(_SECRETS.mentions(text, secrets, patterns) for text in arguments)
        if not passes_secret:
            continue
        if last_part(name) in _COMPARE_CALLS:
            kinds.add("secret")
        elif name not in secret_calls:
            secret_calls.append(name)
    return UnitEvidence(
        kinds=sorted(kinds),
        calls=names,
        secret_calls=secret_calls,
        compares=scan.compares or bool(scan.comparisons),
        depends=scan.depends,
        annotations=scan.annotations,
        bases=scan.bases,
    )


def _class_attribute_dependencies(cls: cst.ClassDef) -> list[Dependency]:
    """cbv-style class attributes: `user: User = Depends(get_user)`."""
    found: list[Dependency] = []
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else []
    for statement in body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.AnnAssign):
                annotation = small.annotation.annotation
                dependency = call_dependency(small.value, "class", annotation=annotation)
                if dependency is not None:
                    found.append(dependency)
                found.extend(
                    d.model_copy(update={"where": "class"})
                    for d in annotated_dependencies(annotation)
                )
            elif isinstance(small, cst.Assign):
                dependency = call_dependency(small.value, "class")
                if dependency is not None:
                    found.append(dependency)
    return found


class _ModuleScan(cst.CSTVisitor):
    """One traversal of the module; every event is credited to each enclosing function/class."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self) -> None:
        super().__init__()
        self.scans: dict[str, _Scan] = {}
        self.lines: dict[int, str] = {}
        self._stack: list[tuple[str, _Scan, bool]] = []
        """(name, scan, is a class) of the enclosing functions and classes, outermost first."""
        self._tests: list[_Test] = []

    # -- units ------------------------------------------------------------------------------------

    def _enter(self, node: cst.FunctionDef | cst.ClassDef) -> None:
        qualified = ".".join([*(name for name, _s, _c in self._stack), node.name.value])
        scan = self.scans.setdefault(qualified, _Scan())
        self._stack.append((node.name.value, scan, isinstance(node, cst.ClassDef)))
        if isinstance(node, cst.FunctionDef):
            self.lines.setdefault(self.get_metadata(PositionProvider, node).start.line, qualified)
        else:
            scan.bases = [name for name in (dotted_name(b.value) for b in node.bases) if name]
            scan.depends.extend(_class_attribute_dependencies(node))

    def _leave(self) -> None:
        self._stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._enter(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._leave()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._enter(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._leave()

    def _scans(self, *, classes: bool = True) -> Iterable[_Scan]:
        return (scan for _name, scan, is_class in self._stack if classes or not is_class)

    # -- events -----------------------------------------------------------------------------------

    def visit_Param(self, node: cst.Param) -> None:
        if not self._stack:
            return
        annotation = None if node.annotation is None else node.annotation.annotation
        texts = [node_text(n) for n in (node.default, annotation) if n is not None]
        depends: list[Dependency] = []
        found = call_dependency(node.default, "param", annotation=annotation)
        if found is not None:
            depends.append(found)
        depends.extend(annotated_dependencies(annotation))
        name = dotted_name(annotation)
        # a class's own dependencies are its attributes; its methods' parameters are theirs
        for scan in self._scans(classes=False):
            scan.params.append((node.name.value, texts))
            scan.depends.extend(depends)
            if name is not None and name not in scan.annotations:
                scan.annotations.append(name)

    def _assigned(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if self._stack and isinstance(target, cst.Name):
            pair = (target.value, node_text(value))
            for scan in self._scans():
                scan.assignments.append(pair)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assigned(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assigned(node.target, node.value)

    def visit_If(self, node: cst.If) -> None:
        self._tests.append((_presence_names(node.test), node_text(node.test)))

    def leave_If(self, original_node: cst.If) -> None:
        self._tests.pop()

    def _reject(self, code: int) -> None:
        if self._stack:
            event = (code, list(self._tests))
            for scan in self._scans():
                scan.rejects.append(event)

    def visit_Integer(self, node: cst.Integer) -> None:
        value = integer_value(node)
        if value in (401, 403):
            self._reject(value)

    def _named(self, name: str) -> None:
        if _REJECT_401.search(name):
            self._reject(401)
        elif _REJECT_403.search(name):
            self._reject(403)

    def visit_Name(self, node: cst.Name) -> None:
        self._named(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._named(node.attr.value)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if not self._stack:
            return
        left: cst.BaseExpression = node.left
        for target in node.comparisons:
            right = target.comparator
            if isinstance(target.operator, (cst.Equal, cst.NotEqual, cst.In, cst.NotIn)) and not (
                _is_literal(left) or _is_literal(right)
            ):
                pair = (node_text(left), node_text(right))
                for scan in self._scans():
                    scan.comparisons.append(pair)
            left = right

    def _own_method(self, name: str) -> str:
        """`self._prepare` inside class `View` is `View._prepare`, which the judge can find."""
        head, _dot, attribute = name.partition(".")
        if head not in ("self", "cls") or not attribute or "." in attribute:
            return name
        names = [short for short, _s, _c in self._stack]
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][2]:
                return ".".join([*names[: index + 1], attribute])
        return name

    def visit_Call(self, node: cst.Call) -> None:
        if not self._stack:
            return
        if isinstance(node.func, cst.Call) and string_value(
            node.func.args[0].value if node.func.args else None
        ):
            # `get_action("member_create")(context, data)`: an action looked up by name runs
            # with its own check, which is judged (if at all) where it is defined
            for scan in self._scans():
                scan.dispatches = True
        name = callee_name(node)
        if name is None:
            return
        event = (self._own_method(name), [node_text(arg.value) for arg in node.args])
        compare = last_part(name) in _COMPARE_CALLS
        for scan in self._scans():
            scan.calls.append(event)
            scan.compares = scan.compares or compare


_EVIDENCE_WORDS = (
    rb"40[13]|[Uu]nauthori[sz]ed|UNAUTHORI|[Ff]orbidden|FORBIDDEN|[Nn]ot_?[Aa]uthenticated"
    rb"|compare_digest|jwt|JWT|verify|decode|[Ss]ignature|[Pp]assword|login_required|get_action"
    rb"|api_?key|before_request|before_app_request|add_middleware|\.middleware|"
) + b"|".join(re.escape(word) for word in FRAMEWORK_USE)


def may_show_evidence(file: SourceFile, patterns: Sequence[str]) -> bool:
    """Whether any unit of the file could show evidence, or hand a request on to one that does.

    The per-unit scan needs a libcst parse with positions, tens of milliseconds a module, and
    most modules of a web app (models, schemas, services) hold no auth at all. A unit that
    rejects, compares a secret, verifies or delegates as a dependency names one of these words
    (or an upper-case secret name such as `WORKER_SECRET`, or a lower-case one of five letters
    or more such as `token`, from `secret-name-patterns`), so a module without any keeps its
    surface and routes but no units. The words are matched on bytes, comments included: the
    test can only let too much through. What it misses is a plain-Python forwarder that calls
    a checker in another module without naming any of them.
    """
    return _evidence_text(tuple(patterns)).search(file.data) is not None


@functools.lru_cache(maxsize=16)
def _evidence_text(patterns: tuple[str, ...]) -> re.Pattern[bytes]:
    words = {re.sub(r"[*?\[\]!]", "", pattern) for pattern in patterns}
    extra = [re.escape(word.upper()) for word in words if word]
    extra += [re.escape(word.lower()) for word in words if len(word) >= 5]
    return re.compile(b"|".join([_EVIDENCE_WORDS, *(e.encode() for e in extra)]))


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
    scan = _ModuleScan()
    if may_show_evidence(file, patterns):
        file.python_metadata().visit(scan)
    units = {
        name: _unit(unit_scan, module_secrets, scheme_names, patterns)
        for name, unit_scan in scan.scans.items()
    }
    has_routes = bool(routes.routes or routes.routers or routes.includes)
    has_hooks = bool(routes.middlewares or routes.before_requests or routes.dependency_aliases)
    return PythonFacts(
        routes=routes if has_routes or has_hooks else None,
        surface=surface,
        units=units,
        lines=scan.lines,
    )
