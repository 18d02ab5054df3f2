"""Outgoing mail, configured through Starlette's `Config`."""

from starlette.config import Config
from starlette.datastructures import Secret

config = Config(".env")

# No default: importing this module fails on a deploy that does not set it.
SMTP_PASSWORD = config("CARTSNITCH_SMTP_PASSWORD", cast=Secret)  # lessons: expect[env-example-complete]
# The default is "off": receipts are silently never sent.
RECEIPTS_FROM = config("CARTSNITCH_RECEIPTS_FROM", default=None)  # lessons: expect[env-example-complete]
