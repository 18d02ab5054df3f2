"""A process whose lessons-only session analysed exits with its heap frozen, so the interpreter's
teardown does not trace it (`process_exit`); one that ran the project's tests too, or did not
analyse, exits as usual. Checked in fresh interpreters, by an exit handler registered before
the plugin's (so it runs after it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

WATCH = """
import atexit, gc, sys
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0))
"""


def _exit_report(code: str, cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", WATCH + code],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
        timeout=300,
    )
    return done.stdout


def test_the_handler_freezes_the_heap_and_is_registered_once(tmp_path: Path) -> None:
    out = _exit_report(
        "import atexit\n"
        "from pytest_lessons.process_exit import freeze_heap_at_exit\n"
        "before = atexit._ncallbacks()\n"
        "freeze_heap_at_exit(); freeze_heap_at_exit()\n"
        "print('handlers added:', atexit._ncallbacks() - before)\n",
        tmp_path,
    )
    assert out.splitlines() == ["handlers added: 1", "frozen at exit: True"]


@pytest.mark.parametrize(
    ("args", "frozen"), [(["--lessons-only"], True), (["--lessons"], False), ([], False)]
)
def test_a_lessons_only_session_exits_frozen(tmp_path: Path, args: list[str], frozen: bool) -> None:
    (tmp_path / "app.py").write_text("print('hello')\n")
    out = _exit_report(
        "import pytest\n"
        f"pytest.main([*{args!r}, '-q', '-p', 'no:cacheprovider', '--rootdir', '.'])\n",
        tmp_path,
    )
    assert out.splitlines()[-1] == f"frozen at exit: {frozen}"


# A plugin of the test's own that says, from pytest's last hook and from a cleanup registered
# after every plugin's configure (so it runs first of the cleanups, before pytest's own), whether
# the heap is frozen then, and once pytest.main has returned, whether anything is still frozen.
WITNESS = """
import gc, pytest

class Witness:
    @pytest.hookimpl(trylast=True)
    def pytest_configure(self, config):
        config.add_cleanup(lambda: print("cleanup:", gc.get_freeze_count() > 0))

    @pytest.hookimpl(tryfirst=True)
    def pytest_unconfigure(self, config):
        print("unconfigure:", gc.get_freeze_count() > 0)

{before}
pytest.main([*{args!r}, "-q", "-p", "no:cacheprovider", "--rootdir", "."], plugins=[Witness()])
print("after:", gc.get_freeze_count() > 0)
"""


@pytest.mark.parametrize(
    ("args", "frozen"), [(["--lessons-only"], True), (["--lessons"], False), ([], False)]
)
def test_a_lessons_only_session_ends_frozen_and_leaves_nothing_frozen(
    tmp_path: Path, args: list[str], frozen: bool
) -> None:
    """pytest's end-of-session collections (its unraisable-exception plugin's, in
    `pytest_unconfigure` and in a cleanup) find the heap frozen; a later session in the same
    process starts with nothing frozen."""
    (tmp_path / "app.py").write_text("print('hello')\n")
    out = _exit_report(WITNESS.format(before="", args=args), tmp_path)
    assert out.splitlines()[-4:] == [
        f"unconfigure: {frozen}",
        f"cleanup: {frozen}",
        "after: False",
        f"frozen at exit: {frozen}",
    ]


def test_a_heap_frozen_by_the_host_is_left_frozen(tmp_path: Path) -> None:
    """A host that froze its heap before the session keeps it frozen: the session does not undo
    a freeze it did not make."""
    (tmp_path / "app.py").write_text("print('hello')\n")
    out = _exit_report(
        WITNESS.format(before="gc.freeze()", args=["--lessons-only"]),
        tmp_path,
    )
    assert out.splitlines()[-4:] == [
        "unconfigure: True",
        "cleanup: True",
        "after: True",
        "frozen at exit: True",
    ]


def test_pytests_own_end_of_session_collection_runs_on_a_frozen_heap(tmp_path: Path) -> None:
    """The collection pytest runs in its cleanups comes after ours is registered and before it
    runs: the heap is frozen for it too (pytest 8.4 and later collect there; 7.x does not)."""
    import _pytest.unraisableexception as unraisable

    if not hasattr(unraisable, "gc_collect_harder"):
        pytest.skip("this pytest runs no collection as the session ends")
    (tmp_path / "app.py").write_text("print('hello')\n")
    out = _exit_report(
        "import gc, pytest, _pytest.unraisableexception as unraisable\n"
        "collect = unraisable.gc_collect_harder\n"
        "def watched(iterations):\n"
        "    print('collect:', gc.get_freeze_count() > 0)\n"
        "    collect(iterations)\n"
        "unraisable.gc_collect_harder = watched\n"
        "pytest.main(['--lessons-only', '-q', '-p', 'no:cacheprovider', '--rootdir', '.'])\n",
        tmp_path,
    )
    collects = [line for line in out.splitlines() if line.startswith("collect:")]
    if not collects:
        pytest.skip("this pytest ran no collection as the session ended")
    assert set(collects) == {"collect: True"}
