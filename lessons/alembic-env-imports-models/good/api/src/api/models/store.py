from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import Base


class Store(Base):
    __tablename__ = "stores"

    id: Mapped[int] = mapped_column(primary_key=True)
