from typing import TYPE_CHECKING

from lazyapp.tables import Order

if TYPE_CHECKING:

    class PaidOrder(Order):
        """A narrowed type for the checker only: never defined at run time, never mapped."""

else:
    PaidOrder = Order
