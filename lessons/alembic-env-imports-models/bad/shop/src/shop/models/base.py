from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class TimestampedModel(Base):
    """Not mapped: a base for the tables that carry timestamps."""

    __abstract__ = True
