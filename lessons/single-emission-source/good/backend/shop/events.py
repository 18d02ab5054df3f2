"""Event names the backend owns: the web client never captures these."""

from enum import StrEnum

INVITE_SENT = "invite_sent"


class Events(StrEnum):
    CHECKOUT_COMPLETED = "checkout_completed"
    PLAN_UPGRADED = "plan_upgraded"
