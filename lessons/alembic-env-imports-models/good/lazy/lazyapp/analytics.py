from sqlalchemy.orm import Mapped, mapped_column

from lazyapp.database import AnalyticsBase


class PageView(AnalyticsBase):
    __tablename__ = "page_views"

    id: Mapped[int] = mapped_column(primary_key=True)
