from sqlalchemy.orm import Mapped, mapped_column

from twodb.models.base import Base


class Span(Base):
    __tablename__ = "spans"

    id: Mapped[int] = mapped_column(primary_key=True)
