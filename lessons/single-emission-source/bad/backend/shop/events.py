"""Event names shared by the backend, as a str enum and as module constants."""

from enum import StrEnum

INVITE_SENT = "invite_sent"


class Events(StrEnum):
    CHECKOUT_COMPLETED = "checkout_completed"
    PLAN_UPGRADED = "plan_upgraded"
