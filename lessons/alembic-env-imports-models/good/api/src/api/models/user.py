from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import Base, SoftDeleteMixin


class User(SoftDeleteMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
