from ledger.models.db import AuditBase, Base
from ledger.models.order import Order

__all__ = ["AuditBase", "Base", "Order"]
