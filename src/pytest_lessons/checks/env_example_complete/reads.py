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

__all__ = ["CODE_PREFILTER", "CONFIG_CLASSES", "CONFIG_FUNCTIONS", "EnvRead", "SettingsRule"]


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


CONFIG_FUNCTIONS: dict[str, tuple[str, ...]] = {"decouple.config": ("option", "default", "cast")}
"""Imported functions that read one variable by name, and their parameters in order: a read
is required unless given a `default` (python-decouple's `config("X", default=...)`)."""
CONFIG_CLASSES: dict[str, tuple[str, ...]] = {
    "starlette.config.Config": ("key", "cast", "default"),
    "decouple.Config": ("option", "default", "cast"),
    "decouple.AutoConfig": ("option", "default", "cast"),
}
"""Imported classes whose instances read one variable by name when called, and the call's
parameters in order: `config = Config(".env")` then `config("X", cast=bool, default=False)`
(Starlette; a `.env` file beside the environment is read too, but it is not committed)."""

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
    b"decouple",
    b"starlette.config",
)
"""`Settings)`/`Settings,` catch a subclass of a settings class defined elsewhere
(`class WorkerSettings(AppSettings):`) and `Settings(` a module that instantiates one; a settings
class whose name does not end in `Settings` is only seen in modules that also say `BaseSettings`
or `env_prefix`. (`settings.X` attribute reads, which every module of a FastAPI app has, are not
env reads and do not pass. `decouple` and `starlette.config` are the imports of their config
readers.)"""
