from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    JWT_SIGNING_KEY: str = ""
    WORKER_SECRET: str = ""
    CRON_SECRET: str = ""
    STRIPE_SIGNING_SECRET: str = ""


settings = Settings()
