"""Orders and imports, as the admin list reads them."""

from sqlalchemy import Column, DateTime, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    number = Column(String(20), unique=True)
    created_at = Column(DateTime, nullable=False)
    paid_on = Column(DateTime)
    status = Column(String(20))


class ImportRow(Base):
    __tablename__ = "import_rows"

    row_id = Column(Integer, primary_key=True)
    imported_at = Column(DateTime)


class AuditEntry(Base):
    """Read through Flask-SQLAlchemy's `AuditEntry.query` in the admin."""

    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
