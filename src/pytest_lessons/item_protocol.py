"""Running a lesson item with three reports and nothing else, where nobody could tell.

pytest's own run protocol calls, for every item, the setup, call and teardown hooks and, around
each, the wrappers of capture, logging, skipping, unraisable-exception collection and the
`SetupState` stack, then `pytest_runtest_makereport` three times: about 0.25 ms per item, most
of a warm run's item phase on a repository with thousands of lesson items. A lesson item has no
fixture, prints and logs nothing and only looks up what the analysis found, so none of that
does anything for it. The lean protocol keeps what anyone can observe: `logstart`; a setup, call
and teardown `TestReport` built by pytest's own `CallInfo.from_call` and
`TestReport.from_item_and_call` and sent through `pytest_runtest_logreport` (the terminal, -x,
--lf, JUnit XML, durations and xdist's workers all read those); `pytest_exception_interact` on a
failure; `logfinish`. The `pytest_runtest_protocol` wrappers (warnings, which records a
warning-severity lesson's `LessonWarning`; faulthandler; assertion) wrap it as they wrap pytest's.

pytest's protocol runs instead wherever the difference could show: another plugin or a conftest
implements a per-phase hook or a protocol of its own (timeouts, reruns, HTML reports...), a
debugging or setup-display option is on, the warnings plugin is off, the item carries a marker
pytest's phases act on (a conftest adding `xfail`, the status items' `skip`), or its teardown
would end fixtures python tests set up (the last item of a session that ran some).
"""

from __future__ import annotations

import bdb
import sys
from collections.abc import Callable
from typing import Any, Literal

import pytest

_PytestHook = Literal[
    "pytest_runtest_setup",
    "pytest_runtest_call",
    "pytest_runtest_teardown",
    "pytest_runtest_makereport",
]

_EVERY_PHASE = frozenset(
    {
        "_pytest.runner",
        "_pytest.capture",
        "_pytest.logging",
        "_pytest.unraisableexception",
        "_pytest.threadexception",
    }
)

KNOWN_PHASE_HOOKS: dict[_PytestHook, frozenset[str]] = {
    # pytest's own implementations, from 7.4 to 9, and why each does nothing for a lesson item:
    # runner (the SetupState stack: followed below), capture and logging (the item prints and
    # logs nothing), unraisableexception and threadexception (nothing of ours raises in a
    # finaliser or a thread), skipping (no skip or xfail marker: checked per item), nose
    # (python functions only), hypothesis (installed beside many suites; it acts on items with
    # a test function, `item.obj`), unittest (its own test cases only), tmpdir (records
    # outcomes for the `tmp_path` fixture's retention).
    "pytest_runtest_setup": _EVERY_PHASE | {"_pytest.skipping", "_pytest.nose"},
    "pytest_runtest_call": _EVERY_PHASE | {"_pytest.skipping", "_hypothesis_pytestplugin"},
    "pytest_runtest_teardown": _EVERY_PHASE,
    "pytest_runtest_makereport": frozenset(
        {
            "_pytest.runner",
            "_pytest.skipping",
            "_pytest.unittest",
            "_pytest.tmpdir",
            "_hypothesis_pytestplugin",
        }
    ),
}

KNOWN_PROTOCOLS = frozenset({"_pytest.runner", "pytest_lessons.lesson_hooks"})
"""Non-wrapper implementations of `pytest_runtest_protocol` that may coexist with this one."""

PHASE_MARKERS = frozenset({"skip", "skipif", "xfail", "usefixtures"})
"""Markers pytest's phases act on: an item carrying one runs pytest's protocol."""

STANDARD_OPTIONS = (
    ("usepdb", "--pdb"),
    ("trace", "--trace"),
    ("runxfail", "--runxfail"),
    ("setupplan", "--setup-plan"),  # which implies the two below
    ("setuponly", "--setup-only"),  # which implies --setup-show
    ("setupshow", "--setup-show"),
)


def _module_of(impl: Any) -> str:
    return str(getattr(impl.function, "__module__", "") or "")


def _is_wrapper(impl: Any) -> bool:
    return bool(getattr(impl, "hookwrapper", False) or getattr(impl, "wrapper", False))


def standard_protocol_reason(config: pytest.Config) -> str | None:
    """Why this session's lesson items must run pytest's protocol (None: they need not)."""
    for option, flag in STANDARD_OPTIONS:
        if config.getoption(option, False):
            return f"{flag} is on"
    hook = config.hook
    for name, known in KNOWN_PHASE_HOOKS.items():
        for impl in getattr(hook, name).get_hookimpls():
            if _module_of(impl) not in known:
                return f"{impl.plugin_name} implements {name}"
    for impl in hook.pytest_runtest_protocol.get_hookimpls():
        if not _is_wrapper(impl) and _module_of(impl) not in KNOWN_PROTOCOLS:
            return f"{impl.plugin_name} implements pytest_runtest_protocol"
    if not config.pluginmanager.has_plugin("warnings"):
        # Without the warnings plugin a LessonWarning is printed, and pytest's protocol would
        # capture it into the item's report.
        return "the warnings plugin is disabled"
    return None


def carries_phase_marker(item: pytest.Item) -> bool:
    return any(mark.name in PHASE_MARKERS for mark in item.iter_markers())


class LeanProtocol:
    """Decides once per session whether lesson items may run lean, then runs them."""

    def __init__(self, config: pytest.Config) -> None:
        self._config = config
        self._reason: str | None = None
        self._decided = False
        self.lean_items = 0
        """How many items ran the lean protocol (the tests read it)."""

    @property
    def reason(self) -> str | None:
        """Why pytest's protocol runs every item this session (None: lesson items run lean)."""
        if not self._decided:
            self._reason = standard_protocol_reason(self._config)
            self._decided = True
        return self._reason

    def run(self, item: pytest.Item, nextitem: pytest.Item | None) -> bool | None:
        """Run `item` lean and return True, or return None to leave it to pytest's protocol."""
        if self.reason is not None or carries_phase_marker(item):
            return None
        setup_state = getattr(item.session, "_setupstate", None)
        stack = getattr(setup_state, "stack", None)
        if not isinstance(stack, dict) or not hasattr(setup_state, "teardown_exact"):
            return None  # a pytest whose stack this cannot follow
        if not _teardown_keeps(stack, nextitem):
            return None
        self.lean_items += 1
        _run_lean(item, nextitem, setup_state)
        return True


TEARDOWN_ON_STOP = int(pytest.version_tuple[0]) >= 8
"""From pytest 8, the item that stops the session (-x, --maxfail) tears everything down."""

RERAISED = (pytest.exit.Exception, KeyboardInterrupt)
"""What pytest's `CallInfo` lets through without --pdb (which runs pytest's protocol)."""


def _nothing() -> None:
    return None


def _run_lean(item: pytest.Item, nextitem: pytest.Item | None, setup_state: Any) -> None:
    ihook = item.ihook
    ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    _report(item, ihook, "setup", _nothing)
    _report(item, ihook, "call", lambda: _call(item))
    session = item.session
    if TEARDOWN_ON_STOP and (session.shouldfail or session.shouldstop):
        nextitem = None  # as pytest's protocol: the session ends, tear everything down
    _report(item, ihook, "teardown", lambda: _teardown(setup_state, nextitem))
    ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)


def _report(
    item: pytest.Item,
    ihook: Any,
    when: Literal["setup", "call", "teardown"],
    func: Callable[[], None],
) -> None:
    call = pytest.CallInfo.from_call(func, when=when, reraise=RERAISED)
    report = pytest.TestReport.from_item_and_call(item, call)
    ihook.pytest_runtest_logreport(report=report)
    if _is_interactive(call, report):
        ihook.pytest_exception_interact(node=item, call=call, report=report)


def _is_interactive(call: pytest.CallInfo[None], report: pytest.TestReport) -> bool:
    """pytest's rule for calling `pytest_exception_interact`: an error that is not a skip."""
    if call.excinfo is None or hasattr(report, "wasxfail"):
        return False
    quiet: tuple[type[BaseException], ...] = (pytest.skip.Exception, bdb.BdbQuit)
    unittest = sys.modules.get("unittest")
    if unittest is not None:
        quiet += (unittest.SkipTest,)
    return not isinstance(call.excinfo.value, quiet)


_LAST = ("last_type", "last_value", "last_traceback", "last_exc")[
    : 4 if sys.version_info >= (3, 12) else 3
]


def _call(item: pytest.Item) -> None:
    """`item.runtest()`, leaving `sys.last_*` as pytest's call phase does (post-mortem tools)."""
    for name in _LAST:
        if hasattr(sys, name):
            delattr(sys, name)
    try:
        item.runtest()
    except Exception as error:
        sys.last_type = type(error)
        sys.last_value = error
        if sys.version_info >= (3, 12):
            sys.last_exc = error
        traceback = error.__traceback__
        sys.last_traceback = traceback.tb_next if traceback is not None else None
        raise


def _teardown_keeps(stack: dict[Any, Any], nextitem: pytest.Item | None) -> bool:
    """Whether this item's teardown would end nothing that python tests set up.

    A lesson item sets nothing up, so the `SetupState` stack holds at most what the test before
    it kept for it: the session node, once a python test has run. Only the teardown of the
    session's last item (or of an item before which the next one shares less) ends something
    (session-scoped fixtures): that item runs pytest's protocol, so the fixtures' teardown and
    its errors are reported exactly as pytest reports them.
    """
    if not stack:
        return True
    if nextitem is None:
        return False
    return list(stack) == nextitem.listchain()[: len(stack)]


def _teardown(setup_state: Any, nextitem: pytest.Item | None) -> None:
    """What pytest's teardown does for a lesson item: nothing, unless this item failed the
    session (`-x`, `--maxfail`) after python tests ran: then the session ends here."""
    if setup_state.stack:
        setup_state.teardown_exact(nextitem)
