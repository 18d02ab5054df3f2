"""The TypeScript half of `url-id-lookup`: Next.js pages and handlers, Express-style routes.

Each file is judged alone: its routes come from `pytest_lessons.lang.typescript.routes`, and the
value of every dynamic segment is followed inside the page or handler by `typescript_flow` (see
the lesson's docstring for what counts as a use).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from ast_grep_py import SgNode
from pydantic import Field

from pytest_lessons.checks.base import Half
from pytest_lessons.checks.url_id_lookup.messages import param_message
from pytest_lessons.checks.url_id_lookup.options import UrlIdLookupOptions
from pytest_lessons.checks.url_id_lookup.typescript_flow import (
    ParamFlow,
    delegates,
    loads_params,
    lookup_calls,
    param_flow,
    reexported,
)
from pytest_lessons.findings import Finding
from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.typescript.nodes import FileNodes, file_nodes
from pytest_lessons.lang.typescript.routes import PageRoute, RouteHandler, route_facts
from pytest_lessons.lang.typescript.syntax import callee_name, span
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["ParamUse", "TypeScriptFacts", "TypeScriptHalf"]

_CATCH_ALL = re.compile(r"^\[{1,2}\.\.\.([^\[\]]+)\]{1,2}$")
_FUNCTION_KINDS = ("arrow_function", "function_expression", "function_declaration", "function")


class ParamUse(Record):
    """One dynamic segment of one page or handler, and where its value goes."""

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


class TypeScriptFacts(Record):
    params: list[ParamUse] = Field(default_factory=list)


def _short(call: SgNode) -> str:
    text = " ".join(call.text().split())
    callee = callee_name(call) or ""
    if len(text) > 70:
        text = text[:67] + "..."
    return text if text.startswith(callee) else callee + "(...)"


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
        routes = route_facts(file)
        if not routes.pages and not any(h.params for h in routes.handlers):
            return TypeScriptFacts()
        nodes = file_nodes(file)
        extra = frozenset(self.options.display_calls)
        preloaded = set(loads_params(nodes))
        found: list[ParamUse] = []
        for page in routes.pages:
            found.extend(self._page(nodes, page, extra))
        for handler in routes.handlers:
            found.extend(self._handler(nodes, handler, extra, preloaded))
        return TypeScriptFacts(params=found)

    def _page(self, nodes: FileNodes, page: PageRoute, extra: frozenset[str]) -> Iterable[ParamUse]:
        catch_all = _catch_alls(page.path)
        where = {
            "line": page.line,
            "column": page.column,
            "end_line": page.end_line,
            "end_column": page.end_column,
        }
        # getServerSideProps/getStaticProps re-exported from another module do the lookup there
        elsewhere = reexported(nodes, ("getServerSideProps", "getStaticProps"))
        for index, name in enumerate(page.params):
            flow = param_flow(nodes, name, None, extra)
            yield self._record(
                nodes,
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
        nodes: FileNodes,
        handler: RouteHandler,
        extra: frozenset[str],
        preloaded: set[str],
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
        where = {
            "line": handler.line,
            "column": handler.column,
            "end_line": handler.end_line,
            "end_column": handler.end_column,
        }
        for index, name in enumerate(handler.params):
            flow = param_flow(nodes, name, region, extra)
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
            )

    def _record(
        self,
        nodes: FileNodes,
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
            lookups = lookup_calls(nodes, region)
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

    def _flagged(self, use: ParamUse) -> bool:
        if use.verdict == "use" or use.catch_all or not self.options.names_entity(use.param):
            return False
        if use.verdict in ("unread", "checked"):
            return use.last_segment and not use.exempt_unread
        return True

    def is_subject(self, facts: TypeScriptFacts) -> bool:
        return any(not p.catch_all and self.options.names_entity(p.param) for p in facts.params)

    def judge_file(self, path: str, facts: TypeScriptFacts) -> Iterable[Finding]:
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
