"""The app imports the catalogue models from here; env.py never does."""

from shop.models.coupon import Coupon
from shop.models.store import Store

__all__ = ["Coupon", "Store"]
