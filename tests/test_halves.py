"""`Check.halves`: a lesson that reads several languages declares one `Half` per language."""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from pytest_lessons import ByHalf, Check, FactsByHalf, FileKind, Finding, Half, SourceFile
from pytest_lessons.analysis import run_analysis
from pytest_lessons.fact_cache import FactCache
from pytest_lessons.options import NoOptions
from pytest_lessons.settings import CommandLine, resolve_settings
from pytest_lessons.testing import (
    check_example_tree,
    example_trees,
    judge_files,
    make_check,
    run_lessons,
)

HALVES = Path(__file__).parent / "fixtures" / "halves"


class Lines(BaseModel):
    lines: list[int]


class Words(BaseModel):
    words: list[str]


class Marked(Half[NoOptions, Lines]):
    """Python files: the lines holding `MARK`, gated by a project-wide `framework` marker."""

    name = "python"
    facts_model = Lines
    file_kinds = frozenset({FileKind.PYTHON})
    prefilter = (b"MARK",)

    def reads(self, file: SourceFile) -> bool:
        return not file.rel.endswith("setup.py")

    def project_prefilter(self) -> tuple[bytes, ...]:
        return (b"framework",)

    def extract(self, file: SourceFile) -> Lines:
        return Lines(lines=[n for n, line in enumerate(file.lines, 1) if "MARK" in line])

    def is_subject(self, facts: Lines) -> bool:
        return bool(facts.lines)

    def judge_file(self, path: str, facts: Lines) -> Iterable[Finding]:
        for line in facts.lines:
            yield self.finding(path, line, 1, "python mark")


class Manifest(Half[NoOptions, Words]):
    """setup.py and TOML files: the words they hold (the Python half leaves setup.py to it)."""

    name = "manifest"
    facts_model = Words
    file_kinds = frozenset({FileKind.PYTHON, FileKind.TOML})

    def reads(self, file: SourceFile) -> bool:
        return file.kind is FileKind.TOML or file.rel.endswith("setup.py")

    def extract(self, file: SourceFile) -> Words:
        return Words(words=file.text.split())

    def judge_file(self, path: str, facts: Words) -> Iterable[Finding]:
        if "MARK" in facts.words:
            yield self.finding(path, 1, 1, "manifest mark")


class Split(Check[NoOptions, ByHalf]):
    options_model = NoOptions
    halves = (Marked, Manifest)


class Joined(Split):
    """A check that joins its halves: a Python mark counts only when a manifest names it."""

    def judge_halves(self, facts: FactsByHalf) -> Iterable[Finding]:
        named = any("MARK" in words.words for words in facts.of(Manifest).values())
        for path, lines in facts.of(Marked).items():
            for line in lines.lines if named else []:
                yield self.finding(path, line, 1, f"mark, {len(facts.paths)} files read")


def build(kind: type[Check[Any, Any]] = Split) -> Check[Any, Any]:
    return kind(make_check("no-debug-output", lesson_paths=[HALVES]).spec, NoOptions())


def source(rel: str, text: str) -> SourceFile:
    return SourceFile.from_text(rel, text)


def test_kinds_and_facts_model_come_from_the_halves() -> None:
    assert Split.file_kinds == frozenset({FileKind.PYTHON, FileKind.TOML})
    assert set(Split.facts_model.model_fields) == {"python", "manifest"}
    facts = build().extract(source("app.py", "x = 1  # MARK\n"))
    assert facts == Split.facts_model(python=Lines(lines=[1]))
    assert facts.half() == ("python", Lines(lines=[1]))  # type: ignore[attr-defined]


def test_the_check_prefilter_records_the_halves_own() -> None:
    assert Split.prefilter == ()  # the manifest half reads every file of its kinds
    fixture = make_check("no-debug-output", lesson_paths=[HALVES])
    assert type(fixture).prefilter == (b"print(", b"console.log")


def test_a_file_belongs_to_the_first_half_that_reads_it() -> None:
    check = build()
    setup = check.extract(source("setup.py", "MARK = 1\n"))
    assert setup.half() == ("manifest", Words(words=["MARK", "=", "1"]))
    assert not check.applies_to(source("web/a.ts", "MARK"))


def test_each_half_applies_its_own_prefilter() -> None:
    check = build()
    assert not check.applies_to(source("app.py", "x = 1\n"))
    assert check.applies_to(source("app.py", "x = 1\n"), use_prefilter=False)
    assert check.applies_to(source("setup.py", "x = 1\n"))  # the manifest half has none


def test_project_prefilter_gates_the_kinds_of_the_half_that_declares_it() -> None:
    assert build().project_prefilter() == {FileKind.PYTHON: (b"framework",)}


def test_subject_and_judgement_are_each_halfs_own() -> None:
    check = build()
    files = {"a.py": "# MARK\n", "b.py": "x = 1\n", "pyproject.toml": "MARK = 1\n"}
    findings = judge_files(check, files, use_prefilter=False)
    assert [(f.path, f.message) for f in findings] == [
        ("a.py", "python mark"),
        ("pyproject.toml", "manifest mark"),
    ]
    assert check.is_subject(check.extract(source("a.py", "# MARK\n")))
    assert not check.is_subject(check.extract(source("b.py", "x = 1\n")))


def test_a_check_may_join_its_halves() -> None:
    files = {"a.py": "# MARK\n", "pyproject.toml": "name = 'x'\n"}
    assert judge_files(build(Joined), files) == []
    files["pyproject.toml"] = "MARK = 1\n"
    [finding] = judge_files(build(Joined), files)
    assert (finding.path, finding.message) == ("a.py", "mark, 2 files read")


def test_facts_by_half_splits_and_types_the_facts() -> None:
    model = Split.facts_model
    split = FactsByHalf(
        {
            "a.py": model(python=Lines(lines=[2])),  # type: ignore[dict-item]
            "x.toml": model(manifest=Words(words=["w"])),  # type: ignore[dict-item]
        }
    )
    assert split.of(Marked) == {"a.py": Lines(lines=[2])}
    assert split.of(Manifest) == {"x.toml": Words(words=["w"])}
    assert split.paths == ["a.py", "x.toml"]


def test_facts_survive_json_and_pickle() -> None:
    facts = Split.facts_model(manifest=Words(words=["a"]))
    assert Split.facts_model.model_validate(facts.model_dump(mode="json")) == facts
    assert pickle.loads(pickle.dumps(facts)) == facts


def test_halves_must_be_complete_and_distinct() -> None:
    class Nameless(Half[NoOptions, Lines]):
        facts_model = Lines
        file_kinds = frozenset({FileKind.PYTHON})

    with pytest.raises(TypeError, match="half Nameless sets no name"):
        type("Broken", (Check,), {"options_model": NoOptions, "halves": (Nameless,)})
    with pytest.raises(TypeError, match="two halves are named 'python'"):
        type("Twice", (Check,), {"options_model": NoOptions, "halves": (Marked, Marked)})


@pytest.mark.parametrize("tree", example_trees(HALVES), ids=str)
@pytest.mark.parametrize("prefilter", [True, False])
def test_a_team_lesson_with_halves_passes_its_examples(tree: Any, prefilter: bool) -> None:
    check_example_tree(tree, use_prefilter=prefilter)


def test_a_team_lesson_with_halves_caches_its_facts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, cache = tmp_path / "repo", tmp_path / "cache"
    repo.mkdir()
    cache.mkdir()
    (repo / "a.py").write_text("print(1)\n")
    (repo / "b.ts").write_text("console.log(1);\n")
    (repo / "pyproject.toml").write_text('[tool.pytest-lessons]\nselect = ["no-debug-output"]\n')
    settings = resolve_settings(CommandLine(root=repo, lesson_paths=[HALVES]))
    first = FactCache(cache, settings)
    found = run_analysis(settings, cache=first)
    first.save()
    check = settings.checks["no-debug-output"]
    extracted: list[str] = []
    for half in check.halves:
        original = half.extract

        def spy(self: Half[Any, Any], file: SourceFile, original: Any = original) -> Any:
            extracted.append(file.rel)
            return original(self, file)

        monkeypatch.setattr(half, "extract", spy)
    again = run_analysis(settings, cache=FactCache(cache, settings))
    assert extracted == []
    assert [(f.path, f.line) for f in again.findings] == [("a.py", 1), ("b.ts", 1)]
    assert again.findings == found.findings


def test_an_option_reaches_the_halves(tmp_path: Path) -> None:
    check = make_check("no-debug-output", lesson_paths=[HALVES], allowed_files=["cli.py"])
    findings = judge_files(check, {"cli.py": "print(1)\n", "app.py": "print(1)\n"})
    assert [f.path for f in findings] == ["app.py"]
    (tmp_path / "cli.py").write_text("print(1)\n")
    outcome = run_lessons(tmp_path, ["no-debug-output"], lesson_paths=[HALVES])
    assert [f.path for f in outcome.findings] == ["cli.py"]
