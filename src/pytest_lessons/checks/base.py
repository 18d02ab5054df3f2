"""What a lesson's check is: a prefilter, a per-file `extract`, and a `judge` over the facts.

Extraction sees one file and returns small serializable facts; judging sees the facts of every
file the lesson read, so a lesson that joins files (the same event emitted by client and server)
has the same shape as one that looks at a single call. Facts being plain pydantic records is what
lets them be cached by content hash and shipped to xdist workers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from pydantic import BaseModel

from pytest_lessons.findings import Finding, Severity
from pytest_lessons.options import LessonOptions
from pytest_lessons.source import FileKind, SourceFile

if TYPE_CHECKING:
    from pytest_lessons.lesson_spec import LessonSpec

OptionsT = TypeVar("OptionsT", bound=LessonOptions)
FactsT = TypeVar("FactsT", bound=BaseModel)


class Check(Generic[OptionsT, FactsT]):
    """Base class of every lesson check.

    Subclasses set the class attributes and implement `extract` and `judge`. `prefilter` lists
    literal byte strings of which a file must contain at least one to be worth parsing: it is
    what keeps a run fast, and a lesson whose findings need a file the prefilter rejects loses
    them silently, so the example tests run every lesson with the prefilter on and off.
    """

    options_model: ClassVar[type[LessonOptions]]
    facts_model: ClassVar[type[BaseModel]]
    file_kinds: ClassVar[frozenset[FileKind]]
    prefilter: ClassVar[tuple[bytes, ...]] = ()
    version: ClassVar[int] = 1
    """Bump when extraction changes, so cached facts from the old code are not reused."""

    def __init__(self, spec: LessonSpec, options: OptionsT) -> None:
        self.spec = spec
        self.options = options

    @property
    def lesson_id(self) -> str:
        return self.spec.id

    def applies_to(self, file: SourceFile, *, use_prefilter: bool = True) -> bool:
        """Whether this lesson reads `file`; decided from bytes alone, before any parse."""
        if file.kind not in self.file_kinds:
            return False
        if not use_prefilter or not self.prefilter:
            return True
        return file.contains_any(self.prefilter)

    def project_prefilter(self) -> Mapping[FileKind, tuple[bytes, ...]]:
        """Per file kind, byte strings of which SOME file of that kind must contain.

        A cross-file lesson reads every file of a kind (a wrapper or a dependency may live in any
        module), so the per-file `prefilter` cannot skip any; but when no file of the whole
        project mentions, say, an analytics SDK or a web framework, that side of the lesson has
        nothing to find and none of those files is parsed for it. Like `prefilter` it is only an
        optimisation: `--lessons-no-prefilter` turns it off, and the example tests run both ways.
        """
        return {}

    def extract(self, file: SourceFile) -> FactsT:
        raise NotImplementedError

    def is_subject(self, facts: FactsT) -> bool:
        """Whether the file these facts came from gets a pytest item for this lesson.

        Cross-file lessons read many files only to resolve names (a helper module, a
        tsconfig); those are not what the lesson judges, and an item per file read would bury
        the route files among thousands of passing items. Findings in a file that is not a
        subject are reported by the lesson's status item, so none is lost.
        """
        return True

    def judge(self, facts: Mapping[str, FactsT]) -> Iterable[Finding]:
        """Turn the facts of every file this lesson read (keyed by relative path) into findings."""
        raise NotImplementedError

    def finding(
        self,
        path: str | None,
        line: int,
        column: int,
        message: str,
        *,
        end_line: int | None = None,
        end_column: int | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(
            lesson=self.lesson_id,
            path=path,
            line=line,
            column=column,
            end_line=end_line if end_line is not None else line,
            end_column=end_column if end_column is not None else column,
            message=message,
            severity=severity if severity is not None else self.spec.severity,
        )


class PerFileCheck(Check[OptionsT, FactsT]):
    """A check whose verdict on a file depends on that file alone."""

    def judge(self, facts: Mapping[str, FactsT]) -> Iterable[Finding]:
        for path, file_facts in facts.items():
            yield from self.judge_file(path, file_facts)

    def judge_file(self, path: str, facts: FactsT) -> Iterable[Finding]:
        raise NotImplementedError
