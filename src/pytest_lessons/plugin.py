"""pytest hooks, and nothing else: options, markers, items, summary, reports.

With `--lessons` absent the plugin registers nothing beyond its options and imports nothing
heavy, so a suite that does not ask for lessons pays nothing for them. The hooks that only matter
with `--lessons` live on objects in `lesson_hooks` (and `lessons_only`), registered here when
the flag is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pytest_lessons.assertion_rewriting import leave_package_unrewritten

if TYPE_CHECKING:
    from pytest_lessons.roots import LessonsRoot

LESSONS_MARKER = "lessons: a static check from pytest-lessons (select with -m lessons)"

leave_package_unrewritten()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("lessons", "pytest-lessons: postmortem lessons as static checks")
    group.addoption(
        "--lessons",
        action="store_true",
        default=False,
        help="run the lesson catalog over the repository as test items",
    )
    group.addoption(
        "--lessons-only",
        action="store_true",
        default=False,
        help="run only lesson items: no conftest, no test module or doctest is loaded, so "
        "nothing of the repository is imported (implies --lessons)",
    )
    group.addoption(
        "--lessons-root",
        metavar="DIR",
        default=None,
        help="repository to scan (default: the directory of the [tool.pytest-lessons] config "
        "found upward from here, else pytest's rootdir)",
    )
    group.addoption(
        "--lessons-select",
        metavar="IDS",
        default=None,
        help="comma-separated lesson ids to run (replaces `select` from the config)",
    )
    group.addoption(
        "--lessons-ignore",
        metavar="IDS",
        default=None,
        help="comma-separated lesson ids not to run (added to `ignore` from the config)",
    )
    group.addoption(
        "--lessons-no-prefilter",
        action="store_true",
        default=False,
        help="parse every file of a lesson's languages, not just those its prefilter matches",
    )
    group.addoption(
        "--lessons-jobs",
        metavar="N",
        type=int,
        default=None,
        help="worker processes extracting facts (default: the CPUs available; 1: in-process)",
    )
    group.addoption(
        "--lessons-baseline",
        metavar="FILE",
        default=None,
        help="findings recorded in FILE do not fail, new ones do (default: `baseline` in the "
        "config)",
    )
    group.addoption(
        "--lessons-update-baseline",
        action="store_true",
        default=False,
        help="write every current finding to the baseline file (keeps entries of lessons "
        "that did not run)",
    )
    group.addoption(
        "--lessons-baseline-strict",
        action="store_true",
        default=False,
        help="fail when a baseline entry no longer occurs (the code was fixed: update the file)",
    )
    group.addoption(
        "--lessons-since",
        metavar="REF",
        default=None,
        help="diff mode: only findings on lines added or changed since the merge base of REF "
        "and HEAD fail (working tree and untracked files included)",
    )
    group.addoption(
        "--lessons-json",
        metavar="PATH",
        default=None,
        help="write every finding and analysis error as JSON to PATH",
    )
    group.addoption(
        "--lessons-sarif",
        metavar="PATH",
        default=None,
        help="write the findings as SARIF 2.1.0 to PATH (code scanning, PR views)",
    )
    group.addoption(
        "--lessons-annotations",
        choices=("auto", "off", "github"),
        default="auto",
        help="print a GitHub Actions annotation per failing finding: auto (when "
        "GITHUB_ACTIONS=true), off, github (always)",
    )
    group.addoption(
        "--lessons-format",
        choices=("full", "concise"),
        default="full",
        help="full: each finding with its source line; concise: one line per finding",
    )
    group.addoption(
        "--lessons-no-code-lessons",
        action="store_true",
        default=False,
        help="import no team code lesson (a lesson whose check is Python code): each is skipped",
    )
    group.addoption(
        "--lessons-explain",
        metavar="ID",
        default=None,
        help="print what a lesson catches, why, how to fix it, and its options; then exit",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    """Before the first conftest loads: `--lessons-only` must not import one."""
    if getattr(early_config.known_args_namespace, "lessons_only", False):
        from pytest_lessons.lessons_only import isolate_from_target

        isolate_from_target(early_config)


def _root(config: pytest.Config) -> LessonsRoot:
    from pytest_lessons.roots import resolve_root

    return resolve_root(
        option=config.getoption("lessons_root"),
        invocation_dir=config.invocation_params.dir,
        rootdir=config.rootpath,
    )


def pytest_cmdline_main(config: pytest.Config) -> int | None:
    lesson_id = config.getoption("lessons_explain")
    if lesson_id is None:
        return None
    from pytest_lessons.docs import explain
    from pytest_lessons.errors import LessonsConfigError
    from pytest_lessons.settings import CommandLine, resolve_settings

    try:
        settings = resolve_settings(CommandLine(root=_root(config).path), build_checks=False)
        if lesson_id not in settings.catalog:
            from pytest_lessons.config import check_lesson_ids

            check_lesson_ids(
                [lesson_id], settings.catalog.ids, key=("--lessons-explain",), problems=None
            )
    except LessonsConfigError as error:
        raise pytest.UsageError(f"pytest-lessons: {error}") from None
    print(explain(settings.catalog[lesson_id]))
    return 0


def _split_ids(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


def _jobs(value: int | None) -> int | None:
    if value is not None and value < 1:
        raise pytest.UsageError("pytest-lessons: --lessons-jobs must be 1 or more")
    return value


def _path_option(config: pytest.Config, name: str) -> Path | None:
    value = config.getoption(name)
    return (config.invocation_params.dir / value).resolve() if value else None


def pytest_configure(config: pytest.Config) -> None:
    lessons_only = config.getoption("lessons_only")
    if not (config.getoption("lessons") or lessons_only):
        return
    from pytest_lessons.annotations import AnnotationMode
    from pytest_lessons.errors import LessonsConfigError
    from pytest_lessons.filter_stage import FilteredOutcome, FilterOptions, load_filter_inputs
    from pytest_lessons.items import ITEM_CONTEXT, ItemContext
    from pytest_lessons.lesson_hooks import LessonsPlugin, ReportOptions, XdistController
    from pytest_lessons.lessons_only import LessonsOnly
    from pytest_lessons.process_exit import FrozenAfterCollection
    from pytest_lessons.progress import TerminalProgress
    from pytest_lessons.report_text import OutputFormat
    from pytest_lessons.run_once import OutcomeOnce, is_xdist_worker
    from pytest_lessons.settings import CommandLine, resolve_settings

    root = _root(config)
    worker = is_xdist_worker(config)
    command_line = CommandLine(
        root=root.path,
        select=_split_ids(config.getoption("lessons_select")),
        ignore=_split_ids(config.getoption("lessons_ignore")) or [],
        use_prefilter=not config.getoption("lessons_no_prefilter"),
        json_path=_path_option(config, "lessons_json"),
        jobs=_jobs(config.getoption("lessons_jobs")),
        filters=FilterOptions(
            baseline=_path_option(config, "lessons_baseline"),
            update_baseline=config.getoption("lessons_update_baseline"),
            baseline_strict=config.getoption("lessons_baseline_strict"),
            since=config.getoption("lessons_since"),
        ),
        code_lessons=not config.getoption("lessons_no_code_lessons"),
    )
    try:
        settings = resolve_settings(command_line)
        inputs = None if worker else load_filter_inputs(settings.filters, settings.root)
    except LessonsConfigError as error:
        raise pytest.UsageError(f"pytest-lessons: {error}") from None
    config.addinivalue_line("markers", LESSONS_MARKER)
    for lesson in settings.catalog:
        config.addinivalue_line(
            "markers", f"{lesson.spec.marker}: lesson {lesson.id} ({lesson.spec.title})"
        )
    progress = TerminalProgress(config, settings.root)
    outcome = FilteredOutcome(
        OutcomeOnce(config, settings, progress=progress), inputs, finished=progress.finish
    )
    reports = ReportOptions(
        output=OutputFormat(config.getoption("lessons_format")),
        sarif_path=_path_option(config, "lessons_sarif"),
        annotations=AnnotationMode(config.getoption("lessons_annotations")),
    )
    plugin = LessonsPlugin(config, settings, outcome, root=root, reports=reports)
    config.stash[ITEM_CONTEXT] = ItemContext(
        outcome,
        plugin.specs,
        output=reports.output,
        baseline_strict=settings.filters.baseline_strict,
    )
    config.pluginmanager.register(plugin, "pytest-lessons-session")
    if lessons_only:
        config.pluginmanager.register(LessonsOnly(config), "pytest-lessons-only")
        config.pluginmanager.register(FrozenAfterCollection(config), "pytest-lessons-frozen")
    if config.pluginmanager.hasplugin("xdist") and not worker:
        config.pluginmanager.register(XdistController(plugin), "pytest-lessons-xdist")
