"""Outgoing mail, sent from the queue, configured through Starlette's `Config`."""

from starlette.config import Config

config = Config(".env")

# Listed in the example file.
QUEUE_URL = config("CARTSNITCH_QUEUE_URL")
# Real defaults: a deploy that sets neither still sends mail from a working address.
SMTP_PORT = config("CARTSNITCH_SMTP_PORT", cast=int, default=587)
RECEIPTS_FROM = config("CARTSNITCH_RECEIPTS_FROM", default="receipts@cartsnitch.example")
