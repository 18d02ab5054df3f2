from sqlalchemy.orm import Mapped, mapped_column

from shop.models.base import TimestampedModel


class Store(TimestampedModel):
    __tablename__ = "stores"

    id: Mapped[int] = mapped_column(primary_key=True)
