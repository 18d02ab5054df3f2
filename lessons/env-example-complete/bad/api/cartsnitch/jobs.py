import os
from os import environ

SMTP_HOST = os.environ["CARTSNITCH_SMTP_HOST"]  # lessons: expect[env-example-complete]
FEATURE_REORDER = os.getenv("CARTSNITCH_FEATURE_REORDER", "")  # lessons: expect[env-example-complete]
RECEIPTS_BUCKET = environ.get("RECEIPTS_BUCKET")  # lessons: expect[env-example-complete]
# Only the variables `flask run` itself sets are the runtime's: the app's own FLASK_* are not.
SESSION_KEY = os.getenv("FLASK_SECRET_KEY")  # lessons: expect[env-example-complete]
