from sqlalchemy import Column, Integer, String

from ledger.models import db


class AuditLog(db.AuditBase):
    __tablename__ = "audit_log"
    id = Column(Integer, primary_key=True)
    action = Column(String(64))
