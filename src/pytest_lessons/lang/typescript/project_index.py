"""The context every cross-file JS/TS lesson needs: module facts, project files, one resolver.

A cross-file lesson reads every JS/TS file (to follow wrappers and constants into the modules
that define them) plus tsconfig/jsconfig/package.json and vercel.json. It keeps a `JsContext`
per file inside its own facts, and at judge time builds one `JsProject` from them: the resolver
and symbol index are built here once, the same way for every lesson.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import ConfigDict, Field

from pytest_lessons.judging_together import built_once
from pytest_lessons.lang.common.records import Compact
from pytest_lessons.lang.typescript.modules import ModuleFacts, module_facts
from pytest_lessons.lang.typescript.project import (
    ProjectFileFacts,
    is_project_file,
    project_file_facts,
)
from pytest_lessons.lang.typescript.resolver import ModuleResolver, SymbolIndex
from pytest_lessons.lang.typescript.vercel import cron_paths
from pytest_lessons.source import FileKind, SourceFile


def is_context_file(file: SourceFile) -> bool:
    """JS/TS sources and the JSON files that shape resolution or declare cron routes."""
    if file.kind is FileKind.TYPESCRIPT:
        return True
    name = file.rel.rsplit("/", 1)[-1]
    return file.kind is FileKind.JSON and (is_project_file(file.rel) or name == "vercel.json")


class JsContext(Compact):
    """What one file contributes to the project picture (at most one field is set)."""

    model_config = ConfigDict(frozen=True)

    module: ModuleFacts | None = None
    project: ProjectFileFacts | None = None
    crons: list[str] = Field(default_factory=list)


def js_context(file: SourceFile) -> JsContext:
    """The file's share of the project picture; raises AnalysisError for malformed JSON.

    One object per file, whichever lessons ask: lessons whose facts are pickled together
    (`Check.shares_facts`) then store it once, and their judges find the same contexts and
    share one `JsProject`."""
    return file.derived("js-context-v1", _js_context)


def _js_context(file: SourceFile) -> JsContext:
    if file.kind is FileKind.TYPESCRIPT:
        return JsContext(module=module_facts(file))
    if is_project_file(file.rel):
        return JsContext(project=project_file_facts(file))
    if file.rel.rsplit("/", 1)[-1] == "vercel.json":
        return JsContext(crons=cron_paths(file))
    return JsContext()


@dataclass(frozen=True)
class JsProject:
    """Resolution across the whole repository, built once per judge."""

    modules: Mapping[str, ModuleFacts]
    resolver: ModuleResolver
    symbols: SymbolIndex
    cron_paths: frozenset[str]

    @classmethod
    def build(cls, contexts: Mapping[str, JsContext]) -> JsProject:
        """The project of `contexts`; shared by lessons judging together over the same ones
        (`judging_together`), with what its resolver and symbol index have answered."""
        return built_once("js-project", contexts, lambda: cls._build(contexts))

    @classmethod
    def _build(cls, contexts: Mapping[str, JsContext]) -> JsProject:
        modules = {rel: c.module for rel, c in contexts.items() if c.module is not None}
        projects = {rel: c.project for rel, c in contexts.items() if c.project is not None}
        resolver = ModuleResolver(modules, projects)
        crons = frozenset(path for c in contexts.values() for path in c.crons)
        return cls(modules, resolver, SymbolIndex(modules, resolver), crons)
