"""Lesson items run a lean protocol where nothing can tell, and pytest's own everywhere else.

Each comparison runs the same repository twice: as it is (lean), and with a plugin that
implements `pytest_runtest_setup`, which any plugin or conftest may do and which sends every
item through pytest's protocol. What pytest and other plugins see (reports, warnings, JUnit XML,
fixture teardown order) must be the same.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.test_plugin import write_config

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")


class Protocols:
    """Reads, at the end of a run, how many lesson items ran lean and why the others did not."""

    def __init__(self) -> None:
        self.lean_items: int | None = None
        self.reason: str | None = None

    @pytest.hookimpl(trylast=True)
    def pytest_unconfigure(self, config: pytest.Config) -> None:
        plugin = config.pluginmanager.get_plugin("pytest-lessons-session")
        self.lean_items = plugin.protocol.lean_items
        self.reason = plugin.protocol.reason


class ForcesStandard:
    """A plugin with a per-phase hook: lesson items must then run pytest's protocol."""

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        pass


def observed(reprec: pytest.HookRecorder) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Everything a report consumer reads, but the timings; and the warnings recorded."""
    reports = [
        (
            report.nodeid,
            report.when,
            report.outcome,
            re.sub(r"0x[0-9a-f]+", "0x?", report.longreprtext),  # addresses in a traceback
            report.sections,
            report.location,
            sorted(report.keywords),
            report.user_properties,
            getattr(report, "wasxfail", None),
        )
        for report in reprec.getreports("pytest_runtest_logreport")
    ]
    warnings = [
        (call.nodeid, call.when, str(call.warning_message.message))
        for call in reprec.getcalls("pytest_warning_recorded")
    ]
    return reports, warnings


LESSONS = ("--lessons", "--lessons-no-prefilter")
"""Without the prefilter, a file with no marker gets a (passing) item too."""


def run_both(pytester: pytest.Pytester, *args: str) -> tuple[Any, Any, Protocols, Protocols]:
    lean, standard = Protocols(), Protocols()
    lean_run = pytester.inline_run(*LESSONS, *args, plugins=[lean])
    standard_run = pytester.inline_run(*LESSONS, *args, plugins=[standard, ForcesStandard()])
    assert standard.lean_items == 0
    assert standard.reason is not None and "implements pytest_runtest_setup" in standard.reason
    return lean_run, standard_run, lean, standard


ITEMS = [
    "clean.py::no-todo-marker",
    "jobs.py::no-todo-marker",
    "more.py::no-todo-marker",
    "lessons-status::no-todo-marker",
    "lessons-status::workspace",
]


def repository(pytester: pytest.Pytester, lessons: Path, extra: str = "") -> None:
    """Two failing lesson items, three passing; test modules and conftests are not scanned."""
    write_config(pytester, lessons, extra, exclude='"conftest.py", "test_*.py"')
    pytester.path.joinpath("jobs.py").write_text("x = 1\ny = 2  # TODO-NOW\n")
    pytester.path.joinpath("more.py").write_text("z = 3  # TODO-NOW\n")
    pytester.path.joinpath("clean.py").write_text("a = 1\n")


@pytest.mark.parametrize(
    ("extra", "outcome"),
    [
        pytest.param("", {"passed": 3, "failed": 2}, id="failing-and-passing"),
        pytest.param(
            '[tool.pytest-lessons.severity]\n"no-todo-marker" = "warning"',
            {"passed": 5},
            id="warning-severity",
        ),
        pytest.param(
            '[tool.pytest-lessons.skip]\n"no-todo-marker" = "until Q3"',
            {"passed": 1, "skipped": 1},
            id="skipped-in-config",
        ),
    ],
)
def test_lean_and_standard_protocols_report_alike(
    pytester: pytest.Pytester, fixture_lessons: Path, extra: str, outcome: dict[str, int]
) -> None:
    repository(pytester, fixture_lessons, extra)
    lean_run, standard_run, lean, _ = run_both(pytester)
    lean_run.assertoutcome(**outcome)
    assert observed(lean_run) == observed(standard_run)
    assert lean.reason is None
    # Every item without a marker pytest's phases act on ran lean; a skipped status item
    # carries `skip`, so pytest's protocol reports it.
    assert lean.lean_items == sum(outcome.values()) - outcome.get("skipped", 0)


def test_a_warning_severity_lesson_still_warns_under_the_lean_protocol(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    repository(
        pytester, fixture_lessons, '[tool.pytest-lessons.severity]\n"no-todo-marker" = "warning"'
    )
    lean_run, _, lean, _ = run_both(pytester)
    _, warnings = observed(lean_run)
    assert [(nodeid, when) for nodeid, when, _ in warnings] == [
        ("jobs.py::no-todo-marker", "runtest"),
        ("more.py::no-todo-marker", "runtest"),
    ]
    assert "jobs.py:2:10: TODO-NOW marker left in code" in warnings[0][2]
    assert lean.lean_items == 5
    strict = pytester.inline_run(*LESSONS, "-W", "error::pytest_lessons.LessonWarning")
    strict.assertoutcome(passed=3, failed=2)


def test_junit_xml_is_the_same(pytester: pytest.Pytester, fixture_lessons: Path) -> None:
    repository(pytester, fixture_lessons)
    lean_xml, standard_xml = pytester.path / "lean.xml", pytester.path / "standard.xml"
    pytester.inline_run(*LESSONS, f"--junitxml={lean_xml}")
    pytester.inline_run(*LESSONS, f"--junitxml={standard_xml}", plugins=[ForcesStandard()])

    def stable(path: Path) -> str:
        return re.sub(r'(time|timestamp|hostname)="[^"]*"', "", path.read_text())

    assert "jobs.py:2:10: TODO-NOW marker left in code" in stable(lean_xml)
    assert stable(lean_xml) == stable(standard_xml)


@pytest.mark.parametrize(("option", "failed"), [("-x", 1), ("--maxfail=2", 2)])
def test_maxfail_stops_the_session(
    pytester: pytest.Pytester, fixture_lessons: Path, option: str, failed: int
) -> None:
    repository(pytester, fixture_lessons)
    pytester.path.joinpath("third.py").write_text("w = 4  # TODO-NOW\n")
    lean_run, standard_run, lean, _ = run_both(pytester, option)
    lean_run.assertoutcome(passed=1, failed=failed)  # clean.py, then the failures
    assert observed(lean_run) == observed(standard_run)
    assert lean.lean_items == 1 + failed


def test_last_failed_reruns_lean(pytester: pytest.Pytester, fixture_lessons: Path) -> None:
    repository(pytester, fixture_lessons)
    pytester.inline_run(*LESSONS).assertoutcome(passed=3, failed=2)
    protocols = Protocols()
    rerun = pytester.inline_run(*LESSONS, "--lf", plugins=[protocols])
    rerun.assertoutcome(failed=2)
    assert protocols.lean_items == 2


def test_a_conftest_marking_lesson_items_xfail_gets_pytests_protocol(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    repository(pytester, fixture_lessons)
    pytester.makeconftest(
        """
        import pytest

        def pytest_collection_modifyitems(items):
            for item in items:
                if item.nodeid == "jobs.py::no-todo-marker":
                    item.add_marker(pytest.mark.xfail(reason="known debt"))
        """
    )
    protocols = Protocols()
    result = pytester.inline_run(*LESSONS, plugins=[protocols])
    reports = {
        r.nodeid: r for r in result.getreports("pytest_runtest_logreport") if r.when == "call"
    }
    assert reports["jobs.py::no-todo-marker"].skipped
    assert reports["jobs.py::no-todo-marker"].wasxfail == "known debt"
    assert reports["more.py::no-todo-marker"].failed
    assert protocols.reason is None
    # Not the xfail item, nor the last one: pytest's protocol for the xfail item kept the
    # session set up, and the last item's teardown ends it (see the mixed-session tests).
    assert protocols.lean_items == 3


def test_a_conftest_with_a_setup_hook_sees_every_lesson_item(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    repository(pytester, fixture_lessons)
    pytester.makeconftest(
        """
        from pathlib import Path

        def pytest_runtest_setup(item):
            with Path(str(item.config.rootpath), "setup.log").open("a") as log:
                log.write(item.nodeid + "\\n")
        """
    )
    protocols = Protocols()
    pytester.inline_run(*LESSONS, plugins=[protocols]).assertoutcome(passed=3, failed=2)
    assert protocols.lean_items == 0
    assert protocols.reason is not None
    assert protocols.reason.endswith("conftest.py implements pytest_runtest_setup")
    assert pytester.path.joinpath("setup.log").read_text().splitlines() == ITEMS


@pytest.mark.parametrize(
    "option", ["--setup-show", "--setup-only", "--setup-plan", "--runxfail", "--pdb", "--trace"]
)
def test_debugging_and_setup_options_get_pytests_protocol(
    pytester: pytest.Pytester, fixture_lessons: Path, option: str
) -> None:
    repository(pytester, fixture_lessons)
    for name in ("jobs.py", "more.py"):  # nothing fails: --pdb would stop at a failure
        pytester.path.joinpath(name).write_text("x = 1\n")
    protocols = Protocols()
    pytester.inline_run(*LESSONS, option, plugins=[protocols])
    assert protocols.lean_items == 0
    assert protocols.reason == f"{option} is on"


MIXED_CONFTEST = """
import pytest
from pathlib import Path

EVENTS = []


@pytest.fixture(scope="session")
def session_resource():
    yield
    EVENTS.append("session fixture torn down")


@pytest.fixture(scope="module")
def module_resource():
    yield
    EVENTS.append("module fixture torn down")


def pytest_runtest_logreport(report):
    EVENTS.append(f"{report.nodeid} {report.when} {report.outcome}")


def pytest_unconfigure(config):
    Path(str(config.rootpath), "events.log").write_text("\\n".join(EVENTS))
    EVENTS.clear()
"""


def run_both_with_events(
    pytester: pytest.Pytester, *args: str
) -> tuple[Any, Any, Protocols, list[str], list[str]]:
    """Both runs, each with the events MIXED_CONFTEST logged."""
    events = pytester.path / "events.log"
    lean = Protocols()
    lean_run = pytester.inline_run(*LESSONS, *args, plugins=[lean])
    lean_events = events.read_text().splitlines()
    standard_run = pytester.inline_run(*LESSONS, *args, plugins=[ForcesStandard()])
    return lean_run, standard_run, lean, lean_events, events.read_text().splitlines()


def test_python_tests_fixtures_are_torn_down_around_lesson_items(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    repository(pytester, fixture_lessons)
    pytester.makeconftest(MIXED_CONFTEST)
    pytester.makepyfile(test_app="def test_uses(session_resource, module_resource):\n    pass\n")
    lean_run, standard_run, lean, lean_events, standard_events = run_both_with_events(pytester)
    assert observed(lean_run) == observed(standard_run)
    lean_run.assertoutcome(passed=4, failed=2)
    assert lean.lean_items == 4  # the last one tears the session down: pytest's protocol
    assert lean_events == standard_events
    # The module's fixture goes when the test's teardown hands over to a lesson item; the
    # session's goes in the teardown of the last item, a lesson item, as pytest's protocol does.
    assert lean_events.index("module fixture torn down") < lean_events.index(
        "test_app.py::test_uses teardown passed"
    )
    assert lean_events[-3:] == [
        "lessons-status::workspace call passed",
        "session fixture torn down",
        "lessons-status::workspace teardown passed",
    ]


def test_a_session_fixture_failing_at_teardown_errors_the_last_lesson_item(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    repository(pytester, fixture_lessons)
    pytester.makeconftest(
        """
        import pytest

        @pytest.fixture(scope="session")
        def flaky_resource():
            yield
            raise RuntimeError("could not release the resource")
        """
    )
    pytester.makepyfile(test_app="def test_uses(flaky_resource):\n    pass\n")
    lean_run, standard_run, lean, _ = run_both(pytester)
    assert observed(lean_run) == observed(standard_run)
    assert lean.lean_items == 4
    last = lean_run.getreports("pytest_runtest_logreport")[-1]
    assert (last.nodeid, last.when, last.outcome) == (
        "lessons-status::workspace",
        "teardown",
        "failed",
    )
    assert "could not release the resource" in last.longreprtext


def test_ctrl_c_in_a_lesson_item_interrupts_the_run(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    repository(pytester, fixture_lessons)
    pytester.makeconftest(
        """
        import pytest_lessons.items as items

        def interrupted(self):
            raise KeyboardInterrupt

        items.LessonItem.runtest = interrupted
        """
    )
    result = pytester.runpytest_subprocess(*LESSONS)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*KeyboardInterrupt*"])
    assert "passed" not in result.stdout.str()


def test_without_the_warnings_plugin_lesson_items_get_pytests_protocol(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    repository(pytester, fixture_lessons)
    protocols = Protocols()
    pytester.inline_run(*LESSONS, "-p", "no:warnings", plugins=[protocols])
    assert protocols.lean_items == 0
    assert protocols.reason == "the warnings plugin is disabled"


def test_a_lesson_item_failing_under_x_ends_the_python_tests_session(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    repository(pytester, fixture_lessons)
    pytester.makeconftest(MIXED_CONFTEST)
    pytester.makepyfile(test_app="def test_uses(session_resource, module_resource):\n    pass\n")
    lean_run, standard_run, lean, lean_events, standard_events = run_both_with_events(
        pytester, "-x"
    )
    assert observed(lean_run) == observed(standard_run)
    assert lean.lean_items == 2  # clean.py, then jobs.py, which fails
    assert lean_events == standard_events
    if pytest.version_tuple[0] >= 8:  # pytest 7 tears the session down after the loop
        assert lean_events[-3:] == [
            "jobs.py::no-todo-marker call failed",
            "session fixture torn down",
            "jobs.py::no-todo-marker teardown passed",
        ]
    else:
        assert lean_events[-2:] == [
            "jobs.py::no-todo-marker teardown passed",
            "session fixture torn down",
        ]


def test_xdist_workers_report_alike(pytester: pytest.Pytester, fixture_lessons: Path) -> None:
    """xdist's workers run lesson items too; a conftest hook sends them through pytest's
    protocol in the second run."""
    repository(pytester, fixture_lessons)

    def outcomes() -> list[str]:
        result = pytester.runpytest_subprocess(*LESSONS, "-p", "xdist", "-n", "2", "-rA")
        result.assert_outcomes(passed=3, failed=2)
        return sorted(line for line in result.stdout.lines if line.startswith(("PASSED", "FAILED")))

    lean = outcomes()
    pytester.makeconftest("def pytest_runtest_call(item):\n    pass\n")
    assert lean == outcomes()
    assert any(line.startswith("FAILED jobs.py::no-todo-marker") for line in lean)
