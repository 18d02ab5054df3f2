"""The TypeScript half of `url-id-lookup`: Next.js pages and handlers, Express-style routes.

Each file is judged alone: its routes come from `pytest_lessons.lang.typescript.routes`, and the
value of every dynamic segment is followed inside the page or handler by `typescript_flow` (see
the lesson's docstring for what counts as a use).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Literal, cast

from ast_grep_py import SgNode
from pydantic import Field

from pytest_lessons.checks.base import Half
from pytest_lessons.checks.url_id_lookup.messages import param_message, untied_message
from pytest_lessons.checks.url_id_lookup.options import UrlIdLookupOptions
from pytest_lessons.checks.url_id_lookup.typescript_flow import (
    ParamFlow,
    delegates,
    entity_words,
    loads_nothing,
    loads_params,
    lookup_calls,
    lookups_by_another_key,
    param_flow,
    reexported,
)
from pytest_lessons.checks.url_id_lookup.typescript_ties import Untied, body_writes, two_ids
from pytest_lessons.errors import AnalysisError
from pytest_lessons.findings import Finding
from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.common.test_files import is_typescript_test_file
from pytest_lessons.lang.typescript.modules import module_facts
from pytest_lessons.lang.typescript.nodes import FileNodes, file_nodes
from pytest_lessons.lang.typescript.routes import PageRoute, RouteHandler, route_facts
from pytest_lessons.lang.typescript.routes.next_paths import (
    next_route_kind,
    next_route_path,
    route_params,
    script_stem,
)
from pytest_lessons.lang.typescript.syntax import callee_name, span
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["ParamUse", "TypeScriptFacts", "TypeScriptHalf"]

_CATCH_ALL = re.compile(r"^\[{1,2}\.\.\.([^\[\]]+)\]{1,2}$")
_FUNCTION_KINDS = ("arrow_function", "function_expression", "function_declaration", "function")


class ParamUse(Record):
    """One dynamic segment of one page or handler, and where its value goes."""

    param: str
    route: str
    kind: Literal["page", "layout", "handler"]
    method: str | None = None
    verdict: Literal["use", "display", "checked", "unread"]
    last_segment: bool
    catch_all: bool
    exempt_unread: bool
    """Never-read is expected here: a wrapped handler, or a page that does not read params."""
    loads_nothing: bool = False
    """A handler that makes no call touching data (it answers 404/410 after the session check):
    it cannot load the wrong record, whatever it does with the id."""
    line: int
    column: int
    end_line: int
    end_column: int
    display_calls: list[str] = Field(default_factory=list)
    other_lookup: str | None = None


class UntiedUse(Record):
    """Two values one page or handler never ties (see `typescript_ties`), at the call to fix."""

    shape: Literal["two-ids", "body-write", "body-override"]
    route: str
    kind: Literal["page", "layout", "handler"]
    method: str | None = None
    param: str
    other: str
    call: str
    check: str | None = None
    line: int
    column: int
    end_line: int
    end_column: int


class TypeScriptFacts(Record):
    params: list[ParamUse] = Field(default_factory=list)
    untied: list[UntiedUse] = Field(default_factory=list)
    route: str | None = None
    """The URL a page file serves (with or without parameters)."""
    default_from: str | None = None
    """The module (relative path, no extension) a page re-exports its component from: that
    component is then also served at this page's route."""


def _short(call: SgNode) -> str:
    text = " ".join(call.text().split())
    callee = callee_name(call) or ""
    if len(text) > 70:
        text = text[:67] + "..."
    return text if text.startswith(callee) else callee + "(...)"


def _layout_route(file: SourceFile) -> PageRoute | None:
    """An App Router `layout` under dynamic segments, as the page beside it would be routed.

    A layout receives the `params` of its folder and of the folders above it, and renders
    around every page below: one that loads the entity its folder names by another key shows
    the wrong one on every page of the segment.
    """
    folder, _, name = file.rel.rpartition("/")
    stem = script_stem(name)
    if stem != "layout":
        return None
    page_rel = f"{folder}/page{name[len(stem) :]}" if folder else f"page{name[len(stem) :]}"
    kind = next_route_kind(page_rel)
    path = next_route_path(page_rel) if kind is not None and kind[0] == "app-page" else None
    params = route_params(path)
    if path is None or not params:
        return None
    return PageRoute(
        framework="next-app-page",
        path=path,
        params=params,
        line=1,
        column=1,
        end_line=1,
        end_column=1,
    )


def _with_default_export(page: PageRoute, nodes: FileNodes) -> PageRoute:
    """The route placed at the file's `export default` (where a reviewer starts)."""
    for statement in nodes.of("export_statement"):
        if not any(child.kind() == "default" for child in statement.children()):
            continue
        where = span(statement)
        return page.model_copy(
            update={
                "line": where.line,
                "column": where.column,
                "end_line": where.end_line,
                "end_column": where.end_column,
            }
        )
    return page


def _module_key(rel: str) -> str:
    """`app/orders/[id]/page.tsx` -> `app/orders/[id]/page`: how a relative import names it."""
    stem = rel.rsplit(".", 1)[0] if "." in rel.rsplit("/", 1)[-1] else rel
    return stem[: -len("/index")] if stem.endswith("/index") else stem


def _page_shell(file: SourceFile) -> TypeScriptFacts:
    """A page's route, and the module its default export comes from when re-exported."""
    kind = next_route_kind(file.rel)
    if kind is None or kind[0] not in ("app-page", "pages-page"):
        return TypeScriptFacts()
    route = next_route_path(file.rel)
    try:
        module = module_facts(file)
    except AnalysisError:
        return TypeScriptFacts(route=route)
    source: str | None = None
    for export in module.exports:
        if export.exported != "default":
            continue
        if export.source is not None:
            source = export.source
        elif export.local is not None:
            binding = module.import_of(export.local)
            source = binding.source if binding is not None else None
    if source is None or not source.startswith("."):
        return TypeScriptFacts(route=route)
    folder = file.rel.rsplit("/", 1)[0] if "/" in file.rel else ""
    joined = posixpath.normpath(posixpath.join(folder, source))
    return TypeScriptFacts(route=route, default_from=_module_key(joined))


def _clip(text: str) -> str:
    return text if len(text) <= 70 else text[:67] + "..."


def _parameter_names(function: SgNode) -> list[str]:
    """The names of a function's own parameters (`req`, `request`, `c`)."""
    parameters = function.field("parameters")
    if parameters is None:
        single = function.field("parameter")
        return [single.text()] if single is not None else []
    names: list[str] = []
    for parameter in parameters.children():
        if not parameter.is_named():
            continue
        pattern = parameter.field("pattern") if parameter.kind() != "identifier" else parameter
        if pattern is not None and pattern.kind() == "identifier":
            names.append(pattern.text())
    return names


def _own_segment(path: str) -> str | None:
    """The parameter of the page's own folder: `orderId` for `/orders/[orderId]`."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    match = re.fullmatch(r"\[([^\[\].]+)\]", last)
    return match.group(1) if match else None


def _catch_alls(path: str) -> set[str]:
    return {m.group(1) for seg in path.split("/") if (m := _CATCH_ALL.match(seg))}


def _function_at(nodes: FileNodes, line: int | None, column: int | None) -> SgNode | None:
    if line is None or column is None:
        return None
    for kind in _FUNCTION_KINDS:
        for node in nodes.of(kind):
            start = node.range().start
            if start.line + 1 == line and start.column + 1 == column:
                return node
    return None


class TypeScriptHalf(Half[UrlIdLookupOptions, TypeScriptFacts]):
    name = "typescript"
    facts_model = TypeScriptFacts
    file_kinds = frozenset({FileKind.TYPESCRIPT})
    prefilter = (b"export", b"param", b"query", b":")

    def extract(self, file: SourceFile) -> TypeScriptFacts:
        if is_typescript_test_file(file.rel):
            return TypeScriptFacts()  # a handler exported for a test to call is not served
        routes = route_facts(file)
        layout = _layout_route(file)
        shell = _page_shell(file)
        if not routes.pages and layout is None and not any(h.params for h in routes.handlers):
            return shell
        nodes = file_nodes(file)
        extra = frozenset(self.options.display_calls)
        preloaded = set(loads_params(nodes))
        found: list[ParamUse] = []
        untied: list[UntiedUse] = []
        for page in routes.pages:
            found.extend(self._page(nodes, page, extra, untied))
        if layout is not None:
            page = _with_default_export(layout, nodes)
            found.extend(self._page(nodes, page, extra, untied, "layout"))
        for handler in routes.handlers:
            found.extend(self._handler(nodes, handler, extra, preloaded, untied))
        return shell.model_copy(update={"params": found, "untied": untied})

    def _entities(self, flows: Iterable[ParamFlow], catch_all: set[str]) -> set[str]:
        return {
            flow.name
            for flow in flows
            if flow.name not in catch_all and self.options.names_entity(flow.name)
        }

    def _untied(
        self,
        found: Iterable[Untied],
        *,
        route: str,
        kind: Literal["page", "layout", "handler"],
        method: str | None,
    ) -> Iterator[UntiedUse]:
        for untied in found:
            where = span(untied.call)
            yield UntiedUse(
                shape=cast(Literal["two-ids", "body-write", "body-override"], untied.shape),
                route=route,
                kind=kind,
                method=method,
                param=untied.param,
                other=_clip(untied.other),
                call=_short(untied.call),
                check=_short(untied.check) if untied.check is not None else None,
                line=where.line,
                column=where.column,
                end_line=where.end_line,
                end_column=where.end_column,
            )

    def _page(
        self,
        nodes: FileNodes,
        page: PageRoute,
        extra: frozenset[str],
        untied: list[UntiedUse],
        kind: Literal["page", "layout"] = "page",
    ) -> Iterable[ParamUse]:
        catch_all = _catch_alls(page.path)
        where = {
            "line": page.line,
            "column": page.column,
            "end_line": page.end_line,
            "end_column": page.end_column,
        }
        # getServerSideProps/getStaticProps re-exported from another module do the lookup there
        elsewhere = reexported(nodes, ("getServerSideProps", "getStaticProps"))
        own = _own_segment(page.path)
        flows = [param_flow(nodes, name, None, extra) for name in page.params]
        pair = two_ids(nodes, nodes.root, flows, self._entities(flows, catch_all))
        untied.extend(self._untied([pair] if pair else [], route=page.path, kind=kind, method=None))
        for index, (name, flow) in enumerate(zip(page.params, flows, strict=True)):
            # A page that never reads its own id (the folder it sits in) yet loads that entity
            # by another key is the incident without the heading; any other unread id is left
            # to whatever reads it (a layout, a child component, a hook with `useParams()`).
            other = (
                lookups_by_another_key(nodes, None, entity_words(page.path, name))
                if name == own and flow.verdict != "use" and not elsewhere
                else []
            )
            yield self._record(
                nodes,
                flow,
                None,
                route=page.path,
                kind=kind,
                method=None,
                last=index == len(page.params) - 1,
                catch_all=name in catch_all,
                exempt=not other,
                where=where,
                preloaded=elsewhere,
                other=other,
            )

    def _handler(
        self,
        nodes: FileNodes,
        handler: RouteHandler,
        extra: frozenset[str],
        preloaded: set[str],
        untied: list[UntiedUse],
    ) -> Iterable[ParamUse]:
        if handler.path is None or not handler.params or handler.method in ("OPTIONS", "HEAD"):
            return
        if handler.handler.kind not in ("inline", "local"):
            return
        region = _function_at(nodes, handler.handler.line, handler.handler.column)
        if region is None:
            return
        catch_all = _catch_alls(handler.path)
        handed_on = delegates(nodes, region)
        inert = not handed_on and loads_nothing(nodes, region)
        where = {
            "line": handler.line,
            "column": handler.column,
            "end_line": handler.end_line,
            "end_column": handler.end_column,
        }
        flows = [param_flow(nodes, name, region, extra) for name in handler.params]
        if not handed_on:  # a handler handing its request on is judged where it goes
            entities = self._entities(flows, catch_all)
            pair = two_ids(nodes, region, flows, entities)
            named = [flow for flow in flows if flow.name in entities]
            writes = body_writes(nodes, region, named, _parameter_names(region))
            found = [pair] if pair else []
            untied.extend(
                self._untied(
                    [*found, *writes], route=handler.path, kind="handler", method=handler.method
                )
            )
        for index, (name, flow) in enumerate(zip(handler.params, flows, strict=True)):
            yield self._record(
                nodes,
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
                inert=inert,
            )

    def _record(
        self,
        nodes: FileNodes,
        flow: ParamFlow,
        region: SgNode | None,
        *,
        route: str,
        kind: Literal["page", "layout", "handler"],
        method: str | None,
        last: bool,
        catch_all: bool,
        exempt: bool,
        where: dict[str, int],
        preloaded: bool = False,
        other: list[SgNode] | None = None,
        inert: bool = False,
    ) -> ParamUse:
        verdict: Literal["use", "display", "checked", "unread"]
        if preloaded or flow.verdict == "use":
            verdict = "use"
        elif not flow.reads:
            verdict = "unread"
        else:
            verdict = "display" if flow.verdict == "display" else "checked"
        other_lookup = None
        if verdict != "use":
            lookups = other or lookup_calls(nodes, region)
            other_lookup = _short(lookups[0]) if lookups else None
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
            loads_nothing=inert,
            display_calls=flow.display_calls,
            other_lookup=other_lookup,
            **where,
        )

    def _flagged(self, use: ParamUse, also_at: Iterable[str] = ()) -> bool:
        if use.verdict == "use" or use.catch_all or not self.options.names_entity(use.param):
            return False
        if use.loads_nothing:
            return False
        if use.verdict in ("unread", "checked"):
            if use.kind != "handler" and any(f"[{use.param}]" not in route for route in also_at):
                return False  # the same component serves a URL without the id: a shell
            return use.last_segment and not use.exempt_unread
        return True

    def is_subject(self, facts: TypeScriptFacts) -> bool:
        return any(not p.catch_all and self.options.names_entity(p.param) for p in facts.params)

    def judge(self, facts: Mapping[str, TypeScriptFacts]) -> Iterable[Finding]:
        """Per file, knowing which other pages serve the same component (`default_from`)."""
        served: dict[str, list[str]] = {}
        for file_facts in facts.values():
            if file_facts.default_from is not None and file_facts.route is not None:
                served.setdefault(file_facts.default_from, []).append(file_facts.route)
        for path, file_facts in facts.items():
            yield from self.judge_file(path, file_facts, served.get(_module_key(path), []))

    def judge_file(
        self, path: str, facts: TypeScriptFacts, also_at: Iterable[str] = ()
    ) -> Iterable[Finding]:
        also_at = list(also_at)
        # one Pages Router function serving several methods is one finding, naming them all
        methods: dict[tuple[int, int, str, str], list[str]] = {}
        for use in facts.params:
            if self._flagged(use, also_at) and use.method is not None:
                key = (use.line, use.column, use.param, use.route)
                methods.setdefault(key, []).append(use.method)
        reported: set[tuple[int, int, str, str]] = set()
        for use in facts.params:
            if not self._flagged(use, also_at):
                continue
            key = (use.line, use.column, use.param, use.route)
            if key in reported:
                continue
            reported.add(key)
            verbs = "/".join(dict.fromkeys(methods.get(key, [])))
            where = f"{verbs} {use.route}" if use.kind == "handler" else f"{use.kind} {use.route}"
            what = param_message(
                use.param, where, use.verdict, use.display_calls[:3], use.other_lookup
            )
            yield self.finding(
                path,
                use.line,
                use.column,
                what,
                end_line=use.end_line,
                end_column=use.end_column,
            )
        yield from self._untied_findings(path, facts.untied)

    def _untied_findings(self, path: str, untied: Iterable[UntiedUse]) -> Iterator[Finding]:
        said: set[tuple[int, int, str]] = set()
        for use in untied:
            names = [use.param, use.other] if use.shape == "two-ids" else [use.param]
            if not all(self.options.names_entity(name) for name in names):
                continue
            key = (use.line, use.column, use.shape)
            if key in said:
                continue  # one Pages Router function serving several methods
            said.add(key)
            where = (
                f"{use.method or 'route'} {use.route}"
                if use.kind == "handler"
                else f"{use.kind} {use.route}"
            )
            what = untied_message(use.shape, where, use.param, use.other, use.call, use.check)
            yield self.finding(
                path,
                use.line,
                use.column,
                what,
                end_line=use.end_line,
                end_column=use.end_column,
            )
