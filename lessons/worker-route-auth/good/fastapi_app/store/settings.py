from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    JWT_SIGNING_KEY: str = ""
    WORKER_SECRET: str = ""


settings = Settings()
