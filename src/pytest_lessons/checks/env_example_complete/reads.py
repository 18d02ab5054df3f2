"""What every code half of `env-example-complete` produces: reads of environment variables.

Three readers, one record shape (`EnvRead`): TypeScript/JavaScript (`typescript`), Python
(`python`) and pydantic-settings classes, whose reads are only known once the classes of every
file are joined (`settings`).

Writes are not reads: `process.env.X = ...`, `delete process.env.X`, `os.environ["X"] = ...`,
`del os.environ["X"]`, `os.environ.pop(...)`. Dynamic keys (`process.env[name]`,
`os.getenv(name)`) have no static name and are left out.
"""

from __future__ import annotations

from pytest_lessons.lang.common.records import Record

__all__ = ["CODE_PREFILTER", "EnvRead"]


class EnvRead(Record):
    """One place that reads one environment variable by a literal name."""

    name: str
    line: int
    column: int
    end_line: int
    end_column: int
    via: str
    """How it is read, for the message: `process.env`, `os.getenv`, ..."""
    defaulted: bool = False
    """The code supplies a fallback (`?? "d"`, `os.getenv("X", "d")`, a field default)."""
    alternatives: tuple[str, ...] = ()
    """Other names that satisfy this read (AliasChoices, a nested model's JSON variable)."""
    case_insensitive: bool = False
    """pydantic-settings matches names case-insensitively unless `case_sensitive=True`."""


CODE_PREFILTER = (
    b"process.env",
    b"import.meta.env",
    b"environ",
    b"getenv",
    b"BaseSettings",
    b"Settings)",
    b"Settings,",
    b"Settings(",
    b"env_prefix",
)
"""`Settings)`/`Settings,` catch a subclass of a settings class defined elsewhere
(`class WorkerSettings(AppSettings):`) and `Settings(` a module that instantiates one; a settings
class whose name does not end in `Settings` is only seen in modules that also say `BaseSettings`
or `env_prefix`. (`settings.X` attribute reads, which every module of a FastAPI app has, are not
env reads and do not pass.)"""
