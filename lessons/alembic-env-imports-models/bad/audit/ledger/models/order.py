from sqlalchemy import Column, Integer

from ledger.models.db import Base


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
