"""The check of a pattern lesson: ast-grep's rule engine, through the same pipeline as code.

A pattern lesson is a `PerFileCheck` like any other: its facts are the rule's matches in a file
(position, message, fix edits), so they are cached, extracted in worker processes and reported
exactly like a built-in lesson's. Each lesson gets its own subclass, whose `file_kinds` and
`prefilter` come from its rules; an instance pickles as (spec, options) and is built again on the
other side, so the subclass never has to be importable by name.

A lesson's `[options]` (see `patterns/options.py`) become utils of its rules: the class holds the
rules compiled with the declared defaults (what loading the lesson validates), and an instance
built with a team's options compiles its own (once per process and set of values).

A lesson in several languages has one rule per language (`[[rules]]`): a file is read with the
rules of its own language only (and its globs), and each rule keeps its own prefilter, so a rule
from which no literal can be derived opens every file of its language and no other.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import Field

from pytest_lessons.checks.base import PerFileCheck
from pytest_lessons.findings import Finding
from pytest_lessons.fixes import Fix, TextEdit
from pytest_lessons.lang.common.records import Record, Spanned
from pytest_lessons.lesson_spec import LessonSpec
from pytest_lessons.options import LessonOptions
from pytest_lessons.patterns.options import option_utils, option_values, options_model
from pytest_lessons.patterns.prefilter import rule_requirements
from pytest_lessons.patterns.rule import PatternRule, RuleError, build_rule
from pytest_lessons.patterns.template import expand_fix, expand_message
from pytest_lessons.source import SourceFile

__all__ = [
    "BoundRule",
    "PatternCheck",
    "PatternFacts",
    "PatternMatch",
    "pattern_check_class",
    "pattern_rules",
]


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


@dataclass(frozen=True)
class BoundRule:
    """One compiled rule of a lesson with the files it reads: its language, globs, prefilter."""

    rule: PatternRule
    globs: Any
    """The `files`/`ignores` globs as (include spec or None, exclude spec or None), or None."""
    requirements: tuple[tuple[bytes, ...], ...]
    """Clauses a file must all satisfy to be parsed (`prefilter.rule_requirements`)."""

    @property
    def prefilter(self) -> tuple[bytes, ...]:
        """The most selective clause: the lesson's prefilter as a single list of words."""
        return self.requirements[0] if self.requirements else ()

    def reads(self, file: SourceFile) -> bool:
        """Whether this rule reads `file` at all (its language and globs), prefilter aside."""
        language = self.rule.language
        if file.kind is not language.kind or not language.reads(file.rel):
            return False
        include, exclude = self.globs or (None, None)
        if include is not None and not include.match_file(file.rel):
            return False
        return exclude is None or not exclude.match_file(file.rel)

    def passes(self, file: SourceFile) -> bool:
        return all(file.contains_any(clause) for clause in self.requirements)


class PatternCheck(PerFileCheck[LessonOptions, PatternFacts]):
    """Base of every pattern lesson's check class (see `pattern_check_class`)."""

    facts_model = PatternFacts
    rule_spec: ClassVar[LessonSpec]
    """The spec the rules come from (an instance's spec may differ in severity alone)."""
    default_rules: ClassVar[tuple[BoundRule, ...]]
    """The rules with the options' declared defaults."""

    def __init__(self, spec: LessonSpec, options: LessonOptions) -> None:
        super().__init__(spec, options)
        self.rules = _rules_with(type(self), options)

    def __reduce__(self) -> tuple[Any, ...]:
        # The options model is built at run time, so its instances are sent as plain data.
        return (_rebuilt, (self.spec, option_values(self.options)))

    def applies_to(self, file: SourceFile, *, use_prefilter: bool = True) -> bool:
        return any(
            bound.reads(file) and (not use_prefilter or bound.passes(file)) for bound in self.rules
        )

    def extract(self, file: SourceFile) -> PatternFacts:
        # Every rule of the file's language runs, whatever its prefilter says: the prefilter only
        # decides whether the file is opened, and the examples run with it on and off.
        matches: dict[tuple[int, int, int, int, str], PatternMatch] = {}
        for bound in self.rules:
            if bound.reads(file):
                for match in self._matches(bound.rule, file):
                    key = (
                        match.line,
                        match.column,
                        match.end_line,
                        match.end_column,
                        match.message,
                    )
                    matches.setdefault(key, match)
        return PatternFacts(matches=[matches[key] for key in sorted(matches)])

    def _matches(self, rule: PatternRule, file: SourceFile) -> Iterable[PatternMatch]:
        root = _tree(file, rule.language.name).root()
        text = file.text
        transformed = set(rule.transform or {})
        message = rule.message or self.spec.title
        template = rule.fix_template
        for node in root.find_all(rule.config()):
            span = node.range()
            replacement = None
            if template is not None:
                start, end = _replaced(rule, root, node)
                replacement = Replacement(
                    start=start, end=end, text=expand_fix(template, node, text, transformed)
                )
            yield PatternMatch(
                line=span.start.line + 1,
                column=span.start.column + 1,
                end_line=span.end.line + 1,
                end_column=span.end.column + 1,
                message=expand_message(message, node, text, transformed),
                replacement=replacement,
            )

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


def _replaced(rule: PatternRule, root: Any, node: Any) -> tuple[int, int]:
    """The range a fix replaces: the match, widened by `expandStart`/`expandEnd`."""
    start, end = node.range().start.index, node.range().end.index
    for side, forward in (("expandStart", False), ("expandEnd", True)):
        relation = rule.expansion(side)
        if relation is None:
            continue
        reached = _expanded(root, node, relation, rule.utils, forward=forward)
        if reached is not None and forward:
            end = reached.range().end.index
        elif reached is not None:
            start = reached.range().start.index
    return start, end


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


def pattern_rules(
    spec: LessonSpec, values: Mapping[str, Sequence[str]] | None = None
) -> tuple[BoundRule, ...]:
    """The spec's rules, validated and compiled, one per language an entry names; each option
    is a util of every rule (`values`, else the declared defaults).

    Raises RuleError with the key path of the entry (`rules[1].rule.inside.patern`; the
    one-language shorthand's keys are named as they are written, `rule.inside.patern`).
    """
    if values is None:
        values = option_values(options_model(spec.id, spec.options)())
    from_options = option_utils(values)
    bound: list[BoundRule] = []
    for prefix, entry in spec.rule_entries():
        names = entry.languages
        if not names:
            raise RuleError(_at(prefix, "language"), "names no language")
        for util in from_options.keys() & (entry.utils or {}).keys():
            raise RuleError(
                _at(prefix, f"utils.{util}"),
                f"`{util}` is an option of this lesson, and every option is already a util of "
                "its name; rename this util",
            )
        utils = {**from_options, **(entry.utils or {})} or None
        for position, name in enumerate(names):
            try:
                rule = build_rule(
                    name,
                    entry.rule,
                    constraints=entry.constraints,
                    utils=utils,
                    transform=entry.transform,
                    autofix=entry.autofix,
                    message=entry.message,
                )
            except RuleError as error:
                key, message = error.key, error.message
                if key == "language" and isinstance(entry.language, list):
                    key = f"language[{position}]"
                elif len(names) > 1 and message.startswith("ast-grep rejects"):
                    message = f"(read as {name}) {message}"
                raise RuleError(_at(prefix, key), message) from None
            requirements = rule_requirements(rule)
            bound.append(BoundRule(rule, _globs(entry.files, entry.ignores), requirements))
    return tuple(bound)


def _at(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


_CLASSES: dict[str, type[PatternCheck]] = {}


def pattern_check_class(
    spec: LessonSpec, rules: tuple[BoundRule, ...] | None = None
) -> type[PatternCheck]:
    """The check class of one pattern lesson (one per spec, built once per process)."""
    key = spec.model_dump_json()
    found = _CLASSES.get(key)
    if found is not None:
        return found
    rules = rules if rules is not None else pattern_rules(spec)
    name = "".join(part.title() for part in spec.id.split("-")) + "Pattern"
    model = options_model(spec.id, spec.options)
    # A file holding none of these is read by no rule; () when some rule has no literal.
    every = all(bound.prefilter for bound in rules)
    check_class = type(
        name,
        (PatternCheck,),
        {
            "__module__": __name__,
            "rule_spec": spec,
            "default_rules": rules,
            "options_model": model,
            "file_kinds": frozenset(bound.rule.language.kind for bound in rules),
            "prefilter": tuple(dict.fromkeys(b for r in rules for b in r.prefilter if every)),
            # The fact cache keys entries by the check's version: the rules are the check's code.
            "version": int(hashlib.sha256(key.encode()).hexdigest()[:12], 16),
        },
    )
    _CLASSES[key] = check_class
    return check_class


def _globs(files: list[str] | None, ignores: list[str] | None) -> Any:
    if not files and not ignores:
        return None
    from pytest_lessons.workspace import gitignore_spec

    include = gitignore_spec(files) if files else None
    exclude = gitignore_spec(ignores) if ignores else None
    return (include, exclude)


_RULES: dict[tuple[type[PatternCheck], str], tuple[BoundRule, ...]] = {}


def _rules_with(check_class: type[PatternCheck], options: LessonOptions) -> tuple[BoundRule, ...]:
    """The class's rules compiled with `options`; its defaults' when they are the same.

    The values are escaped into a util's regex, so a team's options cannot make a rule that
    compiled with the defaults fail to compile.
    """
    values = option_values(options)
    if values == option_values(check_class.options_model()):
        return check_class.default_rules
    key = (check_class, options.model_dump_json())
    found = _RULES.get(key)
    if found is None:
        found = pattern_rules(check_class.rule_spec, values)
        _RULES[key] = found
    return found


def _rebuilt(spec: LessonSpec, values: dict[str, Any]) -> PatternCheck:
    check_class = pattern_check_class(spec)
    return check_class(spec, check_class.options_model.model_validate(values))
