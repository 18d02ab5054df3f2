"""The Python half of `url-id-lookup`: FastAPI, Starlette and Flask routes, judged across modules.

Every Python file is read: a path parameter may come from a router prefix in another module, and
be received by a dependency in another module (see `python_params`). Extraction keeps each file's
import surface and routes, and the flows of its functions (`python_flow`) only where something
can receive a path parameter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from pytest_lessons.checks.base import Half
from pytest_lessons.checks.url_id_lookup.messages import param_message, untied_message
from pytest_lessons.checks.url_id_lookup.options import UrlIdLookupOptions
from pytest_lessons.checks.url_id_lookup.python_flow_ast import python_flows
from pytest_lessons.checks.url_id_lookup.python_params import (
    ParamVerdict,
    PythonFacts,
    RouteContext,
    param_verdicts,
)
from pytest_lessons.checks.url_id_lookup.python_ties import untied
from pytest_lessons.findings import Finding
from pytest_lessons.lang.common.test_files import is_python_test_file
from pytest_lessons.lang.python.ast_source import ast_module
from pytest_lessons.lang.python.imports import module_surface
from pytest_lessons.lang.python.markers import FRAMEWORK_USE, WEB_FRAMEWORKS
from pytest_lessons.lang.python.routes import handler_positions, route_facts
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["PythonHalf"]

_PATH_MAPPINGS = (b"path_params", b"view_args", b"match_info")
_NESTED_DEFS = (b"\n    def ", b"\n    async def ", b"\n\tdef ", b"\n\tasync def ")


class PythonHalf(Half[UrlIdLookupOptions, PythonFacts]):
    name = "python"
    facts_model = PythonFacts
    file_kinds = frozenset({FileKind.PYTHON})

    def project_prefilter(self) -> tuple[bytes, ...]:
        """A web framework named somewhere: without one, no routes."""
        return WEB_FRAMEWORKS

    def extract(self, file: SourceFile) -> PythonFacts:
        surface = module_surface(file)
        routes = route_facts(file)
        handlers = handler_positions(routes)
        wanted = re.compile(self.options.entity_pattern)
        reads = file.contains_any(_PATH_MAPPINGS)
        signatures = [
            *surface.functions.values(),
            *(m for c in surface.classes.values() for m in c.methods.values()),
        ]
        # A dependency raises or answers through the framework (`HTTPException`, `abort`, a
        # `Request`), so a module naming none of them only holds service code: its `*_id`
        # parameters are lookups' own, and its flows are not worth a position pass.
        receives = file.contains_any(FRAMEWORK_USE) and (
            any(
                wanted.search(p.name) or "Depends(" in f"{p.default}{p.annotation}"
                for sig in signatures
                for p in sig.params
            )
            # a dependency factory defines the function FastAPI calls inside its own body
            or (bool(surface.functions) and file.contains_any(_NESTED_DEFS))
        )
        if not handlers and not receives and not reads:
            return PythonFacts(surface=surface, routes=routes)  # no position metadata needed
        extra = frozenset(self.options.display_calls)
        try:
            functions = python_flows(
                ast_module(file), handlers, wanted, extra, reads_path_params=reads
            )
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            # newer syntax than the interpreter's, or a real error libcst reports with its place;
            # imported here: libcst's matchers cost every run about 0.1 s to import
            from pytest_lessons.checks.url_id_lookup.python_flow_cst import function_flows

            functions = function_flows(
                file.python_metadata(), handlers, wanted, extra, reads_path_params=reads
            )
        return PythonFacts(surface=surface, routes=routes, functions=functions)

    def is_subject(self, facts: PythonFacts) -> bool:
        return bool(facts.routes.routes)

    def judge(self, facts: Mapping[str, PythonFacts]) -> Iterable[Finding]:
        """Findings for the Python handlers among `facts` (every Python file, joined)."""
        context = RouteContext(facts)
        for verdict in param_verdicts(context):
            if self._flagged(verdict) and not is_python_test_file(verdict.rel):
                yield self._finding(verdict)
        for found in untied(context, self.options.names_entity):
            route = found.judged.resolved
            if is_python_test_file(route.rel):
                continue  # a test's app is not served
            verbs = "/".join(route.route.methods) if route.route.methods else "route"
            what = untied_message(
                found.shape,
                f"{verbs} {route.display_path}",
                found.param,
                found.other,
                found.call,
                found.check,
            )
            yield self.finding(
                route.rel,
                found.where.line,
                found.where.column,
                what,
                end_line=found.where.end_line,
                end_column=found.where.end_column,
            )

    def _flagged(self, found: ParamVerdict) -> bool:
        if found.verdict == "use" or not self.options.names_entity(found.name):
            return False
        if found.verdict in ("unread", "checked"):
            return found.last and not found.exempt_unread
        if found.verdict == "permission":
            return found.last and found.other_lookup is not None
        return found.last or not found.uncertain

    def _finding(self, found: ParamVerdict) -> Finding:
        route = found.route
        verbs = "/".join(route.route.methods) if route.route.methods else "route"
        where = f"{verbs} {route.display_path}"
        if found.verdict == "permission":
            calls = list(dict.fromkeys(found.permission_calls[:3]))
        else:
            calls = list(dict.fromkeys(found.display_calls))[:3]
        return self.finding(
            found.rel,
            found.where.line,
            found.where.column,
            param_message(found.name, where, found.verdict, calls, found.other_lookup),
            end_line=found.where.end_line,
            end_column=found.where.end_column,
        )
