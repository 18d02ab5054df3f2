import os


class Settings:
    ENVIRONMENT = os.environ.get("ENVIRONMENT", "production")


settings = Settings()
