"""The check of a pattern lesson: ast-grep's rule engine, through the same pipeline as code.

A pattern lesson is a `PerFileCheck` like any other: its facts are the rule's matches in a file
(position, message, fix edits), so they are cached, extracted in worker processes and reported
exactly like a built-in lesson's. Each lesson gets its own subclass, whose `file_kinds` and
`prefilter` come from its language and rule; an instance pickles as (spec, options) and is built
again on the other side, so the subclass never has to be importable by name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from pydantic import Field

from pytest_lessons.checks.base import PerFileCheck
from pytest_lessons.findings import Finding
from pytest_lessons.fixes import Fix, TextEdit
from pytest_lessons.lang.common.records import Record, Spanned
from pytest_lessons.lesson_spec import LessonSpec
from pytest_lessons.options import NoOptions
from pytest_lessons.patterns.prefilter import rule_prefilter
from pytest_lessons.patterns.rule import PatternRule, build_rule
from pytest_lessons.patterns.template import expand_fix, expand_message
from pytest_lessons.source import SourceFile

__all__ = ["PatternCheck", "PatternFacts", "PatternMatch", "pattern_check_class", "pattern_rule"]


class Replacement(Record):
    """The fix of one match: `start:end` of the file's text becomes `text`."""

    start: int
    end: int
    text: str


class PatternMatch(Spanned):
    message: str
    replacement: Replacement | None = None


class PatternFacts(Record):
    matches: list[PatternMatch] = Field(default_factory=list)


class PatternCheck(PerFileCheck[NoOptions, PatternFacts]):
    """Base of every pattern lesson's check class (see `pattern_check_class`)."""

    options_model = NoOptions
    facts_model = PatternFacts
    rule: ClassVar[PatternRule]
    globs: ClassVar[Any] = None
    """The `files`/`ignores` globs as (include spec or None, exclude spec or None)."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuilt, (self.spec, self.options))

    def applies_to(self, file: SourceFile, *, use_prefilter: bool = True) -> bool:
        if file.kind not in self.file_kinds or not self.rule.language.reads(file.rel):
            return False
        include, exclude = self.globs or (None, None)
        if include is not None and not include.match_file(file.rel):
            return False
        if exclude is not None and exclude.match_file(file.rel):
            return False
        return super().applies_to(file, use_prefilter=use_prefilter)

    def extract(self, file: SourceFile) -> PatternFacts:
        rule = self.rule
        root = _tree(file, rule.language.name).root()
        text = file.text
        transformed = set(rule.transform or {})
        message = rule.message or self.spec.title
        template = rule.fix_template
        matches = []
        for node in root.find_all(rule.config()):
            span = node.range()
            replacement = None
            if template is not None:
                start, end = self._replaced(root, node)
                replacement = Replacement(
                    start=start, end=end, text=expand_fix(template, node, text, transformed)
                )
            matches.append(
                PatternMatch(
                    line=span.start.line + 1,
                    column=span.start.column + 1,
                    end_line=span.end.line + 1,
                    end_column=span.end.column + 1,
                    message=expand_message(message, node, text, transformed),
                    replacement=replacement,
                )
            )
        return PatternFacts(matches=matches)

    def _replaced(self, root: Any, node: Any) -> tuple[int, int]:
        """The range a fix replaces: the match, widened by `expandStart`/`expandEnd`."""
        start, end = node.range().start.index, node.range().end.index
        for side, forward in (("expandStart", False), ("expandEnd", True)):
            relation = self.rule.expansion(side)
            if relation is None:
                continue
            reached = _expanded(root, node, relation, self.rule.utils, forward=forward)
            if reached is not None and forward:
                end = reached.range().end.index
            elif reached is not None:
                start = reached.range().start.index
        return start, end

    def judge_file(self, path: str, facts: PatternFacts) -> Iterable[Finding]:
        for match in facts.matches:
            fix = None
            if match.replacement is not None:
                edit = match.replacement
                fix = Fix(
                    description=f"rewrite as `{_short(edit.text)}`",
                    edits=(TextEdit(path=path, start=edit.start, end=edit.end, text=edit.text),),
                )
            yield self.finding(
                path,
                match.line,
                match.column,
                match.message,
                end_line=match.end_line,
                end_column=match.end_column,
                fix=fix,
            )


def _tree(file: SourceFile, language: str) -> Any:
    """The file's ast-grep tree in `language`, shared with the TypeScript engine when it is the
    grammar that engine already parsed the file with."""
    from pytest_lessons.engines.typescript import language_for
    from pytest_lessons.source import FileKind

    if file.kind is FileKind.TYPESCRIPT and language_for(file.rel) == language:
        return file.tree("ast-grep")
    return file.tree(f"ast-grep:{language}")


def _expanded(
    root: Any,
    node: Any,
    relation: Mapping[str, Any],
    utils: Mapping[str, Any] | None,
    *,
    forward: bool,
) -> Any:
    """The farthest sibling an `expandStart`/`expandEnd` relation reaches, as ast-grep finds it:
    the nearest sibling matching the rule, looking past non-matching ones only as far as
    `stopBy` allows (`neighbor`, the default: the adjacent sibling alone)."""
    rule = {key: value for key, value in relation.items() if key not in ("stopBy", "field")}
    config: dict[str, Any] = {"rule": rule}
    if utils:
        config["utils"] = utils
    matching = set(root.find_all(config))
    stop = relation.get("stopBy", "neighbor")
    stop_nodes = set()
    if isinstance(stop, dict):
        stop_nodes = set(root.find_all({**config, "rule": stop}))
    siblings = node.next_all() if forward else node.prev_all()
    for sibling in siblings:
        if sibling in matching:
            return sibling
        if stop == "neighbor" or (isinstance(stop, dict) and sibling in stop_nodes):
            return None
    return None


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 60 else flat[:57] + "..."


def pattern_rule(spec: LessonSpec) -> PatternRule:
    """The spec's rule, validated and compiled (raises RuleError)."""
    assert spec.rule is not None and spec.language is not None
    return build_rule(
        spec.language,
        spec.rule,
        constraints=spec.constraints,
        utils=spec.utils,
        transform=spec.transform,
        autofix=spec.autofix,
        message=spec.message,
    )


_CLASSES: dict[str, type[PatternCheck]] = {}


def pattern_check_class(spec: LessonSpec, rule: PatternRule | None = None) -> type[PatternCheck]:
    """The check class of one pattern lesson (one per spec, built once per process)."""
    key = spec.model_dump_json()
    found = _CLASSES.get(key)
    if found is not None:
        return found
    rule = rule if rule is not None else pattern_rule(spec)
    name = "".join(part.title() for part in spec.id.split("-")) + "Pattern"
    globs = _globs(spec.files, spec.ignores)
    check_class = type(
        name,
        (PatternCheck,),
        {
            "__module__": __name__,
            "rule": rule,
            "globs": globs,
            "file_kinds": frozenset({rule.language.kind}),
            "prefilter": rule_prefilter(rule),
            # The fact cache keys entries by the check's version: the rule is the check's code.
            "version": int(hashlib.sha256(key.encode()).hexdigest()[:12], 16),
        },
    )
    _CLASSES[key] = check_class
    return check_class


def _globs(files: list[str] | None, ignores: list[str] | None) -> Any:
    if not files and not ignores:
        return None
    import pathspec

    include = pathspec.GitIgnoreSpec.from_lines(files) if files else None
    exclude = pathspec.GitIgnoreSpec.from_lines(ignores) if ignores else None
    return (include, exclude)


def _rebuilt(spec: LessonSpec, options: NoOptions) -> PatternCheck:
    return pattern_check_class(spec)(spec, options)
