import os


class Settings:
    ENVIRONMENT = os.environ.get("ENVIRONMENT", "production")
    CRON_SECRET = os.environ.get("CRON_SECRET", "")


settings = Settings()
