"""Which commands of a shell script or a container command run alembic, from which directory.

Read line by line, the way the script runs: a top-level `cd DIR` changes the directory the next
commands run in (`cd /app/api && alembic upgrade head` on one line too), and an alembic run is the
`alembic` command (or `python -m alembic`, through `uv run`/`poetry run`) followed by its options
and a subcommand, so `echo "running alembic"` is not one. `-c`/`--config` names the ini file.
"""

from __future__ import annotations

import posixpath
import re

from pytest_lessons.lang.common.records import Record

__all__ = ["AlembicRun", "alembic_runs", "python_runs", "scripts_run"]

_SUBCOMMANDS = (
    "upgrade|downgrade|stamp|current|heads|history|check|ensure_version|merge|revision|branches"
    "|show"
)
_RUN = re.compile(
    r"(?:^|[\s;&|(`'\"])(?:python3?\s+-m\s+)?alembic"
    r"(?P<options>(?:\s+(?:-c|--config|-n|--name|-x)(?:\s+|=)\S+|\s+--raiseerr|\s+-q)*)"
    rf"\s+(?:{_SUBCOMMANDS})\b"
)
_CONFIG = re.compile(r"(?:-c|--config)(?:\s+|=)['\"]?([^\s'\"]+)")
_CD = re.compile(r"(?:^|[;&|(]\s*)cd\s+(['\"]?)([^\s;&|'\"]+)\1")
_SCRIPT = re.compile(r"(?:^|\s)((?:\.{0,2}/)?[\w./-]+\.(?:sh|bash))\b")


class AlembicRun(Record):
    line: int
    """1-based, in the text read (a script, or a command string)."""
    config: str | None = None
    """`-c`/`--config` as written, when given."""
    cwd: str | None = None
    """The directory a preceding `cd` moved to (relative to where the script started), if any."""
    cwd_unknown: bool = False
    """A preceding `cd` went to a directory known only at run time (`cd "$APP_DIR"`)."""


def alembic_runs(text: str) -> list[AlembicRun]:
    runs: list[AlembicRun] = []
    cwd: str | None = None
    unknown = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0] if not raw.lstrip().startswith("#") else ""
        position = 0
        for match in _RUN.finditer(line):
            for cd in _CD.finditer(line, position, match.start() + 1):
                cwd, unknown = _cd(cwd, unknown, cd.group(2))
            position = match.end()
            config = _CONFIG.search(match.group("options") or "")
            runs.append(
                AlembicRun(
                    line=number,
                    config=config.group(1) if config else None,
                    cwd=cwd,
                    cwd_unknown=unknown,
                )
            )
        for cd in _CD.finditer(line, position):
            cwd, unknown = _cd(cwd, unknown, cd.group(2))
    return runs


def scripts_run(text: str) -> list[str]:
    """Script paths a command runs (`./prestart.sh`, `bash scripts/start.sh`), as written."""
    return [match.group(1) for match in _SCRIPT.finditer(text)]


def _cd(cwd: str | None, unknown: bool, target: str) -> tuple[str | None, bool]:
    """The directory after `cd target`; unknown once a `cd` used a variable or `cd -`."""
    if "$" in target or "`" in target:
        return None, True
    if target == "-":
        return None, unknown  # back to where the script was before: taken as its start
    return posixpath.normpath(posixpath.join(cwd or "", target)), unknown


_PYTHON = re.compile(
    r"(?:^|[\s;&|(`'\"/])python[0-9.]*\s+(?:-[A-Za-z]+\s+)*"
    r"(?:-m\s+(?P<module>[A-Za-z_][\w.]*)|(?P<script>[\w./-]+\.py)\b)"
)


def python_runs(text: str) -> list[str]:
    """Python programs a command starts: `-m pkg.mod` as `pkg.mod`, a script as its path."""
    found: list[str] = []
    for match in _PYTHON.finditer(text):
        module, script = match.group("module"), match.group("script")
        if module is not None and module not in ("pip", "venv", "alembic", "pytest"):
            found.append(module)
        elif script is not None:
            found.append(script)
    return found
