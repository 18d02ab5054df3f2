from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class AnalyticsBase(DeclarativeBase):
    """Another database, migrated elsewhere."""
