import importlib
import pkgutil

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


def load_models() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"plugins.{module.name}")
