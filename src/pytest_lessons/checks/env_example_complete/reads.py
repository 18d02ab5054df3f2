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

__all__ = ["CODE_PREFILTER", "EnvRead", "SettingsRule"]


class SettingsRule(Record):
    """How pydantic-settings turns a settings field into the variable it reads."""

    settings_class: str
    field: str
    version: str
    """`pydantic-settings v2`, `pydantic v1 BaseSettings`, or `pydantic-settings` (unknown)."""
    prefix: str = ""
    prefix_origin: str = ""
    """Where the prefix is set: `model_config`, `class Config`, `inherited from Base`."""
    alias: str | None = None
    """The keyword the variable name came from (`validation_alias`, `alias`, `env`)."""
    delimiter: str | None = None
    nested_json: bool = False
    """The field is a model read as one JSON variable (no `env_nested_delimiter`)."""


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
    rule: SettingsRule | None = None
    """For a settings field: the rule that produced `name`."""


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
