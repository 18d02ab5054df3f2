"""Settings object: the URL is assembled here and trusted everywhere else."""

import os
from urllib.parse import quote_plus

from pydantic import PostgresDsn


class Settings:
    database_url: str = os.environ.get("DATABASE_URL", "")
    db_user: str = os.environ.get("DB_USER", "app")
    db_password: str = os.environ.get("DB_PASSWORD", "")

    @property
    def dsn(self) -> str:
        return f"postgresql://{self.db_user}:{quote_plus(self.db_password)}@db/app"


settings = Settings()

PYDANTIC_DSN = PostgresDsn.build(
    scheme="postgresql", username="app", password=settings.db_password, host="db", path="app"
)
