"""`alembic-percent-escape`: a value with a bare `%` handed to alembic's configparser.

alembic's `Config.set_main_option`/`set_section_option` (and `Config.file_config.set`) store
values in a `ConfigParser` whose BasicInterpolation treats `%` as syntax. A database URL whose
password was URL-encoded (`%2B`) makes every migration crash with "invalid interpolation syntax";
the fix is `.replace("%", "%%")` on the way in. This check reads every such call (and every
`sqlalchemy.url` value of an `.ini` file) and flags values it cannot show to be `%`-safe. The
Python half (`python`) reads the calls, the INI half (`ini`) the files; which values reach a
call is `flow`'s question, whether a value is `%`-safe `safety`'s.

Options that hold filesystem paths (`path-keys`, e.g. `script_location`) are judged like paths:
a value of unknown origin there is governed by `trust-path-values`, while `sqlalchemy.url` and
any other key stay strict. A value that visibly holds a bare `%` is flagged for every key.
"""

from __future__ import annotations

from pytest_lessons.checks.alembic_percent_escape.ini import IniHalf
from pytest_lessons.checks.alembic_percent_escape.options import AlembicPercentEscapeOptions
from pytest_lessons.checks.alembic_percent_escape.python import PythonHalf
from pytest_lessons.checks.alembic_percent_escape.writes import ConfigWrite
from pytest_lessons.checks.base import ByHalf, Check

__all__ = ["AlembicPercentEscape", "AlembicPercentEscapeOptions", "ConfigWrite"]


class AlembicPercentEscape(Check[AlembicPercentEscapeOptions, ByHalf]):
    options_model = AlembicPercentEscapeOptions
    halves = (PythonHalf, IniHalf)
    version = 2
