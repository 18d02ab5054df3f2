"""A pattern lesson in several languages: one `[[rules]]` table per language, one lesson id."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_lessons.catalog import load_catalog
from pytest_lessons.cli import main
from pytest_lessons.docs import explain, lesson_table, reads
from pytest_lessons.errors import LessonsConfigError
from pytest_lessons.source import SourceFile
from pytest_lessons.testing import check_example_tree, example_trees, judge_files, make_check

PATTERNS = Path(__file__).parents[1] / "fixtures" / "patterns"
LESSON = "leftover-debugging"


def test_each_file_is_read_with_the_rules_of_its_own_language_only() -> None:
    check = make_check(LESSON, lesson_paths=[PATTERNS])
    findings = judge_files(
        check,
        {
            "app.py": "print(order)\ndebugger\n",
            "page.ts": "debugger;\nprint(order);\n",
            "Cart.tsx": "export const C = () => { debugger; return <p/>; };\n",
            "page.js": "debugger;\n",  # the rule names typescript and tsx, not javascript
            "main.go": 'package m\n\nimport "fmt"\n\nfunc f() {\n\tfmt.Println(1)\n\tprint(1)\n}\n',
            "main_test.go": 'package m\n\nimport "fmt"\n\nfunc g() {\n\tfmt.Println(2)\n}\n',
        },
    )
    assert sorted((f.path, f.line, f.message) for f in findings) == [
        ("Cart.tsx", 1, "a debugger statement pauses every browser with its devtools open"),
        ("app.py", 1, "print(order) left in the code"),
        ("main.go", 6, "debugging output left in the code"),  # the top-level message
        ("page.ts", 1, "a debugger statement pauses every browser with its devtools open"),
    ]
    assert {f.severity.value for f in findings} == {"warning"}


def test_file_kinds_are_the_union_and_each_language_keeps_its_own_prefilter() -> None:
    check = make_check(LESSON, lesson_paths=[PATTERNS])
    kinds = {kind.value for kind in check.file_kinds}
    assert kinds == {"python", "typescript", "go"}

    def opened(rel: str, text: str, *, use_prefilter: bool = True) -> bool:
        return check.applies_to(SourceFile.from_text(rel, text), use_prefilter=use_prefilter)

    assert opened("a.py", "print(x)\n")
    assert not opened("a.py", "log.info(x)\n")  # no `print`: not worth parsing
    assert opened("a.py", "log.info(x)\n", use_prefilter=False)
    # The TypeScript rule has no literal, so its files are always opened, even without a
    # literal of the other languages' rules ...
    assert opened("a.ts", "export const x = 1;\n")
    # ... which does not open the other languages' files.
    assert not opened("a.go", "package m\n")
    assert opened("a.go", "package m\nfunc f() { fmt.Println(1) }\n")
    assert not opened("a_test.go", "package m\nfunc f() { fmt.Println(1) }\n")  # ignores
    assert not opened("a.js", "debugger;\n")
    # A file holding none of a lesson's literals could still match its literal-free rule:
    # the lesson as a whole has no prefilter.
    assert check.prefilter == ()


def test_a_lesson_whose_every_rule_has_a_literal_keeps_a_prefilter(tmp_path: Path) -> None:
    lesson_with(
        tmp_path,
        '[[rules]]\nlanguage = "python"\nrule = { pattern = "print($X)" }\n'
        '[[rules]]\nlanguage = "go"\nrule = { pattern = "$M.Ack()" }\n',
    )
    check = make_check("p", lesson_paths=[tmp_path])
    assert check.prefilter == (b"print", b"Ack")


def test_examples_of_every_language_pass_both_ways() -> None:
    trees = [tree for tree in example_trees(PATTERNS) if tree.lesson == LESSON]
    assert sorted(str(tree) for tree in trees) == [f"{LESSON}/bad", f"{LESSON}/good"]
    for tree in trees:
        check_example_tree(tree, use_prefilter=True)
        check_example_tree(tree, use_prefilter=False)


def test_explain_list_and_the_table_show_every_language() -> None:
    lesson = load_catalog([PATTERNS])[LESSON]
    assert reads(lesson) == "Python, TypeScript, TSX, Go (pattern)"
    text = explain(lesson)
    assert "pattern (ast-grep rules, one per language: Python, TypeScript, TSX, Go):" in text
    assert '  rules[1]:\n    language = ["typescript", "tsx"]\n' in text
    assert '    ignores = ["*_test.go"]' in text
    assert "bad (Go):\n  fmt.Println(order)" in text
    assert "| `leftover-debugging` |" in lesson_table(load_catalog([PATTERNS]))


def lesson_with(tmp_path: Path, body: str, lesson_id: str = "p") -> Path:
    folder = tmp_path / lesson_id
    folder.mkdir(parents=True, exist_ok=True)
    toml = folder / "lesson.toml"
    toml.write_text(
        f'id = "{lesson_id}"\ntitle = "t"\nwhy = "w"\nfix = "f"\n{body}'
        '[source]\nincident = "i"\nsummary = "s"\n[examples]\nbad = "b"\ngood = "g"\n'
    )
    return toml


PY = '[[rules]]\nlanguage = "python"\nrule = { pattern = "print($X)" }\n'


@pytest.mark.parametrize(
    ("body", "line", "expected"),
    [
        (
            PY + '[[rules]]\nlanguage = "go"\n[rules.rule]\npattern = "$X.Ack()"\n'
            'inside = { patern = "x" }\n',
            12,
            "`rules[1].rule.inside.patern` (the [[rules]] table number 2): unknown key; an "
            "ast-grep relation has pattern",
        ),
        (
            PY + '[[rules]]\nlangauge = "go"\nrule = { pattern = "$X.Ack()" }\n',
            9,
            "`rules[1].langauge` (the [[rules]] table number 2): unknown key; did you mean "
            "`language`?",
        ),
        (
            '[[rules]]\nlanguage = ["typescript", "cobol"]\nrule = { pattern = "x" }\n',
            6,
            "`rules[0].language[1]` (the [[rules]] table number 1): ast-grep does not parse "
            "'cobol'",
        ),
        (
            PY + '[[rules]]\nlanguage = "go"\nrule = { kind = "call_expresion" }\n',
            10,
            "`rules[1].rule` (the [[rules]] table number 2): ast-grep rejects it",
        ),
        (
            '[[rules]]\nlanguage = ["typescript", "tsx"]\nrule = { kind = "jsx_element" }\n',
            7,
            "`rules[0].rule` (the [[rules]] table number 1): (read as typescript) ast-grep "
            "rejects it",
        ),
        (
            PY
            + '[[rules]]\nlanguage = "go"\nmessage = "$Y acked"\nrule = { pattern = "$X.Ack()" }\n',
            10,
            "`rules[1].message` (the [[rules]] table number 2): uses $Y, which no pattern",
        ),
        (
            'language = "go"\n' + PY,
            5,
            "`language` belongs to the one-language form; with `[[rules]]` each entry sets its "
            "own `language`",
        ),
        (
            "[rule]\npattern = 'x'\n" + PY,
            5,
            "`rule` belongs to the one-language form",
        ),
        ("rules = []\n", 5, "`rules`: needs at least one `[[rules]]` table"),
        (
            '[[rules]]\nlanguage = "python"\n',
            5,
            "`rules[0].rule` (the [[rules]] table number 1): ",
        ),
        (
            'check = "m:C"\n' + PY,
            5,
            "either `check` (a code lesson) or `language` and `[rule]`",
        ),
    ],
)
def test_a_malformed_rules_entry_names_the_file_line_and_key_path(
    tmp_path: Path, body: str, line: int | None, expected: str
) -> None:
    toml = lesson_with(tmp_path, body)
    with pytest.raises(LessonsConfigError) as error:
        load_catalog([tmp_path])
    where = f"{toml}:{line}: " if line is not None else f"{toml}: "
    assert str(error.value).startswith(where), str(error.value)
    assert expected in str(error.value)


def test_new_with_several_languages_writes_one_rule_and_one_example_pair_each(
    tmp_path: Path,
) -> None:
    code = main(["new", "no-debug-print", "-l", "python", "-l", "ts", "-l", "go", str(tmp_path)])
    assert code == 0
    folder = tmp_path / "lint" / "lessons" / "no-debug-print"
    toml = (folder / "lesson.toml").read_text()
    assert toml.count("\n[[rules]]\n") == 3 and "\n[rule]" not in toml
    assert sorted(p.name for p in (folder / "bad").iterdir()) == [
        "orders.go",
        "orders.py",
        "orders.ts",
    ]
    lesson = load_catalog([folder.parent])["no-debug-print"]
    assert reads(lesson) == "Python, TypeScript, Go (pattern)"
    for tree in example_trees(folder.parent):
        check_example_tree(tree)
        check_example_tree(tree, use_prefilter=False)
