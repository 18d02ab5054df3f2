"""Settings split the way real services split them: a nested model, and a pool class."""

from pydantic import BaseModel
from pydantic_settings import BaseSettings, SettingsConfigDict


class DatabaseOptions(BaseModel):
    host: str = "localhost"
    port: int = 5432


class ServiceSettings(BaseSettings):
    # nested fields are read as CARTSNITCH_DB__HOST, CARTSNITCH_DB__PORT
    model_config = SettingsConfigDict(env_prefix="CARTSNITCH_", env_nested_delimiter="__")

    db: DatabaseOptions = DatabaseOptions()


class PoolSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DB_")

    db_user: str = "cartsnitch"  # the prefix is added again: DB_DB_USER
    pool_size: int = 5


service_settings = ServiceSettings()
pool_settings = PoolSettings()
