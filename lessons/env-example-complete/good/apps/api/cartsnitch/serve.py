"""The app as a WSGI server loads it, or as `flask run` does."""

import os

from cartsnitch.runtime import REDIS_URL

# `flask run` sets FLASK_RUN_FROM_CLI for the app it starts (and the reloader WERKZEUG_RUN_MAIN
# for its child): no deploy sets them, so no example file lists them.
SERVED_BY_FLASK = bool(os.getenv("FLASK_RUN_FROM_CLI"))
RELOADED_CHILD = os.environ.get("WERKZEUG_RUN_MAIN") == "true"

if not SERVED_BY_FLASK:
    print(f"queue at {REDIS_URL}")
