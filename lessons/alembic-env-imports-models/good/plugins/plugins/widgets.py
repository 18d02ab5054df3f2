from sqlalchemy.orm import Mapped, mapped_column

from plugins.db import Base


class Widget(Base):
    __tablename__ = "widgets"

    id: Mapped[int] = mapped_column(primary_key=True)
