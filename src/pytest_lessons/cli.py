"""The `pytest-lessons` command: `check [PATH]`, `list [PATH]`, `explain ID [PATH]`, `new ID`,
`fix [PATH]`.

`new` writes a pattern lesson's folder (`scaffold`), `fix` applies the fixes lessons offer
(`fixing`); `list` and `explain` import no team code lesson.

`check` is the lessons job a team adds to CI or a pre-commit hook: pytest in this process with
the lesson items only, isolated from the target so that it imports nothing of it and needs none
of its dependencies:

* `--lessons-only`: no conftest, no test module, no doctest is collected;
* `-c <null file>`: the target's pytest configuration (addopts, required_plugins, plugins named
  in `-p` options) is not read, so a plugin the lessons job lacks cannot stop it; its
  `[tool.pytest-lessons]` table is read by the plugin, as always;
* no third-party pytest plugin is loaded (`PYTEST_DISABLE_PLUGIN_AUTOLOAD`): an installed
  pytest-django, say, would import the target's settings; `-p NAME` loads one on purpose;
* `--rootdir` and `--lessons-root` fixed to PATH, so neither moves with the arguments.

Every other argument goes to pytest unchanged, and the exit code is pytest's.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

USAGE = """\
usage: pytest-lessons check [PATH] [pytest options...]
       pytest-lessons list [PATH]
       pytest-lessons explain ID [PATH]
       pytest-lessons new ID --language LANGUAGE [--language ...] [--dir DIR] [--title TEXT]
                          [--incident TEXT] [--link URL] [--date YYYY-MM-DD] [PATH]
       pytest-lessons fix [PATH] [--diff] [--select IDS] [--ignore IDS] [--no-code-lessons]

  check    run the lessons over the repository at PATH (default: the current directory),
           importing nothing of it; every other argument is passed to pytest, e.g.
             --lessons-select ID,ID    --lessons-ignore ID
             --lessons-baseline FILE   --lessons-update-baseline   --lessons-baseline-strict
             --lessons-since REF       (diff mode: only lines changed since REF fail)
             --lessons-format concise  --lessons-json PATH   --lessons-sarif PATH
             --lessons-annotations auto|off|github            -p NAME (load a pytest plugin)
  list     the lessons, where each comes from, and which of them the config at PATH runs
  explain  what a lesson catches, why, how to fix it, its options (or rule) and examples
  new      write a pattern lesson: lesson.toml, a bad/ and a good/ example, a test module, and
           lesson-paths in the config (languages: {languages});
           --language repeated: one [[rules]] table and one example pair per language
  fix      apply the fixes lessons offer to the repository at PATH, run the lessons again and
           say what is left; --diff shows the changes and writes nothing

exit codes (pytest's): 0 no lesson failed, 1 a lesson failed (findings, or a file that could
not be analysed), 2 interrupted, 3 internal error, 4 usage error (bad config, unknown lesson,
unknown git ref, ...). fix: 0 nothing left, 1 findings left (--diff: changes to make).
"""


def _usage() -> str:
    from pytest_lessons.scaffold import template_languages

    return USAGE.format(languages=", ".join(template_languages()))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(_usage(), end="")
        return 0 if args else int(pytest.ExitCode.USAGE_ERROR)
    if args[0] == "--version":
        from pytest_lessons.package_version import package_version

        print(f"pytest-lessons {package_version()}")
        return 0
    command, rest = args[0], args[1:]
    if command == "check":
        return check(rest)
    if command == "list":
        return list_lessons(rest)
    if command == "explain":
        return explain_lesson(rest)
    if command == "new":
        return new(rest)
    if command == "fix":
        return fix(rest)
    return _usage_error(f"unknown command {command!r}; use check, list, explain, new or fix")


def check(args: Sequence[str]) -> int:
    if any(arg in ("-h", "--help") for arg in args):
        print(_usage(), end="")
        return 0
    root, passed_on = _split_root(args)
    if isinstance(root, str):
        return _usage_error(root)
    pytest_args = [
        "-q",
        "--lessons-only",
        "-c",
        os.devnull,
        "--rootdir",
        str(root),
        "--lessons-root",
        str(root),
        *passed_on,
    ]
    from pytest_lessons import plugin

    with _plugin_autoload_off():
        return int(pytest.main(pytest_args, plugins=[plugin]))


def _split_root(args: Sequence[str]) -> tuple[Path | str, list[str]]:
    """PATH is the first argument when it names a directory; a file or node id there is pytest's.

    Returns the root, or a usage message.
    """
    if not args or args[0].startswith("-"):
        return Path.cwd().resolve(), list(args)
    first = Path(args[0])
    if first.is_dir():
        return first.resolve(), list(args[1:])
    if "::" in args[0] or first.is_file():
        return Path.cwd().resolve(), list(args)
    return f"{args[0]}: no such directory (PATH is the repository to check)", []


@contextmanager
def _plugin_autoload_off() -> Iterator[None]:
    key = "PYTEST_DISABLE_PLUGIN_AUTOLOAD"
    previous = os.environ.get(key)
    os.environ[key] = "1"
    try:
        yield
    finally:
        if previous is None:
            del os.environ[key]
        else:
            os.environ[key] = previous


def list_lessons(args: Sequence[str]) -> int:
    from pytest_lessons.docs import reads
    from pytest_lessons.errors import LessonsConfigError
    from pytest_lessons.settings import CommandLine, resolve_settings

    root = _root_argument(args, 0)
    if isinstance(root, str):
        return _usage_error(root)
    try:
        settings = resolve_settings(CommandLine(root=root), build_checks=False)
    except LessonsConfigError as error:
        return _usage_error(str(error))
    rows = [("id", "severity", "runs", "reads", "origin", "title")]
    for lesson in settings.catalog:
        if lesson.id in settings.selected:
            runs = "yes"
        elif lesson.id in settings.skipped:
            runs = f"skipped: {settings.skipped[lesson.id]}"
        else:
            runs = "no (select/ignore)"
        spec = lesson.spec
        severity = settings.severity.get(lesson.id, spec.severity)  # `severity` in config applies
        rows.append((spec.id, severity.value, runs, reads(lesson), lesson.origin, spec.title))
    widths = [max(len(row[column]) for row in rows) for column in range(5)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:5], widths, strict=True)]
        print("  ".join([*cells, row[5]]).rstrip())
    where = settings.config_file or "no [tool.pytest-lessons] table: built-in defaults"
    print(f"\nconfig: {where}")
    return 0


def explain_lesson(args: Sequence[str]) -> int:
    from pytest_lessons.config import check_lesson_ids
    from pytest_lessons.docs import explain
    from pytest_lessons.errors import LessonsConfigError
    from pytest_lessons.settings import CommandLine, resolve_settings

    if not args or args[0].startswith("-"):
        return _usage_error("name the lesson: pytest-lessons explain ID [PATH]")
    lesson_id = args[0]
    root = _root_argument(args, 1)
    if isinstance(root, str):
        return _usage_error(root)
    try:
        settings = resolve_settings(CommandLine(root=root), build_checks=False)
        check_lesson_ids([lesson_id], settings.catalog.ids, key=("explain",), problems=None)
    except LessonsConfigError as error:
        return _usage_error(str(error))
    print(explain(settings.catalog[lesson_id]))
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as a return code, not SystemExit(2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _BadArguments(message)


class _BadArguments(Exception):
    pass


def new(args: Sequence[str]) -> int:
    from pytest_lessons.errors import LessonsConfigError
    from pytest_lessons.scaffold import ScaffoldError, new_lesson

    parser = _Parser(prog="pytest-lessons new")
    parser.add_argument("id")
    parser.add_argument("path", nargs="?", default=".")
    parser.add_argument("--language", "-l", required=True, action="append")
    parser.add_argument("--dir", dest="lessons_dir", default=None)
    parser.add_argument("--title", default=None)
    parser.add_argument("--incident", default=None)
    parser.add_argument("--link", default=None)
    parser.add_argument("--date", default=None)
    try:
        options = parser.parse_intermixed_args(args)
        date = datetime.date.fromisoformat(options.date) if options.date else None
    except (_BadArguments, ValueError) as error:
        return _usage_error(str(error))
    root = Path(options.path)
    if not root.is_dir():
        return _usage_error(f"{options.path}: no such directory (PATH is the repository)")
    try:
        result = new_lesson(
            root.resolve(),
            options.id,
            options.language,
            lessons_dir=options.lessons_dir,
            title=options.title,
            incident=options.incident,
            link=options.link,
            date=date,
        )
    except (ScaffoldError, LessonsConfigError) as error:
        return _usage_error(str(error))
    for path in result.written:
        print(f"wrote {_shown(path)}")
    for line in result.advice:
        print(line)
    print(
        f"next: fill in the TODOs of {_shown(result.folder / 'lesson.toml')}, put the incident's "
        f"code shape in [rule] and in bad/, then run `pytest {_shown(result.folder.parent)}` "
        "and `pytest --lessons`"
    )
    return 0


def fix(args: Sequence[str]) -> int:
    from pytest_lessons.errors import LessonsConfigError
    from pytest_lessons.fixing import fix_repository, render_report, unified_diff
    from pytest_lessons.settings import CommandLine, resolve_settings

    parser = _Parser(prog="pytest-lessons fix")
    parser.add_argument("path", nargs="?", default=".")
    parser.add_argument("--diff", action="store_true")
    parser.add_argument("--select", default=None)
    parser.add_argument("--ignore", default=None)
    parser.add_argument("--no-code-lessons", action="store_true")
    try:
        options = parser.parse_intermixed_args(args)
    except _BadArguments as error:
        return _usage_error(str(error))
    root = Path(options.path)
    if not root.is_dir():
        return _usage_error(f"{options.path}: no such directory (PATH is the repository)")
    try:
        settings = resolve_settings(
            CommandLine(
                root=root,
                select=_ids(options.select),
                ignore=_ids(options.ignore) or [],
                code_lessons=not options.no_code_lessons,
            )
        )
    except LessonsConfigError as error:
        return _usage_error(str(error))
    report = fix_repository(settings, write=not options.diff)
    if options.diff:
        print(unified_diff(report), end="")
    for line in render_report(report):
        print(line)
    if options.diff:
        return 1 if report.changed else 0
    return 1 if report.left or report.problems else 0


def _root_argument(args: Sequence[str], index: int) -> Path | str:
    if len(args) > index + 1:
        return f"unexpected arguments: {' '.join(args[index + 1 :])}"
    if len(args) <= index:
        return Path.cwd().resolve()
    path = Path(args[index])
    if not path.is_dir():
        return f"{args[index]}: no such directory (PATH is the repository whose config to read)"
    return path.resolve()


def _ids(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _usage_error(message: str) -> int:
    print(f"pytest-lessons: error: {message}", file=sys.stderr)
    print("run `pytest-lessons --help` for usage", file=sys.stderr)
    return int(pytest.ExitCode.USAGE_ERROR)


if __name__ == "__main__":
    raise SystemExit(main())
