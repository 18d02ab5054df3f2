"""Pattern lessons end to end: a lesson.toml with `language` and a `[rule]`, no Python."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from pytest_lessons.analysis import run_analysis
from pytest_lessons.catalog import load_catalog
from pytest_lessons.docs import explain, reads
from pytest_lessons.errors import LessonsConfigError
from pytest_lessons.fact_cache import FactCache
from pytest_lessons.settings import CommandLine, resolve_settings
from pytest_lessons.testing import (
    ExampleTree,
    check_example_tree,
    example_trees,
    judge_files,
    make_check,
    run_lessons,
)

PATTERNS = Path(__file__).parents[1] / "fixtures" / "patterns"
TREES = example_trees(PATTERNS)


@pytest.mark.parametrize("prefilter", [True, False], ids=["prefilter", "no-prefilter"])
@pytest.mark.parametrize("tree", TREES, ids=str)
def test_pattern_lesson_examples(tree: ExampleTree, prefilter: bool) -> None:
    check_example_tree(tree, use_prefilter=prefilter)


def test_every_fixture_lesson_has_both_trees() -> None:
    assert sorted(str(tree) for tree in TREES) == [
        "leftover-debugging/bad",
        "leftover-debugging/good",
        "no-ack-before-work/bad",
        "no-ack-before-work/good",
        "parse-int-radix/bad",
        "parse-int-radix/good",
        "requests-timeout/bad",
        "requests-timeout/good",
    ]


def test_a_go_lesson_reads_go_files_only_and_interpolates_its_message() -> None:
    check = make_check("no-ack-before-work", lesson_paths=[PATTERNS])
    findings = judge_files(
        check,
        {
            "svc/consumer.go": """\
                package svc

                func handle(job Job) {
                \tjob.Ack()
                \tnotifier.Notify(job)
                }
                """,
            "svc/consumer.py": "job.Ack()\nnotifier.Notify(job)\n",
        },
    )
    assert [(f.path, f.line, f.column, f.end_column) for f in findings] == [
        ("svc/consumer.go", 4, 2, 11)
    ]
    assert findings[0].message == (
        "job.Ack() runs before job is handled; a crash in between loses the message"
    )
    assert findings[0].severity.value == "error"


def test_a_typescript_rule_reads_ts_files_not_tsx_ones_as_ast_grep_does() -> None:
    check = make_check("parse-int-radix", lesson_paths=[PATTERNS])
    source = "export const n = parseInt(x);\n"
    findings = judge_files(check, {"a.ts": source, "b.mts": source, "c.tsx": source})
    assert [f.path for f in findings] == ["a.ts", "b.mts"]
    assert findings[0].severity.value == "warning"  # the lesson's own severity


def test_constraints_and_utils_reach_ast_grep() -> None:
    check = make_check("requests-timeout", lesson_paths=[PATTERNS])
    findings = judge_files(
        check,
        {
            "a.py": """\
                requests.get(url)
                requests.get(url, timeout=3)
                requests.Session()
                requests.delete(url, verify=False)
                """
        },
    )
    assert [(f.line, f.message.split(" ")[0]) for f in findings] == [
        (1, "requests.get(...)"),
        (4, "requests.delete(...)"),
    ]


def test_the_prefilter_comes_from_the_rule() -> None:
    assert make_check("no-ack-before-work", lesson_paths=[PATTERNS]).prefilter == (b"Notify",)
    assert make_check("parse-int-radix", lesson_paths=[PATTERNS]).prefilter == (b"parseInt",)
    assert make_check("requests-timeout", lesson_paths=[PATTERNS]).prefilter == (b"requests",)


def test_a_pattern_check_pickles_for_worker_processes() -> None:
    check = make_check("parse-int-radix", lesson_paths=[PATTERNS])
    again = pickle.loads(pickle.dumps(check))
    assert type(again).__name__ == type(check).__name__
    assert again.prefilter == check.prefilter
    findings = judge_files(again, {"a.ts": "parseInt(x);\n"})
    assert [f.line for f in findings] == [1]


def copy_lesson(name: str, into: Path) -> Path:
    target = into / "lint" / "lessons" / name
    shutil.copytree(PATTERNS / name, target)
    return target / "lesson.toml"


def test_editing_the_rule_invalidates_cached_facts(tmp_path: Path) -> None:
    toml = copy_lesson("parse-int-radix", tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pytest-lessons]\nlesson-paths = ["lint/lessons"]\nexclude = ["lint/"]\n'
        'select = ["parse-int-radix"]\n'
    )
    (tmp_path / "a.ts").write_text("parseInt(x);\nparseFloat(y);\n")
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()

    def run() -> list[int]:
        settings = resolve_settings(CommandLine(root=tmp_path))
        cache = FactCache(cache_dir, settings)
        outcome = run_analysis(settings, cache=cache)
        cache.save()
        return [f.line for f in outcome.findings]

    assert run() == [1]
    toml.write_text(
        toml.read_text()
        .replace('pattern = "parseInt($VALUE)"', 'pattern = "parseFloat($VALUE)"')
        .replace("parseInt($VALUE) without", "parseFloat($VALUE) without")
        .replace('autofix = "parseInt($VALUE, 10)"', "")
    )
    assert run() == [2]


def test_go_files_are_opened_only_when_a_go_lesson_runs(tmp_path: Path) -> None:
    copy_lesson("no-ack-before-work", tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pytest-lessons]\nlesson-paths = ["lint/lessons"]\nexclude = ["lint/"]\n'
    )
    (tmp_path / "consumer.go").write_text("package x\nfunc f(m M) { m.Ack(); n.Notify(m) }\n")
    (tmp_path / "broken.go").symlink_to("missing.go")
    with_go = run_lessons(tmp_path)
    assert [(f.lesson, f.path) for f in with_go.findings] == [("no-ack-before-work", "consumer.go")]
    assert [p.path for p in with_go.problems] == ["broken.go"]
    without = run_lessons(tmp_path, ["alembic-percent-escape"])
    assert without.findings == [] and without.problems == []
    assert without.files_scanned == 0


def test_a_go_file_tree_sitter_recovers_from_is_a_note(tmp_path: Path) -> None:
    (tmp_path / "a.go").write_text("package x\nfunc f(m M) { m.Ack(; n.Notify(m) }\n")
    outcome = run_lessons(tmp_path, ["no-ack-before-work"], lesson_paths=[PATTERNS])
    [note] = outcome.problems
    assert note.kind.value == "parse-recovered"
    assert note.message.startswith("parsed with recovery: the Go parser did not understand")


@pytest.mark.parametrize(
    ("language", "name", "source"),
    [
        ("lua", "a.lua", "print(x) -- lessons: expect[no-print]\n"),
        ("lua", "b.lua", "-- lessons: expect[no-print]\nprint(x)\n"),
        ("html", "c.html", "<!-- lessons: expect[no-print] -->\n<print></print>\n"),
        ("ruby", "d.rb", "print x # lessons: expect[no-print]\n"),
        ("rust", "e.rs", "fn f() {\n    /* lessons: expect[no-print] */\n    print(x);\n}\n"),
        ("haskell", "f.hs", "main = print 1 -- lessons: expect[no-print]\n"),
    ],
)
def test_expectations_and_suppressions_in_every_comment_syntax(
    tmp_path: Path, language: str, name: str, source: str
) -> None:
    rules = {
        "lua": 'kind = "function_call"\nregex = "^print"',
        "html": 'kind = "element"\nregex = "^<print"',
        "ruby": 'kind = "call"\nregex = "^print"',
        "rust": 'kind = "call_expression"\nregex = "^print"',
        "haskell": 'kind = "apply"\nregex = "^print"',
    }
    lessons = tmp_path / "lessons" / "no-print"
    lessons.mkdir(parents=True)
    (lessons / "lesson.toml").write_text(
        f'id = "no-print"\ntitle = "t"\nwhy = "w"\nfix = "f"\nlanguage = "{language}"\n'
        '[source]\nincident = "i"\nsummary = "s"\n[examples]\nbad = "b"\ngood = "g"\n'
        f"[rule]\n{rules[language]}\n"
    )
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / name).write_text(source)
    check_example_tree(repo, "no-print", lesson_paths=[tmp_path / "lessons"])
    suppressed = source.replace("expect[no-print]", "ignore[no-print] -- a test")
    (repo / name).write_text(suppressed)
    outcome = run_lessons(repo, ["no-print"], lesson_paths=[tmp_path / "lessons"])
    assert [f.suppressed for f in outcome.findings] == [True]


def test_a_bad_tree_that_flags_nothing_fails_its_example_test(tmp_path: Path) -> None:
    toml = copy_lesson("parse-int-radix", tmp_path)
    for path in (toml.parent / "bad").rglob("*.ts"):
        path.write_text("export const n = Number(x);\n")
    [bad] = [t for t in example_trees(toml.parent.parent) if t.verdict == "bad"]
    with pytest.raises(AssertionError, match="the bad/ tree marks no line"):
        check_example_tree(bad)


def test_a_lesson_whose_rule_matches_nothing_misses_its_bad_lines(tmp_path: Path) -> None:
    toml = copy_lesson("parse-int-radix", tmp_path)
    toml.write_text(toml.read_text().replace("parseInt($VALUE)", "parseInteger($VALUE)"))
    [bad] = [t for t in example_trees(toml.parent.parent) if t.verdict == "bad"]
    with pytest.raises(AssertionError, match=r"missed:     ids\.ts:2 \[parse-int-radix\]"):
        check_example_tree(bad)


def test_explain_and_list_show_the_rule_and_the_language() -> None:
    catalog = load_catalog([PATTERNS])
    lesson = catalog["no-ack-before-work"]
    text = explain(lesson)
    assert 'rule = { pattern = "$MSG.Ack()", inside = { kind = "expression_statement"' in text
    assert "learned from: pytest-lessons test suite (2025-06-02)" in text
    assert "https://example.invalid/postmortems/004" in text
    assert f"origin: {PATTERNS} ({lesson.toml_path})" in text
    assert reads(lesson) == "Go (pattern)"


def lesson_with(tmp_path: Path, body: str, lesson_id: str = "p") -> Path:
    folder = tmp_path / lesson_id
    folder.mkdir(parents=True, exist_ok=True)
    toml = folder / "lesson.toml"
    toml.write_text(
        f'id = "{lesson_id}"\ntitle = "t"\nwhy = "w"\nfix = "f"\n{body}'
        '[source]\nincident = "i"\nsummary = "s"\n[examples]\nbad = "b"\ngood = "g"\n'
    )
    return toml


@pytest.mark.parametrize(
    ("body", "line", "expected"),
    [
        (
            'language = "go"\n[rule]\npattern = "$X.Ack()"\ninside = { patern = "x" }\n',
            8,
            "`rule.inside.patern`: unknown key; an ast-grep relation has pattern, kind",
        ),
        (
            'language = "go"\n[rule]\nkind = "call_expresion"\n',
            6,
            "`rule`: ast-grep rejects it: Rule contains invalid kind matcher; Invalid Kind; "
            "Kind `call_expresion` is invalid",
        ),
        ('language = "cobol"\n[rule]\npattern = "x"\n', 5, "`language`: ast-grep does not parse"),
        (
            'language = "go"\n[rule]\npattern = "$X.Ack()"\n[constraints]\nX = { regex = "(" }\n',
            8,
            "`constraints`: ast-grep rejects it: Rule contains invalid regex matcher",
        ),
        (
            'language = "go"\n[rule]\nmatches = "nowhere"\n',
            6,
            "`rule`: ast-grep rejects it: Rule contains invalid matches reference",
        ),
        (
            'language = "go"\nmessage = "$Y was acked"\n[rule]\npattern = "$X.Ack()"\n',
            6,
            "`message`: uses $Y, which no pattern of the rule captures (captured: $X)",
        ),
        (
            'language = "go"\nautofix = "$Z.Nack()"\n[rule]\npattern = "$X.Ack()"\n',
            6,
            "`autofix`: uses $Z, which no pattern of the rule captures",
        ),
        (
            'language = "go"\n[rule]\nall = []\n',
            7,
            "`rule.all`: must be a non-empty array of rule tables",
        ),
        (
            'language = "go"\n[rule]\npattern = "x"\ninside = { stopBy = "forever", kind = "a" }\n',
            8,
            "`rule.inside.stopBy`: must be 'neighbor', 'end' or a rule table",
        ),
        (
            'language = "go"\ncheck = "m:C"\n[rule]\npattern = "x"\n',
            6,
            "either `check` (a code lesson) or `language` and `[rule]`",
        ),
        ('language = "go"\n', None, "a pattern lesson needs `rule`"),
        ("", None, "a lesson needs either `check"),
        (
            'language = "go"\n[rule]\npattern = "x"\n[options]\na = 1\n',
            9,
            "`options.a`: a pattern lesson declares each option as a table with `default`",
        ),
        (
            'language = "go"\n[rule]\npattern = "x"\n[options.marks]\ndefault = "x"\n'
            'description = "d"\n',
            9,
            "`options.marks.default`: must be a list of non-empty strings",
        ),
        (
            'language = "go"\n[rule]\npattern = "x"\n[options.marks]\ndefault = ["x"]\n',
            8,
            "`options.marks.description`: required key is missing",
        ),
        (
            'language = "go"\n[rule]\npattern = "x"\n[options.marks]\ndefault = []\n'
            'description = "d"\nregex = "x"\n',
            11,
            "`options.marks.regex`: unknown key; an option has `default` and `description`",
        ),
        (
            'language = "go"\n[rule]\npattern = "x"\n[options.Marks]\ndefault = []\n'
            'description = "d"\n',
            8,
            "`options.Marks`: an option name is lowercase words joined by '-'",
        ),
        (
            'language = "go"\n[rule]\nmatches = "marks"\n[utils]\nmarks = { kind = "x" }\n'
            '[options.marks]\ndefault = []\ndescription = "d"\n',
            9,
            "`utils.marks`: `marks` is an option of this lesson, and every option is already a "
            "util of its name; rename this util",
        ),
        (
            'check = "m:C"\nmessage = "x"\n',
            6,
            "`message` belongs to pattern lessons",
        ),
    ],
)
def test_a_malformed_rule_names_the_file_line_and_key(
    tmp_path: Path, body: str, line: int | None, expected: str
) -> None:
    toml = lesson_with(tmp_path, body)
    with pytest.raises(LessonsConfigError) as error:
        load_catalog([tmp_path])
    where = f"{toml}:{line}: " if line is not None else f"{toml}: "
    assert str(error.value).startswith(where), str(error.value)
    assert expected in str(error.value)
    assert "Stack backtrace" not in str(error.value)


def test_a_team_lesson_without_bad_examples_that_found_nothing_is_warned_about(
    tmp_path: Path,
) -> None:
    from pytest_lessons.unproven import unproven_warnings

    toml = copy_lesson("parse-int-radix", tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pytest-lessons]\nlesson-paths = ["lint/lessons"]\nexclude = ["lint/"]\n'
        'select = ["parse-int-radix", "url-id-lookup"]\n'
    )
    (tmp_path / "a.ts").write_text("export const n = Number(x);\n")
    settings = resolve_settings(CommandLine(root=tmp_path))
    outcome = run_analysis(settings)
    assert unproven_warnings(settings.catalog, outcome) == []  # it has bad examples
    shutil.rmtree(toml.parent / "bad")
    [warning] = unproven_warnings(settings.catalog, outcome)
    assert warning.startswith(
        "warning: parse-int-radix (lesson-paths: lint/lessons) matched nothing in this "
        "repository and has no bad/ examples"
    )
    (tmp_path / "a.ts").write_text("parseInt(x);\n")
    assert unproven_warnings(settings.catalog, run_analysis(settings)) == []
