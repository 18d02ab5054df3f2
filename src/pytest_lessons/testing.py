"""The example harness: run a lesson over its `bad/` and `good/` trees and compare to the comments.

Every line a lesson must flag carries `lessons: expect[<id>]` in a comment, on the line itself or
alone on the line above; findings must equal those lines exactly, both ways. The built-in lessons
are tested with this module, and teams test their own lessons with it the same way:

    from pytest_lessons.testing import example_trees, check_example_tree

    @pytest.mark.parametrize("tree", example_trees("lint/lessons"), ids=str)
    def test_lesson_examples(tree):
        check_example_tree(tree, lesson_paths=["lint/lessons"])

For unit tests of one check on small snippets, `make_check` builds it the way a run does (TOML
defaults overlaid with options) and `judge_files` runs extract and judge over in-memory files.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_lessons.analysis import run_analysis
from pytest_lessons.catalog import BUILTIN_LESSONS_DIR, Catalog, load_catalog
from pytest_lessons.checks.base import Check
from pytest_lessons.directives import MARKER, parse_directives
from pytest_lessons.findings import FileProblem, Finding
from pytest_lessons.options import kebab
from pytest_lessons.outcome import Outcome
from pytest_lessons.settings import CommandLine, resolve_settings
from pytest_lessons.source import FileKind, SourceFile
from pytest_lessons.workspace import read_candidate, scan_workspace

Mark = tuple[str, int, str]
"""(relative path, line, lesson id)"""


@dataclass(frozen=True)
class ExampleTree:
    lesson: str
    verdict: str
    """"bad" or "good"."""
    path: Path
    lesson_paths: tuple[Path, ...] = ()

    def __str__(self) -> str:
        return f"{self.lesson}/{self.verdict}"


def example_trees(*lesson_dirs: str | Path) -> list[ExampleTree]:
    """Every `<id>/bad` and `<id>/good` tree of the lessons in `lesson_dirs` (built-ins if none)."""
    extra = tuple(Path(d).resolve() for d in lesson_dirs)
    catalog = load_catalog(extra)
    searched = set(extra) if extra else {BUILTIN_LESSONS_DIR}
    trees: list[ExampleTree] = []
    for lesson in catalog:
        if lesson.examples_dir.parent.resolve() not in {d.resolve() for d in searched}:
            continue
        for verdict in ("bad", "good"):
            tree = lesson.examples_dir / verdict
            if tree.is_dir():
                trees.append(ExampleTree(lesson.id, verdict, tree, extra))
    return trees


def expected_marks(root: Path, lesson: str | None = None) -> set[Mark]:
    """The `lessons: expect[...]` annotations of every file under `root`."""
    marks: set[Mark] = set()
    for candidate in scan_workspace(root).candidates:
        source = read_candidate(candidate, max_bytes=16 * 1024 * 1024)
        if isinstance(source, FileProblem):
            continue
        if MARKER not in source.data:
            continue
        for directive in parse_directives(
            source.text,
            frozenset({"expect"}),
            python=source.kind is FileKind.PYTHON,
            lines=source.lines,
        ):
            if directive.verb != "expect":
                continue
            for lesson_id in directive.lessons:
                if lesson is None or lesson_id == lesson:
                    marks.add((source.rel, directive.target_line, lesson_id))
    return marks


def run_lessons(
    root: Path,
    select: Sequence[str] | None = None,
    *,
    use_prefilter: bool = True,
    lesson_paths: Iterable[str | Path] = (),
) -> Outcome:
    """Analyse `root` the way `pytest --lessons` would, without pytest."""
    settings = resolve_settings(
        CommandLine(
            root=root,
            select=list(select) if select is not None else None,
            use_prefilter=use_prefilter,
            lesson_paths=[Path(p).resolve() for p in lesson_paths],
        )
    )
    return run_analysis(settings)


@functools.lru_cache(maxsize=8)
def _catalog(lesson_paths: tuple[Path, ...]) -> Catalog:
    return load_catalog(lesson_paths)


def make_check(
    lesson_id: str, *, lesson_paths: Iterable[str | Path] = (), **options: Any
) -> Check[Any, Any]:
    """The lesson's check as a run builds it: the TOML's `[options]` overlaid with `options`.

    Option names may be written in Python style (`public_routes=[...]`) or as in the config
    (`**{"public-routes": [...]}`); a bad value raises pydantic's `ValidationError`, so a test can
    assert what the options model rejects.
    """
    lesson = _catalog(tuple(Path(p).resolve() for p in lesson_paths))[lesson_id]
    validated = lesson.options({kebab(key): value for key, value in options.items()})
    return lesson.check_class(lesson.spec, validated)


def judge_files(
    check: Check[Any, Any], files: Mapping[str, str], *, use_prefilter: bool = True
) -> list[Finding]:
    """Extract the in-memory `files` (relative path -> dedented source) the check reads, judge
    them together as one repository, and return the findings by (path, line, column)."""
    facts: dict[str, Any] = {}
    for rel, text in files.items():
        source = SourceFile.from_text(rel, textwrap.dedent(text))
        if check.applies_to(source, use_prefilter=use_prefilter):
            facts[rel] = check.extract(source)
    return sorted(check.judge(facts), key=lambda f: (f.path or "", f.line, f.column))


def found_marks(outcome: Outcome) -> set[Mark]:
    return {(f.path or "", f.line, f.lesson) for f in outcome.findings if not f.suppressed}


def check_example_tree(
    tree: ExampleTree | Path,
    lesson: str | None = None,
    *,
    use_prefilter: bool = True,
    lesson_paths: Iterable[str | Path] = (),
) -> None:
    """Raise AssertionError listing missed and unexpected findings, and any analysis problem."""
    bad = False
    if isinstance(tree, ExampleTree):
        lesson = tree.lesson
        lesson_paths = (*tree.lesson_paths, *lesson_paths)
        root = tree.path
        bad = tree.verdict == "bad"
    else:
        root = tree
    outcome = run_lessons(
        root,
        [lesson] if lesson else None,
        use_prefilter=use_prefilter,
        lesson_paths=lesson_paths,
    )
    expected = expected_marks(root, lesson)
    found = found_marks(outcome)
    messages: list[str] = []
    if bad and not expected:
        # A bad tree that shows nothing would let a lesson that finds nothing pass its test.
        messages.append(
            f"nothing:    the bad/ tree marks no line with `lessons: expect[{lesson}]`; mark "
            "each line the lesson must flag (a bad example that flags nothing proves nothing)"
        )
    for path, line, lesson_id in sorted(expected - found):
        messages.append(f"missed:     {path}:{line} [{lesson_id}]")
    for finding in outcome.findings:
        mark = (finding.path or "", finding.line, finding.lesson)
        if not finding.suppressed and mark not in expected:
            messages.append(
                f"unexpected: {finding.location()} {finding.message} [{finding.lesson}]"
            )
    for problem in outcome.problems:
        messages.append(f"problem:    {problem.location()} {problem.message}")
    if messages:
        raise AssertionError(f"lesson examples in {root} disagree:\n" + "\n".join(messages))
