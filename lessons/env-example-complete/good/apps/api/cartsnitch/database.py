from pydantic import AliasChoices, BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class DatabaseOptions(BaseModel):
    host: str = "localhost"


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CARTSNITCH_", env_nested_delimiter="__")

    db: DatabaseOptions = DatabaseOptions()
    # the fix of the UAT day: both names are read
    database_url: str = Field(
        "postgresql://localhost/cartsnitch",
        validation_alias=AliasChoices("CARTSNITCH_DATABASE_URL", "DATABASE_URL"),
    )
    postgres_password: str = ""


service_settings = ServiceSettings()
