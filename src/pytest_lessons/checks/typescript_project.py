"""The TypeScript half of a lesson that joins files across a JS/TS project.

A wrapper, a helper or a constant may live in any module, and following an import needs the
tsconfig/jsconfig/package.json files (and `vercel.json` declares cron routes), so such a half
reads every JS/TS file and those JSON files; a JSON file's facts are its `JsContext` alone.
Three built-in lessons are written this way (`worker-route-auth`, `telemetry-isolation`,
`single-emission-source`); their facts models each carry a `context` field.
"""

from __future__ import annotations

from typing import cast

from pydantic import BaseModel

from pytest_lessons.checks.base import FactsT, Half, OptionsT
from pytest_lessons.lang.typescript.project_index import JsContext, is_context_file, js_context
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["TypeScriptProjectHalf"]


class TypeScriptProjectHalf(Half[OptionsT, FactsT]):
    """Reads JS/TS sources and the JSON files resolution needs; subclasses extract sources."""

    name = "typescript"
    file_kinds = frozenset({FileKind.TYPESCRIPT, FileKind.JSON})
    project_prefilter_kinds = frozenset({FileKind.TYPESCRIPT})

    def reads(self, file: SourceFile) -> bool:
        return is_context_file(file)

    def extract(self, file: SourceFile) -> FactsT:
        context = js_context(file)
        if file.kind is not FileKind.TYPESCRIPT:
            facts: BaseModel = self.facts_model(context=context)
            return cast(FactsT, facts)
        return self.extract_source(file, context)

    def extract_source(self, file: SourceFile, context: JsContext) -> FactsT:
        """The facts of a JS/TS source, whose project context is `context`."""
        raise NotImplementedError
