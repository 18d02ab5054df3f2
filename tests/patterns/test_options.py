"""Options of pattern lessons: declared in the lesson's TOML, set by the team's config, read by
the rules as utils of the same name."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from pytest_lessons.analysis import run_analysis
from pytest_lessons.catalog import BUILTIN_LESSONS_DIR, load_catalog
from pytest_lessons.config import LessonsConfigErrors
from pytest_lessons.docs import explain
from pytest_lessons.fact_cache import FactCache, lesson_salts
from pytest_lessons.patterns.options import word_regex
from pytest_lessons.settings import CommandLine, Settings, resolve_settings
from pytest_lessons.testing import check_example_tree, judge_files, run_lessons

LESSON = """\
id = "no-banned-call"
title = "A call the team banned"
why = "w"
fix = "f"
language = "python"
message = "$F is banned here"

[options.banned-calls]
default = ["eval"]
description = "Functions nobody calls. Each is a whole name."

[rule]
pattern = "$F($$$ARGS)"

[constraints]
F = { matches = "banned-calls" }

[source]
incident = "i"
summary = "s"

[examples]
bad = "eval(x)"
good = "evaluate(x)"
"""

CODE = """\
eval(a)
evaluate(b)
os.system(c)
system_check(d)
shell.run(e)
"""


def project(tmp_path: Path, options: str = "") -> Settings:
    folder = tmp_path / "lint" / "lessons" / "no-banned-call"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lesson.toml").write_text(LESSON)
    (tmp_path / "app.py").write_text(CODE)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pytest-lessons]\nlesson-paths = ["lint/lessons"]\nselect = ["no-banned-call"]\n'
        f"{options}"
    )
    return resolve_settings(CommandLine(root=tmp_path))


def flagged(settings: Settings) -> list[int]:
    return [finding.line for finding in run_analysis(settings).findings]


def test_the_declared_default_applies_when_the_config_says_nothing(tmp_path: Path) -> None:
    settings = project(tmp_path)
    assert settings.checks["no-banned-call"].options.banned_calls == ("eval",)
    assert flagged(settings) == [1]


def test_the_config_replaces_or_extends_the_list(tmp_path: Path) -> None:
    table = "[tool.pytest-lessons.options.no-banned-call]\n"
    replaced = project(tmp_path, table + 'banned-calls = ["system"]\n')
    assert flagged(replaced) == [3]  # a whole word of `os.system`, not of `system_check`
    extended = project(tmp_path, table + 'extend-banned-calls = ["system", "shell.run"]\n')
    assert extended.checks["no-banned-call"].options.banned_calls == (
        "eval",
        "system",
        "shell.run",
    )
    assert flagged(extended) == [1, 3, 5]
    both = project(
        tmp_path, table + 'banned-calls = ["shell.run"]\nextend-banned-calls = ["system"]\n'
    )
    assert flagged(both) == [3, 5]
    assert flagged(project(tmp_path, table + "banned-calls = []\n")) == []


@pytest.mark.parametrize(
    ("body", "line", "expected"),
    [
        (
            'banned-call = ["x"]',
            5,
            "`options.no-banned-call.banned-call`: unknown key; did you mean `banned-calls`?",
        ),
        (
            'banned-calls = "system"',
            5,
            '`options.no-banned-call.banned-calls`: expected a list of strings, got "system"',
        ),
        (
            "banned-calls = [1]",
            5,
            "`options.no-banned-call.banned-calls[0]`: expected a string, got 1",
        ),
        (
            'extend-banned-call = ["x"]',
            5,
            "`options.no-banned-call.extend-banned-call`: not a list option of this lesson; "
            "did you mean `extend-banned-calls`?",
        ),
        (
            'extend-banned-calls = "x"',
            5,
            "`options.no-banned-call.extend-banned-calls`: expected an array, got",
        ),
    ],
)
def test_a_bad_option_is_a_usage_error_naming_file_key_and_line(
    tmp_path: Path, body: str, line: int, expected: str
) -> None:
    with pytest.raises(LessonsConfigErrors) as raised:
        project(tmp_path, f"[tool.pytest-lessons.options.no-banned-call]\n{body}\n")
    [(found_line, message)] = raised.value.problems
    assert (found_line, message.startswith(expected)) == (line, True), message
    assert str(tmp_path / "pyproject.toml") in str(raised.value)


def test_explain_shows_each_option_with_type_default_and_description(tmp_path: Path) -> None:
    project(tmp_path)
    lesson = load_catalog([tmp_path / "lint" / "lessons"])["no-banned-call"]
    text = explain(lesson)
    assert (
        "options (defaults shown; set them in [tool.pytest-lessons.options.no-banned-call]; "
        "each is a util of its name in the rules):\n"
        '  banned-calls = ["eval"]\n'
        "      a list of strings; `extend-banned-calls` adds to it\n"
        "      Functions nobody calls.\n"
    ) in text


def test_the_options_are_in_the_fact_cache_key(tmp_path: Path) -> None:
    """Cached matches of one set of names must not answer for another: the key holds them."""
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()

    def run(options: str) -> tuple[list[int], str]:
        settings = project(tmp_path, options)
        cache = FactCache(cache_dir, settings)
        outcome = run_analysis(settings, cache=cache)
        cache.save()
        return [f.line for f in outcome.findings], lesson_salts(settings)["no-banned-call"]

    default_lines, default_salt = run("")
    other_lines, other_salt = run(
        '[tool.pytest-lessons.options.no-banned-call]\nbanned-calls = ["system"]\n'
    )
    assert (default_lines, other_lines) == ([1], [3])
    assert default_salt != other_salt
    assert run("")[0] == [1]


def test_a_check_with_options_pickles_for_worker_processes(tmp_path: Path) -> None:
    settings = project(
        tmp_path, '[tool.pytest-lessons.options.no-banned-call]\nbanned-calls = ["system"]\n'
    )
    check = settings.checks["no-banned-call"]
    again = pickle.loads(pickle.dumps(check))
    assert again.options.banned_calls == ("system",)
    assert [f.line for f in judge_files(again, {"a.py": CODE})] == [3]


def test_two_option_sets_of_one_lesson_compile_two_rules(tmp_path: Path) -> None:
    default = project(tmp_path).checks["no-banned-call"]
    table = '[tool.pytest-lessons.options.no-banned-call]\nbanned-calls = ["system"]\n'
    other = project(tmp_path, table).checks["no-banned-call"]
    assert type(default) is type(other)
    assert [f.line for f in judge_files(default, {"a.py": CODE})] == [1]
    assert [f.line for f in judge_files(other, {"a.py": CODE})] == [3]


@pytest.mark.parametrize(
    ("names", "text", "matches"),
    [
        (["idempotent"], "@idempotent(key=k)", True),
        (["idempotent"], "store.idempotent", True),
        (["idempotent"], "@idempotent_task", False),
        (["idempotent"], "not_idempotent", False),
        (["idempotent"], "$idempotent", False),
        (["shell.run"], "shell.run", True),
        (["shell.run"], "shellXrun", False),  # the dot is a dot, not any character
        (["a+b", "x(y"], "a+b", True),
        (["a+b", "x(y"], "aab", False),
        ([], "anything", False),
    ],
)
def test_an_option_util_finds_its_names_as_whole_words(
    names: list[str], text: str, matches: bool
) -> None:
    from ast_grep_py import SgRoot

    root = SgRoot(f"{text}\n", "python").root()
    config = {
        "rule": {"kind": "module", "matches": "names"},
        "utils": {"names": {"regex": word_regex(names)}},
    }
    assert (root.find(config) is not None) is matches


def test_idempotent_marks_named_in_the_config_are_what_quiets_the_lesson(tmp_path: Path) -> None:
    """The good tree's own marks count because its pyproject names them: without it, they are
    findings (and the lesson's default mark still counts)."""
    good = BUILTIN_LESSONS_DIR / "idempotency-key-on-payments" / "good"
    shutil.copytree(good, tmp_path / "good", ignore=shutil.ignore_patterns("pyproject.toml"))
    outcome = run_lessons(tmp_path / "good", ["idempotency-key-on-payments"])
    found = sorted((f.path, f.line) for f in outcome.findings)
    assert found == [("payouts.ts", 30), ("payouts.ts", 37), ("refunds.py", 50), ("refunds.py", 55)]
    check_example_tree(good, "idempotency-key-on-payments")
