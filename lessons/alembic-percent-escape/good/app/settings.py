"""Settings object (read by app/migrations.py)."""

import os


class Settings:
    database_url: str = os.environ.get("DATABASE_URL", "")


settings = Settings()
