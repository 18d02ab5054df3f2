from sqlalchemy.orm import Mapped, mapped_column

from shop.models.store import Store
from shop.models.base import Base


class Coupon(Base):
    __tablename__ = "coupons"

    id: Mapped[int] = mapped_column(primary_key=True)


__all__ = ["Coupon", "Store"]
