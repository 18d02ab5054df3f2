"""Hostile repositories never take the run down, never pass silently, never lose a finding.

Each test builds one kind of hostile input beside healthy files whose findings are known, runs
`pytest --lessons` on the tree in a subprocess (a segfault must fail the test, not the suite),
and asserts what the README promises: the run ends with exit 1, every healthy finding is in the
JSON report, and the hostile file is named in a problem or a note. Inputs that are a config
mistake end the run with a usage error naming the key instead. Sizes are small; the big inputs
of the issue live in `benchmarks/`. Property tests run the analysis in-process on generated
inputs: random bytes, nesting depths, file names and ignore files.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_lessons.engines.python_gate import NESTING_LIMIT
from pytest_lessons.findings import NOTE_KINDS, ProblemKind
from pytest_lessons.outcome import Outcome
from pytest_lessons.settings import CommandLine, resolve_settings
from pytest_lessons.testing import run_lessons

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="symlinks, byte file names")
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

FIXTURE_LESSONS = Path(__file__).parent / "fixtures" / "lessons"
LESSONS = ["no-todo-marker", "alembic-percent-escape", "env-example-complete"]

HEALTHY: dict[str, str] = {
    "alembic/env.py": (
        "import os\n"
        "from alembic import context\n"
        "\n"
        "config = context.config\n"
        'config.set_main_option("sqlalchemy.url", os.environ["DATABASE_URL"])\n'
    ),
    "jobs/todo.py": "x = 1  # TODO-NOW\n",
    "web/app.js": "const key = process.env.SECRET_KEY;\nexport default key;\n",
    ".env.example": "DATABASE_URL=\n",
}
EXPECTED = {
    ("alembic-percent-escape", "alembic/env.py", 5),
    ("no-todo-marker", "jobs/todo.py", 1),
    ("env-example-complete", "web/app.js", 1),
}
HOSTILE_WORDS = "# TODO-NOW set_main_option sqlalchemy.url os.environ['SECRET_KEY']\n"
"""Words every lesson's prefilter looks for, so the hostile file is parsed, not skipped."""


def config_text(extra: str = "", *, select: list[str] | None = LESSONS) -> str:
    """The config of a tree: the fixture lesson is a code lesson, so it sits inside the root
    (`lint/`, copied by `build`, excluded from the scan)."""
    chosen = f"select = {json.dumps(select)}\n" if select is not None else ""
    exclude = "" if extra.startswith("exclude =") else 'exclude = ["lint/"]\n'
    return f'[tool.pytest-lessons]\nlesson-paths = ["lint/lessons"]\n{exclude}{chosen}{extra}\n'


def build(root: Path, hostile: dict[str, bytes | str], extra: str = "") -> None:
    shutil.copytree(FIXTURE_LESSONS, root / "lint" / "lessons", dirs_exist_ok=True)
    files: dict[str, bytes | str] = {**HEALTHY, **hostile}
    files.setdefault("pyproject.toml", config_text(extra))
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def run(
    pytester: pytest.Pytester, *args: str, subprocess: bool = False
) -> tuple[pytest.RunResult, dict[str, Any]]:
    """`pytest --lessons` on the tree: in a subprocess where the input once crashed the
    interpreter (a segfault must fail this test, not the suite), in-process otherwise."""
    report = pytester.path / "lessons-report.json"
    arguments = ("--lessons", "-p", "no:cacheprovider", f"--lessons-json={report}", *args)
    if subprocess:
        result = pytester.runpytest_subprocess(*arguments)
    else:
        result = pytester.runpytest(*arguments)
    document = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    return result, document


def assert_healthy_run(result: pytest.RunResult, report: dict[str, Any]) -> None:
    """Exit 1, no crash, and every healthy finding reported."""
    assert result.ret == pytest.ExitCode.TESTS_FAILED, result.stdout.str()[-3000:]
    output = result.stdout.str() + result.stderr.str()
    assert "INTERNALERROR" not in output and "Traceback" not in output
    found = {(f["lesson"], f["path"], f["line"]) for f in report["findings"]}
    assert found >= EXPECTED


def problems_naming(report: dict[str, Any], path: str) -> list[dict[str, Any]]:
    return [e for e in report["errors"] if e["path"] == path]


def assert_usage_error(result: pytest.RunResult, *words: str) -> None:
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str()[-2000:]
    error = result.stderr.str()
    assert "Traceback" not in error and "INTERNALERROR" not in error
    for word in words:
        assert word in error, error


# --- deep nesting in Python ----------------------------------------------------------------

DEEP = {
    "parens": ("x = " + "(\n" * 5000 + "1" + ")\n" * 5000, "too many nested parentheses"),
    "list_1400": ("x = " + "[\n" * 1400 + "]\n" * 1400, "too many nested parentheses"),
    "list_1200": ("x = " + "[\n" * 1200 + "]\n" * 1200, "too many nested parentheses"),
    "sum_10000": ("x = (\n" + " +\n".join(["a"] * 10_000) + "\n)", ""),
    "sum_3000": ("x = (\n" + " +\n".join(["a"] * 3000) + "\n)", ""),
    "and_10000": ("x = (\n" + " and\n".join(["a"] * 10_000) + "\n)", ""),
    "strings_5000": ("x = (\n" + "\n".join(['"s"'] * 5000) + "\n)", ""),
    "calls_2000": ("x = (f\n" + "()\n" * 2000 + ")", ""),
}
"""The issue's inputs (5,000 parentheses, a 1,400-deep list, a 10,000-term sum: segfaults; a
1,200-deep list and a 3,000-term sum: gigabytes and tens of seconds), and the shapes libcst nests
that CPython keeps flat. One line per level, so that none is left out as minified first."""


def test_deep_python_is_one_parse_problem_at_its_line(pytester: pytest.Pytester) -> None:
    build(
        pytester.path,
        {
            f"app/{name}.py": HOSTILE_WORDS + "\n" + source + "\n"
            for name, (source, _) in DEEP.items()
        },
    )
    result, report = run(pytester, subprocess=True)
    assert_healthy_run(result, report)
    for name, (_, cpython_words) in DEEP.items():
        rel = f"app/{name}.py"
        [problem] = problems_naming(report, rel)  # one problem, not one per lesson
        assert problem["kind"] == "parse", problem
        assert problem["line"] is not None and problem["line"] >= 3
        assert "nested too deeply" in problem["message"]
        assert cpython_words in problem["message"]
        # the one record names every lesson that needed the file, as the text report does
        assert problem["lesson"] is None and len(problem["needed_by"]) >= 2, problem
        needed = ", ".join(problem["needed_by"])
        result.stdout.fnmatch_lines([f"*{rel}:*: could not analyse (parse, needed by {needed}*"])


def test_a_file_libcst_walks_too_deep_for_is_one_parse_problem(pytester: pytest.Pytester) -> None:
    """Under the gate's limit, a lesson's own tree walk may still recurse too far: that is the
    file's problem, worded once, not "the check crashed, bug in the lesson"."""
    depth = NESTING_LIMIT - 10
    build(pytester.path, {"app/deep.py": HOSTILE_WORDS + "x = " + "[" * depth + "]" * depth})
    result, report = run(pytester)
    assert_healthy_run(result, report)
    named = problems_naming(report, "app/deep.py")
    assert len(named) <= 1
    assert all(p["kind"] == "parse" and p["lesson"] is None for p in named)
    assert "check crashed" not in result.stdout.str()


# --- ignore patterns git accepts -----------------------------------------------------------


def test_ignore_file_patterns_python_cannot_compile(pytester: pytest.Pytester) -> None:
    """`*.[a-Z]`, `[z-a]` were an INTERNALERROR (`re.error`) that lost every finding."""
    build(
        pytester.path,
        {
            ".gitignore": "# ours\n*.[a-Z]\nnothing-here/\n",
            "web/.gitignore": "[z-a]\n[!z-a]*\n",
        },
    )
    result, report = run(pytester)
    assert_healthy_run(result, report)
    notes = {(e["path"], e["line"], e["kind"]) for e in report["errors"]}
    assert notes == {
        (".gitignore", 2, "ignore-pattern"),
        ("web/.gitignore", 1, "ignore-pattern"),
        ("web/.gitignore", 2, "ignore-pattern"),
    }
    result.stdout.fnmatch_lines(["note .gitignore:2:1: pattern *is not valid*matches nothing*"])


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ('exclude = ["lint/", "*.[a-Z]"]', ("pyproject.toml:4:", "`exclude[1]`", "'*.[a-Z]'")),
        (
            '[tool.pytest-lessons.per-file-ignores]\n"\\\\" = ["no-todo-marker"]',
            ("pyproject.toml:6:", "per-file-ignores"),
        ),
    ],
)
def test_bad_patterns_in_our_config_are_usage_errors(
    pytester: pytest.Pytester, extra: str, words: tuple[str, ...]
) -> None:
    build(pytester.path, {}, extra)
    assert_usage_error(run(pytester)[0], *words)


# --- lax config types ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ("max-file-size = true", ("`max-file-size`: expected an integer, got true",)),
        ('respect-gitignore = "no"', ("`respect-gitignore`: expected true or false",)),
        ("require-suppression-reason = 0", ("expected true or false, got 0",)),
        ("max-file-size = 99999999999999999999", ("`max-file-size`: must be at most",)),
        ("nesting = " + "[" * 50_000 + "]" * 50_000, ("nested too deeply to read",)),
    ],
    ids=["size-true", "bool-no", "bool-0", "overflow", "deep-array"],
)
def test_lax_config_is_a_usage_error_naming_the_key(
    pytester: pytest.Pytester, tmp_path: Path, extra: str, words: tuple[str, ...]
) -> None:
    # the scanned repository sits apart, so that pytest's own reading of the invocation
    # directory's pyproject.toml (which chokes on some of these) is not what is tested
    target = tmp_path / "target"
    build(target, {}, extra)
    pytester.makeini("[pytest]\n")
    result = pytester.runpytest("--lessons", "-p", "no:cacheprovider", f"--lessons-root={target}")
    assert_usage_error(result, *words)


def test_selecting_nothing_is_a_usage_error(pytester: pytest.Pytester) -> None:
    build(pytester.path, {"pyproject.toml": config_text("select = []", select=None)})
    assert_usage_error(run(pytester)[0], "`select` is empty, so no lesson would run")


def test_a_tool_table_that_is_not_a_table(pytester: pytest.Pytester, tmp_path: Path) -> None:
    target = tmp_path / "target"
    build(target, {"pyproject.toml": 'tool = "x"\n'})
    pytester.makeini("[pytest]\n")
    result = pytester.runpytest("--lessons", f"--lessons-root={target}")
    assert_usage_error(result, "`tool` must be a table")


# --- files git tracks but .gitignore matches -----------------------------------------------


@needs_git
def test_tracked_files_an_ignore_rule_matches_are_analysed(pytester: pytest.Pytester) -> None:
    build(pytester.path, {".gitignore": "alembic/\n"})
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=pytester.path, check=True)
    subprocess.run([*git, "add", "-f", "alembic/env.py"], cwd=pytester.path, check=True)
    result, report = run(pytester)
    assert_healthy_run(result, report)  # the alembic/env.py finding is among them


# --- line separators -----------------------------------------------------------------------


@pytest.mark.parametrize("separator", ["\x0c\n", "# a \u2028 in a comment\n", "\n\x0c\n"])
def test_suppressions_below_unusual_line_breaks_still_apply(
    pytester: pytest.Pytester, separator: str
) -> None:
    source = (
        f"import os\n{separator}"
        "# lessons: ignore[no-todo-marker] -- tracked in JOBS-1\n"
        "y = 2  # TODO-NOW\n"
        "z = 3  # TODO-NOW and unsuppressed\n"
    )
    build(pytester.path, {"jobs/feed.py": source})
    result, report = run(pytester)
    assert_healthy_run(result, report)
    line = 3 + separator.count("\n")
    feed = sorted((f["line"], f["suppressed"]) for f in report["findings"] if "feed" in f["path"])
    assert feed == [(line, True), (line + 1, False)]
    assert "unused suppression" not in result.stdout.str()
    result.stdout.fnmatch_lines(
        [f"*jobs/feed.py:{line + 1}:10: TODO-NOW*", f" {line + 1} | z = 3*"]
    )


# --- non-UTF-8 file names ------------------------------------------------------------------


@posix_only
def test_file_names_that_are_not_utf8_under_xdist(pytester: pytest.Pytester) -> None:
    build(pytester.path, {})
    name = os.fsdecode(b"caf\xe9.py")
    (pytester.path / "alembic" / name).write_text("x = 1  # TODO-NOW\n")
    result, report = run(pytester, "-p", "xdist", "-n", "2", subprocess=True)
    assert_healthy_run(result, report)
    paths = {f["path"] for f in report["findings"]}
    assert "alembic/caf\\xe9.py" in paths
    json.dumps(report, ensure_ascii=False).encode("utf-8")  # no lone surrogates anywhere
    result.stdout.fnmatch_lines(["*alembic/caf\\xe9.py::no-todo-marker*"])


# --- codec cookies -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"# coding: rot13\nx = 1  # TODO-NOW  # lessons: ignore[no-todo-marker] -- r\n", "rot13"),
        (b"# coding: utf-16\nx = 1  # TODO-NOW\n", "utf-16"),
    ],
)
def test_cookies_cpython_refuses_are_decode_problems(
    pytester: pytest.Pytester, content: bytes, words: str
) -> None:
    build(pytester.path, {"jobs/cookie.py": content})
    result, report = run(pytester)
    assert_healthy_run(result, report)
    [problem] = problems_naming(report, "jobs/cookie.py")
    assert (problem["kind"], problem["line"]) == ("decode", 1)
    assert words in problem["message"] and "encoding problem" in problem["message"]


# --- minified bundles ----------------------------------------------------------------------


def test_minified_bundles_are_left_out_with_a_note(pytester: pytest.Pytester) -> None:
    bundle = "var a=process.env.X;" * 400  # 8,000 characters on one line, well under the size
    build(pytester.path, {"web/vendor.min.js": bundle + "\n"})
    result, report = run(pytester)
    assert_healthy_run(result, report)
    [note] = problems_naming(report, "web/vendor.min.js")
    assert note["kind"] == "minified"
    result.stdout.fnmatch_lines(["left out web/vendor.min.js: skipped: line 1 is 8,000 char*"])


def test_minified_files_can_be_read_when_configured(pytester: pytest.Pytester) -> None:
    bundle = "var a=process.env.X;" * 400
    build(pytester.path, {"web/vendor.min.js": bundle + "\n"}, "minified-line-length = 0")
    _, report = run(pytester)
    assert problems_naming(report, "web/vendor.min.js") == []
    assert any(f["path"] == "web/vendor.min.js" for f in report["findings"])


# --- symlinks out of the root --------------------------------------------------------------


@posix_only
def test_symlinks_out_of_the_root_are_not_followed(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.py").write_text("x = 1  # TODO-NOW\n")
    build(pytester.path, {})
    (pytester.path / "etc_link").symlink_to(outside)
    result, report = run(pytester)
    assert_healthy_run(result, report)
    assert not any(f["path"].startswith("etc_link") for f in report["findings"])
    [note] = problems_naming(report, "etc_link")
    assert note["kind"] == "symlink-outside"
    (pytester.path / "pyproject.toml").write_text(config_text("follow-external-symlinks = true"))
    _, followed = run(pytester)
    assert ("no-todo-marker", "etc_link/secret.py", 1) in {
        (f["lesson"], f["path"], f["line"]) for f in followed["findings"]
    }


# --- nothing selected, nothing read --------------------------------------------------------


def test_a_run_that_leaves_every_file_out_fails(pytester: pytest.Pytester) -> None:
    build(pytester.path, {}, "max-file-size = 1")
    result, report = run(pytester)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    [failure] = problems_naming(report, ".")
    assert failure["kind"] == "nothing-analysed"
    result.stdout.fnmatch_lines(["FAILED lessons-status::workspace*"])


# --- suppression comments that suppress nothing --------------------------------------------


def test_suppressions_naming_no_lesson_are_reported(pytester: pytest.Pytester) -> None:
    source = (
        "a = 1  # TODO-NOW  # lessons: ignore -- everything\n"
        "b = 2  # TODO-NOW  # lessons: ignore[] -- nothing\n"
        "c = 3  # TODO-NOW  # lessons: ignroe[no-todo-marker] -- typo\n"
    )
    build(pytester.path, {"jobs/quiet.py": source})
    result, report = run(pytester)
    assert_healthy_run(result, report)
    named = problems_naming(report, "jobs/quiet.py")
    assert sorted((p["kind"], p["line"]) for p in named) == [
        ("suppression", 1),
        ("suppression", 2),
        ("suppression", 3),
    ]
    assert len([f for f in report["findings"] if f["path"] == "jobs/quiet.py"]) == 3
    assert "could not analyse" not in result.stdout.str()


# --- generated inputs, analysed in-process -------------------------------------------------


def analyse(root: Path) -> Outcome:
    return run_lessons(root)


def assert_healthy_outcome(outcome: Outcome, hostile: str | None) -> None:
    found = {(f.lesson, f.path, f.line) for f in outcome.findings}
    assert found >= EXPECTED
    if hostile is not None:
        named = [p for p in outcome.problems if p.path == hostile]
        assert len([p for p in named if p.kind in (ProblemKind.DECODE, ProblemKind.PARSE)]) <= 1
        assert all(p.kind is not ProblemKind.CHECK_CRASHED for p in outcome.problems)


HYPOTHESIS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@HYPOTHESIS
@given(
    st.sampled_from(["app/h.py", "web/h.ts", "web/h.js", "alembic.ini", ".env", "conf.json"]),
    st.binary(max_size=400),
)
def test_random_bytes_never_crash_or_hide_a_finding(
    tmp_path_factory: pytest.TempPathFactory, rel: str, data: bytes
) -> None:
    root = tmp_path_factory.mktemp("bytes")
    build(root, {rel: HOSTILE_WORDS.encode() + data})
    assert_healthy_outcome(analyse(root), rel)


SHAPES = {
    "list": lambda n: "x = " + "[\n" * n + "]\n" * n,
    "sum": lambda n: "x = (a" + "\n+ a" * n + ")",
    "attribute": lambda n: "x = (a" + "\n.b" * n + ")",
    "call": lambda n: "x = (f" + "\n()" * n + ")",
    "subscript": lambda n: "x = (a" + "\n[0]" * n + ")",
    "unary": lambda n: "x = (" + "-\n" * n + "a)",
    "ternary": lambda n: "x = (" + "a if b else\n" * n + "c)",
    "and": lambda n: "x = (a" + "\nand a" * n + ")",
    "strings": lambda n: "x = (" + '"s"\n' * n + ")",
    "lambda": lambda n: "x = (" + "lambda:\n" * n + "1)",
    "indent": lambda n: "".join(" " * i + "if a:\n" for i in range(n)) + " " * n + "pass",
}


@HYPOTHESIS
@given(st.sampled_from(sorted(SHAPES)), st.integers(min_value=1, max_value=3000))
def test_any_nesting_depth_is_analysed_or_one_parse_problem(
    tmp_path_factory: pytest.TempPathFactory, shape: str, depth: int
) -> None:
    root = tmp_path_factory.mktemp("deep")
    build(root, {"app/deep.py": HOSTILE_WORDS + SHAPES[shape](depth) + "\n"})
    outcome = analyse(root)
    assert_healthy_outcome(outcome, "app/deep.py")
    named = [p for p in outcome.problems if p.path == "app/deep.py"]
    if depth > 2 * NESTING_LIMIT and shape not in ("indent", "lambda"):
        assert [p.kind for p in named] == [ProblemKind.PARSE]
        assert named[0].line is not None


NAME_BYTES = st.binary(min_size=1, max_size=12).filter(
    lambda b: b"/" not in b and b"\0" not in b and b not in (b".", b"..")
)


@posix_only
@HYPOTHESIS
@given(NAME_BYTES)
def test_any_file_name_is_reported_as_valid_utf8(
    tmp_path_factory: pytest.TempPathFactory, raw: bytes
) -> None:
    root = tmp_path_factory.mktemp("names")
    build(root, {})
    name = os.fsdecode(raw + b".py")
    try:
        (root / "jobs" / name).write_text("x = 1  # TODO-NOW\n")
    except OSError:  # a name this file system refuses
        return
    outcome = analyse(root)
    assert_healthy_outcome(outcome, None)
    document = json.dumps(outcome.model_dump(mode="json"), ensure_ascii=False)
    document.encode("utf-8")  # raises on a lone surrogate
    assert any(
        f.path is not None and f.path.startswith("jobs/") and f.path != "jobs/todo.py"
        for f in outcome.findings
    )


IGNORE_LINES = st.lists(
    st.one_of(
        st.sampled_from(["*.[a-Z]", "[z-a]", "\\", "!", "[!z-a]", "jobs/", "!jobs/todo.py", "#x"]),
        st.text(alphabet="*?[]!/\\-az.", max_size=8),
    ),
    max_size=6,
)


@HYPOTHESIS
@given(IGNORE_LINES)
def test_any_ignore_file_is_read_like_git_and_never_crashes(
    tmp_path_factory: pytest.TempPathFactory, lines: list[str]
) -> None:
    root = tmp_path_factory.mktemp("ignores")
    build(root, {"web/.gitignore": "\n".join(lines) + "\n"})
    outcome = analyse(root)
    assert all(p.kind in NOTE_KINDS for p in outcome.problems if p.path == "web/.gitignore")
    # the root's files are out of this ignore file's reach
    found = {(f.lesson, f.path, f.line) for f in outcome.findings}
    assert found >= {e for e in EXPECTED if not e[1].startswith("web/")}


def test_settings_of_the_healthy_tree_are_valid(tmp_path: Path) -> None:
    """The suite's own baseline: the healthy tree alone gives exactly the expected findings."""
    build(tmp_path, {})
    resolve_settings(CommandLine(root=tmp_path))
    outcome = analyse(tmp_path)
    assert {(f.lesson, f.path, f.line) for f in outcome.findings} == EXPECTED
    assert outcome.problems == []
