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
        "freeze_heap_at_exit(); freeze_heap_at_exit()\n"
        "print('handlers:', atexit._ncallbacks())\n",
        tmp_path,
    )
    assert out.splitlines() == ["handlers: 2", "frozen at exit: True"]


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
