"""Ctrl-C during the analysis ends the run once: no restart, no traceback, no partial report,
and the facts extracted before it are kept for the next run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.team_lessons import configure, write_marker_lesson


def _extracted(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def _with_default_sigint(command: list[str]) -> list[str]:
    """`command`, started with Ctrl-C at its default. A process started in the background of
    a non-interactive shell (`make test &`, some CI runners) ignores SIGINT, every process it
    starts inherits that, and Python installs its KeyboardInterrupt handler only where SIGINT
    is not ignored: the run under test would never see the Ctrl-C this test sends."""
    restore = (
        "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
        "os.execv(sys.argv[1], sys.argv[1:])"
    )
    return [sys.executable, "-c", restore, *command]


@pytest.mark.skipif(sys.platform == "win32", reason="process groups and SIGINT are POSIX")
def test_ctrl_c_ends_the_analysis_once_and_keeps_what_it_learnt(tmp_path: Path) -> None:
    write_marker_lesson(
        tmp_path / "lessons",
        "slow-fixture",
        """
        with open(os.environ["SLOW_LOG"], "a") as log:
            log.write(file.rel + "\\n")
        time.sleep(0.3)  # Ctrl-C comes after 6 of 30: seconds to spare on a loaded machine
        with open(os.environ["SLOW_DONE"], "a") as done:
            done.write(file.rel + "\\n")
        """,
    )
    repo = tmp_path / "repo"
    repo.mkdir()
    configure(repo, tmp_path / "lessons", "slow-fixture", "jobs = 2\n")
    for n in range(30):
        (repo / f"m{n:02d}.py").write_text(f"x = {n}  # TODO-NOW\n")
    report = tmp_path / "report.json"
    log = tmp_path / "extracted.log"
    done = tmp_path / "done.log"
    command = [
        sys.executable,
        "-m",
        "pytest",
        "--lessons",
        "-p",
        "no:python",
        "--noconftest",
        "--rootdir",
        str(repo),
        f"--lessons-json={report}",
        str(repo),
    ]
    env = {**os.environ, "SLOW_LOG": str(log), "SLOW_DONE": str(done)}
    run = subprocess.Popen(
        _with_default_sigint(command),
        cwd=repo,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, which a terminal's Ctrl-C signals
    )
    # Six files done: a worker sends what it extracted when its next file is done (or its
    # batch ends), so the pytest process has been sent four at least; half a second for it
    # to read them, however busy the machine (it may be kept off a core for a while).
    deadline = time.monotonic() + 60
    while len(_extracted(done)) < 6 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    assert run.poll() is None, run.stdout.read().decode() if run.stdout else ""
    os.killpg(run.pid, signal.SIGINT)
    output, _ = run.communicate(timeout=60)
    text = output.decode()
    assert run.returncode == pytest.ExitCode.INTERRUPTED, text
    assert "KeyboardInterrupt" in text
    assert "Traceback" not in text
    assert not report.exists()
    first = _extracted(log)
    assert len(first) == len(set(first)), "the analysis started again after Ctrl-C"
    assert len(first) < 30
    kept_in = repo / ".pytest_cache" / "d" / "pytest-lessons"
    assert [p.name for p in kept_in.iterdir()] == ["facts.bin"], "spill files left behind"

    log.unlink()
    finished = subprocess.run(command, cwd=repo, env=env, capture_output=True, timeout=120)
    assert finished.returncode == pytest.ExitCode.TESTS_FAILED, finished.stdout.decode()
    second = _extracted(log)
    kept = set(first) - set(second)
    assert kept, "facts extracted before Ctrl-C were thrown away"
    assert sorted(set(first) | set(second)) == [f"m{n:02d}.py" for n in range(30)]
    assert report.exists()
