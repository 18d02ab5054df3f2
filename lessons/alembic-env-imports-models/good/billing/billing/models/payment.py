from sqlalchemy import Column, Integer

from billing.models import meta


class Payment(meta.Base):
    __tablename__ = "payments"
    id = Column(Integer, primary_key=True)
