"""The facts the Python half of `env-example-complete` gives for a module, whichever parser
read it (`python_ast`, or `python_cst` for syntax the running interpreter's `ast` rejects)."""

from __future__ import annotations

from pydantic import Field

from pytest_lessons.checks.env_example_complete.reads import EnvRead
from pytest_lessons.lang.common.records import Record

__all__ = ["PythonFacts", "SettingsClass", "SettingsField"]


class SettingsField(Record):
    name: str
    line: int
    column: int
    end_line: int
    end_column: int
    defaulted: bool = False
    aliases: tuple[str, ...] = ()
    """Explicit variable names (`alias=`, `validation_alias=`, `AliasChoices`, v1 `env=`); any
    one of them is enough, and `env_prefix` does not apply to them."""
    alias_keyword: str | None = None
    """Where the aliases come from: `validation_alias`, `alias`, `env` (v1 `Field(env=)` or v1
    `Config.fields`). pydantic-settings v2 reads the first two and ignores `env`; v1 reads only
    `env` (an alias is not an environment name there)."""
    type_names: tuple[str, ...] = ()
    """Class names in the annotation, to expand nested models."""


class SettingsClass(Record):
    """A class definition as written: its bases, its settings config, its annotated fields.

    Every class of a file that may hold settings is recorded, since whether it is a settings
    class at all (and with which prefix) may depend on a base class in another file.
    """

    name: str
    line: int
    column: int
    end_line: int
    end_column: int
    bases: tuple[str, ...] = ()
    """Dotted names as written (`BaseSettings`, `config.AppSettings`)."""
    env_prefix: str | None = None
    """None when the class does not set it (it inherits it, or it is empty)."""
    case_sensitive: bool | None = None
    nested_delimiter: str | None = None
    prefix_is_static: bool = True
    """False when `env_prefix` is set to something not a literal (a name, an f-string): the
    variables it reads are then unknown."""
    config_style: str | None = None
    """`model_config` (pydantic-settings v2) or `class Config` (v1 style), when the class sets
    its prefix; for the message."""
    fields: tuple[SettingsField, ...] = ()


class PythonFacts(Record):
    reads: list[EnvRead] = Field(default_factory=list)
    classes: list[SettingsClass] = Field(default_factory=list)
    imports: dict[str, str] = Field(default_factory=dict)
    """Local name -> `module.Name` for `from module import Name [as local]`; relative modules
    keep their leading dots."""
    called: list[str] = Field(default_factory=list)
    """Capitalised names this file calls (`Settings()`, `config.Settings()`): a settings base
    class nobody instantiates only lends its fields and prefix to its subclasses."""
