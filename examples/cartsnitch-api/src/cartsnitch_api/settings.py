from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CARTSNITCH_")

    posthog_api_key: str = ""
    worker_secret: str = ""
    # Working defaults: without the CARTSNITCH_ variables the API quietly runs on these.
    database_url: str = "postgresql://cartsnitch:cartsnitch@localhost:5432/cartsnitch"
    jwt_secret_key: str = "dev-only-secret"


settings = Settings()
