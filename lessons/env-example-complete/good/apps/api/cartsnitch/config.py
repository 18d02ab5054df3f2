import os

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from .base import CommonSettings


class DatabaseSettings(BaseSettings):
    """A nested settings class reads its own variables."""

    model_config = SettingsConfigDict(env_prefix="DB_")

    pool_size: int = 5


class Settings(CommonSettings):
    model_config = SettingsConfigDict(env_prefix="CARTSNITCH_", env_file=".env")

    database_url: str
    jwt_secret: str
    retailer_timeout: int = 30
    # an alias is read as written, without the prefix
    sentry_dsn: str = Field(validation_alias="SENTRY_DSN")
    # any one of the choices is enough
    posthog_key: str = Field(
        validation_alias=AliasChoices("POSTHOG_API_KEY", "POSTHOG_PROJECT_API_KEY")
    )
    db: DatabaseSettings = Field(default_factory=DatabaseSettings)


settings = Settings()


class TestSettings(Settings):
    """The test suite's own configuration: the test run sets these, no deploy does."""

    model_config = SettingsConfigDict(env_prefix="CARTSNITCH_TEST_")


def settings_for_tests() -> TestSettings:
    return TestSettings()


class TestingConfig:
    """Flask-style configuration for the test run: the harness sets TESTING_* variables."""

    DATABASE_URL = os.getenv("TESTING_DATABASE_URL") or "sqlite://"
    MAIL_SERVER = os.getenv("TESTING_MAIL_SERVER")
