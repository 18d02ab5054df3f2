from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class SoftDeleteMixin:
    """A plain mixin: not a Base subclass, nothing to import for it."""

    deleted: bool = False
