"""What a lesson's check is: a prefilter, a per-file `extract`, and a `judge` over the facts.

Extraction sees one file and returns small serializable facts; judging sees the facts of every
file the lesson read, so a lesson that joins files (the same event emitted by client and server)
has the same shape as one that looks at a single call. Facts being plain pydantic records is what
lets them be cached by content hash and shipped to xdist workers.

A lesson that reads several languages declares one `Half` per language (`halves = (PythonSide,
TypeScriptSide)`): each half says which files it reads, its prefilters and its extraction, and
the check's facts are keyed by half (`ByHalf`), so a file's facts are exactly one half's. Judging
gets them split again (`FactsByHalf.of(PythonSide)`), each half's with its own type; by default
every half judges its own files, and a lesson that joins its halves (one event sent from Python
and TypeScript) overrides `judge_halves`. The pipeline still sees one `extract(file) -> facts`
and one `judge(facts)` per check, whatever the number of halves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

from pydantic import BaseModel, ConfigDict, create_model

from pytest_lessons.findings import Finding, Severity
from pytest_lessons.fixes import Fix, FixFiles
from pytest_lessons.lang.common.records import Compact
from pytest_lessons.options import LessonOptions
from pytest_lessons.source import FileKind, SourceFile

if TYPE_CHECKING:
    from pytest_lessons.lesson_spec import LessonSpec

__all__ = ["ByHalf", "Check", "FactsByHalf", "Half", "PerFileCheck"]

OptionsT = TypeVar("OptionsT", bound=LessonOptions)
FactsT = TypeVar("FactsT", bound=BaseModel)
HalfT = TypeVar("HalfT", bound="Half[Any, Any]")


class _Reports:
    """What a check and its halves share: the lesson they report for, and how a finding reads."""

    spec: LessonSpec

    @property
    def lesson_id(self) -> str:
        return self.spec.id

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
        fix: Fix | None = None,
    ) -> Finding:
        return Finding(
            lesson=self.spec.id,
            path=path,
            line=line,
            column=column,
            end_line=end_line if end_line is not None else line,
            end_column=end_column if end_column is not None else column,
            message=message,
            severity=severity if severity is not None else self.spec.severity,
            fix=fix,
        )


class Check(_Reports, Generic[OptionsT, FactsT]):
    """Base class of every lesson check.

    Subclasses set the class attributes and implement `extract` and `judge`. `prefilter` lists
    literal byte strings of which a file must contain at least one to be worth parsing: it is
    what keeps a run fast, and a lesson whose findings need a file the prefilter rejects loses
    them silently, so the example tests run every lesson with the prefilter on and off.

    A check that sets `halves` instead gets `file_kinds`, `facts_model`, `prefilter` (for the
    record: each half applies its own), `applies_to`, `project_prefilter`, `extract`,
    `is_subject` and `judge` from them (see the module docstring); it only declares
    `options_model` (and `version`), and may override `judge_halves`.
    """

    options_model: ClassVar[type[LessonOptions]]
    facts_model: ClassVar[type[BaseModel]]
    file_kinds: ClassVar[frozenset[FileKind]]
    prefilter: ClassVar[tuple[bytes, ...]] = ()
    version: ClassVar[int] = 1
    """Bump when extraction changes, so cached facts from the old code are not reused."""
    halves: ClassVar[tuple[type[Half[Any, Any]], ...]] = ()
    """One `Half` per language the lesson reads; empty for a check that extracts by itself."""
    shares_facts: ClassVar[str] = ""
    """The shared layer most of this lesson's facts come from (`"telemetry"`), when other
    lessons keep the same records: lessons naming the same layer have each file's facts pickled
    together (a record they share is stored and unpickled once) and judge in one task. Empty:
    the lesson's facts are pickled, and it judges, alone."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        halves = cls.__dict__.get("halves")
        if halves:
            cls.file_kinds = frozenset().union(*(half.file_kinds for half in halves))
            cls.facts_model = _facts_by_half_model(cls, halves)
            # A file holding none of these is read by no half; () when some half has none.
            every = all(half.prefilter for half in halves)
            cls.prefilter = tuple(dict.fromkeys(b for h in halves for b in h.prefilter if every))

    def __init__(self, spec: LessonSpec, options: OptionsT) -> None:
        self.spec = spec
        self.options = options
        self._halves: dict[str, Half[OptionsT, Any]] = {
            half.name: half(self) for half in type(self).halves
        }

    def half(self, kind: type[HalfT]) -> HalfT:
        """This check's instance of one of its halves."""
        return cast(HalfT, self._halves[kind.name])

    def _owner(self, file: SourceFile) -> Half[OptionsT, Any] | None:
        """The half that reads `file`: the first whose kinds and `reads` take it."""
        for half in self._halves.values():
            if file.kind in half.file_kinds and half.reads(file):
                return half
        return None

    def applies_to(self, file: SourceFile, *, use_prefilter: bool = True) -> bool:
        """Whether this lesson reads `file`; decided from bytes alone, before any parse."""
        if self._halves:
            owner = self._owner(file)
            return owner is not None and owner.applies_to(file, use_prefilter=use_prefilter)
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
        gates: dict[FileKind, tuple[bytes, ...]] = {}
        for half in self._halves.values():
            markers = half.project_prefilter()
            if markers:
                for kind in half.project_prefilter_kinds or half.file_kinds:
                    gates[kind] = (*gates.get(kind, ()), *markers)
        return gates

    def extract(self, file: SourceFile) -> FactsT:
        owner = self._owner(file) if self._halves else None
        if owner is None:
            raise NotImplementedError(f"{type(self).__name__} does not extract {file.rel}")
        return cast(FactsT, self.facts_model(**{owner.name: owner.extract(file)}))

    def is_subject(self, facts: FactsT) -> bool:
        """Whether the file these facts came from gets a pytest item for this lesson.

        Cross-file lessons read many files only to resolve names (a helper module, a
        tsconfig); those are not what the lesson judges, and an item per file read would bury
        the route files among thousands of passing items. Findings in a file that is not a
        subject are reported by the lesson's status item, so none is lost.
        """
        if isinstance(facts, ByHalf):
            name, half_facts = facts.half()
            return self._halves[name].is_subject(half_facts)
        return True

    def judge(self, facts: Mapping[str, FactsT]) -> Iterable[Finding]:
        """Turn the facts of every file this lesson read (keyed by relative path) into findings."""
        if not self._halves:
            raise NotImplementedError
        return self.judge_halves(FactsByHalf(cast(Mapping[str, ByHalf], facts)))

    def judge_halves(self, facts: FactsByHalf) -> Iterable[Finding]:
        """Findings from the facts split by half: by default, each half judges its own files."""
        for half in self._halves.values():
            yield from half.judge(facts.of(type(half)))

    def fix(self, finding: Finding, files: FixFiles) -> Fix | None:
        """The fix of one of this lesson's findings, or None when no change is certain.

        Only `pytest-lessons fix` calls it, never a test run, so it may read and parse the
        finding's file again (`files.source(path)`: the file as it is now). By default it is the
        fix `judge` attached to the finding; a check with halves asks the half reading the file.
        """
        if self._halves and finding.path is not None:
            source = files.source(finding.path)
            owner = self._owner(source) if source is not None else None
            if owner is not None:
                return owner.fix(finding, files)
        return finding.fix


class PerFileCheck(Check[OptionsT, FactsT]):
    """A check whose verdict on a file depends on that file alone."""

    def judge(self, facts: Mapping[str, FactsT]) -> Iterable[Finding]:
        for path, file_facts in facts.items():
            yield from self.judge_file(path, file_facts)

    def judge_file(self, path: str, facts: FactsT) -> Iterable[Finding]:
        raise NotImplementedError


class Half(_Reports, Generic[OptionsT, FactsT]):
    """One language of a check that reads several: its files, its prefilters, its extraction.

    `name` keys the half's facts (`python`, `typescript`, `ini`); `file_kinds` and `prefilter`
    mean what they mean on a `Check`. When two halves share a file kind, `reads` decides which
    one a file belongs to (the first half that reads it); it must not look at the prefilter,
    which `applies_to` adds. A half judges its own files with `judge_file` (or `judge`, when it
    joins them), unless the check joins its halves in `judge_halves`.
    """

    name: ClassVar[str]
    facts_model: ClassVar[type[BaseModel]]
    file_kinds: ClassVar[frozenset[FileKind]]
    prefilter: ClassVar[tuple[bytes, ...]] = ()
    project_prefilter_kinds: ClassVar[frozenset[FileKind] | None] = None
    """The kinds `project_prefilter` gates, when not all of `file_kinds`: the JSON files a
    TypeScript half reads to resolve imports name no SDK, and must not be gated on their own."""

    def __init__(self, check: Check[OptionsT, Any]) -> None:
        self.check = check
        self.spec = check.spec

    @property
    def options(self) -> OptionsT:
        return self.check.options

    def reads(self, file: SourceFile) -> bool:
        """Whether this half reads `file` (already of one of its kinds) at all, prefilter aside."""
        return True

    def applies_to(self, file: SourceFile, *, use_prefilter: bool = True) -> bool:
        """Whether this half reads `file` now: `reads` it, and it passes the prefilter."""
        if not self.reads(file):
            return False
        if not use_prefilter or not self.prefilter:
            return True
        return file.contains_any(self.prefilter)

    def project_prefilter(self) -> tuple[bytes, ...]:
        """Byte strings of which some file of this half's kinds must contain one, or the half
        has nothing to find in the project (see `Check.project_prefilter`); () never gates."""
        return ()

    def extract(self, file: SourceFile) -> FactsT:
        raise NotImplementedError

    def is_subject(self, facts: FactsT) -> bool:
        """Whether a file of this half gets a pytest item (see `Check.is_subject`)."""
        return True

    def judge(self, facts: Mapping[str, FactsT]) -> Iterable[Finding]:
        """Findings from this half's files (keyed by relative path); per file by default."""
        for path, file_facts in facts.items():
            yield from self.judge_file(path, file_facts)

    def judge_file(self, path: str, facts: FactsT) -> Iterable[Finding]:
        raise NotImplementedError

    def fix(self, finding: Finding, files: FixFiles) -> Fix | None:
        """The fix of a finding in one of this half's files (see `Check.fix`)."""
        return finding.fix


class ByHalf(Compact):
    """One file's facts, under the name of the half that read it; every other half's is None.

    Each check with halves gets its own subclass (`UrlIdLookup.facts_model`), one optional field
    per half typed with that half's `facts_model`, so the fact cache validates a stored entry
    exactly as before. A fact record itself (`Compact`): one per file and lesson, pickled and
    unpickled with the records it holds.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    def half(self) -> tuple[str, BaseModel]:
        """(the half's name, its facts)."""
        for name in type(self).model_fields:
            value = getattr(self, name)
            if value is not None:
                return name, value
        raise ValueError(f"{type(self).__name__} holds the facts of no half")


class FactsByHalf:
    """The facts of every file a check read, split by the half that read each file."""

    def __init__(self, facts: Mapping[str, ByHalf]) -> None:
        self._by_half: dict[str, dict[str, BaseModel]] = {}
        for path, file_facts in facts.items():
            name, half_facts = file_facts.half()
            self._by_half.setdefault(name, {})[path] = half_facts
        self.paths: list[str] = list(facts)
        """Every file the check read, whatever its half (relative paths, in reading order)."""

    def of(self, half: type[Half[Any, FactsT]]) -> dict[str, FactsT]:
        """{relative path: facts} of the files `half` read."""
        return cast(dict[str, FactsT], dict(self._by_half.get(half.name, {})))


def _facts_by_half_model(
    check: type[Check[Any, Any]], halves: tuple[type[Half[Any, Any]], ...]
) -> type[ByHalf]:
    """The facts model of a check with halves: `{half name: that half's facts | None}`."""
    names = [getattr(half, "name", None) for half in halves]
    for half, name in zip(halves, names, strict=True):
        missing = [
            attribute
            for attribute in ("name", "facts_model", "file_kinds")
            if not hasattr(half, attribute)
        ]
        if missing:
            raise TypeError(f"{check.__name__}: half {half.__name__} sets no {', '.join(missing)}")
        if names.count(name) > 1:
            raise TypeError(f"{check.__name__}: two halves are named {name!r}")
    fields: dict[str, Any] = {half.name: (half.facts_model | None, None) for half in halves}
    model = create_model(
        f"{check.__name__}Facts", __base__=ByHalf, __module__=check.__module__, **fields
    )
    # Pickle (xdist, worker processes) finds the model as an attribute of its check.
    model.__qualname__ = f"{check.__qualname__}.facts_model"
    return cast(type[ByHalf], model)
