from pydantic_settings import BaseSettings


class CommonSettings(BaseSettings):
    """Never instantiated: it lends its fields to the settings classes below."""

    log_level: str = "INFO"
