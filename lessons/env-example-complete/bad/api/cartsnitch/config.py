from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CARTSNITCH_")

    database_url: str
    jwt_secret: str  # lessons: expect[env-example-complete]
    posthog_api_key: str | None = None  # lessons: expect[env-example-complete]
    retailer_timeout: int = Field(default=30)  # a real default: optional, allowed by default


settings = Settings()
