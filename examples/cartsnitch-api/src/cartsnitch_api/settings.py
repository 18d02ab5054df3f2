from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CARTSNITCH_")

    database_url: str
    posthog_api_key: str = ""
    worker_secret: str = ""


settings = Settings()
