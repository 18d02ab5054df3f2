"""Event names the backend sends."""

ORDER_PLACED = "order_placed"
REMINDER_SENT = "reminder_sent"
