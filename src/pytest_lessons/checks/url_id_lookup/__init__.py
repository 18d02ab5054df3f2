"""`url-id-lookup`: an entity id in the URL that never becomes the lookup key.

The reorder deep link `/reorder/[orderId]` showed the order id and fetched
`getLastEssentialByUserId(session.userId)`: the id was decoration. This check takes every route
handler and page whose path carries a dynamic segment naming an entity (by default `id`, `slug`,
`uuid`, or a name ending in `Id`/`ID`/`_id`/`Slug`; `[locale]`-like names and catch-all segments
`[...slug]` are out of scope) and follows the parameter's value (`typescript_flow`) to see whether
it reaches a call that is not display, logging, telemetry or a response body.

Decisions:

- **Finding position**: the parameter's first read (`const { orderId } = await params`), the line
  a reviewer has to change; a parameter never read is reported at the page or handler itself.
- **Never-used parameters** (never read, or read only for a check like `if (!id)` or
  `id === "new"`) are reported only for a route handler's *last* dynamic segment, and not for
  handlers wrapped by a function (`withWorkspace(handler)` reads `params` itself). Pages are
  never reported for this: a client component or custom hook below them can read the id with
  `useParams()` (`usePartnerBounty()` in dub), which a per-file check cannot see. Parent segments
  (`[workspaceSlug]` above `[projectId]`) are usually checked by a layout or wrapper. A page
  *is* reported when it reads the id and only displays, logs or echoes it: the incident's shape.
- **Child components and custom hooks are not followed**: handing the id to a capitalised
  component as a prop, or to any call that is not display/logging/telemetry, counts as a use.
  Precision first: a child that only displays it is missed, by choice.
- **Response bodies** (`res.json({ orderId })`, `NextResponse.json`) are display: echoing the id
  back is not looking anything up.
- A handler that hands its request on (`return handleRoute(req, res)`) delegates the lookup,
  and a page that re-exports `getStaticProps`/`getServerSideProps` from another module looks
  up there: both count as a use.
- `OPTIONS`/`HEAD` handlers (CORS preflight, existence checks) are not judged.
- Handlers imported from another module are not analysed (their body is elsewhere).

Python (FastAPI, Starlette, Flask; routes from `pytest_lessons.lang.python.routes`, the flow from
`python_flow`, the joining from `python`) follows the same rules, judged over all
files at once: a path parameter may come from a router prefix in another module, and may be
received by a dependency in another module that declares the same name (FastAPI resolves it
there too), so the verdict of a parameter is the strongest of the handler and every dependency
it reaches. A parameter only used in a permission check (`check_access(user, order_id)`,
`order_id in allowed`) while the handler fetches its data by another key is reported too, for
the last segment; a permission check whose result is kept (`order = ensure_owner(...)`) is a
lookup. The position is the first read in the handler, else the handler's parameter, else the
`def`. Never-read parameters are not reported when a decorator wraps the handler, the request is
handed to another call, a dependency cannot be followed (a library's), the handler is a stub,
or a Flask view does not declare the parameter (a `url_value_preprocessor` consumed it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Literal

from ast_grep_py import SgNode
from pydantic import BaseModel, ConfigDict, Field

from pytest_lessons.checks.base import Check
from pytest_lessons.checks.url_id_lookup.python_flow import function_flows
from pytest_lessons.checks.url_id_lookup.python_params import (
    PyIdFacts,
    PyParamVerdict,
    python_param_verdicts,
)
from pytest_lessons.checks.url_id_lookup.typescript_flow import (
    ParamFlow,
    delegates,
    loads_params,
    lookup_calls,
    param_flow,
    reexported,
)
from pytest_lessons.findings import Finding
from pytest_lessons.lang.python.imports import module_surface
from pytest_lessons.lang.python.markers import FRAMEWORK_USE, WEB_FRAMEWORKS
from pytest_lessons.lang.python.routes import route_facts as py_route_facts
from pytest_lessons.lang.typescript.routes import PageRoute, RouteHandler, route_facts
from pytest_lessons.lang.typescript.syntax import callee_name, root_of, span
from pytest_lessons.options import LessonOptions
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["ParamUse", "UrlIdLookup", "UrlIdLookupFacts", "UrlIdLookupOptions"]

_CATCH_ALL = re.compile(r"^\[{1,2}\.\.\.([^\[\]]+)\]{1,2}$")
_FUNCTION_KINDS = ("arrow_function", "function_expression", "function_declaration", "function")


class UrlIdLookupOptions(LessonOptions):
    entity_pattern: str
    """A regular expression (searched) that a parameter name must match to name an entity."""
    ignored_params: tuple[str, ...]
    """Parameter names never treated as entities (locale-like segments)."""
    display_calls: tuple[str, ...]
    """Extra callee names (dotted, or the last part) whose arguments are only displayed/logged."""


class ParamUse(BaseModel):
    """One dynamic segment of one page or handler, and where its value goes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    param: str
    route: str
    kind: Literal["page", "handler"]
    method: str | None = None
    verdict: Literal["use", "display", "checked", "unread"]
    last_segment: bool
    catch_all: bool
    exempt_unread: bool
    """Never-read is expected here: a wrapped handler, or a page that does not read params."""
    line: int
    column: int
    end_line: int
    end_column: int
    display_calls: list[str] = Field(default_factory=list)
    other_lookup: str | None = None


class UrlIdLookupFacts(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    params: list[ParamUse] = Field(default_factory=list)
    python: PyIdFacts | None = None
    """A Python file's facts; judged with every other Python file's (see the module docs)."""


def _short(call: SgNode) -> str:
    text = " ".join(call.text().split())
    callee = callee_name(call) or ""
    if len(text) > 70:
        text = text[:67] + "..."
    return text if text.startswith(callee) else callee + "(...)"


def _catch_alls(path: str) -> set[str]:
    return {m.group(1) for seg in path.split("/") if (m := _CATCH_ALL.match(seg))}


def _function_at(root: SgNode, line: int | None, column: int | None) -> SgNode | None:
    if line is None or column is None:
        return None
    for kind in _FUNCTION_KINDS:
        for node in root.find_all(kind=kind):
            start = node.range().start
            if start.line + 1 == line and start.column + 1 == column:
                return node
    return None


_PATH_MAPPINGS = (b"path_params", b"view_args", b"match_info")


class UrlIdLookup(Check[UrlIdLookupOptions, UrlIdLookupFacts]):
    options_model = UrlIdLookupOptions
    facts_model = UrlIdLookupFacts
    file_kinds = frozenset({FileKind.TYPESCRIPT, FileKind.PYTHON})
    prefilter = (b"export", b"param", b"query", b":")
    version = 2

    def project_prefilter(self) -> Mapping[FileKind, tuple[bytes, ...]]:
        """The Python side needs a web framework named somewhere: without one, no routes."""
        return {FileKind.PYTHON: WEB_FRAMEWORKS}

    def applies_to(self, file: SourceFile, *, use_prefilter: bool = True) -> bool:
        """Every Python file: a dependency or a router prefix may live in any module."""
        if file.kind is FileKind.PYTHON:
            return True
        return super().applies_to(file, use_prefilter=use_prefilter)

    def extract(self, file: SourceFile) -> UrlIdLookupFacts:
        if file.kind is FileKind.PYTHON:
            return UrlIdLookupFacts(python=self._extract_python(file))
        return self._extract_typescript(file)

    def _extract_python(self, file: SourceFile) -> PyIdFacts:
        surface = module_surface(file)
        routes = py_route_facts(file)
        handlers = {(r.line, r.column) for r in routes.routes if r.endpoint_defined}
        wanted = re.compile(self.options.entity_pattern)
        reads = file.contains_any(_PATH_MAPPINGS)
        signatures = [
            *surface.functions.values(),
            *(m for c in surface.classes.values() for m in c.methods.values()),
        ]
        # A dependency raises or answers through the framework (`HTTPException`, `abort`, a
        # `Request`), so a module naming none of them only holds service code: its `*_id`
        # parameters are lookups' own, and its flows are not worth a position pass.
        receives = file.contains_any(FRAMEWORK_USE) and any(
            wanted.search(p.name) or "Depends(" in f"{p.default}{p.annotation}"
            for sig in signatures
            for p in sig.params
        )
        if not handlers and not receives and not reads:
            return PyIdFacts(surface=surface, routes=routes)  # no position metadata needed
        functions = function_flows(
            file.python_metadata(),
            handlers,
            wanted,
            frozenset(self.options.display_calls),
            reads_path_params=reads,
        )
        return PyIdFacts(surface=surface, routes=routes, functions=functions)

    def _extract_typescript(self, file: SourceFile) -> UrlIdLookupFacts:
        routes = route_facts(file)
        if not routes.pages and not any(h.params for h in routes.handlers):
            return UrlIdLookupFacts()
        root = root_of(file)
        extra = frozenset(self.options.display_calls)
        preloaded = set(loads_params(root))
        found: list[ParamUse] = []
        for page in routes.pages:
            found.extend(self._page(root, page, extra))
        for handler in routes.handlers:
            found.extend(self._handler(root, handler, extra, preloaded))
        return UrlIdLookupFacts(params=found)

    def _page(self, root: SgNode, page: PageRoute, extra: frozenset[str]) -> Iterable[ParamUse]:
        catch_all = _catch_alls(page.path)
        where = {
            "line": page.line,
            "column": page.column,
            "end_line": page.end_line,
            "end_column": page.end_column,
        }
        # getServerSideProps/getStaticProps re-exported from another module do the lookup there
        elsewhere = reexported(root, ("getServerSideProps", "getStaticProps"))
        for index, name in enumerate(page.params):
            flow = param_flow(root, name, None, extra)
            yield self._record(
                root,
                flow,
                None,
                route=page.path,
                kind="page",
                method=None,
                last=index == len(page.params) - 1,
                catch_all=name in catch_all,
                exempt=True,
                where=where,
                preloaded=elsewhere,
            )

    def _handler(
        self,
        root: SgNode,
        handler: RouteHandler,
        extra: frozenset[str],
        preloaded: set[str],
    ) -> Iterable[ParamUse]:
        if handler.path is None or not handler.params or handler.method in ("OPTIONS", "HEAD"):
            return
        if handler.handler.kind not in ("inline", "local"):
            return
        region = _function_at(root, handler.handler.line, handler.handler.column)
        if region is None:
            return
        catch_all = _catch_alls(handler.path)
        handed_on = delegates(region)
        where = {
            "line": handler.line,
            "column": handler.column,
            "end_line": handler.end_line,
            "end_column": handler.end_column,
        }
        for index, name in enumerate(handler.params):
            flow = param_flow(root, name, region, extra)
            yield self._record(
                root,
                flow,
                region,
                route=handler.path,
                kind="handler",
                method=handler.method,
                last=index == len(handler.params) - 1,
                catch_all=name in catch_all,
                exempt=bool(handler.wrappers),
                where=where,
                preloaded=handed_on or name in preloaded,
            )

    def _record(
        self,
        root: SgNode,
        flow: ParamFlow,
        region: SgNode | None,
        *,
        route: str,
        kind: Literal["page", "handler"],
        method: str | None,
        last: bool,
        catch_all: bool,
        exempt: bool,
        where: dict[str, int],
        preloaded: bool = False,
    ) -> ParamUse:
        verdict: Literal["use", "display", "checked", "unread"]
        if preloaded or flow.verdict == "use":
            verdict = "use"
        elif not flow.reads:
            verdict = "unread"
        else:
            verdict = "display" if flow.verdict == "display" else "checked"
        other = None
        if verdict != "use":
            lookups = lookup_calls(root, region)
            other = _short(lookups[0]) if lookups else None
            if flow.reads:
                first = span(flow.reads[0])
                where = {
                    "line": first.line,
                    "column": first.column,
                    "end_line": first.end_line,
                    "end_column": first.end_column,
                }
        return ParamUse(
            param=flow.name,
            route=route,
            kind=kind,
            method=method,
            verdict=verdict,
            last_segment=last,
            catch_all=catch_all,
            exempt_unread=exempt,
            display_calls=flow.display_calls,
            other_lookup=other,
            **where,
        )

    def _is_entity(self, name: str) -> bool:
        if name in self.options.ignored_params:
            return False
        return re.search(self.options.entity_pattern, name) is not None

    def _flagged(self, use: ParamUse) -> bool:
        if use.verdict == "use" or use.catch_all or not self._is_entity(use.param):
            return False
        if use.verdict in ("unread", "checked"):
            return use.last_segment and not use.exempt_unread
        return True

    def is_subject(self, facts: UrlIdLookupFacts) -> bool:
        if facts.python is not None:
            return bool(facts.python.routes.routes)
        return any(not p.catch_all and self._is_entity(p.param) for p in facts.params)

    def judge(self, facts: Mapping[str, UrlIdLookupFacts]) -> Iterable[Finding]:
        python: dict[str, PyIdFacts] = {}
        for path, file_facts in facts.items():
            if file_facts.python is not None:
                python[path] = file_facts.python
            else:
                yield from self.judge_file(path, file_facts)
        if python:
            yield from self.judge_python(python)

    def judge_python(self, facts: Mapping[str, PyIdFacts]) -> Iterable[Finding]:
        """Findings for the Python handlers among `facts` (every Python file, joined)."""
        for verdict in python_param_verdicts(facts):
            if self._python_flagged(verdict):
                yield self._python_finding(verdict)

    def _python_flagged(self, found: PyParamVerdict) -> bool:
        if found.verdict == "use" or not self._is_entity(found.name):
            return False
        if found.verdict in ("unread", "checked"):
            return found.last and not found.exempt_unread
        if found.verdict == "permission":
            return found.last and found.other_lookup is not None
        return found.last or not found.uncertain

    def _python_finding(self, found: PyParamVerdict) -> Finding:
        route = found.route
        verbs = "/".join(route.route.methods) if route.route.methods else "route"
        where = f"{verbs} {route.display_path}"
        if found.verdict == "unread":
            what = f"URL parameter `{found.name}` of {where} is never read"
        elif found.verdict == "checked":
            what = f"URL parameter `{found.name}` of {where} is read but never used"
        elif found.verdict == "permission":
            shown = ", ".join(f"`{c}`" for c in dict.fromkeys(found.permission_calls[:3]))
            via = f" ({shown})" if shown else ""
            what = (
                f"URL parameter `{found.name}` of {where} is only used in a permission "
                f"check{via}, never as the key the record is looked up by"
            )
        else:
            shown = ", ".join(f"`{c}`" for c in list(dict.fromkeys(found.display_calls))[:3])
            via = f" ({shown})" if shown else ""
            what = (
                f"URL parameter `{found.name}` of {where} is only displayed, logged or "
                f"echoed{via}, never used as a lookup key"
            )
        if found.other_lookup:
            what += f"; data is fetched by `{found.other_lookup}` instead"
        return self.finding(
            found.rel,
            found.where.line,
            found.where.column,
            what,
            end_line=found.where.end_line,
            end_column=found.where.end_column,
        )

    def judge_file(self, path: str, facts: UrlIdLookupFacts) -> Iterable[Finding]:
        # one Pages Router function serving several methods is one finding, naming them all
        methods: dict[tuple[int, int, str, str], list[str]] = {}
        for use in facts.params:
            if self._flagged(use) and use.method is not None:
                key = (use.line, use.column, use.param, use.route)
                methods.setdefault(key, []).append(use.method)
        reported: set[tuple[int, int, str, str]] = set()
        for use in facts.params:
            if not self._flagged(use):
                continue
            key = (use.line, use.column, use.param, use.route)
            if key in reported:
                continue
            reported.add(key)
            verbs = "/".join(dict.fromkeys(methods.get(key, [])))
            where = f"{verbs} {use.route}" if use.kind == "handler" else f"page {use.route}"
            if use.verdict == "unread":
                what = f"URL parameter `{use.param}` of {where} is never read"
            elif use.verdict == "checked":
                what = f"URL parameter `{use.param}` of {where} is read but never used"
            else:
                shown = ", ".join(f"`{c}`" for c in use.display_calls[:3])
                via = f" ({shown})" if shown else ""
                what = (
                    f"URL parameter `{use.param}` of {where} is only displayed, logged or "
                    f"echoed{via}, never used as a lookup key"
                )
            if use.other_lookup:
                what += f"; data is fetched by `{use.other_lookup}` instead"
            yield self.finding(
                path,
                use.line,
                use.column,
                what,
                end_line=use.end_line,
                end_column=use.end_column,
            )
