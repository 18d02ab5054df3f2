"""An older module still on pydantic v1's BaseSettings, with no env_prefix."""

from pydantic import BaseSettings


class CacheSettings(BaseSettings):
    redis_url: str = "redis://localhost:6379/0"


cache_settings = CacheSettings()
