"""Every model, so that Base.metadata knows every table once this package is imported."""

from cartsnitch_api.db import Base
from cartsnitch_api.models.purchase import Purchase
from cartsnitch_api.models.store import Store

__all__ = ["Base", "Purchase", "Store"]
