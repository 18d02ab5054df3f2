"""The `pytest-lessons` command: `check [PATH]`, `list [PATH]`, `explain ID [PATH]`.

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

  check    run the lessons over the repository at PATH (default: the current directory),
           importing nothing of it; every other argument is passed to pytest, e.g.
             --lessons-select ID,ID    --lessons-ignore ID
             --lessons-baseline FILE   --lessons-update-baseline   --lessons-baseline-strict
             --lessons-since REF       (diff mode: only lines changed since REF fail)
             --lessons-format concise  --lessons-json PATH   --lessons-sarif PATH
             --lessons-annotations auto|off|github            -p NAME (load a pytest plugin)
  list     the lessons, and which of them the config at PATH runs
  explain  what a lesson catches, why, how to fix it, its options and examples

exit codes (pytest's): 0 no lesson failed, 1 a lesson failed (findings, or a file that could
not be analysed), 2 interrupted, 3 internal error, 4 usage error (bad config, unknown lesson,
unknown git ref, ...).
"""


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(USAGE, end="")
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
    return _usage_error(f"unknown command {command!r}; use check, list or explain")


def check(args: Sequence[str]) -> int:
    if any(arg in ("-h", "--help") for arg in args):
        print(USAGE, end="")
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
        settings = resolve_settings(CommandLine(root=root))
    except LessonsConfigError as error:
        return _usage_error(str(error))
    rows = [("id", "severity", "runs", "reads", "title")]
    for lesson in settings.catalog:
        if lesson.id in settings.checks:
            runs = "yes"
        elif lesson.id in settings.skipped:
            runs = f"skipped: {settings.skipped[lesson.id]}"
        else:
            runs = "no (select/ignore)"
        check = settings.checks.get(lesson.id)
        spec = check.spec if check is not None else lesson.spec  # `severity` in config applies
        rows.append((spec.id, spec.severity.value, runs, reads(lesson), spec.title))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)]
        print("  ".join([*cells, row[4]]).rstrip())
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
        settings = resolve_settings(CommandLine(root=root))
        check_lesson_ids([lesson_id], settings.catalog.ids, key=("explain",), problems=None)
    except LessonsConfigError as error:
        return _usage_error(str(error))
    print(explain(settings.catalog[lesson_id]))
    return 0


def _root_argument(args: Sequence[str], index: int) -> Path | str:
    if len(args) > index + 1:
        return f"unexpected arguments: {' '.join(args[index + 1 :])}"
    if len(args) <= index:
        return Path.cwd().resolve()
    path = Path(args[index])
    if not path.is_dir():
        return f"{args[index]}: no such directory (PATH is the repository whose config to read)"
    return path.resolve()


def _usage_error(message: str) -> int:
    print(f"pytest-lessons: error: {message}", file=sys.stderr)
    print("run `pytest-lessons --help` for usage", file=sys.stderr)
    return int(pytest.ExitCode.USAGE_ERROR)


if __name__ == "__main__":
    raise SystemExit(main())
